"""The QApplication and the window, set up: Qt messages into logging, translations, the
window wired to its bridge. Shared by the touchscreen (``boot.py``), ``kiosk screenshot``
(``screenshots.py``), the UI benchmarks and the tests.

Imported before the first paint: nothing here imports the database stack at import time
(``tests/ui/test_cold_start.py`` holds us to it).
"""

from __future__ import annotations

import linecache
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from kiosk.resources import resource

if TYPE_CHECKING:
    from kiosk.core.station import StationService
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
