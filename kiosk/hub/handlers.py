"""What the hub does with each stored event type: one handler per type (libpretixsync's
adapter per kind of record), looked up by type instead of a string ``match``.

Adding an event type is declaring its model (:mod:`kiosk.events.schema`) and its handler
here; ``tests/hub/test_handlers.py`` fails when a declared type has none. A handler may
project (``project``), take the change feed's lock (``feed_lock``) and name the people whose
visits it may change (``people``, locked in one order on PostgreSQL); a type with no
``project`` is only stored (read by the figures in :mod:`kiosk.hub.stats`, or kept as the
station's record).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.events.schema import EventType, PersonUpserted
from kiosk.hub import feed, projections, verification
from kiosk.hub.activities import projection as activities
from kiosk.hub.models import HubEvent, HubMeta
from kiosk.sync.protocol import BadgeInfo

log = logging.getLogger(__name__)

Payload = dict[str, Any]
# (type, payload, when it happened by the hub's clock — None when unknown)
Projected = tuple[str, Payload, datetime | None]
# (session, station_id, payload, now)
AfterVisits = Callable[[Session, str, Payload, datetime], None]


@dataclass
class Batch:
    """One station's newly stored events, projected in the transaction that stored them.
    Visits are collected and projected together at the end (one insert statement)."""

    session: Session
    station_id: str
    now: datetime
    visits: list[tuple[str, Payload]] = field(default_factory=list)
    # Projected after the visits (an attendance looks for the visit it happened in).
    after_visits: list[tuple[AfterVisits, Payload]] = field(default_factory=list)


def _nobody(p: Payload) -> Iterable[str]:
    return ()


@dataclass(frozen=True)
class Handler:
    use: str  # what the hub does with it, in one line
    project: Callable[[Batch, Payload, datetime | None], None] | None = None
    feed_lock: bool = False
    people: Callable[[Payload], Iterable[str]] = _nobody


def _person(b: Batch, p: Payload, happened_at: datetime | None) -> None:
    # Roster lengths are checked here: an entry the roster cannot hold stays a stored fact.
    info = PersonUpserted.model_validate(p)
    projections.upsert_person(b.session, info, b.station_id, b.now)


def _badge_issued(b: Batch, p: Payload, happened_at: datetime | None) -> None:
    info = BadgeInfo.model_validate(p)
    revoked = projections.revoked_before_it_arrived(b.session, info, happened_at)
    if revoked is not None:  # every station must hear it, the issuer too
        projections.upsert_badge(b.session, revoked, None, b.now)
    else:
        projections.upsert_badge(b.session, info, b.station_id, b.now)


def _badge_revoked(b: Batch, p: Payload, happened_at: datetime | None) -> None:
    projections.upsert_badge(b.session, BadgeInfo.model_validate(p), b.station_id, b.now)


def _visit(type_: EventType) -> Callable[[Batch, Payload, datetime | None], None]:
    def collect(b: Batch, p: Payload, happened_at: datetime | None) -> None:
        b.visits.append((type_, p))  # independent of people and badges

    return collect


def _after_visits(fn: AfterVisits) -> Callable[[Batch, Payload, datetime | None], None]:
    def collect(b: Batch, p: Payload, happened_at: datetime | None) -> None:
        b.after_visits.append((fn, p))

    return collect


def _visitor(p: Payload) -> Iterable[str]:
    return (str(p["person_id"]),) if p.get("person_id") else ()


def _visitor_or_claimed(p: Payload) -> Iterable[str]:
    """Also the person an unverified badge claims: the hub may verify it in this batch."""
    found = list(_visitor(p))
    if p.get("unverified") and (claimed := verification.token_person(p.get("badge_token"))):
        found.append(claimed)
    return found


STORED = "stored only"
HANDLERS: dict[EventType, Handler] = {
    EventType.STATION_INITIALIZED: Handler(STORED + " (the hub learns keys on enrolment)"),
    EventType.PERSON_UPSERTED: Handler("roster (`hub_people`), change feed", _person, True),
    EventType.BADGE_ISSUED: Handler("badges (`hub_badges`), change feed", _badge_issued, True),
    EventType.BADGE_REVOKED: Handler("badges (`hub_badges`), change feed", _badge_revoked, True),
    EventType.VISIT_CHECKED_IN: Handler(
        "visits (`hub_visits`); an unverified badge is checked by the hub",
        _visit(EventType.VISIT_CHECKED_IN),
        people=_visitor_or_claimed,
    ),
    EventType.VISIT_CHECKED_OUT: Handler(
        "visits (`hub_visits`)", _visit(EventType.VISIT_CHECKED_OUT), people=_visitor
    ),
    EventType.VISIT_VERIFIED: Handler(
        "visits: the station's word (`station_verdict`)",
        _visit(EventType.VISIT_VERIFIED),
        people=_visitor,
    ),
    EventType.VISIT_FORGED: Handler(
        "visits: the station's word (`station_verdict`)",
        _visit(EventType.VISIT_FORGED),
        people=_visitor,
    ),
    EventType.SETTING_CHANGED: Handler(STORED),
    EventType.MATERIAL_INSTALLED: Handler(STORED),
    EventType.MATERIAL_REMOVED: Handler(STORED),
    EventType.STUDY_SESSION_RECORDED: Handler(STORED + ": study hours (`hub/stats.py`)"),
    EventType.QUIZ_ATTEMPTED: Handler(STORED + ": quiz pass rates (`hub/stats.py`)"),
    EventType.ACTIVITY_SCHEDULED: Handler(
        "activities (`hub_activities`)", _after_visits(activities.project_scheduled)
    ),
    EventType.ACTIVITY_STARTED: Handler(
        "activities: new start", _after_visits(activities.project_started)
    ),
    EventType.ACTIVITY_ENDED: Handler("activities: ended", _after_visits(activities.project_ended)),
    EventType.ACTIVITY_CANCELLED: Handler(
        "activities: cancelled", _after_visits(activities.project_cancelled)
    ),
    EventType.ATTENDANCE_SIGNED_IN: Handler(
        "attendance (`hub_attendances`), after the batch's visits: 人次 flags, overlaps",
        _after_visits(activities.project_signed_in),
    ),
    EventType.ATTENDANCE_SIGNED_OUT: Handler(
        "attendance: the station's credited minutes, overlaps",
        _after_visits(activities.project_signed_out),
    ),
    EventType.KEEPER_ACTION: Handler(STORED + ": the keeper's audit trail"),
}


def lock_for(session: Session, events: Iterable[tuple[str, Payload]]) -> None:
    """Take the PostgreSQL locks a batch needs, always in one order (feed, then people)."""
    found = [(HANDLERS.get(t), p) for t, p in events]  # type: ignore[call-overload]
    if any(h is not None and h.feed_lock for h, _ in found):
        feed.lock_feed(session)
    people = {person for h, p in found if h is not None for person in h.people(p)}
    projections.lock_people(session, people)


def project(session: Session, station_id: str, events: list[Projected], now: datetime) -> None:
    """Apply one station's newly stored events, in order (they were validated on ingest)."""
    batch = Batch(session, station_id, now)
    for type_, payload, happened_at in events:
        handler = HANDLERS.get(type_)  # type: ignore[call-overload]  # a StrEnum hashes as str
        if handler is None or handler.project is None:
            continue
        try:
            handler.project(batch, payload, happened_at)
        except ValidationError as e:
            # Stored as a fact, but the roster cannot take it (e.g. a name too long for it).
            log.warning("%s from station %s not projected: %s", type_, station_id, e.errors()[0])
    if batch.visits:
        projections.project_visits(session, station_id, batch.visits, now)
    for apply, payload in batch.after_visits:
        apply(session, station_id, payload, now)


def catch_up(session: Session, now: datetime) -> int:
    """Replay events stored before the projections existed (``hub_meta.projection``)."""
    marker = session.get(HubMeta, "projection")
    if marker is None or marker.value != "pending":
        return 0
    projected = sorted(t.value for t, h in HANDLERS.items() if h.project is not None)
    rows = session.execute(
        select(HubEvent.station_id, HubEvent.type, HubEvent.payload)
        .where(HubEvent.type.in_(projected))
        .order_by(HubEvent.pk)
    )
    count = 0
    chunk: list[Projected] = []
    chunk_station = None
    for station_id, type_, payload in rows:
        if chunk and (station_id != chunk_station or len(chunk) >= 500):
            project(session, chunk_station, chunk, now)
            chunk = []
        chunk_station = station_id
        chunk.append((type_, payload, None))  # before person revocations existed
        count += 1
    if chunk and chunk_station is not None:
        project(session, chunk_station, chunk, now)
    session.execute(delete(HubMeta).where(HubMeta.key == "projection"))
    log.info("projected %d earlier event(s)", count)
    return count
