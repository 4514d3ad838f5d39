"""What needs the open station: the camera, the sync worker and the housekeeping checks.

Created by the boot path (``boot.py``) once the station is open, after the first paint, so
this module imports at its top like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from kiosk.core.results import Method
from kiosk.qtglue.housekeeping import Housekeeping  # free disk, the daily backup
from kiosk.qtglue.scanner import CameraHost
from kiosk.qtglue.sync import SyncWorker

if TYPE_CHECKING:
    from kiosk.core.settings import Settings
    from kiosk.core.station import StationService
    from kiosk.ui.window import MainWindow


def camera_unavailable_text() -> str:
    return QCoreApplication.translate("Camera", "摄像头暂不可用，可用扫码枪或“没带工牌”签到")


class StationParts(QObject):
    """What needs the open station: the camera and the sync worker, started once it is up."""

    def __init__(self, window: MainWindow, *, camera: str | None, sync: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.camera_arg = camera
        self.sync_enabled = sync
        self.camera: Any = None
        self.sync: Any = None
        self.housekeeping: Any = None
        self.stopped = False

    def attach(self, station: StationService) -> None:
        """The station is open: answer waiting calls, then start the camera and sync."""
        window = self.window
        if not window.bridge.ready:
            window.bridge.attach(station)
        window.bridge.call(lambda s: s.info().name, on_done=window.set_station_name)
        self.camera = CameraHost(verify=station.is_signed_badge, parent=self)
        self.camera.code_scanned.connect(lambda code: window.submit_code(code, Method.CAMERA))
        self.camera.frame_ready.connect(window.show_frame)
        window.camera_reading = self.camera.reading  # 摄像头检查: resolution, frames per second
        self.camera.camera_status_changed.connect(
            lambda ok, _detail: window.set_camera_status(
                ok, "" if ok else camera_unavailable_text()
            )
        )
        window.bridge.settings_ready.connect(self._on_settings)
        window.bridge.setting_saved.connect(self._on_setting_saved)
        window.bridge.load_settings()
        self.housekeeping = Housekeeping(station, self)
        self.housekeeping.disk_checked.connect(window.set_disk_status)
        self.housekeeping.start()
        if self.sync_enabled:
            self.sync = SyncWorker(station, parent=self)
            self.camera.camera_status_changed.connect(
                lambda ok, _detail: setattr(
                    self.sync, "camera_state", "ok" if ok else "unavailable"
                )
            )
            window.attach_sync(self.sync)
            self.sync.start()

    def _on_settings(self, settings: Settings) -> None:
        if self.stopped:
            return
        self.camera.preview_enabled = bool(settings["ui.camera_preview"])
        if self.camera.thread is None:
            self.camera.start(self.camera_arg or str(settings["camera.source"]))

    def _on_setting_saved(self, key: str, value: Any) -> None:
        if key == "camera.source" and not self.stopped:
            self.camera.start(str(value))  # restarts when the source differs

    def stop(self) -> None:
        """Stop the camera and sync for good (late settings no longer restart them)."""
        self.stopped = True
        if self.camera is not None:
            self.camera.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.housekeeping is not None:
            self.housekeeping.stop()
