"""The one window: a stack of screens, one navigation function, and the wiring to the Qt glue.

Screens never talk to each other or to the station: they emit intents, the window turns them
into bridge calls and screen switches. ``show_screen`` is the only way to change screens
(Anki's ``moveToState``): it runs the leave/enter hooks and (re)arms the idle timer.

Pages are registered with :meth:`MainWindow.add_page`, which also hands them the window's
state (station name, settings, sync view) then and whenever it changes (the ``Page`` hooks).
For a fast cold start the launcher builds the window with ``defer_pages=True``: only the
welcome screen exists for the first paint, ``build_pages()`` adds the rest right after it,
and ``_add_station_screens()`` adds the screens that need the open station.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QLocale, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.results import DayFigures, Method, Outcome, ScanResult
from kiosk.core.settings import Settings
from kiosk.qtglue.bridge import StationBridge
from kiosk.qtglue.idle import IdleWatcher
from kiosk.qtglue.speech import Announcer
from kiosk.screen_names import Screen
from kiosk.ui import style
from kiosk.ui.screens.base import Page
from kiosk.ui.screens.welcome import WelcomePage
from kiosk.ui.timing import CHINA_STANDARD_TIME, Timing

if TYPE_CHECKING:
    from kiosk.core.admin_pin import PinStore
    from kiosk.core.trades import Trade
    from kiosk.qtglue.sync import SyncView, SyncWorker

log = logging.getLogger(__name__)
P = TypeVar("P", bound=Page)


class MainWindow(QWidget):
    screen_changed = Signal(object)
    code_seen = Signal(str, object)
    """Every code from the camera or a scanner, (text, Method), before it is acted on."""
    """A new screen is showing (a Screen); emitted after its enter hook ran."""
    greeting_shown = Signal(object)
    """The greeting screen shows this ScanResult (emitted after it is laid out)."""
    exit_requested = Signal()
    """The keeper unlocked and asked to close the program."""
    sync_now_requested = Signal()
    """The keeper pressed 立即同步 on the admin page."""
    materials_changed = Signal()
    """Sync installed or removed study packages (讲习所 reloads what it shows)."""

    def __init__(
        self,
        bridge: StationBridge,
        *,
        now: Callable[[], datetime],
        station_name: str = "",
        pins: PinStore | None = None,
        pin_dir: Path | None = None,
        announcer: Announcer | None = None,
        timing: Timing | None = None,
        lang: str = "zh",
        defer_pages: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("驿站终端"))
        self.bridge = bridge
        self.now = now
        self.pins = pins
        self.pin_dir = pin_dir  # the PinStore is opened there at the first PIN (cold start)
        self.announcer = announcer or Announcer(enabled=False, parent=self)
        self.timing = timing or Timing()
        self.locale = QLocale(
            QLocale.Language.English if lang == "en" else QLocale.Language.Chinese
        )
        self.settings: Settings | None = None  # until the station's arrive
        self.tz: tzinfo = CHINA_STANDARD_TIME  # the station's zone once settings load
        self._scale = 0.0
        self._exit_allowed = False
        self.current: Screen | None = None
        self.station_name = station_name
        self.sync_view: SyncView | None = None  # until sync is attached or pages are built

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("Screens")
        self.pages: dict[Screen, Page] = {}
        self._layout_args: tuple[float, bool] | None = None
        self.welcome = self.add_page(WelcomePage())  # 未连接 until a sync view comes
        self.study: Page | None = None  # 讲习所, added with the station (below)
        self.keeper: Any = None  # 站长工作 (issue 15), added with the station
        self.activities: Any = None  # 活动签到 and the keeper's 活动 (issue 14), likewise
        self.camera_state: tuple[bool, str] | None = None  # for 设备状态
        self.camera_reading: Callable[[], Any] = lambda: None  # resolution, fps (launch.py)
        self.built = False
        self.welcome.set_starting(not bridge.ready)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.idle = IdleWatcher(self.timing.idle_ms, self)
        self.idle.idle_timeout.connect(self._on_idle)
        self.clock = QTimer(self)
        self.clock.setInterval(self.timing.clock_ms)
        self.clock.timeout.connect(self._tick)

        self._wire()
        if not defer_pages:
            self.build_pages()
        self.show_screen(Screen.WELCOME)
        bridge.load_settings()

    def build_pages(self) -> None:
        """Every screen but the welcome one; the launcher calls it just after the first paint.

        The screen registry: one ``add_page`` line per screen (the page names its Screen).
        Screens whose modules import the database stack go in ``_add_station_screens``.
        """
        if self.built:
            return
        self.built = True
        from kiosk.ui.scan_actions import ScanActions
        from kiosk.ui.screens.admin import PinPage, SettingsPage
        from kiosk.ui.screens.greeting import GreetingPage
        from kiosk.ui.screens.home import HomePage
        from kiosk.ui.screens.scan import ScanPage
        from kiosk.ui.screens.search import SearchPage
        from kiosk.ui.screens.services import ServicesPage
        from kiosk.ui.screens.trades import TradesPage

        if self.sync_view is None:
            from kiosk.qtglue.sync import SyncView

            self.set_sync_view(SyncView())
        self.home = self.add_page(HomePage())
        self.scan_page = self.add_page(ScanPage())
        self.greeting = self.add_page(GreetingPage())
        self.search = self.add_page(SearchPage())
        self.trades = self.add_page(TradesPage())
        self.services_page = self.add_page(ServicesPage())
        self.pin = self.add_page(PinPage())
        self.settings_page = self.add_page(SettingsPage())
        self.scan_actions = ScanActions(self)  # the greeting's buttons (ui/scan_actions.py)
        self._wire_pages()
        if self.bridge.ready:
            self._add_station_screens()

    def add_page(self, page: P) -> P:
        """Register a screen: stacked, navigable, laid out, and shown the window's state."""
        self.pages[page.screen] = page
        self.stack.addWidget(page)
        page.navigate_requested.connect(self.show_screen)
        if self._layout_args is not None:  # added after the first resize
            page.apply_layout(*self._layout_args)
        page.set_station_name(self.station_name)
        if self.sync_view is not None:
            page.show_sync(self.sync_view, self.tz)
        if self.settings is not None:
            page.show_settings(self.settings)
        return page

    def _add_station_screens(self) -> None:
        """Screens that need the open station; imported here, after the first paint, because
        their modules pull in SQLAlchemy (cold start: docs/touchscreen.md)."""
        if self.study is None and self.built:
            from kiosk.ui.study_flow import install_study

            self.study = install_study(self)  # 讲习所: its pages and wiring (ui/study_flow.py)
        if self.keeper is None and self.built:  # issue 15: the keeper's screens
            from kiosk.ui.keeper_flow import install_keeper

            self.keeper = install_keeper(self)
        if self.activities is None and self.built:  # issue 14: activity sign-in, keeper's list
            from kiosk.ui.activity_flow import install_activities

            self.activities = install_activities(self)

    def _wire(self) -> None:
        b = self.bridge
        b.scan_finished.connect(self.show_result)
        b.figures_ready.connect(self._on_figures)
        b.settings_ready.connect(self.apply_settings)
        b.failed.connect(self._on_failed)
        b.station_attached.connect(self._on_station_attached)

    def _wire_pages(self) -> None:
        b = self.bridge
        b.people_found.connect(self.search.show_results)
        self.settings_page.sync_now_requested.connect(self.sync_now_requested)
        self.search.query_changed.connect(self._on_query)
        self.search.person_chosen.connect(b.checkin_person)
        self.trades.trade_chosen.connect(self.choose_trade)
        self.pin.pin_submitted.connect(self.check_pin)
        self.settings_page.setting_change_requested.connect(b.save_setting)
        self.settings_page.exit_requested.connect(self.request_exit)

    # -- navigation -------------------------------------------------------------------------

    def show_screen(self, screen: Screen, payload: Any = None) -> None:
        """The one way to change screens: leave hook, switch, enter hook, idle timer."""
        if screen not in self.pages:
            self.build_pages()
        if screen not in self.pages:  # a station screen while the station is still opening
            log.info("%s is not available yet", screen)
            return
        old = self.current
        if old is not None and old is not screen:
            self.pages[old].leave()
        page = self.pages[screen]
        self.stack.setCurrentWidget(page)
        self.current = screen
        page.enter(payload)
        if screen is Screen.WELCOME:
            self.idle.watch(False)
            self.bridge.refresh_figures()
            self._tick()
            self.clock.start()
        else:
            self.clock.stop()
            self.idle.watch(True)
            self.idle.arm(self.timing.timeout_for(screen, payload))
        self.screen_changed.emit(screen)

    def _on_idle(self) -> None:
        log.debug("idle on %s: back to welcome", self.current)
        self.show_screen(Screen.WELCOME)

    def recover(self) -> None:
        """After an uncaught exception: forget input, go to the welcome screen."""
        self.show_screen(Screen.WELCOME)

    # -- intents ----------------------------------------------------------------------------

    def submit_code(self, text: str, method: Method = Method.CAMERA) -> None:
        """A badge code from the camera or a keyboard-wedge scanner, on any screen."""
        self.code_seen.emit(text, method)
        if getattr(self.pages.get(self.current), "inspects_codes", False):  # type: ignore[arg-type]
            return  # 摄像头检查: the page reads the code (code_seen) and checks no one in
        self.bridge.scan(text, method)

    def choose_trade(self, trade: Trade) -> None:
        self.bridge.trade_visit(trade)

    def _on_query(self, query: str) -> None:
        if query:
            self.bridge.find_people(query)

    def show_result(self, result: ScanResult) -> None:
        from kiosk.core.messages import describe  # not needed for the first paint

        self.build_pages()
        settings = self.settings or Settings()  # the declared defaults until they arrive
        self.greeting.full_name = bool(settings["greeting.full_name"])
        self.greeting.tz = self.tz
        self.show_screen(Screen.GREETING, result)
        self.greeting_shown.emit(result)
        if result.outcome is not Outcome.REFUSED:
            self.bridge.refresh_figures()
        self.announcer.speech = bool(settings["speech.enabled"])
        self.announcer.announce(
            describe(
                result,
                full_name=self.greeting.full_name,
                translate=QCoreApplication.translate,
            )
        )

    def check_pin(self, pin: str) -> None:
        """The PIN and its growing lockout are the station's (issue 15: logged, audited)."""
        self.bridge.call(lambda s: s.check_admin_pin(pin), on_done=self._pin_checked)

    def _pin_checked(self, result: Any) -> None:
        if self.current is not Screen.PIN:
            return
        if result.ok:
            self.show_screen(Screen.SETTINGS)
        elif result.locked_seconds:
            minutes = max(1, round(result.locked_seconds / 60))
            self.pin.show_error(self.tr("错误次数太多，请 {m} 分钟后再试").format(m=minutes))
        else:
            self.pin.show_error(self.tr("密码不对，请再试一次"))

    def request_exit(self) -> None:
        if self.current is not Screen.SETTINGS:  # only reachable after the PIN
            return
        log.info("exit requested from the admin page")
        self._exit_allowed = True
        self.exit_requested.emit()

    # -- state from the Qt glue ---------------------------------------------------------------

    def set_station_name(self, name: str) -> None:
        self.station_name = name
        for page in self.pages.values():
            page.set_station_name(name)

    def _on_station_attached(self, station: Any) -> None:
        self.welcome.set_starting(False)
        self._add_station_screens()

    def show_start_failure(self) -> None:
        """The station could not be opened (logged): say so where the hint is."""
        self.welcome.starting.setText(self.tr("终端暂时无法签到，请联系站长"))
        self.welcome.set_starting(True)

    def attach_sync(self, worker: SyncWorker) -> None:
        """Show the worker's state; check-ins and the admin page's button drive it; packages it
        installs or removes reach 讲习所 as ``materials_changed``."""
        worker.status_changed.connect(self.set_sync_view)
        self.bridge.scan_finished.connect(worker.note_result)
        self.bridge.settings_ready.connect(worker.apply_settings)
        self.sync_now_requested.connect(worker.sync_now)
        worker.materials_changed.connect(self.materials_changed)
        if self.settings is not None:
            worker.apply_settings(self.settings)
        self.set_sync_view(worker.view)

    def set_sync_view(self, view: SyncView) -> None:
        self.sync_view = view
        for page in self.pages.values():
            page.show_sync(view, self.tz)

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            self.tz = ZoneInfo(str(settings["station.timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("bad station.timezone %r", settings["station.timezone"])
        if self.timing.idle_from_settings:
            self.timing.idle_ms = int(settings["ui.idle_seconds"]) * 1000
        for page in self.pages.values():
            page.show_settings(settings)
        if self.sync_view is not None:
            self.set_sync_view(self.sync_view)  # the time zone may have changed
        if self.current is not None and self.current is not Screen.WELCOME:
            self.idle.arm(self.timing.timeout_for(self.current, None))
        self._tick()

    def _on_figures(self, figures: DayFigures) -> None:
        self.welcome.set_figures(figures)

    def _on_failed(self, message: str) -> None:
        log.error("station call failed: %s", message)

    def set_disk_status(self, status: Any) -> None:
        """A :class:`kiosk.core.health.DiskStatus` from the housekeeping checks."""
        self.build_pages()
        self.settings_page.show_disk_status(status.low, status.free_mb)

    def set_camera_status(self, ok: bool, message: str) -> None:
        self.camera_state = (ok, message)
        self.welcome.set_camera_status(ok, message)

    def show_frame(self, image: Any) -> None:
        if self.current is Screen.WELCOME:
            self.welcome.show_frame(image)
        elif self.current is Screen.SCAN:
            self.scan_page.show_frame(image)
        elif self.current is Screen.KEEPER_CAMERA:
            self.pages[Screen.KEEPER_CAMERA].show_frame(image)  # type: ignore[attr-defined]

    def _tick(self) -> None:
        self.welcome.set_time(self.now().astimezone(self.tz), self.locale)

    # -- window -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.apply_scale(event.size().width(), event.size().height())

    def apply_scale(self, width: int, height: int) -> None:
        scale = style.scale_for(width, height)
        portrait = height > width
        key = scale if not portrait else -scale
        if key == self._scale:
            return
        self._scale = key
        self._layout_args = (scale, portrait)
        self.setStyleSheet(style.stylesheet(scale))
        for page in self.pages.values():
            page.apply_layout(scale, portrait)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exit_allowed or not self.property("kiosk_mode"):
            self.clock.stop()
            self.idle.disarm()
            event.accept()
        else:
            event.ignore()  # Alt+F4 or a window manager: only the admin page may close us

    def shutdown(self) -> None:
        """Stop every timer (tests and the launcher call this before deleting)."""
        self.clock.stop()
        self.idle.watch(False)
        self.announcer.close()
