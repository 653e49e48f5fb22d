"""Browser tests: Debian's chromium driven by Playwright. Nothing is downloaded."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser import helpers

CHROMIUM = os.environ.get("GOLDENTHREAD_CHROMIUM", "/usr/bin/chromium")


def _wait_for_function_by_polling(self, expression, *, arg=None, timeout=None, polling=None):
    """Page.wait_for_function without eval in the page: the site's Content-Security-Policy forbids
    'unsafe-eval', which Playwright's in-page polling needs. page.evaluate runs over the DevTools
    protocol, which the policy does not cover, so poll with it instead."""
    deadline = time.monotonic() + (30_000 if timeout is None else timeout) / 1000
    while True:
        value = self.evaluate(expression) if arg is None else self.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(f"Timed out waiting for: {expression}")
        self.wait_for_timeout(50)


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# to set up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


Page.wait_for_function = _wait_for_function_by_polling


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _sockets_closed_before_the_flush(transactional_db, browser):
    """After each browser test, close what it left open and let the server finish its websocket work
    (a closing socket updates the live presence count) before the database is flushed; otherwise the
    flush can meet a table the server is writing ("database table is locked") and the server's late
    writes land in the next test. Its teardown runs before transactional_db's flush."""
    yield
    for context in list(browser.contexts):
        context.close()
    from goldenthread.workshops.models import LiveConnection

    deadline = time.monotonic() + 4  # a dead server process's rows may stay: the heartbeat ignores them
    while time.monotonic() < deadline:
        try:
            if not LiveConnection.objects.exists():
                break
        except Exception:  # the table is busy: try again
            pass
        time.sleep(0.1)
    time.sleep(0.2)  # the count's broadcast after the last leave


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in(username)`` on the ``page`` fixture against Django's live server (helpers.sign_in)."""
    def sign_in(username: str, password: str = helpers.PASSWORD):
        helpers.sign_in(page, live_server.url, username, password)

    return sign_in


@pytest.fixture(scope="session")
def daphne_url():
    """Daphne in a thread, once per test session (Twisted's reactor cannot restart)."""
    from daphne.server import Server

    from goldenthread.web.asgi import application

    server = Server(application=application, endpoints=["tcp:port=0:interface=127.0.0.1"], signal_handlers=False)
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(100):
        if server.listening_addresses:
            break
        time.sleep(0.05)
    host, port = server.listening_addresses[0]
    yield f"http://{host}:{port}"


@pytest.fixture
def axe():
    return helpers.axe_check


@pytest.fixture
def wait_live():
    return helpers.wait_live
