"""A real browser (Debian's headless Chromium through Selenium) against the app served by uvicorn
on a loopback port. With CI=true a missing browser fails the run instead of skipping it."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn

from confide.api.app import create_app
from confide.bootstrap import Container

CHROMIUM = os.environ.get("CONFIDE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CONFIDE_CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture
def live_url(sqlite_container: Container) -> Iterator[str]:
    """The whole application served over real HTTP on 127.0.0.1 for the length of one test."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(sqlite_container),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} is not installed (Debian packages chromium and chromium-driver)"
    return None


@pytest.fixture(scope="session")
def _driver_session() -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--lang=en-CA",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(3)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(_driver_session: object) -> Iterator[object]:
    """One Chromium for the whole session; cookies cleared between tests."""
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(_driver_session, WebDriver)
    _driver_session.get_log("browser")  # start each test with an empty console log
    yield _driver_session
    _driver_session.delete_all_cookies()


@pytest.fixture
def click_and_wait() -> Callable[[object, str, str], None]:
    """``click_and_wait(browser, by, selector)``: see :func:`_click_and_wait`."""
    return _click_and_wait


def _click_and_wait(browser: object, by: str, selector: str) -> None:
    """Click an element that loads a new page, and wait until the old page is gone and the new
    one loaded.

    Without the wait, a look-up right after the click can find the old page's element. While
    the page changes, Chromium may answer about the old element with a stale-element error or
    with "node does not belong to the document": both mean it is gone.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    old = browser.find_element("tag name", "html")
    browser.find_element(by, selector).click()

    def old_page_gone(_: object) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, 10).until(old_page_gone)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"  # type: ignore[attr-defined]
    )
