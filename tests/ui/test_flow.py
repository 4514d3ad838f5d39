"""The touchscreen end to end, through the real station, decoder, scan loop and window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.core.results import Method, Outcome
from kiosk.devices.frames import MemoryFrameSource
from kiosk.devices.synthetic import camera_frame, qr_image
from kiosk.qtglue.recovery import install_ui_recovery
from kiosk.qtglue.scanner import ScannerThread
from kiosk.qtglue.wedge import WedgeFilter
from kiosk.screen_names import Screen


def badge_frames(token: str, n: int = 3):
    frame = camera_frame(qr_image(token), size=(960, 540), scale=0.5, seed=1)
    return [frame] * n


def run_scanner(qtbot, window, source, **kwargs) -> ScannerThread:
    thread = ScannerThread(source, verify=window.bridge.station.is_signed_badge, fps=60, **kwargs)
    thread.code_scanned.connect(lambda code: window.submit_code(code, Method.CAMERA))
    thread.camera_status_changed.connect(
        lambda ok, detail: window.set_camera_status(ok, "" if ok else "camera down")
    )
    return thread


def test_badge_frame_greets_by_name_then_idles_to_welcome(qtbot, window, demo_station):
    frames = MemoryFrameSource(badge_frames(demo_station.badges["张建国"]))
    scanner = run_scanner(qtbot, window, frames)
    try:
        with qtbot.waitSignal(window.greeting_shown, timeout=10_000) as shown:
            scanner.start()
    finally:
        assert scanner.stop()
    assert shown.args[0].outcome is Outcome.CHECKED_IN
    assert window.current is Screen.GREETING
    assert window.greeting.headline.text() == "张师傅，欢迎回家！"
    assert window.greeting.party.isVisibleTo(window.greeting)
    assert "本月第 1 次到站" in window.greeting.detail.text()
    qtbot.waitUntil(lambda: window.current is Screen.WELCOME, timeout=3000)
    qtbot.waitUntil(lambda: window.welcome.count_value.text() == "1")


def test_second_scan_after_guard_checks_out_with_minutes(qtbot, window, demo_station):
    token = demo_station.badges["李秀英"]
    with qtbot.waitSignal(window.greeting_shown) as first:
        window.submit_code(token)
    assert first.args[0].outcome is Outcome.CHECKED_IN
    demo_station.clock.advance(minutes=42)
    with qtbot.waitSignal(window.greeting_shown) as second:
        window.submit_code(token)
    assert second.args[0].outcome is Outcome.CHECKED_OUT
    assert window.greeting.headline.text() == "李师傅，辛苦了！本次休息 42 分钟"
    assert window.greeting.property("tone") == "out"


@pytest.mark.parametrize("screen", [Screen.WELCOME, Screen.SEARCH, Screen.SETTINGS])
def test_keyboard_wedge_burst_scans_from_any_screen(qtbot, window, demo_station, screen):
    wedge = WedgeFilter(parent=window)
    wedge.code_scanned.connect(lambda code: window.submit_code(code, Method.SCANNER))
    wedge.install()
    try:
        window.show_screen(screen)
        target = window.pages[screen]
        with qtbot.waitSignal(window.greeting_shown) as shown:
            QTest.keyClicks(target, demo_station.badges["王强"])
            QTest.keyClick(target, Qt.Key.Key_Return)
        assert shown.args[0].outcome is Outcome.CHECKED_IN
        assert window.greeting.headline.text() == "王师傅，欢迎回家！"
        assert wedge.parser.pending == ""
    finally:
        wedge.uninstall()


def test_slow_human_typing_is_not_a_scan(qtbot, window):
    wedge = WedgeFilter(parent=window)
    codes = []
    wedge.code_scanned.connect(codes.append)
    wedge.install()
    try:
        target = window.pages[Screen.HOME]
        for i, ch in enumerate("abcdefgh"):
            event = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key(ord(ch.upper())), Qt.KeyboardModifier.NoModifier, ch
            )
            event.setTimestamp(1000 + 200 * i)
            QApplication.sendEvent(target, event)
        enter = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"
        )
        enter.setTimestamp(1000 + 200 * 9)
        QApplication.sendEvent(target, enter)
        qtbot.waitUntil(lambda: wedge.parser.pending == "")
        assert codes == []
    finally:
        wedge.uninstall()


def test_name_search_by_initials_checks_in(qtbot, window):
    window.show_screen(Screen.HOME)
    qtbot.mouseClick(window.home.tiles[Screen.TRADES], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.trades.search, Qt.MouseButton.LeftButton)
    assert window.current is Screen.SEARCH
    for letter in "ZJG":
        qtbot.mouseClick(window.search.keys[letter], Qt.MouseButton.LeftButton)
    assert window.search.query_label.text() == "ZJG"
    qtbot.waitUntil(lambda: len(window.search.result_buttons()) == 1)
    button = window.search.result_buttons()[0]
    assert button.text().startswith("张建国")
    with qtbot.waitSignal(window.greeting_shown) as shown:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert shown.args[0].person.name == "张建国"
    assert window.greeting.headline.text() == "张师傅，欢迎回家！"


def test_search_backspace_and_clear(qtbot, window):
    window.show_screen(Screen.SEARCH)
    for letter in "OY":
        qtbot.mouseClick(window.search.keys[letter], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [b.text()[:3] for b in window.search.result_buttons()] == ["欧阳明"])
    qtbot.mouseClick(window.search.backspace, Qt.MouseButton.LeftButton)
    assert window.search.query == "o"
    qtbot.mouseClick(window.search.clear, Qt.MouseButton.LeftButton)
    assert window.search.query == ""
    assert window.search.result_buttons() == []


def test_trade_tap_is_an_anonymous_visit(qtbot, window):
    window.show_screen(Screen.TRADES)
    from kiosk.core.trades import Trade

    with qtbot.waitSignal(window.greeting_shown) as shown:
        qtbot.mouseClick(window.trades.buttons[Trade.SANITATION], Qt.MouseButton.LeftButton)
    result = shown.args[0]
    assert result.outcome is Outcome.CHECKED_IN and result.person is None
    assert window.greeting.headline.text() == "师傅，欢迎回家！"
    assert window.greeting.trade.text() == "环卫"


def test_forged_badge_is_refused_with_what_to_do(qtbot, window, demo_station):
    token = demo_station.badges["曾红梅"]
    forged = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    with qtbot.waitSignal(window.greeting_shown) as shown:
        window.submit_code(forged)
    assert shown.args[0].outcome is Outcome.REFUSED
    assert window.greeting.property("tone") == "refused"
    assert "站长" in window.greeting.headline.text()
    assert window.greeting.no_badge.isVisibleTo(window.greeting)
    qtbot.mouseClick(window.greeting.no_badge, Qt.MouseButton.LeftButton)
    assert window.current is Screen.TRADES


def test_badge_with_a_changed_key_id_on_camera_names_nobody(qtbot, window, demo_station):
    """Issue 10: a party member's real card with one key-id character changed, shown to the
    camera: the generic greeting, no trade, no 党员 mark, no 本月第N次."""
    name = next(p.name for p in demo_station.people() if p.party_member)
    token = demo_station.badges[name]
    forged = token[:9] + ("A" if token[9] != "A" else "B") + token[10:]
    scanner = run_scanner(qtbot, window, MemoryFrameSource(badge_frames(forged)))
    try:
        with qtbot.waitSignal(window.greeting_shown, timeout=10_000) as shown:
            scanner.start()
    finally:
        assert scanner.stop()
    result = shown.args[0]
    assert result.outcome is Outcome.CHECKED_IN and result.person_id is None
    assert window.greeting.headline.text() == "师傅，欢迎回家！"
    assert not window.greeting.party.isVisibleTo(window.greeting)
    assert not window.greeting.trade.isVisibleTo(window.greeting)
    assert "本月" not in window.greeting.detail.text()
    assert name[0] not in window.greeting.headline.text()


def test_exception_in_a_slot_returns_to_welcome(qtbot, window):
    def boom() -> None:
        raise RuntimeError("a bug in a slot")

    with qtbot.captureExceptions() as exceptions:
        guard, uninstall = install_ui_recovery(window.recover, window)
        try:
            window.show_screen(Screen.SERVICES)
            QTimer.singleShot(0, boom)
            qtbot.waitUntil(lambda: guard.recoveries == 1)
        finally:
            uninstall()
    assert window.current is Screen.WELCOME
    assert [type(e[1]) for e in exceptions] == [RuntimeError]


def test_camera_failure_keeps_the_kiosk_usable(qtbot, window, tmp_path):
    scanner = ScannerThread.for_spec(str(tmp_path / "no-such-camera.mp4"), fps=30)
    scanner.camera_status_changed.connect(
        lambda ok, detail: window.set_camera_status(ok, "" if ok else "摄像头暂不可用")
    )
    with qtbot.waitSignal(scanner.camera_status_changed) as status:
        scanner.start()
    assert status.args[0] is False
    try:
        assert window.welcome.camera_notice.isVisibleTo(window.welcome)
        assert not window.welcome.preview.isVisibleTo(window.welcome)
        window.show_screen(Screen.TRADES)
        from kiosk.core.trades import Trade

        with qtbot.waitSignal(window.greeting_shown):
            qtbot.mouseClick(window.trades.buttons[Trade.DELIVERY], Qt.MouseButton.LeftButton)
    finally:
        assert scanner.stop()


def test_touch_on_welcome_opens_home_and_idle_returns(qtbot, window):
    assert window.current is Screen.WELCOME
    qtbot.mouseClick(window.welcome, Qt.MouseButton.LeftButton)
    assert window.current is Screen.HOME
    qtbot.waitUntil(lambda: window.current is Screen.WELCOME, timeout=3000)


def test_admin_pin_unlocks_settings_and_exit(qtbot, window):
    window.setProperty("kiosk_mode", True)
    window.show_screen(Screen.PIN)
    for d in "1111":
        qtbot.mouseClick(window.pin.digit_keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pin.message.text() != "")  # checked on the station's thread
    assert window.current is Screen.PIN
    for d in "2580":
        qtbot.mouseClick(window.pin.digit_keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.pin.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is Screen.SETTINGS)
    with qtbot.waitSignal(window.bridge.setting_saved) as saved:
        qtbot.mouseClick(window.settings_page.idle_more, Qt.MouseButton.LeftButton)
    assert saved.args == ["ui.idle_seconds", 45]
    qtbot.waitUntil(lambda: window.settings_page.idle_value.text() == "45 秒")
    page = window.settings_page
    page.scroll.ensureWidgetVisible(page.exit_button)  # the page scrolls by finger at 1280×800
    with qtbot.waitSignal(window.exit_requested):
        qtbot.mouseClick(page.exit_button, Qt.MouseButton.LeftButton)
    window.setProperty("kiosk_mode", False)


def test_kiosk_window_refuses_to_close_without_pin(qtbot, window):
    window.setProperty("kiosk_mode", True)
    assert not window.close()
    assert window.isVisible()
    window.setProperty("kiosk_mode", False)
