"""Sync with the hub in the background: soon after a check-in, and every interval.

``SyncWorker`` owns one daemon thread that runs ``SyncEngine.run_once()`` (blocking HTTP,
Qt-free) — never on the GUI thread and never two rounds at once. Triggers are coalesced:
a check-in (re)starts a short debounce, the periodic timer ticks every
``sync.interval_seconds``, a failure schedules a retry after the engine's backoff, and the
network coming back (``NetworkWatch``) runs a round soon, whatever the backoff. A station
that is not enrolled (or was revoked) makes no request at all. A round whose downloads
installed or removed study packages also emits ``materials_changed`` (讲习所 reloads).

What the screens show comes from the sync tables (``kiosk.sync.state.status``), read on the
database thread, plus "offline since": the first failure since the last success.
``kiosk.sync`` is imported only on those threads, so importing this module stays cheap.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kiosk.core.results import Outcome, ScanResult
from kiosk.core.settings import SPECS, Settings
from kiosk.qtglue.network import NetworkWatch

if TYPE_CHECKING:
    from kiosk.core.station import StationService
    from kiosk.sync.engine import RunResult, SyncEngine

log = logging.getLogger(__name__)

DEBOUNCE_MS = 5_000
NETWORK_SETTLE_MS = 2_000  # after the OS says the network is back: let DHCP/DNS settle
DEFAULT_INTERVAL_S: int = SPECS["sync.interval_seconds"].default
JOIN_SECONDS = 2.0  # at shutdown; a hung request is abandoned (the thread is a daemon)


class SyncState(Enum):
    NOT_ENROLLED = "not_enrolled"
    REVOKED = "revoked"
    OFFLINE = "offline"
    PENDING = "pending"
    SYNCED = "synced"


@dataclass(frozen=True)
class SyncView:
    """What the welcome indicator and the admin page show; built on the GUI thread."""

    enrolled: bool = False
    hub_url: str = ""
    pending: int = 0
    quarantined: int = 0
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    clock_offset_seconds: float | None = None
    revoked: bool = False
    offline_since: datetime | None = None
    running: bool = False

    @property
    def state(self) -> SyncState:
        if not self.enrolled:
            return SyncState.NOT_ENROLLED
        if self.revoked:
            return SyncState.REVOKED
        if self.offline_since is not None:
            return SyncState.OFFLINE
        if self.pending:
            return SyncState.PENDING
        return SyncState.SYNCED


def read_status(station: StationService) -> tuple[Any, str]:
    """The sync tables' status and the hub address (runs on the database thread)."""
    from kiosk.core.settings_store import get_setting
    from kiosk.sync.state import status

    with station.db.read() as s:
        return status(s), str(get_setting(s, "sync.hub_url") or "")


def default_engine(station: StationService) -> SyncEngine | None:
    """An engine for an enrolled station, or None (no token or no hub address yet).

    The HTTP client stack (httpx, ~15 MB resident) is loaded only for an enrolled station.
    """
    from kiosk.sync.token import token_store

    if token_store(station).read() is None or not station.setting("sync.hub_url"):
        return None
    from kiosk.sync.client import SyncClient
    from kiosk.sync.engine import SyncEngine

    return SyncEngine(SyncClient(station))


class SyncWorker(QObject):
    status_changed = Signal(object)
    """A new SyncView (after a round, a check-in or a status read)."""
    round_finished = Signal(str, str)
    """A round ended: (outcome — synced/failed/waiting/revoked/skipped, error text or "")."""
    materials_changed = Signal()
    """A round installed, upgraded or removed study packages (emitted before round_finished)."""

    _ran = Signal(object)  # RunResult | None | Exception, crossed from the sync thread
    _status_read = Signal(object)  # Future of read_status, crossed from the DB thread

    def __init__(
        self,
        station: StationService,
        *,
        engine_factory: Callable[[StationService], SyncEngine | None] = default_engine,
        debounce_ms: int = DEBOUNCE_MS,
        interval_s: int = DEFAULT_INTERVAL_S,
        network: NetworkWatch | None = None,
        network_settle_ms: int = NETWORK_SETTLE_MS,
        parent: QObject | None = None,
    ) -> None:
        """``network``: a watch for the network coming back; None makes one from the OS."""
        super().__init__(parent)
        self.station = station
        self._engine_factory = engine_factory
        self._engine: SyncEngine | None = None
        self.view = SyncView()
        self._debounce_ms = debounce_ms
        self._busy = False
        self._again = False
        self._stopped = False
        self._first_status = True
        self.camera_state = "unknown"  # "ok" | "unavailable", for the hub's health report
        self._jobs: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="kiosk-sync", daemon=True)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.timeout.connect(self.request)
        self._periodic = QTimer(self)
        self._periodic.setInterval(interval_s * 1000)
        self._periodic.timeout.connect(self.request)
        self._owns_network = network is None
        self.network = network or NetworkWatch(self)
        self._network_soon = QTimer(self)
        self._network_soon.setSingleShot(True)
        self._network_soon.setInterval(network_settle_ms)
        self._network_soon.timeout.connect(self.sync_now)
        self.network.came_online.connect(self._network_soon.start)
        self._ran.connect(self._on_ran, Qt.ConnectionType.QueuedConnection)
        self._status_read.connect(self._on_status, Qt.ConnectionType.QueuedConnection)

    # -- control (GUI thread) -----------------------------------------------------------

    def start(self) -> None:
        """Read the status now, sync once soon, then every interval."""
        self._thread.start()
        self._periodic.start()
        if self._owns_network:
            self.network.start()
        self.refresh_status()
        self._soon.start(self._debounce_ms)

    def stop(self) -> None:
        """Stop the timers and the thread; a request on the wire is abandoned after 2 s."""
        if self._stopped:
            return
        self._stopped = True
        self._soon.stop()
        self._periodic.stop()
        self._network_soon.stop()
        if self._owns_network:
            self.network.stop()
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(JOIN_SECONDS)
        if not self._thread.is_alive() and self._engine is not None:
            with contextlib.suppress(Exception):
                self._engine.client.close()

    def set_interval(self, seconds: int) -> None:
        if seconds * 1000 != self._periodic.interval():
            self._periodic.setInterval(max(10, seconds) * 1000)

    def apply_settings(self, settings: Settings) -> None:
        self.set_interval(int(settings["sync.interval_seconds"]))

    def note_result(self, result: ScanResult) -> None:
        """A check-in or check-out was committed: show the new backlog, sync after a pause."""
        if result.outcome is Outcome.REFUSED or self._stopped:
            return
        self.refresh_status()
        self._soon.start(self._debounce_ms)  # restart: a burst becomes one round

    def sync_now(self) -> None:
        """The keeper asked for it, or the network came back: ignore the backoff."""
        self.request(force=True)

    @Slot()
    def request(self, force: bool = False) -> None:
        if self._stopped:
            return
        if self._busy:
            self._again = True
            return
        if not force and (not self.view.enrolled or self.view.revoked):
            self.refresh_status()  # enrolment may have happened from the CLI meanwhile
            return
        self._busy = True
        self._show(replace(self.view, running=True))
        self._jobs.put(force)

    def refresh_status(self) -> None:
        if self._stopped:
            return
        try:
            future = self.station.submit(read_status, self.station)
        except RuntimeError:  # the database thread is shutting down
            return
        future.add_done_callback(self._cross_status)

    # -- the sync thread ----------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            force = self._jobs.get()
            if force is None:
                return
            outcome: Any
            try:
                outcome = self._run_once(force)
            except Exception as exc:  # a bug or the station closing: report, keep going
                log.exception("sync round failed unexpectedly")
                outcome = exc
            try:
                self._ran.emit(outcome)
            except RuntimeError:  # the worker was deleted (shutdown)
                return

    def _run_once(self, force: bool) -> RunResult | None:
        if self._engine is None:
            self._engine = self._engine_factory(self.station)
            if self._engine is None:
                return None
            client = getattr(self._engine, "client", None)
            if client is not None:
                client.camera_state = lambda: self.camera_state
        return self._engine.run_once(force=force)

    # -- results (GUI thread) -----------------------------------------------------------

    def _cross_status(self, future: Future[Any]) -> None:
        with contextlib.suppress(RuntimeError):
            self._status_read.emit(future)

    @Slot(object)
    def _on_status(self, future: Future[Any]) -> None:
        if future.exception() is not None:
            log.warning("reading the sync status failed: %s", future.exception())
            return
        st, hub_url = future.result()
        offline_since = self.view.offline_since
        failing = st.last_error_at is not None and (
            st.last_success_at is None or st.last_error_at > st.last_success_at
        )
        if self._first_status and failing:  # an outage that began before a restart
            offline_since = offline_since or st.last_error_at
        self._first_status = False
        self._show(
            replace(
                self.view,
                enrolled=st.enrolled,
                hub_url=hub_url,
                pending=st.pending,
                quarantined=st.quarantined,
                last_success_at=st.last_success_at,
                last_error=st.last_error,
                last_error_at=st.last_error_at,
                clock_offset_seconds=st.clock_offset_seconds,
                revoked=st.revoked_at is not None,
                offline_since=offline_since,
            )
        )

    @Slot(object)
    def _on_ran(self, outcome: Any) -> None:
        self._busy = False
        if self._stopped:
            return
        view = replace(self.view, running=False)
        if outcome is None:
            self.round_finished.emit("skipped", "")
        elif isinstance(outcome, Exception):
            view = replace(view, offline_since=view.offline_since or self.station.clock.now())
            self.round_finished.emit("failed", str(outcome))
        else:
            kind = str(outcome.outcome)
            if kind == "synced":
                view = replace(view, offline_since=None)
            elif kind == "failed":
                view = replace(view, offline_since=view.offline_since or self.station.clock.now())
                if not self._soon.isActive():
                    retry_ms = int(outcome.retry_in * 1000)
                    self._soon.start(max(1000, min(retry_ms, self._periodic.interval())))
            log.info("sync round: %s %s", kind, outcome.error or "")
            if _packages_changed(outcome):
                self.materials_changed.emit()
            self.round_finished.emit(kind, outcome.error or "")
        self._show(view)
        self.refresh_status()
        if self._again:
            self._again = False
            self.request()

    def _show(self, view: SyncView) -> None:
        if view != self.view:
            self.view = view
            self.status_changed.emit(view)


def _packages_changed(outcome: RunResult) -> bool:
    """Whether the round's downloads installed or removed a package (``sync/downloads.py``)."""
    downloads = outcome.report.downloads if outcome.report is not None else None
    return downloads is not None and (downloads.installed > 0 or downloads.removed > 0)
