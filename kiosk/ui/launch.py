"""Entry points the composition root calls: the touchscreen, and one screen to a PNG.

``kiosk.app`` has already set up logging, the exception hooks and the station; here we make
the QApplication, route Qt's messages into logging, load the translation, wire services to
the window and run the event loop.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from kiosk.core.checkin import Greeting, Method, Outcome, ScanResult
from kiosk.core.station import StationService
from kiosk.resources import resource

log = logging.getLogger("kiosk.ui")
qt_log = logging.getLogger("kiosk.qt")

SCREENS = ("welcome", "home", "greeting", "checkout", "refusal", "search", "trades", "services")
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


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, Qt messages routed into logging, the CJK font as default."""
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


def build_window(station: StationService, *, lang: str, announcer: Any = None, timing: Any = None):
    """The window and its bridge, wired; no camera, no wedge (callers add those)."""
    from kiosk.services.bridge import StationBridge
    from kiosk.services.pin import PinStore
    from kiosk.ui.window import MainWindow

    bridge = StationBridge(station)
    window = MainWindow(
        bridge,
        now=station.clock.now,
        station_name=station.info().name,
        pins=PinStore.in_dir(station.paths.data_dir),
        announcer=announcer,
        timing=timing,
        lang=lang,
    )
    bridge.setParent(window)
    return window


def run_touchscreen(
    station: StationService, *, demo: bool, camera: str | None, windowed: bool, lang: str
) -> int:
    os.environ.setdefault("LANG", "C.UTF-8")
    app = make_app()
    load_translation(app, lang)

    from kiosk.services.recovery import install_ui_recovery
    from kiosk.services.scanner import ScannerThread
    from kiosk.services.speech import Announcer
    from kiosk.services.wedge import WedgeFilter

    announcer = Announcer(enabled=True)
    window = build_window(station, lang=lang, announcer=announcer)
    announcer.setParent(window)
    window.setProperty("kiosk_mode", not windowed)
    window.exit_requested.connect(app.quit)
    _guard, uninstall_recovery = install_ui_recovery(window.recover, window)

    wedge = WedgeFilter(parent=window)
    wedge.code_scanned.connect(lambda code: window.submit_code(code, Method.SCANNER))
    wedge.install(app)

    spec = camera if camera is not None else str(station.setting("camera.source"))
    scanner = ScannerThread.for_spec(spec, verify=station.is_signed_badge)
    scanner.code_scanned.connect(lambda code: window.submit_code(code, Method.CAMERA))
    scanner.frame_ready.connect(window.show_frame)
    scanner.camera_status_changed.connect(
        lambda ok, detail: window.set_camera_status(
            ok,
            ""
            if ok
            else QCoreApplication.translate("Camera", "摄像头暂不可用，可用扫码枪或“没带工牌”签到"),
        )
    )
    window.bridge.settings_ready.connect(
        lambda s: setattr(scanner, "preview_enabled", bool(s.get("ui.camera_preview", True)))
    )

    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        from PySide6.QtCore import Qt

        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.showFullScreen()
        app.setOverrideCursor(Qt.CursorShape.BlankCursor) if not demo else None
    scanner.start()
    QTimer.singleShot(500, announcer.prepare)  # after the first paint
    log.info(
        "touchscreen up (%s, camera %s, lang %s)", "windowed" if windowed else "kiosk", spec, lang
    )
    try:
        return app.exec()
    finally:
        scanner.stop()
        wedge.uninstall(app)
        uninstall_recovery()
        window.shutdown()
        window.deleteLater()
        station.close_stale_visits()


# -- screenshots -------------------------------------------------------------------------------


def _sample_results(station: StationService) -> dict[str, ScanResult]:
    """Greeting examples built from the demo roster without writing any visit."""
    people = station.people()
    person = next((p for p in people if p.party_member), people[0] if people else None)
    now = station.clock.now()
    base = ScanResult(
        Outcome.CHECKED_IN,
        Greeting.PERSON,
        person_id=person.id if person else None,
        person=person,
        trade=person.trade if person else "环卫",
        checked_in_at=now,
        month_visits=7,
    )
    return {
        "greeting": base,
        "checkout": replace(
            base,
            outcome=Outcome.CHECKED_OUT,
            checked_in_at=now - timedelta(minutes=42),
            checked_out_at=now,
            rest_seconds=42 * 60,
            month_visits=None,
        ),
        "refusal": ScanResult(Outcome.REFUSED, reason="expired"),
    }


def _settle(app: QCoreApplication, window: Any, rounds: int = 200) -> None:
    """Let queued station results arrive (no sleeping: wait on the futures' delivery)."""
    from PySide6.QtCore import QEventLoop

    for _ in range(rounds):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if window.bridge.pending == 0:
            break
    app.processEvents()


def render_screenshot(
    station: StationService, *, screen: str, out: Path, size: tuple[int, int], lang: str
) -> int:
    if screen not in SCREENS:
        raise ValueError(f"unknown screen {screen!r}; expected one of {', '.join(SCREENS)}")
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    translators = load_translation(app, lang)
    from kiosk.ui.screens.base import Screen

    window = build_window(station, lang=lang)
    try:
        window.apply_scale(*size)
        window.resize(*size)
        window.show()
        _settle(app, window)
        samples = _sample_results(station)
        if screen in samples:
            window.show_result(samples[screen])
        elif screen == "search":
            window.show_screen(Screen.SEARCH)
            for letter in "ZJ":
                window.search.type_letter(letter)
        else:
            window.show_screen(Screen(screen))
        _settle(app, window)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            log.error("could not write %s", out)
            return 1
        log.info("wrote %s (%s, %dx%d, %s)", out, screen, size[0], size[1], lang)
        return 0
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        for t in translators:
            app.removeTranslator(t)
        app.processEvents()
