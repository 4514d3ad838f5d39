"""StationService calls from the GUI without blocking it: futures in, signals out.

Every call goes to the station's single database thread via ``station.submit``; the result
comes back on the GUI thread as a signal (Anki's QueryOp idea). A failure becomes ``failed``
with a short message, never an exception in the event loop.

The window exists before the station is open (the station migrates its database in the
background after the first paint), so the bridge may start without a station: calls made
before :meth:`attach` wait in order in a queue and run as soon as the station is there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.core.results import Method

if TYPE_CHECKING:
    from concurrent.futures import Future

    from kiosk.core.station import StationService
    from kiosk.core.trades import Trade

log = logging.getLogger(__name__)


class StationBridge(QObject):
    scan_finished = Signal(object)
    """A scan, name pick or trade tap was recorded (and committed): a ScanResult."""
    people_found = Signal(str, list)
    """Search results: (query, list[PersonView]), best first."""
    figures_ready = Signal(object)
    """Today's DayFigures, for the welcome screen's 人次."""
    settings_ready = Signal(object)
    """All station settings (a frozen ``Settings``), after start or a change."""
    setting_saved = Signal(str, object)
    """A setting was stored: (key, parsed value)."""
    failed = Signal(str)
    """A station call raised: a short text for the log (the window logs it; nothing is shown)."""
    idle_changed = Signal(bool)
    """True when no call is pending (tests and screenshots wait on it)."""
    station_attached = Signal(object)
    """The station is open; queued calls are running now (the StationService)."""
    call_queued = Signal()
    """A call had to wait because the station is still opening (the screen says 请稍候)."""

    _delivered = Signal(object, object)  # (Future, callback), crossed to the GUI thread
    # Emitted only from other threads, so the automatic connection queues it; a result that is
    # ready on this thread goes through a zero timer instead. Either way ``on_done`` never runs
    # inside ``run()``. (An explicit QueuedConnection would need PySide's ``Qt`` namespace,
    # ~25 ms before the first paint.)

    def __init__(self, station: StationService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.station: StationService | None = station
        self._pending = 0
        self._waiting: list[tuple[Callable[..., Any], tuple[Any, ...], Callable[[Any], None]]] = []
        self._thread_id = threading.get_ident()
        self._delivered.connect(self._deliver)
        self.last_badge: tuple[Any, str, Method] | None = None
        """The latest badge scan's (ScanResult, text, method)."""

    @property
    def pending(self) -> int:
        """Calls not answered yet, including those waiting for the station to open."""
        return self._pending

    @property
    def ready(self) -> bool:
        return self.station is not None

    def attach(self, station: StationService) -> None:
        """The station is open: run the calls that waited for it, in order."""
        if self.station is not None:
            raise RuntimeError("the bridge already has a station")
        self.station = station
        waiting, self._waiting = self._waiting, []
        log.info("station ready; %d waiting call(s)", len(waiting))
        self.station_attached.emit(station)
        for fn, args, on_done in waiting:
            self._submit(fn, args, on_done)

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None]) -> None:
        """Run ``fn(*args)`` on the database thread; call ``on_done(result)`` on this thread."""
        self._pending += 1
        if self.station is None:
            self._waiting.append((fn, args, on_done))
            return
        self._submit(fn, args, on_done)

    def call(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None]) -> None:
        """Like :meth:`run`, with the station as the first argument (it may not be open yet)."""
        self.run(lambda *a: fn(self.station, *a), *args, on_done=on_done)

    def _submit(self, fn: Callable[..., Any], args: tuple[Any, ...], on_done) -> None:
        assert self.station is not None
        try:
            future = self.station.submit(fn, *args)
        except RuntimeError as e:  # the database thread was shut down (closing)
            from concurrent.futures import Future

            future = Future()
            future.set_exception(e)
        future.add_done_callback(lambda f: self._cross(f, on_done))

    def _cross(self, future: Future[Any], on_done: Callable[[Any], None]) -> None:
        if threading.get_ident() == self._thread_id:
            QTimer.singleShot(0, self, lambda: self._deliver(future, on_done))
            return
        try:
            self._delivered.emit(future, on_done)
        except RuntimeError:  # the bridge was deleted while the call ran (shutdown)
            log.debug("station result dropped: bridge gone")

    @Slot(object, object)
    def _deliver(self, future: Future[Any], on_done: Callable[[Any], None]) -> None:
        self._pending -= 1
        try:
            error = future.exception()
            if error is not None:
                log.error("station call failed", exc_info=error)
                self.failed.emit(str(error) or type(error).__name__)
            else:
                on_done(future.result())
        finally:
            if self._pending == 0:
                self.idle_changed.emit(True)

    # -- intents ------------------------------------------------------------------------

    def scan(self, text: str, method: Method = Method.CAMERA) -> None:
        if self.station is None:
            self.call_queued.emit()

        def done(result: Any) -> None:
            self.last_badge = (result, text, method)  # for the greeting's actions (the badge)
            self.scan_finished.emit(result)

        self.call(lambda s: s.scan(text, method), on_done=done)

    def checkin_person(self, person_id: str) -> None:
        self.call(lambda s: s.checkin_person(person_id), on_done=self.scan_finished.emit)

    def trade_visit(self, trade: Trade) -> None:
        if self.station is None:
            self.call_queued.emit()
        self.call(lambda s: s.trade_visit(trade), on_done=self.scan_finished.emit)

    def find_people(self, query: str) -> None:
        self.call(
            lambda s: s.find_people(query, 8),
            on_done=lambda people: self.people_found.emit(query, people),
        )

    def refresh_figures(self) -> None:
        self.call(lambda s: s.figures(s.today()), on_done=self.figures_ready.emit)

    def load_settings(self) -> None:
        self.call(lambda s: s.all_settings(), on_done=self.settings_ready.emit)

    def save_setting(self, key: str, value: Any) -> None:
        def saved(parsed: Any) -> None:
            self.setting_saved.emit(key, parsed)
            self.load_settings()

        self.call(lambda s: s.set_setting(key, value), on_done=saved)
