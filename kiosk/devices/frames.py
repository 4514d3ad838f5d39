"""Where camera frames come from: webcams, video files, image folders, memory (tests).

Every source satisfies :class:`FrameSource`. ``read()`` returning None means "no frame right
now"; whether more can ever come is told by the ``finished`` attribute (True once a finite,
non-looping source is exhausted). Cameras and :class:`RetryingFrameSource` never finish.
Callers that accept foreign sources should read it with ``getattr(source, "finished", False)``.

:class:`RetryingFrameSource` keeps a flaky USB camera alive: it reopens it with exponential
backoff and reports status changes, and never raises out of ``read()``.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from kiosk.images import PHOTO_PIXELS, BadImage, check_size

log = logging.getLogger(__name__)

#: HxW gray uint8 or HxWx3 BGR uint8 (OpenCV's layout).
Frame = np.ndarray

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})


class FrameSourceError(Exception):
    """A frame source could not be opened (missing file, no such camera, bad format)."""


@runtime_checkable
class FrameSource(Protocol):
    """A stream of frames. ``finished`` (optional attribute) tells a finite source has ended."""

    description: str

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


class MemoryFrameSource:
    """Serves frames from a list; the seam tests use instead of a camera."""

    def __init__(self, frames: Iterable[Frame | None], loop: bool = False) -> None:
        self._frames = list(frames)
        self._loop = loop
        self._pos = 0
        self.finished = not self._frames
        self.description = f"memory ({len(self._frames)} frames{', looping' if loop else ''})"

    def read(self) -> Frame | None:
        if self.finished:
            return None
        if self._pos >= len(self._frames):
            if not self._loop:
                self.finished = True
                return None
            self._pos = 0
        frame = self._frames[self._pos]
        self._pos += 1
        return frame

    def close(self) -> None:
        self.finished = True


class ImageFolderSource:
    """Frames from the images in a folder (sorted by name), or from a single image file.

    Files are decoded lazily, one per ``read()``; unreadable ones are skipped with a warning.
    """

    def __init__(self, path: str | Path, loop: bool = False) -> None:
        p = Path(path)
        if p.is_dir():
            self._files = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        elif p.is_file():
            self._files = [p]
        else:
            raise FrameSourceError(f"no such image folder or file: {p}")
        self._loop = loop
        self._pos = 0
        self._good_in_pass = 0
        self.finished = not self._files
        self.description = f"images {p} ({len(self._files)} files)"
        if not self._files:
            log.warning("image folder %s holds no %s files", p, "/".join(sorted(IMAGE_SUFFIXES)))

    def read(self) -> Frame | None:
        import cv2

        while not self.finished:
            if self._pos >= len(self._files):
                # Looping over a folder of only broken files would spin forever: stop instead.
                if not self._loop or self._good_in_pass == 0:
                    self.finished = True
                    return None
                self._pos, self._good_in_pass = 0, 0
            f = self._files[self._pos]
            self._pos += 1
            try:
                check_size(f, PHOTO_PIXELS)  # OpenCV would allocate whatever it claims
            except BadImage as e:
                log.warning("skipping image %s: %s", f, e)
                continue
            frame = cv2.imread(str(f), cv2.IMREAD_COLOR)
            if frame is None:
                log.warning("skipping unreadable image %s", f)
                continue
            self._good_in_pass += 1
            return frame
        return None

    def close(self) -> None:
        self.finished = True


class VideoFileSource:
    """Frames from a video file through OpenCV; ``loop`` rewinds at the end (demo mode)."""

    def __init__(self, path: str | Path, loop: bool = False) -> None:
        import cv2

        p = Path(path)
        if not p.is_file():
            raise FrameSourceError(f"no such video file: {p}")
        self._cap = cv2.VideoCapture(str(p))
        if not self._cap.isOpened():
            self._cap.release()
            raise FrameSourceError(f"cannot open {p} as a video (corrupt or unsupported format)")
        self._loop = loop
        self.finished = False
        self.description = f"video {p}{' (looping)' if loop else ''}"

    def read(self) -> Frame | None:
        import cv2

        if self.finished:
            return None
        ok, frame = self._cap.read()
        if not ok and self._loop:
            self._cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._cap.read()
        if not ok:
            self.finished = True
            return None
        return frame

    def close(self) -> None:
        self.finished = True
        self._cap.release()


class CameraSource:
    """A webcam through ``cv2.VideoCapture``; a failed grab returns None (never finishes)."""

    finished = False

    def __init__(self, index: int, width: int | None = None, height: int | None = None) -> None:
        import cv2

        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise FrameSourceError(f"cannot open camera {index} (unplugged, busy or no permission)")
        if width:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self.description = f"camera {index}"

    def read(self) -> Frame | None:
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        self._cap.release()


def open_frame_source(spec: str, loop: bool = False) -> FrameSource:
    """Open ``spec``: digits = camera index, folder or image file = images, other file = video."""
    spec = spec.strip()
    if spec.isdigit():
        return CameraSource(int(spec))
    p = Path(spec).expanduser()
    if p.is_dir() or (p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES):
        return ImageFolderSource(p, loop=loop)
    if p.is_file():
        return VideoFileSource(p, loop=loop)
    raise FrameSourceError(
        f"frame source {spec!r} is neither a camera index nor an existing folder, image or video"
    )


class SourceState(enum.Enum):
    OK = "ok"
    FAILED = "failed"
    RETRYING = "retrying"


@dataclass(frozen=True)
class SourceStatus:
    """What the UI shows about the camera: working, just failed (why), or retrying soon."""

    state: SourceState
    message: str = ""
    retry_in: float | None = None


class RetryingFrameSource:
    """Wraps a source factory and reopens the device with exponential backoff when it fails.

    A failure is an exception from the factory or ``read()``, or ``none_limit`` consecutive
    None frames (a camera that stopped delivering). While down, ``read()`` returns None at
    once, after at most ``poll`` seconds of sleep, so a stop request is seen quickly.
    A wrapped finite source that ends is passed through as finished, not retried.
    """

    def __init__(
        self,
        factory: Callable[[], FrameSource],
        *,
        description: str = "camera",
        on_status: Callable[[SourceStatus], None] | None = None,
        none_limit: int = 30,
        base_delay: float = 0.5,
        max_delay: float = 30.0,
        poll: float = 0.1,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._on_status = on_status
        self._none_limit = none_limit
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._poll = poll
        self._sleep = sleep
        self._clock = clock
        self._source: FrameSource | None = None
        self._failures = 0
        self._nones = 0
        self._next_attempt = clock()
        self._closed = False
        self.finished = False
        self.status: SourceStatus | None = None
        self.description = f"{description} (auto-reconnect)"

    def read(self) -> Frame | None:
        if self._closed or self.finished:
            return None
        if self._source is None and not self._try_open():
            return None
        assert self._source is not None
        try:
            frame = self._source.read()
        except Exception as exc:
            self._fail(f"read failed: {exc}")
            return None
        if frame is not None:
            # Only a delivered frame proves recovery: a camera that opens and then fails at
            # once must keep backing off instead of being reopened every 0.5 s.
            self._failures = 0
            self._nones = 0
            return frame
        if getattr(self._source, "finished", False):
            self.finished = True
            return None
        self._nones += 1
        if self._nones >= self._none_limit:
            self._fail(f"no frame for {self._nones} reads")
        return None

    def close(self) -> None:
        self._closed = True
        self._close_inner()

    def _try_open(self) -> bool:
        wait = self._next_attempt - self._clock()
        if wait > 0:
            self._sleep(min(wait, self._poll))
            if self._next_attempt - self._clock() > 0:
                return False
        try:
            self._source = self._factory()
        except Exception as exc:
            self._fail(f"open failed: {exc}")
            return False
        self._nones = 0
        self._report(SourceStatus(SourceState.OK))
        log.info("frame source open: %s", getattr(self._source, "description", "?"))
        return True

    def _fail(self, message: str) -> None:
        self._close_inner()
        self._failures += 1
        delay = min(self._base_delay * 2 ** (self._failures - 1), self._max_delay)
        self._next_attempt = self._clock() + delay
        log.warning("%s: %s; retrying in %.1f s", self.description, message, delay)
        self._report(SourceStatus(SourceState.FAILED, message=message))
        self._report(SourceStatus(SourceState.RETRYING, message=message, retry_in=delay))

    def _close_inner(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            try:
                source.close()
            except Exception:
                log.warning("closing %s failed", getattr(source, "description", "?"), exc_info=True)

    def _report(self, status: SourceStatus) -> None:
        if status == self.status:
            return
        self.status = status
        if self._on_status is None:
            return
        try:
            self._on_status(status)
        except Exception:
            log.exception("on_status callback failed")
