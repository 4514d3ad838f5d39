"""The keeper sees a nearly full disk on the admin page; the housekeeping check reports it."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.health import MB, DiskStatus
from kiosk.qtglue.housekeeping import Housekeeping
from kiosk.store.backup import list_backups
from kiosk.ui.screens.base import Screen


def test_admin_page_warns_while_the_disk_is_below_the_reserve(window, tmp_path: Path):
    window.show_screen(Screen.SETTINGS)
    page = window.settings_page
    assert not page.disk_warning.isVisible()
    window.set_disk_status(DiskStatus(free_bytes=150 * MB, reserve_bytes=200 * MB))
    assert page.disk_warning.isVisible()
    assert "存储空间不足：仅剩 150 MB" in page.disk_warning.text()
    if os.environ.get("KIOSK_SAVE_SCREENS"):
        window.grab().save(str(Path(os.environ["KIOSK_SAVE_SCREENS"]) / "disk-warning.png"))
    window.set_disk_status(DiskStatus(free_bytes=250 * MB, reserve_bytes=200 * MB))
    assert not page.disk_warning.isVisible()


def test_housekeeping_reports_the_disk_and_backs_up_only_with_room(qtbot, demo_station):
    free = {"bytes": 100 * MB}
    keeper = Housekeeping(demo_station, free=lambda _p: free["bytes"])
    try:
        with qtbot.waitSignal(keeper.disk_checked) as low:
            keeper.run_now()
        assert low.args[0].low  # 100 MB < the default 200 MB reserve
        keeper._thread.join()
        assert list_backups(demo_station.paths.data_dir) == []  # no copy on a low disk
        free["bytes"] = 10_000 * MB
        with qtbot.waitSignal(keeper.disk_checked) as fine:
            keeper.run_now()
        keeper._thread.join()
        assert not fine.args[0].low
        assert len(list_backups(demo_station.paths.data_dir)) == 1  # today's backup
    finally:
        keeper.stop()
        keeper.deleteLater()
