from __future__ import annotations

import time

import numpy as np

from kiosk.devices.frames import MemoryFrameSource
from kiosk.devices.synthetic import camera_frame, qr_image
from kiosk.qtglue.scanner import ScannerThread, frame_to_qimage


class Boom:
    description = "boom"
    finished = False

    def read(self):
        raise OSError("usb unplugged")

    def close(self):
        pass


def test_codes_arrive_once_per_presentation(qtbot, demo_station):
    token = demo_station.badges["张建国"]
    frame = camera_frame(qr_image(token), size=(800, 450), scale=0.5, seed=3)
    thread = ScannerThread(
        MemoryFrameSource([frame] * 5, loop=False), verify=demo_station.is_signed_badge, fps=100
    )
    codes = []
    thread.code_scanned.connect(codes.append)
    with qtbot.waitSignal(thread.code_scanned, timeout=10_000):
        thread.start()
    qtbot.waitUntil(lambda: thread.loop is not None and thread.loop.frames_read == 5)
    assert thread.stop()
    assert codes == [token]


def test_preview_is_small_and_throttled(qtbot):
    frames = [np.full((720, 1280, 3), 128, np.uint8)] * 50
    thread = ScannerThread(MemoryFrameSource(frames, loop=True), fps=0)
    thread.preview_fps = 5
    images = []
    thread.frame_ready.connect(images.append)
    started = time.monotonic()
    with qtbot.waitSignal(thread.frame_ready, timeout=5000):
        thread.start()
    qtbot.waitUntil(lambda: thread.loop.frames_read > 40, timeout=10_000)
    assert thread.stop()
    elapsed = time.monotonic() - started
    assert images[0].width() == 320 and images[0].height() == 180
    assert len(images) <= elapsed * 5 + 2 < thread.loop.frames_read


def test_errors_are_reported_and_the_loop_stops_on_request(qtbot):
    thread = ScannerThread(Boom(), fps=50)
    with qtbot.waitSignal(thread.error_reported, timeout=5000) as err:
        thread.start()
    assert "usb unplugged" in err.args[0]
    assert thread.stop()


def test_missing_camera_reports_status(qtbot, tmp_path):
    thread = ScannerThread.for_spec(str(tmp_path / "nothing-here"))
    with qtbot.waitSignal(thread.camera_status_changed, timeout=5000) as status:
        thread.start()
    assert status.args[0] is False and "open failed" in status.args[1]
    assert thread.stop()


def test_gray_frames_convert():
    image = frame_to_qimage(np.zeros((480, 640), np.uint8))
    assert image is not None and image.width() == 320


def test_a_static_scene_is_gated_but_the_preview_keeps_coming(qtbot):
    thread = ScannerThread(
        MemoryFrameSource([np.full((480, 640, 3), 128, np.uint8)], loop=True), fps=0
    )
    thread.preview_fps = 1000
    images = []
    thread.frame_ready.connect(images.append)
    thread.start()
    qtbot.waitUntil(
        lambda: thread.loop is not None and thread.loop.frames_read > 2000 and len(images) > 20,
        timeout=10_000,
    )
    assert thread.stop()
    loop = thread.loop
    assert loop.gate is thread.gate is not None
    assert loop.frames_decoded < loop.frames_read / 10
