"""The console in a real headless Chromium: log in, read the 总览, import a roster with a
bad row and fix it, and every page at 1366×768 and 1920×1080 without being cut off.

Set ``KIOSK_CONSOLE_SCREENSHOTS=DIR`` to keep the screenshots (docs/console.md's come from
there, made smaller with Pillow).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.hub.models import HubPerson
from tests.hub.console import browser
from tests.hub.console.conftest import City
from tests.hub.console.helpers import PASSWORD, add_user, cli_figures
from tests.hub.console.sheets_data import xlsx
from tests.sync.material_helpers import make_package, publish

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not browser.available(), reason="needs Debian's chromium and chromium-driver"
    ),
]


@pytest.fixture
def hub_url_db(tmp_path: Path) -> str:
    """The browser scenarios run on SQLite (the HTTP tests cover PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def log_in(driver, base: str, username: str = "admin") -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/console/")
    assert "/console/login" in driver.current_url
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    assert driver.current_url.endswith("/console/")


def figures(driver, period: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    card = driver.find_element(By.CSS_SELECTOR, f'.card[data-period="{period}"]')
    return {
        e.get_attribute("data-figure"): e.text for e in card.find_elements(By.CSS_SELECTOR, "dd")
    }


def test_log_in_and_the_dashboard_equals_kiosk_hub_stats(city: City):
    add_user(city.db_url, "admin", "admin")
    with browser.chromium() as driver:
        log_in(driver, city.hub.url)
        assert figures(driver, "today") == cli_figures(city.db_url, "2026-11-03", "2026-11-03")
        assert figures(driver, "week") == cli_figures(city.db_url, "2026-11-02", "2026-11-03")
        month = figures(driver, "month")
        assert month == cli_figures(city.db_url, "2026-11-01", "2026-11-03")
        assert month["visits"] == "4"


def test_import_a_roster_with_a_bad_row_then_fix_it(city: City, tmp_path: Path):
    from selenium.webdriver.common.by import By

    add_user(city.db_url, "admin", "admin")

    def count() -> int:
        with city.hub.db.read() as s:
            return s.scalar(select(func.count()).select_from(HubPerson)) or 0

    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(
        xlsx([["王五", "环卫", "一班", "是", "13800000001"], ["赵六", "厨师", "", "", ""]])
    )
    with browser.chromium() as driver:
        log_in(driver, city.hub.url)
        driver.get(f"{city.hub.url}/console/people/import")
        driver.find_element(By.NAME, "file").send_keys(str(bad))
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button"))
        flagged = driver.find_elements(By.CSS_SELECTOR, "tr.bad")
        assert [r.get_attribute("data-line") for r in flagged] == ["3"]
        assert "工种“厨师”不认识" in flagged[0].text
        assert not driver.find_elements(By.ID, "confirm-import") and count() == 2

        bad.write_bytes(
            xlsx([["王五", "环卫", "一班", "是", "13800000001"], ["赵六", "市政", "", "", ""]])
        )
        driver.find_element(By.NAME, "file").send_keys(str(bad))
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button"))
        assert not driver.find_elements(By.CSS_SELECTOR, "tr.bad")
        browser.click_and_load(driver, driver.find_element(By.ID, "confirm-import"))
        assert "已导入" in driver.find_element(By.CSS_SELECTOR, ".notice").text
        assert count() == 4
        driver.find_element(By.NAME, "q").send_keys("zl")
        browser.click_and_load(
            driver, driver.find_element(By.CSS_SELECTOR, "form[role=search] button")
        )
        assert "赵六" in driver.find_element(By.CSS_SELECTOR, "table").text


PAGES = [
    ("login", "/console/login"),
    ("dashboard", "/console/"),
    ("stations", "/console/stations"),
    ("station", "/console/stations/{east}"),
    ("people", "/console/people"),
    ("person", "/console/people/{zhang}"),
    ("person-new", "/console/people/new"),
    ("import", "/console/people/import"),
    ("badges", "/console/badges"),
    ("exports", "/console/exports"),
    ("notices", "/console/notices"),
    ("materials", "/console/materials"),
    ("users", "/console/users"),
    ("audit", "/console/audit"),
]


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_every_page_fits_the_screen(city: City, width: int, height: int, tmp_path: Path):
    from selenium.webdriver.common.by import By

    add_user(city.db_url, "admin", "admin")
    publish(city.hub, make_package(tmp_path / "pkg", "road-safety-2026", title="道路作业安全"))
    keep = os.environ.get("KIOSK_CONSOLE_SCREENSHOTS")
    out = Path(keep) if keep else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    with browser.chromium(width, height) as driver:
        driver.get(f"{city.hub.url}/console/login")
        driver.save_screenshot(str(out / f"login-{width}.png"))
        log_in(driver, city.hub.url)
        driver.get(f"{city.hub.url}/console/notices")
        driver.find_element(By.NAME, "text").send_keys(
            "本周六上午 9 点在东站开展消防演练，请各站长组织参加。"
        )
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.stack button"))
        for name, path in PAGES[1:]:
            driver.get(city.hub.url + path.format(east=city.east_id, zhang=city.zhang_id))
            assert driver.find_elements(By.CSS_SELECTOR, "header.top nav a.on"), name
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} is wider than a {width}px screen by {overflow}px"
            driver.save_screenshot(str(out / f"{name}-{width}.png"))
        # The import preview with a bad row, and a new station's one-time code.
        sheet = tmp_path / "名单.xlsx"
        sheet.write_bytes(
            xlsx(
                [
                    ["王五", "环卫", "一班", "是", "13800000001"],
                    ["赵六", "厨师", "", "", ""],
                    ["钱七", "绿化", "二班", "否", "13800000003"],
                ]
            )
        )
        driver.get(f"{city.hub.url}/console/people/import")
        driver.find_element(By.NAME, "file").send_keys(str(sheet))
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button"))
        driver.save_screenshot(str(out / f"import-preview-{width}.png"))
        driver.get(f"{city.hub.url}/console/stations")
        driver.find_element(By.NAME, "name").send_keys("南湖路驿站")
        browser.click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.row button"))
        assert driver.find_element(By.CSS_SELECTOR, "[data-code]").text
        driver.save_screenshot(str(out / f"station-added-{width}.png"))


def test_print_a_badge_sheet_and_be_greeted_at_a_station(city: City, tmp_path: Path):
    """工牌 → 按驿站 in the browser downloads the A4 PDF; its first page, rendered and read
    by the kiosk's decoder, greets 张三 by name at 东站 after a sync."""
    import subprocess

    import cv2
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from kiosk.core.badges import parse_token
    from kiosk.core.checkin import Outcome
    from kiosk.devices.decoding import KioskDecoder
    from kiosk.sync.client import SyncClient
    from tests.hub.harness import wait_for

    city.hub.app.state.badge_key_path = tmp_path / "keys" / "bureau.pem"
    add_user(city.db_url, "admin", "admin")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with browser.chromium() as driver:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        log_in(driver, city.hub.url)
        driver.get(f"{city.hub.url}/console/badges")
        Select(driver.find_element(By.NAME, "station")).select_by_visible_text("东站")
        driver.find_element(By.CSS_SELECTOR, "form.stack button").click()
        pdf = downloads / "badges.pdf"
        wait_for(pdf.exists, timeout=30)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    [page] = tmp_path.glob("page-*.png")
    [token] = KioskDecoder().decode(cv2.imread(str(page)))
    assert parse_token(token).person_id == city.zhang_id
    client = SyncClient(city.east)
    client.sync_once()
    client.close()
    result = city.east.scan(token)
    assert result.outcome is not Outcome.REFUSED and result.person is not None
    assert result.person.name == "张三"
