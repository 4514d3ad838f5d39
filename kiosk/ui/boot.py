"""The boot path: everything ``kiosk run`` does before the welcome screen is first painted,
and the one step right after that paint.

Before the first paint a kiosk needs only Qt, the window with its welcome screen, and the
bridge that queues scans; the station (SQLAlchemy, migrations, the keyring), the other
screens, the camera, sync and the input hooks come after it (docs/touchscreen.md, start-up).
So the rules of a fast cold start apply to the modules in :data:`BOOT_MODULES` only: they
import nothing heavy at their top, and what they need later they import where they use it
(here: :func:`start_touchscreen`'s after-paint step and :meth:`Touchscreen.install_input`).
Every other module imports at its top like ordinary Python: it is loaded after the paint.
``tests/ui/test_cold_start.py`` runs ``kiosk run`` to its first paint and names the import
chain of any module loaded before it that is not listed here, and of any heavy package.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.results import Method
from kiosk.logs import open_log_file
from kiosk.qtglue.lifecycle import Lifecycle
from kiosk.qtglue.opener import StationOpener
from kiosk.qtglue.speech import Announcer
from kiosk.ui.app_setup import build_window, load_translation, make_app
from kiosk.ui.gui_gc import GuiThreadGc

if TYPE_CHECKING:
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.ui.station_parts import StationParts
    from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")

# The kiosk's modules that `kiosk run` loads before the first paint (packages included).
# A module joins this list only if the welcome screen cannot be drawn without it.
BOOT_MODULES = frozenset(
    {
        "kiosk",
        "kiosk.app",
        "kiosk.cli",
        "kiosk.cli.quick_args",
        "kiosk.logs",
        "kiosk.paths",
        "kiosk.resources",
        "kiosk.screen_names",
        "kiosk.core",
        "kiosk.core.clock",
        "kiosk.core.health",
        "kiosk.core.results",
        "kiosk.core.sd_notify",
        "kiosk.core.settings",
        "kiosk.qtglue",
        "kiosk.qtglue.bridge",
        "kiosk.qtglue.idle",
        "kiosk.qtglue.lifecycle",
        "kiosk.qtglue.opener",
        "kiosk.qtglue.speech",
        "kiosk.ui",
        "kiosk.ui.app_setup",
        "kiosk.ui.boot",
        "kiosk.ui.gui_gc",
        "kiosk.ui.icons",
        "kiosk.ui.screens",
        "kiosk.ui.screens.base",
        "kiosk.ui.screens.services",
        "kiosk.ui.screens.welcome",
        "kiosk.ui.style",
        "kiosk.ui.timing",
        "kiosk.ui.widgets",
        "kiosk.ui.window",
    }
)


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


class Touchscreen(QObject):
    """A started touchscreen: the window is up, the station opens after the first paint.

    The keyboard-wedge filter and the crash recovery are installed just after the first
    paint (:meth:`install_input`): their modules are not needed to draw the welcome screen,
    and nobody can scan or touch before it is there. The camera, sync and housekeeping
    (``parts``) start once the station is open.
    """

    def __init__(
        self, app: QApplication, window: MainWindow, opener: StationOpener, camera: str | None
    ) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.opener = opener
        self.camera = camera  # --camera, else the camera.source setting
        self.parts: StationParts | None = None  # once the station is open
        self.gc = GuiThreadGc(window)
        self.wedge: Any = None
        self._uninstall_recovery: Callable[[], None] | None = None
        self.lifecycle = Lifecycle(lambda: app.exit(0), parent=window)

    def install_input(self) -> None:
        """The app-wide keyboard-wedge filter and the return-to-welcome crash recovery."""
        if self.wedge is not None:
            return
        from kiosk.qtglue.recovery import install_ui_recovery  # after the paint
        from kiosk.qtglue.wedge import WedgeFilter

        window = self.window
        _guard, self._uninstall_recovery = install_ui_recovery(window.recover, window)
        self.wedge = WedgeFilter(parent=window)
        self.wedge.code_scanned.connect(lambda code: window.submit_code(code, Method.SCANNER))
        self.wedge.install(self.app)

    def start_parts(self, station: StationService) -> None:
        """The station is open (on the GUI thread): answer waiting calls, start the camera,
        sync and housekeeping (``ui/station_parts.py``)."""
        from kiosk.ui.station_parts import StationParts  # after the paint (numpy, the camera)

        self.parts = StationParts(self.window, camera=self.camera)
        self.parts.attach(station)

    def close(self) -> None:
        """Stop the camera, sync and hooks, then close the station (even if still opening)."""
        self.lifecycle.service.stopping()  # STOPPING=1 first: systemd waits for us from here
        if self.parts is not None:
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

    opener = StationOpener(open_station, parent=window)
    touchscreen = Touchscreen(app, window, opener, camera)
    opener.opened.connect(touchscreen.start_parts)
    opener.open_failed.connect(lambda _message: window.show_start_failure())
    opener.opened.connect(touchscreen.gc.freeze)  # after the parts: the station is up

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
        from PySide6.QtCore import Qt  # builds PySide's Qt namespace (~25 ms): kiosk mode only

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
