"""The account menu of the top bar (a <details>) closes as a menu does: Escape, with the focus
back on its button; a click outside it; the keyboard's focus leaving it (static/js/account-menu.js).

The page keeps the site's Content-Security-Policy (no bypass_csp, unlike the shared fixture):
the script must run under it.
"""

import pytest

from tests.browser.test_workspace_browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MENU = "details.account-menu"
SUMMARY = "details.account-menu > summary"


@pytest.fixture
def page(browser, live_server, editor_a):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_errors = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_errors.append(message.text)
        ),
    )
    sign_in(page, live_server, "editor-a")
    page.goto(f"{live_server.url}/workspace/")
    yield page
    assert page.csp_errors == []
    context.close()


def is_open(page):
    return page.locator(MENU).evaluate("menu => menu.open")


def focused(page, selector):
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def open_with_keyboard(page):
    page.focus(SUMMARY)
    page.keyboard.press("Enter")
    assert is_open(page)


def test_escape_on_the_button_closes_the_menu(page):
    open_with_keyboard(page)
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert focused(page, SUMMARY)


def test_escape_inside_the_menu_closes_it_and_puts_the_focus_back_on_its_button(page):
    open_with_keyboard(page)
    page.keyboard.press("Tab")
    assert focused(page, ".account-menu-items a")
    page.keyboard.press("Escape")
    assert not is_open(page)
    assert focused(page, SUMMARY)
    # Opened again, it still works.
    page.keyboard.press("Enter")
    assert is_open(page)


def test_a_click_outside_the_menu_closes_it(page):
    page.click(SUMMARY)
    assert is_open(page)
    page.click("main h1")
    assert not is_open(page)
    page.click(SUMMARY)
    page.click(".account-menu-items li:first-child", position={"x": 2, "y": 2})
    assert is_open(page), "a click inside the menu leaves it open"


def test_the_focus_leaving_the_menu_closes_it(page):
    open_with_keyboard(page)
    page.keyboard.press("Tab")  # Mon agenda
    page.keyboard.press("Tab")  # Changer de mot de passe
    page.keyboard.press("Tab")  # Se déconnecter
    assert is_open(page)
    page.keyboard.press("Tab")  # out of the menu
    assert not page.evaluate("() => document.activeElement.closest('details.account-menu')")
    assert not is_open(page)


def test_a_link_of_the_menu_still_works(page, live_server):
    page.click(SUMMARY)
    page.click("text=Mon agenda")
    page.wait_for_url(f"{live_server.url}/accounts/calendar/")


@pytest.mark.parametrize("width", [768, 800, 900, 992, 1100])
def test_the_top_bar_of_a_staff_member_fits_the_window(page, width):
    """Five links, the language switch and the account: from 768 px, where the links join the
    bar's line, the account button stuck out by 15 px (found by a QA pass on accessibility);
    below 992 px the links now take a line of their own, as on a phone."""
    page.set_viewport_size({"width": width, "height": 800})
    assert page.locator("a.nav-link", has_text="Administration").is_visible()
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{scroll - client} px too wide at {width} px"
    box = page.locator(SUMMARY).bounding_box()
    assert box["x"] + box["width"] <= client
