"""The camera scan loop in a QThread: codes and preview frames come back as signals.

Like napari's status checker: class-level signals, a stop flag, and every exception inside
``run()`` caught and reported, so the camera can fail without the kiosk going deaf or dying.
The frame source is opened inside the thread (through ``RetryingFrameSource``), so a slow or
missing camera never blocks the first paint.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from kiosk.devices.frames import (
    Frame,
    FrameSource,
    RetryingFrameSource,
    SourceState,
    SourceStatus,
    open_frame_source,
)
from kiosk.devices.meter import CameraReading, FrameMeter
from kiosk.devices.motion_gate import MotionGate
from kiosk.devices.qr import QrDecoder
from kiosk.devices.stability import StableCodeFilter

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 320
PREVIEW_FPS = 8.0


def frame_to_qimage(frame: Frame, width: int = PREVIEW_WIDTH) -> QImage | None:
    """A small, owned QImage copy of a BGR or gray frame (for the preview only)."""
    import cv2

    if frame is None or frame.ndim not in (2, 3) or frame.size == 0:
        return None
    h, w = frame.shape[:2]
    if w > width:
        # Bilinear: INTER_AREA would look a little smoother but costs ~3 ms at 720p, 8x a second.
        size = (width, max(1, round(h * width / w)))
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
        h, w = frame.shape[:2]
    if frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
        line = w
    elif frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
        line = w * 3
    else:
        return None
    if not frame.flags["C_CONTIGUOUS"]:
        frame = frame.copy()
    return QImage(frame.data, w, h, line, fmt).copy()


class ScannerThread(QThread):
    code_scanned = Signal(str)
    """A QR code was seen steadily (or verified as a signed badge) — once per presentation."""
    frame_ready = Signal(QImage)
    """A small preview image, at most PREVIEW_FPS per second, only while previews are on."""
    camera_status_changed = Signal(bool, str)
    """(working, detail): the camera opened, failed or is being retried."""
    error_reported = Signal(str)
    """An iteration of the loop raised; the loop carries on."""

    def __init__(
        self,
        source: FrameSource,
        *,
        decoder: QrDecoder | None = None,
        stable: StableCodeFilter | None = None,
        verify: Callable[[str], bool] | None = None,
        fps: float = 15,
        gate: MotionGate | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ScannerThread")
        self.source = source
        self._decoder = decoder
        self.stable = stable or StableCodeFilter(verify=verify)
        self.fps = fps
        #: Skips decoding frames like the last decoded, empty one (see kiosk.devices.motion_gate);
        #: set to None before start() to decode every frame.
        self.gate: MotionGate | None = gate if gate is not None else MotionGate()
        self.preview_enabled = True
        self.preview_fps = PREVIEW_FPS
        self._last_preview = 0.0
        self.meter = FrameMeter()  # resolution and frames per second, for 摄像头检查
        self._stop = threading.Event()
        self.loop = None

    @classmethod
    def for_spec(
        cls,
        spec: str,
        *,
        verify: Callable[[str], bool] | None = None,
        loop_files: bool = True,
        fps: float = 15,
        parent: QObject | None = None,
    ) -> ScannerThread:
        """A camera index, video file or image folder, reopened with backoff when it fails."""
        thread_box: list[ScannerThread] = []

        def on_status(status: SourceStatus) -> None:
            if thread_box:
                thread_box[0].report_status(status)

        source = RetryingFrameSource(
            lambda: open_frame_source(spec, loop=loop_files),
            description=f"camera {spec}",
            on_status=on_status,
        )
        thread = cls(source, verify=verify, fps=fps, parent=parent)
        thread_box.append(thread)
        return thread

    def report_status(self, status: SourceStatus) -> None:
        if status.state is SourceState.OK:
            self.camera_status_changed.emit(True, "")
        elif status.state is SourceState.FAILED:
            self.camera_status_changed.emit(False, status.message)

    def stop(self, timeout_ms: int = 3000) -> bool:
        """Ask the loop to end and wait for it; True if the thread finished."""
        self._stop.set()
        return self.wait(timeout_ms) if self.isRunning() else True

    def run(self) -> None:
        try:
            if self._decoder is None:
                from kiosk.devices.decoding import DecodeMode, KioskDecoder

                self._decoder = KioskDecoder(DecodeMode.LIVE)  # camera frames: cheap pipeline
            from kiosk.devices.scan_loop import ScanLoop

            self.loop = ScanLoop(
                self.source,
                self._decoder,
                self.stable,
                on_code=self.code_scanned.emit,
                on_frame=self._on_frame,
                on_error=self._on_error,
                fps=self.fps,
                gate=self.gate,
            )
            self.loop.run(self._stop)
        except Exception as exc:
            log.exception("scanner thread failed")
            self.error_reported.emit(f"{type(exc).__name__}: {exc}")
            self.camera_status_changed.emit(False, str(exc))
        finally:
            try:
                self.source.close()
            except Exception:
                log.warning("closing the frame source failed", exc_info=True)

    def _on_frame(self, frame: Frame) -> None:
        self.meter.note(frame)
        if not self.preview_enabled or self.preview_fps <= 0:
            return
        now = time.monotonic()
        if now - self._last_preview < 1.0 / self.preview_fps:
            return
        self._last_preview = now
        image = frame_to_qimage(frame)
        if image is not None:
            self.frame_ready.emit(image)

    def _on_error(self, exc: Exception) -> None:
        log.warning("scan loop error: %s", exc, exc_info=exc)
        self.error_reported.emit(f"{type(exc).__name__}: {exc}")


class CameraHost(QObject):
    """The one running :class:`ScannerThread`, restarted when the camera setting changes.

    Its signals relay whichever thread is current, so the window connects once.
    """

    code_scanned = Signal(str)
    """Relayed from the current scanner thread."""
    frame_ready = Signal(QImage)
    """Relayed from the current scanner thread."""
    camera_status_changed = Signal(bool, str)
    """Relayed from the current scanner thread."""

    def __init__(
        self,
        *,
        verify: Callable[[str], bool] | None = None,
        fps: float = 15,
        make: Callable[..., ScannerThread] = ScannerThread.for_spec,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._verify = verify
        self._fps = fps
        self._make = make
        self._preview = True
        self.thread: ScannerThread | None = None
        self.spec: str | None = None
        self.restarts = 0

    @property
    def preview_enabled(self) -> bool:
        return self._preview

    @preview_enabled.setter
    def preview_enabled(self, enabled: bool) -> None:
        self._preview = enabled
        if self.thread is not None:
            self.thread.preview_enabled = enabled

    def start(self, spec: str) -> None:
        """Scan from ``spec``; a different spec than the running one restarts the thread."""
        if self.thread is not None and spec == self.spec and self.thread.isRunning():
            return
        if self.thread is not None:
            self.stop()
            self.restarts += 1
            log.info("camera source changed to %s: restarting the scanner", spec)
        thread = self._make(spec, verify=self._verify, fps=self._fps, parent=self)
        thread.preview_enabled = self._preview
        thread.code_scanned.connect(self.code_scanned)
        thread.frame_ready.connect(self.frame_ready)
        thread.camera_status_changed.connect(self.camera_status_changed)
        self.thread, self.spec = thread, spec
        thread.start()

    def reading(self) -> CameraReading | None:
        """The running camera's resolution and frames per second (None: no frame yet)."""
        return self.thread.meter.reading() if self.thread is not None else None

    def stop(self) -> bool:
        """Stop the current thread (waits up to 3 s); True if it finished."""
        thread, self.thread = self.thread, None
        if thread is None:
            return True
        finished = thread.stop()
        if finished:
            thread.deleteLater()
        else:  # deleting a running QThread aborts the process: keep it parented to us
            log.warning("scanner thread did not stop in time")
        return finished
