"""StationService calls from the GUI without blocking it: futures in, signals out.

Every call goes to the station's single database thread via ``station.submit``; the result
comes back on the GUI thread as a signal (Anki's QueryOp idea). A failure becomes ``failed``
with a short message, never an exception in the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.core.checkin import Method
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
    settings_ready = Signal(dict)
    """All station settings, after start or a change."""
    setting_saved = Signal(str, object)
    """A setting was stored: (key, parsed value)."""
    failed = Signal(str)
    """A station call raised; the text is for the log and a discreet notice."""
    idle_changed = Signal(bool)
    """True when no call is pending (tests and screenshots wait on it)."""

    _delivered = Signal(object, object)  # (Future, callback), crossed to the GUI thread

    def __init__(self, station: StationService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self._pending = 0
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> int:
        return self._pending

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None]) -> None:
        """Run ``fn(*args)`` on the database thread; call ``on_done(result)`` on this thread."""
        self._pending += 1
        future = self.station.submit(fn, *args)
        future.add_done_callback(lambda f: self._cross(f, on_done))

    def _cross(self, future: Future[Any], on_done: Callable[[Any], None]) -> None:
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
        self.run(self.station.scan, text, method, on_done=self.scan_finished.emit)

    def checkin_person(self, person_id: str) -> None:
        self.run(self.station.checkin_person, person_id, on_done=self.scan_finished.emit)

    def trade_visit(self, trade: Trade) -> None:
        self.run(self.station.trade_visit, trade, on_done=self.scan_finished.emit)

    def find_people(self, query: str) -> None:
        self.run(
            self.station.find_people,
            query,
            8,
            on_done=lambda people: self.people_found.emit(query, people),
        )

    def refresh_figures(self) -> None:
        def today_figures() -> Any:
            return self.station.figures(self.station.today())

        self.run(today_figures, on_done=self.figures_ready.emit)

    def load_settings(self) -> None:
        self.run(self.station.all_settings, on_done=self.settings_ready.emit)

    def save_setting(self, key: str, value: Any) -> None:
        def saved(parsed: Any) -> None:
            self.setting_saved.emit(key, parsed)
            self.load_settings()

        self.run(self.station.set_setting, key, value, on_done=saved)
