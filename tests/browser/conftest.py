"""Real-browser tests: Playwright driving Debian's Chromium (no browser download), against a live server.

Every page is 1366x768. A request to any host but the live server is aborted and fails the test, and so
does any console error. Where /usr/bin/chromium is missing these tests are skipped with a clear reason,
unless KOLREG_REQUIRE_BROWSER is set (CI sets it): then they fail.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
DEMO_PASSWORD = "demo-password-for-tests"

# Playwright's sync API runs an event loop in the test's thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("KOLREG_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


class PageWatch:
    """What a page tried that it must not: requests leaving the registry, console errors."""

    def __init__(self):
        self.outside = []
        self.console_errors = []

    def route(self, route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS or route.request.url.startswith("data:"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")


def open_page(browser, locale="vi-VN"):
    """A 1366x768 page in ``locale`` and its watch."""
    context = browser.new_context(viewport=VIEWPORT, locale=locale)
    page = context.new_page()
    watch = PageWatch()
    page.route("**/*", watch.route)
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    return page, watch


@pytest.fixture
def page(browser):
    """A Vietnamese 1366x768 page; the test fails on any request leaving the live server or any console error."""
    page, watch = open_page(browser)
    yield page
    page.context.close()
    assert watch.outside == [], f"requests left the registry: {watch.outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"


@pytest.fixture
def english_page(browser):
    page, watch = open_page(browser, locale="en-GB")
    yield page
    page.context.close()
    assert watch.outside == [], f"requests left the registry: {watch.outside}"
    assert watch.console_errors == [], f"console errors: {watch.console_errors}"


@pytest.fixture
def demo(transactional_db, monkeypatch):
    """The demo data and demo users (password DEMO_PASSWORD), in the live server's database."""
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("load_demo", verbosity=0)


def screenshot(page, name):
    """Saved under var/screenshots/ (ignored by git) to judge a layout by eye."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server, username, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def assert_in_viewport(page, locator):
    """``locator``'s element lies entirely inside the 1366x768 viewport's width (no horizontal scrolling)."""
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORT["width"], f"{locator} is off-screen: {box}"
