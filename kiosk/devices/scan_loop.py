"""The camera scan loop, Qt-free: read a frame, decode, filter for stability, report codes.

It runs in a worker thread (a QThread wrapper in ``qtglue`` calls :meth:`ScanLoop.run`).
Every exception inside an iteration is caught and reported through ``on_error`` (or the log)
and the loop carries on: a scanner that died silently would leave the kiosk looking alive but
deaf. ``run()`` returns when ``stop`` is set or a finite source reports ``finished``
(see :mod:`kiosk.devices.frames`); the caller owns the source and closes it.

With a :class:`~kiosk.devices.motion_gate.MotionGate`, frames showing the same empty scene as
the last decoded one are not decoded and count as showing no code; every frame is still read
and handed to ``on_frame`` (the preview).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kiosk.devices.frames import Frame, FrameSource
from kiosk.devices.motion_gate import MotionGate
from kiosk.devices.qr import QrDecoder, symbols_located
from kiosk.devices.stability import StableCodeFilter

log = logging.getLogger(__name__)


class ScanLoop:
    """One camera → decoder → stability filter pipeline; callbacks run on the loop's thread."""

    def __init__(
        self,
        source: FrameSource,
        decoder: QrDecoder,
        stable: StableCodeFilter,
        on_code: Callable[[str], None],
        on_frame: Callable[[Frame], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        fps: float = 15,
        clock: Callable[[], float] = time.monotonic,
        gate: MotionGate | None = None,
    ) -> None:
        self.source = source
        self.decoder = decoder
        self.stable = stable
        self.on_code = on_code
        self.on_frame = on_frame
        self.on_error = on_error
        self.fps = fps  # <= 0: no pacing (tests, benchmarks)
        self._clock = clock
        self.gate = gate  # None: decode every frame
        self.frames_read = 0
        self.frames_decoded = 0
        self.errors = 0

    def run(self, stop: threading.Event) -> None:
        """Loop until ``stop`` is set or the source is finished."""
        period = 1.0 / self.fps if self.fps > 0 else 0.0
        while not stop.is_set():
            started = self._clock()
            try:
                if not self._step():
                    return
            except Exception as exc:
                self._report(exc)
            if period:
                stop.wait(max(0.0, period - (self._clock() - started)))

    def _step(self) -> bool:
        """One iteration; False when the source has ended for good."""
        frame = self.source.read()
        if frame is None:
            # A camera hiccup is not evidence the badge left, so the filter is not fed.
            return not getattr(self.source, "finished", False)
        self.frames_read += 1
        if self.on_frame is not None:
            self._call(self.on_frame, frame)
        for code in self.stable.feed(self._decode(frame)):
            self._call(self.on_code, code)
        return True

    def _decode(self, frame: Frame) -> list[str]:
        gate = self.gate
        if gate is not None and not gate.admit(frame):
            return []
        codes = self.decoder.decode(frame)
        self.frames_decoded += 1
        if gate is not None:
            gate.report(bool(codes) or symbols_located(self.decoder) > 0)
        return codes

    def _call(self, callback: Callable[..., object], arg: object) -> None:
        """Run a callback so that one failing consumer cannot swallow the rest of the frame."""
        try:
            callback(arg)
        except Exception as exc:
            self._report(exc)

    def _report(self, exc: Exception) -> None:
        self.errors += 1
        if self.on_error is None:
            log.error("scan loop iteration failed", exc_info=exc)
            return
        try:
            self.on_error(exc)
        except Exception:
            log.exception("on_error callback failed while reporting %r", exc)
