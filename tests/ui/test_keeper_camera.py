"""设备状态 → 摄像头检查 (issue 15): a badge held up is read and named, nobody checked in.

The camera is the true edge: synthetic camera frames of a real badge (``devices/synthetic``)
served by a looping ``MemoryFrameSource`` through the production ``CameraHost`` and
``ScannerThread``; everything after the frame is the kiosk's own.
"""

from __future__ import annotations

import pytest

from kiosk.core.results import Method
from kiosk.devices.frames import MemoryFrameSource
from kiosk.qtglue.scanner import CameraHost, ScannerThread
from kiosk.screen_names import Screen
from tests.ui.test_flow import badge_frames
from tests.ui.test_keeper_screens import open_keeper, tap


@pytest.fixture
def timing():
    """A keeper's pace: no return to the welcome screen halfway (idle is tested elsewhere)."""
    from kiosk.ui.window import Timing

    return Timing(
        idle_ms=60_000, greeting_ms=250, refusal_ms=400, clock_ms=1000, idle_from_settings=False
    )


@pytest.fixture
def camera(qtbot, window, demo_station):
    """The window's camera: frames of 张建国's badge, looping, at 20 frames a second."""
    frames = badge_frames(demo_station.badges["张建国"], n=2)

    def make(_spec, *, verify, fps, parent):
        return ScannerThread(
            MemoryFrameSource(frames, loop=True), verify=verify, fps=20, parent=parent
        )

    host = CameraHost(verify=demo_station.is_signed_badge, make=make)
    host.code_scanned.connect(lambda code: window.submit_code(code, Method.CAMERA))
    host.frame_ready.connect(window.show_frame)
    host.camera_status_changed.connect(window.set_camera_status)
    window.camera_reading = host.reading
    yield host
    assert host.stop()


def test_camera_check_reads_a_badge_without_checking_in(qtbot, window, demo_station, camera):
    open_keeper(qtbot, window, Screen.KEEPER_DEVICE)
    tap(qtbot, window.keeper.device.camera_check)
    page = window.keeper.camera
    assert window.current is Screen.KEEPER_CAMERA
    assert page.values["size"].text() == "-"  # no camera yet
    window.set_camera_status(True, "")
    camera.start("memory")
    qtbot.waitUntil(lambda: "张建国" in page.reading.text(), timeout=10_000)
    assert "工牌有效" in page.reading.text() and page.reading.property("tone") == "ok"
    assert page.values["last"].text() != "-"
    qtbot.waitUntil(lambda: page.values["fps"].text() not in ("-", "0.0"), timeout=5000)
    assert page.values["size"].text() == "960 × 540"
    assert page.values["state"].text() == "正常"
    assert not page.preview.pixmap().isNull()  # the live picture
    assert demo_station.visits(demo_station.today()) == []  # read, not checked in
    assert demo_station.present() == []


def test_camera_check_refuses_a_revoked_card_and_notes_the_scanner(qtbot, window, demo_station):
    token = demo_station.badges["王强"]
    [person] = [p for p in demo_station.people() if p.name == "王强"]
    demo_station.revoke_badges(person.id)
    open_keeper(qtbot, window, Screen.KEEPER_DEVICE)
    tap(qtbot, window.keeper.device.camera_check)
    page = window.keeper.camera
    window.submit_code(token, Method.SCANNER)  # a USB scanner: read here too, never checked in
    qtbot.waitUntil(lambda: "停用" in page.reading.text())
    assert page.reading.property("tone") == "warn" and "扫码枪" in page.values["last"].text()
    window.submit_code("hello", Method.SCANNER)
    qtbot.waitUntil(lambda: "不是驿站工牌" in page.reading.text())
    assert demo_station.visits(demo_station.today()) == []

    tap(qtbot, page.bar.back)  # 设备状态 now says when the scanner was last used
    assert window.current is Screen.KEEPER_DEVICE
    rows = window.keeper.device.rows
    qtbot.waitUntil(lambda: "scanner" in rows and "没有" not in rows["scanner"][2].text())
    _dot, _name, value = rows["scanner"]
    assert value.text().startswith(window.now().astimezone(window.tz).strftime("%m-%d %H:%M"))
    assert window.keeper.device.levels["scanner"] == "green"
