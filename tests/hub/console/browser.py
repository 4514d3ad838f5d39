"""Headless Chromium from Debian (``chromium`` + ``chromium-driver``) through Selenium.

Nothing is downloaded at run time: the driver is /usr/bin/chromedriver and Selenium
Manager is told to stay offline. Tests using it skip when the packages are missing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def available() -> bool:
    return bool(shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER))


@contextmanager
def chromium(
    width: int = 1366, height: int = 768, downloads: str | None = None
) -> Iterator[object]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never fetch a browser or driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kiosk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in CI containers
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": downloads})
    from selenium.common.exceptions import SessionNotCreatedException

    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except SessionNotCreatedException:  # a start that timed out on a loaded machine: once more
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(width, height)
        # The page area itself at the given size (the window's size includes its frame).
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def click_and_load(driver, element) -> None:  # type: ignore[no-untyped-def]
    """Click something that loads a page, and wait until the new page is there."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(driver, 15)
    wait.until(lambda _d: _gone(old))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _gone(element) -> bool:  # type: ignore[no-untyped-def]
    """The old page's element no longer belongs to the document. Chromium answers "stale
    element" or, mid-navigation, "node does not belong to the document": both mean gone."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
    except WebDriverException:
        return True
    return False
