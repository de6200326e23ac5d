"""A headless Chromium driven by Selenium, for tests of what a person sees in the HTML report.

The browser is the system's (Debian: ``apt-get install chromium chromium-driver``; ``.ci/run``
installs it): Selenium is given both paths, so it never tries to download a browser or driver.
Tests here skip, saying why, only when no browser or driver is installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


def _find_browser() -> tuple[str, str] | None:
    browser = os.environ.get("DEDUP_TEST_BROWSER") or next(
        (found for name in _BROWSERS if (found := shutil.which(name))), None
    )
    driver = os.environ.get("DEDUP_TEST_DRIVER") or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    found = _find_browser()
    if found is None:
        pytest.skip("no Chromium and chromedriver found (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    # Root in a container has no sandbox to drop into; /dev/shm there is often tiny.
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1300,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=found[1]))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder for screenshots: ``$DEDUP_TEST_ARTIFACTS`` when set (to keep them), else a
    temporary folder, never the checkout (a test run leaves the working tree as it was)."""
    kept = os.environ.get("DEDUP_TEST_ARTIFACTS")
    if not kept:
        return tmp_path_factory.mktemp("browser-artifacts")
    folder = Path(kept)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def severe_console_messages(driver: Any) -> list[str]:
    """What the page logged to the console as errors since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
