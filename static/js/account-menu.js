/* The account menu of the top bar (base.html), a <details class="account-menu">, closes as a menu
 * does (no inline script: CSP):
 * - Escape closes it; if the focus was inside it, the focus goes back to its <summary>;
 * - a click outside it closes it;
 * - the keyboard's focus leaving it closes it, so that the open list does not hide the field
 *   or link the focus went to.
 * Without JavaScript the menu still opens and closes with its <summary>.
 */
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll("details.account-menu[open]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    openMenus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) {
        menu.querySelector("summary").focus();
      }
    });
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });

  document.addEventListener("focusout", function (event) {
    var menu = event.target.closest && event.target.closest("details.account-menu[open]");
    // Only when the focus lands somewhere else on the page: a click on a link of the menu may
    // take the focus nowhere first (Safari), and closing then would swallow the click.
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) {
      menu.open = false;
    }
  });
})();
