/* Adds a blank form to a Django formset without reloading the page (no inline script: CSP).
 *
 * Markup: a button [data-formset-add="PREFIX"], a container #PREFIX-forms, a <template>
 * #PREFIX-empty-form holding formset.empty_form (ids and names with __prefix__, the heading with
 * __number__) and the management form's PREFIX-TOTAL_FORMS input. Without JavaScript the button
 * stays hidden and the page still works with its blank forms.
 */
(function () {
  "use strict";

  function addForm(prefix) {
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = document.getElementById(prefix + "-empty-form");
    var container = document.getElementById(prefix + "-forms");
    if (!total || !template || !container) {
      return;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = container.lastElementChild;
    var first = added && added.querySelector("select, input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        addForm(button.getAttribute("data-formset-add"));
      });
    });
  });
})();
