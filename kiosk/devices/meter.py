"""The camera as the keeper's 摄像头检查 sees it: resolution and frames per second (issue 15).

:class:`FrameMeter` is fed every frame the scan loop reads (on the scanner thread) and read
as a :class:`CameraReading` snapshot from the GUI thread; its fields are replaced whole, so a
reader never sees half an update.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.devices.frames import Frame

WINDOW_S = 2.0  # frames per second over the last two seconds


@dataclass(frozen=True)
class CameraReading:
    width: int
    height: int
    fps: float
    frames: int  # since the scanner started


class FrameMeter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._times: deque[float] = deque()
        self._size = (0, 0)
        self._frames = 0

    def note(self, frame: Frame) -> None:
        now = self._clock()
        with self._lock:
            if frame is not None and frame.ndim >= 2:
                self._size = (int(frame.shape[1]), int(frame.shape[0]))
            self._frames += 1
            self._times.append(now)
            while self._times and now - self._times[0] > WINDOW_S:
                self._times.popleft()

    def reading(self) -> CameraReading | None:
        """None before the first frame."""
        now = self._clock()
        with self._lock:
            if not self._frames:
                return None
            times = [t for t in self._times if now - t <= WINDOW_S]
            fps = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
            if times and now - times[-1] > 1.0:
                fps = 0.0  # frames stopped coming
            return CameraReading(self._size[0], self._size[1], fps, self._frames)
