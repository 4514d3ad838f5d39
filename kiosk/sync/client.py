"""The station side of sync: push, pull and package downloads (enrolment: ``enrolment.py``).
Qt-free.

HTTP runs on the caller's thread (a sync worker, never the UI); every database step runs
on the station's database thread through ``StationService.worker``, one short transaction
at a time, so scans keep committing while a batch is on the wire. A batch is recorded as
delivered only after the hub answered for it; whatever goes wrong before that, the same
events are sent again and the hub reports them as duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import httpx
from sqlalchemy.orm import Session

from kiosk.core.errors import StationError
from kiosk.core.station import StationService
from kiosk.sync import apply, state
from kiosk.sync.apply import Applied
from kiosk.sync.downloads import BUDGET_SECONDS, Downloader, DownloadReport
from kiosk.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_EVENTS,
    EventStatus,
    PushRequest,
)
from kiosk.sync.token import token_store
from kiosk.sync.transport import (
    DEFAULT_TIMEOUT,
    CursorExpired,
    HubTransport,
    RequestRefused,
    StationRevoked,
    SyncError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
ENVELOPE_BYTES = 512  # room for the batch envelope around the events
MAX_PAGES = 1000  # one pull never loops forever on a misbehaving hub


@dataclass
class PushReport:
    batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    # The hub had fewer of our events than we had delivered: they were sent again.
    hub_lost_events: bool = False


@dataclass
class PullReport:
    pages: int = 0
    keys_changed: int = 0
    resynced: bool = False
    people_changed: int = 0
    badges_changed: int = 0
    announcements_changed: int = 0
    materials_changed: int = 0  # packages announced or withdrawn (downloaded after the pull)
    skipped: int = 0  # changes this version cannot apply (unknown kind, unknown person)
    # Removed by a full resync because the hub no longer has them.
    removed_keys: int = 0
    removed_people: int = 0
    removed_announcements: int = 0
    removed_materials: int = 0
    # The hub reported fewer of our events than we had delivered: they go up again.
    hub_lost_events: bool = False

    def count(self, applied: Applied) -> None:
        self.keys_changed += applied.keys
        self.people_changed += applied.people
        self.badges_changed += applied.badges
        self.announcements_changed += applied.announcements
        self.materials_changed += applied.materials
        self.skipped += applied.skipped
        self.removed_keys += applied.removed_keys
        self.removed_people += applied.removed_people
        self.removed_announcements += applied.removed_announcements
        self.removed_materials += applied.removed_materials


@dataclass
class SyncReport:
    push: PushReport = field(default_factory=PushReport)
    pull: PullReport = field(default_factory=PullReport)
    downloads: DownloadReport = field(default_factory=DownloadReport)


def _offset(started: datetime, ended: datetime, server_time: datetime) -> float:
    """Station clock minus hub clock, taking the hub's time as the request's midpoint."""
    midpoint = started + (ended - started) / 2
    return round((midpoint - server_time).total_seconds(), 3)


def _read(station: StationService, fn: Callable[[Session], T]) -> T:
    with station.db.read() as s:
        return fn(s)


def _write(station: StationService, fn: Callable[[Session], T]) -> T:
    with station.db.write() as s:
        return fn(s)


class SyncClient:
    """Push and pull for one enrolled station, with its own HTTP client."""

    def __init__(
        self,
        station: StationService,
        hub_url: str | None = None,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_batch_events: int = MAX_BATCH_EVENTS,
        max_batch_bytes: int = MAX_BATCH_BYTES,
        download_budget_seconds: float = BUDGET_SECONDS,
    ) -> None:
        self.station = station
        self.download_budget_seconds = download_budget_seconds
        url = hub_url or str(station.setting("sync.hub_url") or "")
        if not url:
            raise StationError("no hub address; run: kiosk enroll HUB_URL CODE")
        token = token_store(station).read()
        if token is None:
            raise StationError("no hub token; run: kiosk enroll HUB_URL CODE")
        self.hub_url = url
        # The touchscreen's camera, for the health report ("ok" | "unavailable"); the CLI
        # has none to tell about.
        self.camera_state: Callable[[], str] = lambda: "unknown"
        self.max_batch_events = min(max_batch_events, MAX_BATCH_EVENTS)
        self.max_batch_bytes = min(max_batch_bytes, MAX_BATCH_BYTES)
        self.transport = HubTransport(url, token, timeout)

    def close(self) -> None:
        self.transport.close()

    def _db(self, fn: Callable[[Session], T], write: bool = True) -> T:
        runner = _write if write else _read
        return self.station.worker.call(lambda: runner(self.station, fn))

    def status(self) -> state.SyncStatus:
        return self._db(state.status, write=False)

    def _record_failure(self, error: SyncError) -> None:
        now = self.station.clock.now()
        if isinstance(error, StationRevoked):
            self._db(lambda s: state.record_revoked(s, "station revoked by the hub", now))
            log.warning("the hub revoked this station; sync stopped, events kept")
        else:
            self._db(lambda s: state.record_error(s, str(error), now))
            log.info("sync failed: %s", error)

    # -- push -------------------------------------------------------------------------------

    def _batch(self, limit: int) -> list[state.Outgoing]:
        candidates = self._db(lambda s: state.next_events(s, limit), write=False)
        batch: list[state.Outgoing] = []
        size = ENVELOPE_BYTES
        for item in candidates:
            if batch and size + item.size + 1 > self.max_batch_bytes:
                break
            batch.append(item)
            size += item.size + 1
        return batch

    def push_once(self) -> PushReport:
        """Send every undelivered event in seq order; stops at the first failure (raised)."""
        report = PushReport()
        info = self.status()
        if not info.enrolled:
            raise StationError("this station is not enrolled")
        hub_station_id = info.hub_station_id or ""
        limit = self.max_batch_events
        for _ in range(100_000):  # bounded: each round delivers or quarantines ≥ 1 event
            batch = self._batch(limit)
            if not batch:
                break
            if batch[0].size + ENVELOPE_BYTES > self.max_batch_bytes:
                self._quarantine_one(batch[0], "too_large: over the batch byte limit", report)
                continue
            started = self.station.clock.now()
            request = PushRequest(
                station_id=hub_station_id, sent_at=started, events=[o.event for o in batch]
            )
            try:
                response = self.transport.push(request)
            except RequestRefused as e:
                if not e.body_error:
                    self._record_failure(e)
                    raise
                if len(batch) > 1:
                    limit = 1  # find the event the hub cannot read by sending one at a time
                    continue
                self._quarantine_one(batch[0], f"refused ({e.status}): {e.detail}", report)
                continue
            except SyncError as e:
                self._record_failure(e)
                raise
            offset = _offset(started, self.station.clock.now(), response.server_time)
            now = self.station.clock.now()
            try:
                counts = self._db(
                    lambda s, b=batch, r=response, n=now, o=offset: state.record_delivery(
                        s, b, r.results, n, o
                    )
                )
            except state.ProtocolMismatch as e:
                self._record_failure(e)
                raise
            before = response.answered_seq_before
            if before is not None and self._rewind(before, upto=batch[0].seq - 1):
                report.hub_lost_events = True
            report.batches += 1
            report.accepted += counts[EventStatus.ACCEPTED]
            report.duplicate += counts[EventStatus.DUPLICATE]
            report.rejected += counts[EventStatus.REJECTED]
            limit = self.max_batch_events
        return report

    def _rewind(self, answered_seq: int, upto: int | None = None) -> bool:
        old = self._db(lambda s: state.rewind_to_hub(s, answered_seq, upto))
        if old is None:
            return False
        log.warning(
            "the hub has events of this station only up to seq %d (ours were delivered up to "
            "%d): it lost some, e.g. restored from a backup; sending them again",
            answered_seq,
            old,
        )
        return True

    def _quarantine_one(self, item: state.Outgoing, reason: str, report: PushReport) -> None:
        now = self.station.clock.now()
        self._db(lambda s: state.quarantine_unsendable(s, item, reason, now))
        report.rejected += 1
        log.warning("event %s (seq %d) quarantined: %s", item.event.id, item.seq, reason)

    # -- pull -------------------------------------------------------------------------------

    def pull_once(self) -> PullReport:
        """Fetch the change feed page by page; each page and its cursor in one transaction.

        410 → a full resync: the feed is pulled again from its start, and at its last page
        what the hub no longer has is removed. A resync cut short (crash, network) goes on
        from its last applied page next time and still ends with that sweep.
        """
        report = PullReport()
        cursor = self.status().cursor
        for _ in range(MAX_PAGES):
            started = self.station.clock.now()
            try:
                page = self.transport.changes(cursor)
            except CursorExpired as e:
                if report.resynced:
                    self._record_failure(e)
                    raise
                log.info("hub no longer serves cursor %s; resyncing from the start", cursor)
                report.resynced, cursor = True, None

                def restart(s: Session) -> None:
                    state.set_cursor(s, None)
                    apply.start_resync(s)

                self._db(restart)
                continue
            except SyncError as e:
                self._record_failure(e)
                raise
            now = self.station.clock.now()
            offset = _offset(started, now, page.server_time)
            keys = apply.search_keys_for(page.changes)  # here, not in the transaction

            def save(s: Session, page=page, now=now, offset=offset, keys=keys) -> apply.Applied:
                applied = apply.apply_changes(s, page.changes, now, keys)
                if not page.more and apply.resync_in_progress(s):
                    applied.add(apply.finish_resync(s))
                state.set_cursor(s, page.cursor)
                state.record_pull(s, now, offset)
                return applied

            applied = self._db(save)
            if page.answered_seq is not None and self._rewind(page.answered_seq):
                report.hub_lost_events = True
            report.pages += 1
            report.count(applied)
            if applied.keyring_changed:
                self.station.reload_keyring()
            cursor = page.cursor
            if not page.more:
                break
        return report

    # -- packages ---------------------------------------------------------------------------

    def download_once(self) -> DownloadReport:
        """Fetch, verify and install the packages the feed announced; remove withdrawn ones.

        Problems are recorded per package (``kiosk sync-status``), never raised: events and
        news already went through, and a cut download resumes next round.
        """
        downloader = Downloader(
            self.station, self.transport, budget_seconds=self.download_budget_seconds
        )
        return downloader.run()

    def sync_once(self) -> SyncReport:
        """Push before pull, as the issue asks: our facts go up before we take news; then the
        station's health report, and the packages the news announced are downloaded.

        When the pull shows the hub lost some of our events, they go up again at once.
        """
        report = SyncReport(push=self.push_once(), pull=self.pull_once())
        if report.pull.hub_lost_events:
            again = self.push_once()
            report.push.batches += again.batches
            report.push.accepted += again.accepted
            report.push.duplicate += again.duplicate
            report.push.rejected += again.rejected
            report.push.hub_lost_events = True
        self.report_health()  # before the downloads, which may take their whole budget
        report.downloads = self.download_once()
        return report

    def report_health(self) -> bool:
        """Tell the hub the app version, free disk, camera and last backup; True if it took
        it. A hub without the endpoint (older) or a failure here never fails the round."""
        from kiosk.core.health import DEFAULT_RESERVE_MB, health_report
        from kiosk.sync.protocol import StationHealth

        try:
            reserve = float(self.station.setting("disk.reserve_mb") or DEFAULT_RESERVE_MB)
            fields = health_report(self.station.paths.data_dir, reserve, self.camera_state())
            health = StationHealth(**fields, reported_at=self.station.clock.now())
            self.transport.report_health(health)
        except (SyncError, OSError, ValueError) as e:
            log.info("health report not delivered: %s", e)
            return False
        return True
