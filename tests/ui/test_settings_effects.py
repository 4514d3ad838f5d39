"""Issue 3's configurable bits: the services list, the keeper's phone, the camera source."""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.screen_names import Screen
from kiosk.ui.station_parts import StationParts


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


def _tap(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_keeper_toggles_services_on_the_touchscreen(qtbot, window):
    window.show_screen(Screen.SETTINGS)
    page = window.settings_page
    panel = page.services
    assert page.services_count.text() == "9 项"
    _tap(qtbot, page.edit_services)
    assert page.views.currentWidget() is panel
    assert all(b.isChecked() for b in panel.buttons.values())  # the default nine

    with qtbot.waitSignal(window.bridge.settings_ready):
        _tap(qtbot, panel.buttons["微波炉"])
    assert "微波炉" not in window.welcome.service_names()
    assert not panel.buttons["微波炉"].isChecked()

    with qtbot.waitSignal(window.bridge.settings_ready):
        _tap(qtbot, panel.buttons["微波炉"])
    assert window.settings["station.services"][-1] == "微波炉"  # back, at the end
    assert panel.buttons["微波炉"].isChecked()
    _tap(qtbot, panel.finish)
    assert page.views.currentWidget() is page.scroll


def test_names_set_elsewhere_are_kept_and_twelve_is_the_limit(qtbot, window):
    names = ["water", "充电", "洗衣机", "a", "b", "c", "d", "e", "f", "g", "h", "i"]
    with qtbot.waitSignal(window.bridge.settings_ready):
        window.bridge.save_setting("station.services", names)
    window.show_screen(Screen.SETTINGS)
    _tap(qtbot, window.settings_page.edit_services)
    panel = window.settings_page.services
    assert panel.buttons["热水"].isChecked()  # "water" is 热水
    assert not panel.buttons["微波炉"].isEnabled()  # a 13th cannot be added

    with qtbot.waitSignal(window.bridge.settings_ready):
        _tap(qtbot, panel.buttons["热水"])
    assert window.settings["station.services"] == names[1:]
    assert panel.buttons["微波炉"].isEnabled()


def test_the_keeper_types_a_phone_on_the_digit_pad(qtbot, window):
    window.show_screen(Screen.SETTINGS)
    page = window.settings_page
    assert page.keeper_phone.text() == "未设置"
    _tap(qtbot, page.edit_phone)
    assert page.views.currentWidget() is page.phone_pad
    for key in "0755-8888":
        _tap(qtbot, page.phone_pad.keys[key])
    _tap(qtbot, page.phone_pad.keys["1"])
    assert page.phone_pad.display.text() == "0755-88881"

    with qtbot.waitSignal(window.bridge.settings_ready):
        _tap(qtbot, page.phone_pad.save)
    assert page.views.currentWidget() is page.scroll
    assert page.keeper_phone.text() == "0755-88881"
    window.show_screen(Screen.SERVICES)
    assert window.services_page.keeper.text() == "站长电话：0755-88881"


def test_cancel_and_back_leave_the_phone_as_it_was(qtbot, window):
    window.show_screen(Screen.SETTINGS)
    page = window.settings_page
    _tap(qtbot, page.edit_phone)
    _tap(qtbot, page.phone_pad.keys["9"])
    _tap(qtbot, page.phone_pad.cancel)
    assert page.views.currentWidget() is page.scroll
    _tap(qtbot, page.edit_phone)
    assert page.phone_pad.display.text() == "（未设置）"
    _tap(qtbot, page.bar.back)  # 返回 closes the pad first, stays on the settings page
    assert page.views.currentWidget() is page.scroll
    assert window.current is Screen.SETTINGS
    assert window.settings["station.keeper_phone"] == ""


def test_the_admin_page_shows_each_toggle_as_it_is(qtbot, window, demo_station):
    """Never-set toggles show their declared default: two are on, one is off."""
    window.show_screen(Screen.SETTINGS)
    toggles = window.settings_page.toggles
    shown = {key: (b.isChecked(), b.text()) for key, b in toggles.items()}
    assert shown == {
        "ui.camera_preview": (True, "开"),
        "speech.enabled": (True, "开"),
        "greeting.full_name": (False, "关"),
    }
    with qtbot.waitSignal(window.bridge.settings_ready):
        _tap(qtbot, toggles["speech.enabled"])
    assert demo_station.setting("speech.enabled") is False
    assert (toggles["speech.enabled"].isChecked(), toggles["speech.enabled"].text()) == (
        False,
        "关",
    )
