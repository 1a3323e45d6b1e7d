"""The keyboard's focus is seen on every kind of control: fields, lists, boxes and buttons."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# A ring seen against the white page: WCAG 1.4.11 asks 3:1 for what shows the focus.
RING = """el => {
  const style = getComputedStyle(el);
  const rgb = style.outlineColor.match(/\\d+/g).slice(0, 3).map(Number);
  const channel = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: 1.05 / (lum + 0.05)};
}"""


def tab_to(page, selector):
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(selector).first
    raise AssertionError(f"{selector} not reached by the keyboard")


@pytest.mark.parametrize(
    "url, selector",
    [
        ("/", "#id_organisation"),
        ("/", "#id_start"),
        ("/", "main button[type=submit]"),
        ("/", "main a.btn"),
        ("/accounts/login/", "#id_password"),
    ],
)
def test_the_focused_control_has_a_ring_seen_on_white(page, live_server, url, selector):
    page.goto(live_server.url + url + ("?kind=vote" if selector == "main a.btn" else ""))
    ring = tab_to(page, selector).evaluate(RING)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert ring["contrast"] >= 3, ring
