from __future__ import annotations

import logging

import numpy as np
import pytest

from kiosk.devices.frames import (
    CameraSource,
    FrameSource,
    FrameSourceError,
    ImageFolderSource,
    MemoryFrameSource,
    RetryingFrameSource,
    SourceState,
    SourceStatus,
    VideoFileSource,
    open_frame_source,
)
from tests.image_bombs import write_png_bomb


def img(value: int) -> np.ndarray:
    return np.full((24, 32, 3), value, np.uint8)


def test_memory_source_plays_once_then_finishes() -> None:
    src = MemoryFrameSource([img(1), img(2)])
    assert isinstance(src, FrameSource)
    assert src.read()[0, 0, 0] == 1 and src.read()[0, 0, 0] == 2
    assert src.read() is None and src.finished


def test_memory_source_loops() -> None:
    src = MemoryFrameSource([img(1), img(2)], loop=True)
    assert [int(src.read()[0, 0, 0]) for _ in range(5)] == [1, 2, 1, 2, 1]
    assert not src.finished


def test_folder_source_skips_corrupt_images(tmp_path, caplog) -> None:
    import cv2

    cv2.imwrite(str(tmp_path / "b.png"), img(20))
    cv2.imwrite(str(tmp_path / "a.jpg"), img(10))
    (tmp_path / "c.png").write_bytes(b"\x89PNG broken")
    write_png_bomb(tmp_path / "c2.png")  # skipped from its header, never decoded
    cv2.imwrite(str(tmp_path / "d.bmp"), img(40))
    (tmp_path / "notes.txt").write_text("not an image")
    src = open_frame_source(str(tmp_path))
    assert isinstance(src, ImageFolderSource)
    with caplog.at_level(logging.WARNING, logger="kiosk.devices.frames"):
        values = [int(src.read()[0, 0, 0]) for _ in range(3)]
    assert values[0] in range(8, 13) and values[1:] == [20, 40]  # jpeg is lossy
    assert "c.png" in caplog.text and "c2.png: too large: 400,000,000 pixels" in caplog.text
    assert src.read() is None and src.finished


def test_looping_folder_of_broken_files_ends_instead_of_spinning(tmp_path) -> None:
    (tmp_path / "x.png").write_bytes(b"junk")
    src = ImageFolderSource(tmp_path, loop=True)
    assert src.read() is None and src.finished


def test_single_image_file_is_a_one_frame_source(tmp_path) -> None:
    import cv2

    path = tmp_path / "badge.png"
    cv2.imwrite(str(path), img(7))
    src = open_frame_source(str(path))
    assert src.read().shape == (24, 32, 3)
    assert src.read() is None


def test_video_file_source(tmp_path) -> None:
    import cv2

    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (32, 24))
    if not writer.isOpened():
        pytest.skip("this OpenCV build cannot write MJPG")
    for v in (50, 100, 150):
        writer.write(img(v))
    writer.release()
    src = open_frame_source(str(path))
    assert isinstance(src, VideoFileSource)
    assert sum(src.read() is not None for _ in range(3)) == 3
    assert src.read() is None and src.finished
    looping = VideoFileSource(path, loop=True)
    assert all(looping.read() is not None for _ in range(7))
    looping.close()


def test_bad_specs_raise_clear_errors(tmp_path) -> None:
    with pytest.raises(FrameSourceError, match="nope"):
        open_frame_source(str(tmp_path / "nope"))
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(FrameSourceError, match="cannot open"):
        open_frame_source(str(junk))
    with pytest.raises(FrameSourceError, match="camera 97"):
        CameraSource(97)


class FlakyDevice:
    """Fails to open ``open_failures`` times, then serves ``frames`` and raises."""

    def __init__(self, open_failures: int, frames: int) -> None:
        self.open_failures = open_failures
        self.frames = frames
        self.opened = 0
        self.closed = 0

    def factory(self) -> FrameSource:
        if self.open_failures:
            self.open_failures -= 1
            raise FrameSourceError("camera 0 busy")
        self.opened += 1
        device = self

        class Source:
            description = "fake camera"

            def read(self) -> np.ndarray | None:
                if device.frames == 0:
                    raise OSError("USB disconnect")
                device.frames -= 1
                return img(1)

            def close(self) -> None:
                device.closed += 1

        return Source()


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_retrying_source_backs_off_then_recovers_without_raising() -> None:
    device, t, statuses = FlakyDevice(open_failures=2, frames=2), FakeTime(), []
    src = RetryingFrameSource(
        device.factory, on_status=statuses.append, clock=t.clock, sleep=t.sleep, poll=0.1
    )
    frames = [src.read() for _ in range(40)]
    got = [i for i, f in enumerate(frames) if f is not None]
    assert len(got) == 2  # the two frames the device had, then it failed again
    assert statuses[:5] == [
        SourceStatus(SourceState.FAILED, "open failed: camera 0 busy"),
        SourceStatus(SourceState.RETRYING, "open failed: camera 0 busy", 0.5),
        SourceStatus(SourceState.FAILED, "open failed: camera 0 busy"),
        SourceStatus(SourceState.RETRYING, "open failed: camera 0 busy", 1.0),
        SourceStatus(SourceState.OK),
    ]
    assert statuses[5].state is SourceState.FAILED and "USB disconnect" in statuses[5].message
    # Opens that fail on the first read keep backing off; recovery needs a delivered frame.
    later = [s.retry_in for s in statuses[5:] if s.state is SourceState.RETRYING]
    assert later[:3] == [0.5, 1.0, 2.0]
    src.close()
    assert device.closed == device.opened >= 2
    assert max(t.slept) <= 0.1 + 1e-9  # never blocks longer than the poll interval
    assert got[0] >= 15  # 0.5 + 1.0 s of backoff polled in 0.1 s steps before the first frame


def test_backoff_is_capped() -> None:
    t, delays = FakeTime(), []

    def never() -> FrameSource:
        raise FrameSourceError("gone")

    src = RetryingFrameSource(
        never,
        on_status=lambda s: s.retry_in is not None and delays.append(s.retry_in),
        clock=t.clock,
        sleep=t.sleep,
        poll=100,
    )
    for _ in range(12):
        assert src.read() is None
    assert delays[:8] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_camera_delivering_nothing_is_reopened() -> None:
    t, opened = FakeTime(), []

    def factory() -> FrameSource:
        opened.append(1)
        return MemoryFrameSource([None] * 1000, loop=True)

    src = RetryingFrameSource(factory, none_limit=5, clock=t.clock, sleep=t.sleep)
    for _ in range(20):
        assert src.read() is None
    assert len(opened) >= 2
    assert src.status is not None and "no frame for 5 reads" in src.status.message


def test_finite_source_inside_retrying_source_finishes() -> None:
    src = RetryingFrameSource(lambda: MemoryFrameSource([img(1)]))
    assert src.read() is not None
    assert src.read() is None and src.finished


def test_status_callback_errors_do_not_escape() -> None:
    def bad_callback(status: SourceStatus) -> None:
        raise RuntimeError("UI gone")

    src = RetryingFrameSource(lambda: MemoryFrameSource([img(1)]), on_status=bad_callback)
    assert src.read() is not None
    src.close()
    assert src.read() is None
