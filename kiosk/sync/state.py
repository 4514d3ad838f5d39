"""The sync engine's tables in the station database: what is delivered, what is not.

Every function takes an open session of the caller's transaction and runs on the
station's database thread. Outbox rows are only read here, never changed or deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.store.models import OutboxEvent, SyncQuarantine, SyncState
from kiosk.sync.apply import apply_key, start_resync
from kiosk.sync.protocol import EventResult, EventStatus, KeyInfo, PushEvent
from kiosk.sync.transport import SyncError

STATE_ID = 1


class NotEnrolled(Exception):
    """The station has not enrolled with a hub yet."""


class ProtocolMismatch(SyncError):
    """The hub's answer does not match what was sent; nothing is recorded."""


@dataclass(frozen=True)
class Outgoing:
    seq: int
    event: PushEvent
    size: int  # encoded bytes, for the batch byte limit


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    hub_station_id: str | None
    pending: int
    quarantined: int
    delivered_seq: int
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    cursor: str | None
    clock_offset_seconds: float | None
    revoked_at: datetime | None


def state_or_none(s: Session) -> SyncState | None:
    return s.get(SyncState, STATE_ID)


def require_state(s: Session) -> SyncState:
    state = state_or_none(s)
    if state is None:
        raise NotEnrolled("this station is not enrolled; run: kiosk enroll HUB_URL CODE")
    return state


def enrolled(s: Session, hub_station_id: str, now: datetime) -> SyncState:
    """Record an enrolment. Enrolled again, the station starts over: every event is sent
    again from the first, the feed is read from its start (a full resync), errors and a
    revocation are forgotten. Quarantined events keep their first reason."""
    state = state_or_none(s)
    if state is None:
        state = SyncState(id=STATE_ID)
        s.add(state)
    else:
        start_resync(s)  # what the (new) hub no longer has goes once the feed is read
    state.hub_station_id = hub_station_id
    state.enrolled_at = now
    state.delivered_seq = 0
    state.cursor = None
    state.revoked_at = None
    state.last_error = state.last_error_at = None
    return state


def next_events(s: Session, limit: int) -> list[Outgoing]:
    state = require_state(s)
    rows = s.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.seq > state.delivered_seq)
        .order_by(OutboxEvent.seq)
        .limit(limit)
    )
    out = []
    for row in rows:
        fields = {
            "id": row.id,
            "seq": row.seq,
            "type": row.type,
            "schema_version": row.schema_version,
            "payload": row.payload,
            "device_time": row.device_time.isoformat(),
        }
        # Not validated here: the hub judges each event, and a row this version cannot
        # express must still reach it (to be rejected and quarantined), not stall the queue.
        event = PushEvent.model_construct(**fields)
        size = len(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode())
        out.append(Outgoing(row.seq, event, size))
    return out


def record_delivery(
    s: Session,
    sent: list[Outgoing],
    results: list[EventResult],
    now: datetime,
    clock_offset: float,
) -> dict[EventStatus, int]:
    """Apply the hub's per-event answer in one transaction: advance the mark, quarantine."""
    if [r.id for r in results] != [o.event.id for o in sent]:
        raise ProtocolMismatch("the hub answered for other events than were sent")
    state = require_state(s)
    if sent[0].seq != state.delivered_seq + 1:
        raise ProtocolMismatch("the batch no longer starts at the delivery mark")
    counts = dict.fromkeys(EventStatus, 0)
    for outgoing, result in zip(sent, results, strict=True):
        counts[result.status] += 1
        if result.status is EventStatus.REJECTED:
            _quarantine(s, outgoing, result.reason or "rejected", now)
    state.delivered_seq = sent[-1].seq
    state.last_attempt_at = state.last_success_at = now
    state.last_error = state.last_error_at = None
    state.clock_offset_seconds = clock_offset
    return counts


def quarantine_unsendable(s: Session, outgoing: Outgoing, reason: str, now: datetime) -> None:
    """Quarantine the event at the delivery mark that can never be sent (e.g. too large)."""
    state = require_state(s)
    if outgoing.seq != state.delivered_seq + 1:
        raise ProtocolMismatch("not the next event")
    _quarantine(s, outgoing, reason, now)
    state.delivered_seq = outgoing.seq


def _quarantine(s: Session, outgoing: Outgoing, reason: str, now: datetime) -> None:
    if s.get(SyncQuarantine, outgoing.seq) is not None:
        return  # sent again after the hub lost it (see rewind_to_hub): the first reason stays
    s.add(
        SyncQuarantine(
            seq=outgoing.seq, event_id=outgoing.event.id, reason=reason[:500], quarantined_at=now
        )
    )


def rewind_to_hub(s: Session, answered_seq: int, upto: int | None = None) -> int | None:
    """Move the delivery mark back when the hub lost events it had answered for.

    ``answered_seq`` is the highest seq the hub says it has answered for; ``upto`` the last
    seq it should have (default: the mark). A hub restored from an older backup reports
    less. Quarantined events were never stored there, so only a missing event that is not
    quarantined counts; then the mark goes back to ``answered_seq`` and the events after it
    are sent again (what the hub still has comes back as duplicates). Returns the old mark
    when it moved.
    """
    state = require_state(s)
    upto = state.delivered_seq if upto is None else min(upto, state.delivered_seq)
    if answered_seq >= upto:
        return None
    lost = s.scalar(
        select(func.count())
        .select_from(OutboxEvent)
        .where(OutboxEvent.seq > answered_seq, OutboxEvent.seq <= upto)
        .where(OutboxEvent.seq.not_in(select(SyncQuarantine.seq)))
    )
    if not lost:
        return None
    old, state.delivered_seq = state.delivered_seq, answered_seq
    return old


def record_error(s: Session, message: str, now: datetime) -> None:
    state = require_state(s)
    state.last_attempt_at = state.last_error_at = now
    state.last_error = message[:500]


def record_revoked(s: Session, message: str, now: datetime) -> None:
    state = require_state(s)
    record_error(s, message, now)
    if state.revoked_at is None:
        state.revoked_at = now


def record_pull(s: Session, now: datetime, clock_offset: float) -> None:
    state = require_state(s)
    state.last_attempt_at = state.last_success_at = now
    state.last_error = state.last_error_at = None
    state.clock_offset_seconds = clock_offset


def apply_keys(s: Session, keys: list[KeyInfo], cursor: str | None, now: datetime) -> int:
    """Learn other stations' keys and store the new cursor, in the caller's transaction.

    Returns how many keys are new or changed. The station's own key is never overwritten.
    """
    changed = sum(apply_key(s, key, now) for key in keys)
    state = state_or_none(s)
    if state is not None:
        state.cursor = cursor
    return changed


def set_cursor(s: Session, cursor: str | None) -> None:
    require_state(s).cursor = cursor


def status(s: Session) -> SyncStatus:
    state = state_or_none(s)
    mark = state.delivered_seq if state else 0
    pending = s.scalar(select(func.count()).where(OutboxEvent.seq > mark)) or 0
    quarantined = s.scalar(select(func.count()).select_from(SyncQuarantine)) or 0
    return SyncStatus(
        enrolled=state is not None,
        hub_station_id=state.hub_station_id if state else None,
        pending=pending,
        quarantined=quarantined,
        delivered_seq=mark,
        last_attempt_at=state.last_attempt_at if state else None,
        last_success_at=state.last_success_at if state else None,
        last_error=state.last_error if state else None,
        last_error_at=state.last_error_at if state else None,
        cursor=state.cursor if state else None,
        clock_offset_seconds=state.clock_offset_seconds if state else None,
        revoked_at=state.revoked_at if state else None,
    )


def quarantined_events(s: Session) -> list[dict[str, Any]]:
    """Quarantined events with their full outbox rows, for the keeper to export."""
    rows = s.execute(
        select(SyncQuarantine, OutboxEvent)
        .join(OutboxEvent, OutboxEvent.seq == SyncQuarantine.seq)
        .order_by(SyncQuarantine.seq)
    )
    return [
        {
            "seq": q.seq,
            "id": e.id,
            "type": e.type,
            "schema_version": e.schema_version,
            "device_time": e.device_time.isoformat(),
            "payload": json.loads(json.dumps(e.payload)),
            "reason": q.reason,
            "quarantined_at": q.quarantined_at.isoformat(),
        }
        for q, e in rows
    ]
