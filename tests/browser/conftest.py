"""Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).

Without Chromium they skip with a clear message, except when VIGIE_REQUIRE_BROWSER=1 (as in
.ci/run), where a missing browser fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=fr-FR",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The live server and the ORM run in the test thread while Playwright's loop runs too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path():
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    message = (
        "Chromium not found: browser tests need Debian's Chromium "
        "(apt-get install -y chromium), or CHROMIUM_PATH set."
    )
    if path is None:
        if os.environ.get("VIGIE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp: the accessibility scan injects axe-core into the page.
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def serious_accessibility_violations(page):
    """Run axe-core (the npm package, injected into the page) and return the serious and critical
    violations as (rule id, help, first target) tuples."""
    if not AXE.exists():
        message = "axe-core not installed: run `npm ci` (make test does it when npm is present)."
        if os.environ.get("VIGIE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        (violation["id"], violation["help"], violation["nodes"][0]["target"])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
