"""The touchscreen the composition root starts (set-up: ``app_setup.py``; screenshots:
``screenshots.py``; garbage collection: ``gui_gc.py``).

``kiosk.app`` has set up logging and the exception hooks. ``run_touchscreen`` makes the
QApplication, paints the welcome screen, and only then opens the station (SQLAlchemy,
migrations) in a background thread; scans that arrive meanwhile wait in the bridge. When
the station is open it starts the camera and the sync worker. Nothing here imports the
database stack at import time (``tests/ui/test_cold_start.py`` holds us to it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.results import Method
from kiosk.ui.app_setup import build_window, load_translation, make_app
from kiosk.ui.gui_gc import GuiThreadGc

if TYPE_CHECKING:
    from kiosk.core.settings import Settings
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")


class _FirstPaint(QObject):
    """Calls ``then`` once, just after ``widget`` was first painted."""

    def __init__(self, widget: QObject, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)  # after this paint has finished
        return False


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
        from kiosk.qtglue.scanner import CameraHost

        window = self.window
        if not window.bridge.ready:
            window.bridge.attach(station)
        window.bridge.call(lambda s: s.info().name, on_done=window.set_station_name)
        self.camera = CameraHost(verify=station.is_signed_badge, parent=self)
        self.camera.code_scanned.connect(lambda code: window.submit_code(code, Method.CAMERA))
        self.camera.frame_ready.connect(window.show_frame)
        self.camera.camera_status_changed.connect(
            lambda ok, _detail: window.set_camera_status(
                ok, "" if ok else camera_unavailable_text()
            )
        )
        window.bridge.settings_ready.connect(self._on_settings)
        window.bridge.setting_saved.connect(self._on_setting_saved)
        window.bridge.load_settings()
        from kiosk.qtglue.housekeeping import Housekeeping  # free disk, the daily backup

        self.housekeeping = Housekeeping(station, self)
        self.housekeeping.disk_checked.connect(window.set_disk_status)
        self.housekeeping.start()
        if self.sync_enabled:
            from kiosk.qtglue.sync import SyncWorker

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


class Touchscreen:
    """A started touchscreen: the window is up, the station opens after the first paint.

    The keyboard-wedge filter and the crash recovery are installed just after the first
    paint (:meth:`install_input`): their modules are not needed to draw the welcome screen,
    and nobody can scan or touch before it is there.
    """

    def __init__(
        self, app: QApplication, window: MainWindow, opener: Any, parts: StationParts
    ) -> None:
        self.app = app
        self.window = window
        self.opener = opener
        self.parts = parts
        self.gc = GuiThreadGc(window)
        self.wedge: Any = None
        self._uninstall_recovery: Callable[[], None] | None = None
        from kiosk.qtglue.lifecycle import Lifecycle  # SIGTERM/SIGINT, systemd notify

        self.lifecycle = Lifecycle(lambda: app.exit(0), parent=window)

    def install_input(self) -> None:
        """The app-wide keyboard-wedge filter and the return-to-welcome crash recovery."""
        if self.wedge is not None:
            return
        from kiosk.qtglue.recovery import install_ui_recovery
        from kiosk.qtglue.wedge import WedgeFilter

        window = self.window
        _guard, self._uninstall_recovery = install_ui_recovery(window.recover, window)
        self.wedge = WedgeFilter(parent=window)
        self.wedge.code_scanned.connect(lambda code: window.submit_code(code, Method.SCANNER))
        self.wedge.install(self.app)

    def close(self) -> None:
        """Stop the camera, sync and hooks, then close the station (even if still opening)."""
        self.lifecycle.service.stopping()  # STOPPING=1 first: systemd waits for us from here
        self.parts.stop()
        if self.wedge is not None:
            self.wedge.uninstall(self.app)
        if self._uninstall_recovery is not None:
            self._uninstall_recovery()
        self.window.shutdown()
        if not self.opener.wait(60):
            log.error("the station is still opening after 60 s; leaving it")
        station = self.opener.result
        self.window.close()
        self.window.deleteLater()
        if station is not None:
            station.close_stale_visits()
            station.close()  # its database thread has ended: collecting may resume anywhere
        self.gc.stop()
        self.lifecycle.close()  # a second SIGTERM meanwhile was only noted, not fatal


def start_touchscreen(
    paths: StationPaths,
    open_station: Callable[[], StationService],
    *,
    station_name: str | None,
    demo: bool = False,
    camera: str | None = None,
    windowed: bool = True,
    lang: str = "zh",
    sound: bool = True,
    timing: Any = None,
) -> Touchscreen:
    """Show the welcome screen now; ``open_station`` runs in a thread after its first paint.

    Until the station is open, scans and taps wait in the bridge (the hint says 请稍候).
    """
    os.environ.setdefault("LANG", "C.UTF-8")
    app = make_app()
    load_translation(app, lang)

    from kiosk.logs import open_log_file
    from kiosk.qtglue.opener import StationOpener
    from kiosk.qtglue.speech import Announcer

    announcer = Announcer(enabled=sound)
    window = build_window(
        None,
        lang=lang,
        data_dir=paths.data_dir,
        station_name=station_name,
        announcer=announcer,
        timing=timing,
        defer_pages=True,
    )
    announcer.setParent(window)
    window.setProperty("kiosk_mode", not windowed)
    window.exit_requested.connect(app.quit)

    parts = StationParts(window, camera=camera)
    opener = StationOpener(open_station, parent=window)
    opener.opened.connect(parts.attach)
    opener.open_failed.connect(lambda _message: window.show_start_failure())
    touchscreen = Touchscreen(app, window, opener, parts)
    opener.opened.connect(touchscreen.gc.freeze)  # after parts.attach: the station is up

    def after_first_paint() -> None:
        open_log_file()  # start-up records waited in memory (kiosk.logs)
        touchscreen.install_input()
        window.build_pages()  # the other screens: ~0.1 s, before anyone can touch
        # Before any worker thread exists: run 3 s later, while the scanner or sync thread
        # imported an extension module, this hung 2 of ~55 benchmark starts (most likely a Qt
        # warning during plugin loading waits in our Python message handler for the GIL,
        # held by the importing thread that waits in dlopen). docs/touchscreen.md#benchmarks
        announcer.prepare()
        QTimer.singleShot(0, opener, opener.start)
        touchscreen.lifecycle.service.ready()  # READY=1 and the watchdog, under systemd

    def never_painted() -> None:  # e.g. the screen is off: start anyway
        open_log_file()
        touchscreen.install_input()
        announcer.prepare()
        opener.start()
        touchscreen.lifecycle.service.ready()

    _FirstPaint(window.welcome, after_first_paint)
    QTimer.singleShot(2000, opener, never_painted)

    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        from PySide6.QtCore import Qt

        from kiosk.ui.fullscreen import KioskGeometry

        KioskGeometry(window).show()  # the whole primary screen, with or without a WM
        app.setOverrideCursor(Qt.CursorShape.BlankCursor) if not demo else None
    log.info("touchscreen up (%s, lang %s)", "windowed" if windowed else "kiosk", lang)
    return touchscreen


def run_touchscreen(
    paths: StationPaths,
    open_station: Callable[[], StationService],
    *,
    station_name: str | None,
    demo: bool,
    camera: str | None,
    windowed: bool,
    lang: str,
) -> int:
    """Paint first, then open the station with ``open_station`` in a thread; owns it after."""
    touchscreen = start_touchscreen(
        paths,
        open_station,
        station_name=station_name,
        demo=demo,
        camera=camera,
        windowed=windowed,
        lang=lang,
    )
    try:
        return touchscreen.app.exec()
    finally:
        touchscreen.close()
