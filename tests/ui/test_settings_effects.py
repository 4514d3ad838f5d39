"""Issue 3's configurable bits: the services list, the keeper's phone, the camera source."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.ui.launch import StationParts
from kiosk.ui.screens.base import Screen


def test_services_and_keeper_phone_come_from_settings(qtbot, window):
    assert window.welcome.service_names()[:2] == ["热水", "微波炉"]
    assert len(window.services_page.names()) == 9
    assert "门口" in window.services_page.keeper.text()  # no phone set yet

    with qtbot.waitSignal(window.bridge.settings_ready):
        window.bridge.save_setting("station.services", "热水，充电、洗衣机, wifi")
    assert window.welcome.service_names() == ["热水", "充电", "洗衣机", "Wi-Fi"]
    assert window.services_page.names() == ["热水", "充电", "洗衣机", "Wi-Fi"]

    with qtbot.waitSignal(window.bridge.settings_ready):
        window.bridge.save_setting("station.keeper_phone", "138 0013 8000")
    window.show_screen(Screen.SERVICES)
    assert window.services_page.keeper.text() == "站长电话：138 0013 8000"


def test_a_bad_services_value_is_refused(qtbot, window):
    with qtbot.waitSignal(window.bridge.failed) as failed:
        window.bridge.save_setting("station.services", "[1, 2]")
    assert "station.services" in failed.args[0]
    assert len(window.welcome.service_names()) == 9


def test_camera_restarts_when_the_source_changes(qtbot, window, demo_station, tmp_path):
    demo_station.set_setting("camera.source", str(tmp_path / "first.mp4"))
    parts = StationParts(window, camera=None, sync=False)
    try:
        statuses: list[bool] = []
        with qtbot.waitSignal(window.bridge.settings_ready):
            parts.attach(demo_station)
            parts.camera.camera_status_changed.connect(lambda ok, _: statuses.append(ok))
        qtbot.waitUntil(lambda: parts.camera.thread is not None)
        assert parts.camera.spec == str(tmp_path / "first.mp4")
        first = parts.camera.thread
        qtbot.waitUntil(lambda: False in statuses)  # no such file: said discreetly, no crash
        assert window.welcome.camera_notice.isVisibleTo(window.welcome)

        window.show_screen(Screen.SETTINGS)
        with qtbot.waitSignal(window.bridge.setting_saved):
            qtbot.mouseClick(window.settings_page.camera_buttons["1"], Qt.MouseButton.LeftButton)
        assert parts.camera.spec == "1"
        assert parts.camera.restarts == 1
        assert parts.camera.thread is not first and parts.camera.thread.isRunning()
        qtbot.waitUntil(lambda: window.settings_page.camera_buttons["1"].isChecked())
    finally:
        parts.stop()
