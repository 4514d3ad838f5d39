"""Storing a pushed batch: each event exactly once, committed before the hub answers.

The insert is one ``INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING event_id``: the
ids it returns were accepted now, the others were already stored — a duplicate when the
same station sent them before, a rejection when another station owns that id. Events stored
now (never duplicates) are projected in the same transaction, each by its type's handler
(:mod:`kiosk.hub.handlers`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from kiosk.db.types import UtcDateTime
from kiosk.hub import handlers
from kiosk.hub.events import check_event
from kiosk.hub.models import HubEvent, HubStation
from kiosk.sync.protocol import (
    CLOCK_OFFSET_FLAG_SECONDS,
    EventResult,
    EventStatus,
    PushRequest,
)

# PostgreSQL: the batch as one JSON document in one short statement. A VALUES list of 500
# rows has 5,000 placeholders, which the driver parses again for every batch (it caches
# only short queries), and text arrays of payloads cost as much to escape; the server reads
# this one in C. ORDER BY keeps the rows (and their pk) in batch order.
_PG_INSERT = text(
    "INSERT INTO hub_events (event_id, station_id, seq, type, schema_version, payload,"
    " device_time, received_at, clock_offset_seconds, clock_flagged)"
    " SELECT e.event_id, :station_id, e.seq, e.type, e.schema_version, e.payload,"
    " e.device_time, :received_at, :offset, :flagged"
    " FROM ROWS FROM (json_to_recordset(CAST(:rows AS json)) AS (event_id varchar,"
    " seq integer, type varchar, schema_version integer, payload json, device_time timestamp))"
    " WITH ORDINALITY AS e(event_id, seq, type, schema_version, payload, device_time, n)"
    " ORDER BY e.n"
    " ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
)
_UTC = UtcDateTime()


def _naive_utc(value: datetime) -> datetime:
    converted = _UTC.process_bind_param(value, None)
    assert converted is not None
    return converted


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Insert rows, skipping event ids already present; returns the ids inserted now.

    Every row has the same station, received time and clock offset (one push).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        first = rows[0]
        document = [
            {
                "event_id": r["event_id"],
                "seq": r["seq"],
                "type": r["type"],
                "schema_version": r["schema_version"],
                "payload": r["payload"],
                "device_time": _naive_utc(r["device_time"]).isoformat(),
            }
            for r in rows
        ]
        found = session.execute(
            _PG_INSERT,
            {
                "station_id": first["station_id"],
                "received_at": _naive_utc(first["received_at"]),
                "offset": first["clock_offset_seconds"],
                "flagged": first["clock_flagged"],
                "rows": json.dumps(document),
            },
        )
        return set(found.scalars())
    if dialect != "sqlite":
        raise RuntimeError(f"unsupported database for the hub: {dialect}")
    table = HubEvent.__table__
    stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=["event_id"])
    # executemany, not one huge VALUES clause: the statement compiles once and is cached,
    # and SQLAlchemy still sends the rows in few statements ("insertmanyvalues").
    return set(session.execute(stmt.returning(table.c.event_id), rows).scalars())


def _same_device(session: Session, station: HubStation, owners: set[str]) -> set[str]:
    """Hub station ids that are this station: itself, and earlier enrolments of the same
    device (``kiosk enroll --again`` gets a new hub id; its old events are its own)."""
    mine = {station.id}
    others = owners - mine
    if others and station.local_station_id:
        mine |= set(
            session.scalars(
                select(HubStation.id).where(
                    HubStation.id.in_(others),
                    HubStation.local_station_id == station.local_station_id,
                )
            )
        )
    return mine


def ingest(
    session: Session, station: HubStation, req: PushRequest, now: datetime
) -> tuple[list[EventResult], float]:
    """Store the batch in the caller's transaction; returns per-event results and the offset."""
    offset = (req.sent_at - now).total_seconds()
    flagged = abs(offset) > CLOCK_OFFSET_FLAG_SECONDS
    results: dict[int, EventResult] = {}
    rows: list[dict[str, Any]] = []
    row_index: dict[str, int] = {}
    for i, event in enumerate(req.events):
        if event.id in row_index:
            results[i] = EventResult(id=event.id, status=EventStatus.DUPLICATE)
            continue
        device_time, problem = check_event(event)
        if problem is not None:
            results[i] = EventResult(id=event.id, status=EventStatus.REJECTED, reason=problem)
            continue
        row_index[event.id] = i
        rows.append(
            {
                "event_id": event.id,
                "station_id": station.id,
                "seq": event.seq,
                "type": event.type,
                "schema_version": event.schema_version,
                "payload": event.payload,
                "device_time": device_time,
                "received_at": now,
                "clock_offset_seconds": offset,
                "clock_flagged": flagged,
            }
        )
    handlers.lock_for(session, ((r["type"], r["payload"]) for r in rows))
    inserted = _insert_ignoring_duplicates(session, rows) if rows else set()
    # When each fresh event happened by the hub's clock, as well as the station's offset tells.
    fresh = [
        (r["type"], r["payload"], r["device_time"] - timedelta(seconds=offset))
        for r in rows
        if r["event_id"] in inserted
    ]
    handlers.project(session, station.id, fresh, now)  # in batch order
    conflicted = [r["event_id"] for r in rows if r["event_id"] not in inserted]
    owners: dict[str, str] = {}
    if conflicted:
        found = session.execute(
            select(HubEvent.event_id, HubEvent.station_id).where(HubEvent.event_id.in_(conflicted))
        )
        owners = {event_id: owner for event_id, owner in found}
    mine = _same_device(session, station, set(owners.values()))
    for event_id, i in row_index.items():
        if event_id in inserted:
            results[i] = EventResult(id=event_id, status=EventStatus.ACCEPTED)
        elif owners.get(event_id) in mine:
            results[i] = EventResult(id=event_id, status=EventStatus.DUPLICATE)
        else:
            results[i] = EventResult(
                id=event_id, status=EventStatus.REJECTED, reason="event_id_taken"
            )
    # In SQL, so two pushes of one station at once on PostgreSQL cannot lower it.
    top = max(e.seq for e in req.events)
    answered = func.coalesce(HubStation.answered_seq, 0)
    station.answered_seq = case((answered >= top, answered), else_=top)  # type: ignore[assignment]
    station.last_seen_at = now
    station.clock_offset_seconds = offset
    station.clock_flagged = flagged
    return [results[i] for i in range(len(req.events))], offset
