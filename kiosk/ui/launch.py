"""Entry points the composition root calls: the touchscreen (screenshots: ``screenshots.py``).

``kiosk.app`` has set up logging and the exception hooks. ``run_touchscreen`` makes the
QApplication, paints the welcome screen, and only then opens the station (SQLAlchemy,
migrations) in a background thread; scans that arrive meanwhile wait in the bridge. When
the station is open it starts the camera and the sync worker. Nothing here imports the
database stack at import time (``tests/ui/test_cold_start.py`` holds us to it).
"""

from __future__ import annotations

import gc
import linecache
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from kiosk.core.results import Method
from kiosk.resources import resource

if TYPE_CHECKING:
    from kiosk.core.settings import Settings
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")
qt_log = logging.getLogger("kiosk.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


_QT_NOISE = ("propagateSizeHints",)  # the offscreen plugin says this on every show()


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = _QT_LEVELS.get(kind, logging.WARNING)
    if any(noise in message for noise in _QT_NOISE):
        level = logging.DEBUG
    qt_log.log(level, "%s", message)


def skip_pyside_source_scan() -> None:
    """Stop PySide reading the source of every module imported after it.

    For its opt-in ``from __feature__ import snake_case``, PySide 6 runs ``inspect.getsource``
    on each newly imported module to see whether it mentions "PySide6"; the kiosk uses no
    such feature, and the scan cost start-up time and kept ~18 MB of source lines (500+
    files) in ``linecache``. Modules are now marked "not switched" unread, which is what
    they are without features. Guarded, so a PySide without this hook is left alone.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda _module: False
        linecache.clearcache()  # what it read so far; tracebacks read files again on demand


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, Qt messages routed into logging, the CJK font as default."""
    skip_pyside_source_scan()
    from kiosk.ui.style import apply_app_font

    qInstallMessageHandler(_qt_message)
    app = QApplication.instance() or QApplication(argv or ["kiosk"])
    app.setApplicationName("station-kiosk")
    app.setApplicationDisplayName("驿站终端")
    apply_app_font(app)
    return app  # type: ignore[return-value]


def load_translation(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install kiosk_<lang>.qm (and Qt's own strings); Chinese is the source language."""
    installed: list[QTranslator] = []
    if lang == "zh":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.English))
    ours = QTranslator(app)
    if ours.load(f"kiosk_{lang}", str(resource("translations"))):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        log.warning("no translation kiosk_%s.qm in %s", lang, resource("translations"))
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def build_window(
    station: StationService | None = None,
    *,
    lang: str,
    data_dir: Path | None = None,
    station_name: str | None = None,
    now: Callable[[], Any] | None = None,
    announcer: Any = None,
    timing: Any = None,
    defer_pages: bool = False,
) -> MainWindow:
    """The window and its bridge, wired; no camera, no wedge, no sync (callers add those).

    Without a station the window still works: calls wait in the bridge until
    ``window.bridge.attach(station)``.
    """
    from kiosk.qtglue.bridge import StationBridge
    from kiosk.ui.window import MainWindow

    if station is not None:
        data_dir = data_dir or station.paths.data_dir
        now = now or station.clock.now
        if station_name is None:
            station_name = station.info().name
    if now is None:
        from kiosk.core.clock import SystemClock

        now = SystemClock().now
    bridge = StationBridge(station)
    window = MainWindow(
        bridge,
        now=now,
        station_name=station_name or "",
        pin_dir=data_dir,
        announcer=announcer,
        timing=timing,
        lang=lang,
        defer_pages=defer_pages,
    )
    bridge.setParent(window)
    return window


class GuiThreadGc(QObject):
    """Python's cyclic garbage collection, on the GUI thread only, while the window is up.

    The collector runs in whichever thread allocates. When a worker (the database thread, the
    scanner) collects a window's garbage, PySide disconnects signals from that thread inside
    Qt's connection lock and then waits for the GIL, while the GUI thread holds the GIL and
    waits for that lock: a deadlock (seen in tests/ui). So automatic collection is off and
    this timer collects by the same thresholds (as calibre's GarbageCollector does).
    """

    def __init__(self, parent: QObject, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """Collect the generations whose thresholds were passed, as automatic gc would."""
        count, threshold = gc.get_count(), gc.get_threshold()
        if count[0] <= threshold[0]:
            return
        generation = 0
        if count[1] > threshold[1]:
            generation = 2 if count[2] > threshold[2] else 1
        gc.collect(generation)

    def freeze(self, *_args: object) -> None:
        """Start-up is over: what lives now (modules, windows, the station) is never garbage,
        so leave it out of later collections and keep the full ones on this thread short."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()


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
        window.camera_reading = self.camera.reading  # 摄像头检查: resolution, frames per second
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
