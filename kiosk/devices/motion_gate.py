"""Skip decoding camera frames that show the same empty scene as the last decoded one.

At an empty station the camera sees one unchanging scene for hours, and decoding every frame
of it was most of the kiosk's idle CPU. :class:`MotionGate` compares each frame with the last
frame that *was* decoded, on a thumbnail about 80 px wide (block-averaged, so sensor noise
cancels out; ~0.1 ms at 720p), and tells the scan loop whether the decoder must look at it:

1. Decode every frame while the last decode read a code or located a symbol it could not read
   (a badge in view, perhaps blurred or tilted): those frames are where a read comes from.
2. A frame that differs from the last decoded one (at least ``changed_fraction`` of the
   thumbnail's pixels moved by more than ``level`` grey levels) is a change. The first change
   after a still scene is decoded at once: a badge arriving in front of an empty scene is read
   on the frame it appears in. While the scene keeps changing (people walking past) only every
   ``motion_stride``-th changed frame is decoded (every 2nd: at most one frame, 67 ms at
   15 fps, later than decoding them all), except within ``in_use_seconds`` of the last symbol
   seen: while people are scanning, one badge after another, every changed frame is decoded.
   For ``settle_seconds`` after the last change every frame is decoded, so a badge that comes
   to rest after a blurred arrival is read at once.
3. Otherwise decode the first frame at least ``max_interval`` seconds after the last decode
   (0.18 s: every 3rd frame of a 15 fps camera, and no gap over 0.25 s even with a late frame,
   so at least four decodes a second; this also bounds the gaps while moving). A badge held
   perfectly still from the start, or a change too small or too slow for the thumbnail, is
   read within that interval.

A skipped frame counts as showing no code, like the decoded frame it resembles. The gate is
Qt-free and takes an injected clock, so its policy is tested without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from kiosk.devices.frames import Frame

#: Thumbnails are made from a strided sample about this many times wider than the thumbnail,
#: then block-averaged: each thumbnail pixel averages 16 samples.
_OVERSAMPLE = 4


def thumbnail(frame: Frame, width: int = 80) -> np.ndarray | None:
    """A small gray uint8 thumbnail of ``frame`` for change detection; None if not an image.

    Colour frames use their green channel, the one luma weighs most: converting the whole frame
    to gray first would cost ~10x more, and a badge is black on white in every channel.
    """
    import cv2

    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        return None
    if frame.ndim == 2:
        plane = frame
    elif frame.ndim == 3 and frame.shape[2] in (1, 3, 4):
        plane = frame[:, :, 1 if frame.shape[2] >= 3 else 0]
    else:
        return None
    step = max(1, plane.shape[1] // (_OVERSAMPLE * width))
    sample = np.ascontiguousarray(plane[::step, ::step])
    tw = min(width, sample.shape[1])
    th = max(1, round(sample.shape[0] * tw / sample.shape[1]))
    return cv2.resize(sample, (tw, th), interpolation=cv2.INTER_AREA)


class MotionGate:
    """Per frame: :meth:`admit` says whether to decode it; :meth:`report` tells what was found."""

    def __init__(
        self,
        *,
        max_interval: float = 0.18,
        settle_seconds: float = 0.3,
        motion_stride: int = 2,
        in_use_seconds: float = 3.0,
        level: int = 12,
        changed_fraction: float = 0.005,
        thumb_width: int = 80,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if motion_stride < 1:
            raise ValueError("motion_stride must be >= 1")
        self.max_interval = max_interval
        self.settle_seconds = settle_seconds
        self.motion_stride = motion_stride
        self.in_use_seconds = in_use_seconds
        self.level = level
        self.changed_fraction = changed_fraction
        self.thumb_width = thumb_width
        self._clock = clock
        self._reference: np.ndarray | None = None  # thumbnail of the last decoded frame
        self._last_decode = -np.inf
        self._settle_until = -np.inf
        self._symbol_seen = True  # in the last decoded frame, or its result is not in yet
        self._moving = False  # the last decoded frame was itself a change
        self._last_found = -np.inf  # when a decode last reported a symbol
        self._skipped_since = 0  # frames skipped since the last decoded one
        self.skipped = 0

    def admit(self, frame: Frame) -> bool:
        """True if ``frame`` must be decoded; then call :meth:`report` with the result."""
        now = self._clock()
        thumb = thumbnail(frame, self.thumb_width)
        changed = thumb is None or self._changed(thumb)
        overdue = now - self._last_decode >= self.max_interval
        if changed:
            self._settle_until = now + self.settle_seconds
        if self._symbol_seen or thumb is None:  # not an image: the decoder will say so
            decode = True
        elif changed:
            stride_due = self._skipped_since + 1 >= self.motion_stride
            in_use = now - self._last_found < self.in_use_seconds
            decode = not self._moving or stride_due or overdue or in_use
        else:
            decode = now < self._settle_until or overdue
        if not decode:
            self._skipped_since += 1
            self.skipped += 1
            return False
        self._reference = thumb
        self._last_decode = now
        self._moving = changed
        self._skipped_since = 0
        # Until report() says the view was empty: a decode that raised must not start skipping.
        self._symbol_seen = True
        return True

    def report(self, found: bool) -> None:
        """Whether the admitted frame held a code or a located-but-unread symbol."""
        self._symbol_seen = found
        if found:
            self._last_found = self._clock()

    def _changed(self, thumb: np.ndarray) -> bool:
        import cv2

        ref = self._reference
        if ref is None or ref.shape != thumb.shape:
            return True
        moved = np.count_nonzero(cv2.absdiff(thumb, ref) > self.level)
        return moved >= max(1.0, self.changed_fraction * thumb.size)
