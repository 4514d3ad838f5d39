"""The 活动 section in a real headless Chromium: schedule an activity with the form, confirm
hours in the review queue, issue a 志愿服务证明 and check it on the public page; every page
at 1366×768 without being cut off (screenshots kept with ``KIOSK_CONSOLE_SCREENSHOTS=DIR``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hub.console import browser
from tests.hub.console.conftest import City
from tests.hub.console.helpers import add_user
from tests.hub.console.test_activities import activity_day
from tests.hub.console.test_browser import log_in

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not browser.available(), reason="needs Debian's chromium and chromium-driver"
    ),
]


@pytest.fixture
def hub_url_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def _fits(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is wider than the screen by {overflow}px"


def test_schedule_review_certify_and_verify_in_chromium(city: City, tmp_path: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    day = activity_day(city)
    add_user(city.db_url, "admin", "admin")
    keep = os.environ.get("KIOSK_CONSOLE_SCREENSHOTS")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)

    def shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
        _fits(driver, name)
        driver.save_screenshot(str(out / f"{name}-1366.png"))

    with browser.chromium(1366, 768) as driver:
        log_in(driver, city.hub.url)
        base = city.hub.url
        driver.get(f"{base}/console/activities")
        form = driver.find_element(By.ID, "schedule-form")
        form.find_element(By.NAME, "title").send_keys("开放式组织生活：学习交流")
        Select(form.find_element(By.NAME, "kind")).select_by_visible_text("组织生活")
        for name, value in (("start", "2026-11-10T09:00"), ("end", "2026-11-10T11:00")):
            field = form.find_element(By.NAME, name)
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        form.find_element(By.CSS_SELECTOR, f'input[name=station][value="{city.east_id}"]').click()
        shot(driver, "activities")
        browser.click_and_load(driver, form.find_element(By.CSS_SELECTOR, "button"))
        assert "活动已安排" in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert "开放式组织生活：学习交流" in driver.find_element(By.TAG_NAME, "h1").text

        driver.get(f"{base}/console/activities/{day.activity_id}")
        names = driver.find_element(By.ID, "attendance").text
        assert "张三" in names and "王五" in names and "赵来宾" in names
        shot(driver, "activity")

        driver.get(f"{base}/console/hours")
        shot(driver, "hours")
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-attendance="{day.zhang}"]')
        browser.click_and_load(driver, row.find_element(By.XPATH, ".//button[text()='确认']"))
        assert "已确认时长" in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert not driver.find_elements(By.CSS_SELECTOR, f'tr[data-attendance="{day.zhang}"]')

        driver.get(f"{base}/console/certificates")
        form = driver.find_element(By.ID, "certificate-form")
        form.find_element(By.NAME, "person_id").send_keys(city.zhang_id)
        for name, value in (("start", "2026-11-01"), ("end", "2026-11-30")):
            field = form.find_element(By.NAME, name)
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        form.find_element(By.NAME, "unit").send_keys("某区城市管理局")
        form.find_element(By.NAME, "contact").send_keys("027-12345678")
        shot(driver, "certificates")
        browser.click_and_load(driver, form.find_element(By.CSS_SELECTOR, "button"))
        hours = driver.find_element(By.CSS_SELECTOR, '[data-figure="hours"]').text
        assert hours == "1.5 小时（1 次）"
        shot(driver, "certificate")

        driver.get(f"{base}/console/activities/report?from=2026-11-01&to=2026-11-30")
        shot(driver, "activity-report")

        driver.get(f"{base}/console/certificates")
        browser.click_and_load(driver, driver.find_element(By.LINK_TEXT, "ZYFW-2026-000001"))
        code = driver.find_element(By.CSS_SELECTOR, '[data-figure="code"]').text
        driver.delete_all_cookies()  # the check page is for anyone
        driver.get(f"{base}/console/verify")
        driver.find_element(By.NAME, "code").send_keys(code.lower())
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form button"))
        verified = driver.find_element(By.ID, "verified").text
        assert "张三" in verified and "1.5 小时" in verified
        assert not driver.find_elements(By.CSS_SELECTOR, "header.top")
        shot(driver, "verify")
