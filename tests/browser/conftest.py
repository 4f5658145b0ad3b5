"""End-to-end tests in headless Chromium, driven by Playwright's sync API.

The system Chromium is used (Debian package `chromium`, or the binary in KADANS_CHROMIUM); Playwright's
own browser download is never needed. Tests under tests/browser get the `browser` marker automatically
and use pytest-django's `live_server` (which implies `transactional_db`).

    def test_something(page, live_server, login):
        login("rep", "secret")
        ...

Locale: `@pytest.mark.parametrize("page", ["nl-BE"], indirect=True)` (default "en-US").
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the main thread; without this, Django's
# async-safety check would refuse ORM calls made by the test (and by live_server fixtures).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BROWSER_DIR.parent.parent / "test-results"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    return os.environ.get("KADANS_CHROMIUM") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Keep the outcome of each phase on the item so that `page` can take a screenshot on failure.
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        message = f"Chromium not found at {executable} (install the 'chromium' package or set KADANS_CHROMIUM)"
        if os.environ.get("KADANS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KADANS_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(request, browser):
    locale = getattr(request, "param", None) or "en-US"
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        failed = any(
            getattr(request.node, f"rep_{when}", None) is not None and getattr(request.node, f"rep_{when}").failed
            for when in ("setup", "call")
        )
        if failed:
            RESULTS_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
            except Exception as exc:  # the screenshot must never hide the real failure
                print(f"could not save screenshot: {exc}")
        context.close()


@pytest.fixture
def login(page, live_server):
    """Return `login(username, password)`: sign in through the login form and wait for the redirect."""

    def login(username: str, password: str):
        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    return login
