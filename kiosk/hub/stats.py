"""Figures and exports across all stations, from the visits projected on the hub, and
study figures straight from the stored study events.

A visit is one row per station and visit id (events are stored once, so retries never
inflate 人次). Only visits whose badge was verified (by the station, or later by the hub)
count; the others are counted apart by reason (:mod:`kiosk.hub.verification`) and flagged
in the export's ``excluded`` column. A visit belongs to the local day it began; its rest
time comes from its check-out. Rows are selected in SQL by time range; grouping by local
day happens in Python, which keeps the time-zone arithmetic the same on SQLite and
PostgreSQL.

Study hours and quiz pass rates are summed in SQL over ``hub_events`` of type
``study.session_recorded`` and ``quiz.attempted`` (by the station's time of the event).
A payload field of the wrong JSON type counts as 0 / not passed instead of failing.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from kiosk.events.schema import EventType
from kiosk.hub.models import HubEvent, HubPerson, HubStation, HubVisit
from kiosk.hub.verification import excluded_reason

UNKNOWN_TRADE = "未知"
EXPORT_COLUMNS = (
    "station",
    "station_id",
    "visit_id",
    "person_id",
    "name",
    "trade",
    "method",
    "checked_in_at",
    "checked_out_at",
    "rest_minutes",
    "auto_closed",
    "unverified",
    "excluded",  # why the visit is in no figure: forged, revoked, unverifiable, pending
    "overlap",
)


@dataclass
class Figures:
    visits: int = 0
    people: set[str] = field(default_factory=set)
    rest_seconds: int = 0
    overlapping: int = 0

    def record(self) -> dict[str, object]:
        return {
            "visits": self.visits,
            "distinct_people": len(self.people),
            "rest_hours": round(self.rest_seconds / 3600, 2),
            "overlapping_visits": self.overlapping,
        }


@dataclass
class HubStats:
    overall: Figures
    by_station: dict[str, Figures]  # station name
    by_trade: dict[str, Figures]
    by_day: dict[date, Figures]
    # Visits left out of every figure above, by reason (see ``verification.REASONS``).
    excluded: dict[str, int] = field(default_factory=dict)


def _bounds(tz: ZoneInfo, date_from: date | None, date_to: date | None) -> Select[tuple[HubVisit]]:
    query = select(HubVisit).where(HubVisit.checked_in_at.is_not(None))
    if date_from is not None:
        query = query.where(HubVisit.checked_in_at >= datetime.combine(date_from, time(), tz))
    if date_to is not None:
        end = datetime.combine(date_to + timedelta(days=1), time(), tz)
        query = query.where(HubVisit.checked_in_at < end)
    return query


def _trade(visit: HubVisit, roster_trade: str | None) -> str:
    """The trade the station recorded; for a worker it did not know yet (a badge from another
    station, before its roster arrived), the trade the hub's roster has for them."""
    return visit.trade or roster_trade or UNKNOWN_TRADE


def hub_stats(
    session: Session,
    date_from: date | None,
    date_to: date | None,
    tz: ZoneInfo,
    now: datetime | None = None,
    stations: Collection[str] | None = None,
) -> HubStats:
    """``now`` decides which pending visits have waited too long (default: the clock);
    ``stations``: only the visits of these station ids (None: every station)."""
    now = now or datetime.now(UTC)
    names = {sid: name for sid, name in session.execute(select(HubStation.id, HubStation.name))}
    result = HubStats(Figures(), defaultdict(Figures), defaultdict(Figures), defaultdict(Figures))
    query = (
        _bounds(tz, date_from, date_to)
        .add_columns(HubPerson.trade)
        .outerjoin(HubPerson, HubPerson.id == HubVisit.person_id)
    )
    excluded: dict[str, int] = defaultdict(int)
    if stations is not None:
        query = query.where(HubVisit.station_id.in_(list(stations)))
    for visit, roster_trade in session.execute(query):
        assert visit.checked_in_at is not None
        reason = excluded_reason(visit.verification, visit.checked_in_at, now)
        if reason is not None:
            excluded[reason] += 1
            continue
        day = visit.checked_in_at.astimezone(tz).date()
        station = names.get(visit.station_id, visit.station_id)
        for figures in (
            result.overall,
            result.by_station[station],
            result.by_trade[_trade(visit, roster_trade)],
            result.by_day[day],
        ):
            figures.visits += 1
            if visit.person_id:
                figures.people.add(visit.person_id)
            figures.rest_seconds += visit.rest_seconds or 0
            figures.overlapping += visit.overlap
    result.excluded = dict(excluded)
    return result


# -- study -----------------------------------------------------------------------------------

STUDY_SESSION = EventType.STUDY_SESSION_RECORDED.value
QUIZ_ATTEMPT = EventType.QUIZ_ATTEMPTED.value


@dataclass
class StudyFigures:
    sessions: int = 0
    seconds: float = 0
    attempts: int = 0
    passed: int = 0

    def record(self) -> dict[str, object]:
        rate = round(100 * self.passed / self.attempts, 1) if self.attempts else None
        return {
            "study_sessions": self.sessions,
            "study_hours": round(self.seconds / 3600, 2),
            "quiz_attempts": self.attempts,
            "quizzes_passed": self.passed,
            "quiz_pass_rate": rate,  # percent of attempts; None without attempts
        }


@dataclass
class StudyStats:
    overall: StudyFigures
    by_station: dict[str, StudyFigures]  # station name
    by_material: dict[str, StudyFigures]  # material id


def _number(dialect: str, key: str) -> ColumnElement[float]:
    """A numeric payload field; 0 when missing or not a JSON number."""
    if dialect == "postgresql":
        node = HubEvent.payload[key]
        return case((func.json_typeof(node) == "number", node.as_float()), else_=0.0)
    path = f"$.{key}"
    is_number = func.json_type(HubEvent.payload, path).in_(("integer", "real"))
    return case((is_number, func.json_extract(HubEvent.payload, path)), else_=0)


def _true(dialect: str, key: str) -> ColumnElement[bool]:
    """A payload field that is JSON ``true``."""
    if dialect == "postgresql":
        node = HubEvent.payload[key]
        return (func.json_typeof(node) == "boolean") & (node.as_string() == "true")
    return func.json_type(HubEvent.payload, f"$.{key}") == "true"


def study_stats(
    session: Session,
    date_from: date | None,
    date_to: date | None,
    tz: ZoneInfo,
    stations: Collection[str] | None = None,
) -> StudyStats:
    """Study sessions, hours, quiz attempts and passes: overall, by station, by material;
    ``stations``: only the events of these station ids (None: every station)."""
    dialect = session.get_bind().dialect.name
    is_session = HubEvent.type == STUDY_SESSION
    is_attempt = HubEvent.type == QUIZ_ATTEMPT
    figures = (
        func.sum(case((is_session, 1), else_=0)),
        func.sum(case((is_session, _number(dialect, "seconds")), else_=0)),
        func.sum(case((is_attempt, 1), else_=0)),
        func.sum(case((is_attempt & _true(dialect, "passed"), 1), else_=0)),
    )
    where = [HubEvent.type.in_((STUDY_SESSION, QUIZ_ATTEMPT))]
    if stations is not None:
        where.append(HubEvent.station_id.in_(list(stations)))
    if date_from is not None:
        where.append(HubEvent.device_time >= datetime.combine(date_from, time(), tz))
    if date_to is not None:
        where.append(
            HubEvent.device_time < datetime.combine(date_to + timedelta(days=1), time(), tz)
        )

    def make(n: Any, sec: Any, a: Any, p: Any) -> StudyFigures:
        return StudyFigures(int(n or 0), float(sec or 0), int(a or 0), int(p or 0))

    def grouped(expression: ColumnElement[str]) -> dict[str, StudyFigures]:
        key = expression.label("key")  # grouped by the label: one expression on PostgreSQL
        query = select(key, *figures).where(*where).group_by(key)
        return {str(k): make(*rest) for k, *rest in session.execute(query) if k is not None}

    overall = make(*session.execute(select(*figures).where(*where)).one())
    names = {sid: name for sid, name in session.execute(select(HubStation.id, HubStation.name))}
    by_station = {names.get(sid, sid): fig for sid, fig in grouped(HubEvent.station_id).items()}
    by_material = grouped(HubEvent.payload["material_id"].as_string())
    return StudyStats(overall, by_station, by_material)


def visit_rows(
    session: Session,
    date_from: date,
    date_to: date,
    tz: ZoneInfo,
    now: datetime | None = None,
    stations: Collection[str] | None = None,
) -> Iterator[dict[str, object]]:
    """One export row per visit begun between the two local days (inclusive), every one of
    them: a visit left out of the figures says why in ``excluded``; ``stations``: only these
    station ids (None: every station)."""
    now = now or datetime.now(UTC)
    query = (
        _bounds(tz, date_from, date_to)
        .add_columns(HubStation.name, HubPerson.name, HubPerson.trade)
        .join(HubStation, HubStation.id == HubVisit.station_id)
        .outerjoin(HubPerson, HubPerson.id == HubVisit.person_id)
        .order_by(HubVisit.checked_in_at, HubVisit.id)
    )
    if stations is not None:
        query = query.where(HubVisit.station_id.in_(list(stations)))

    def local(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(tz).isoformat(timespec="seconds")

    for visit, station_name, person_name, roster_trade in session.execute(query):
        yield {
            "station": station_name,
            "station_id": visit.station_id,
            "visit_id": visit.visit_id,
            "person_id": visit.person_id or "",
            "name": person_name or "",
            "trade": _trade(visit, roster_trade),
            "method": visit.method or "",
            "checked_in_at": local(visit.checked_in_at),
            "checked_out_at": local(visit.checked_out_at),
            "rest_minutes": "" if visit.rest_seconds is None else round(visit.rest_seconds / 60),
            "auto_closed": int(visit.auto_closed),
            "unverified": int(visit.unverified),
            "excluded": excluded_reason(visit.verification, visit.checked_in_at, now) or "",
            "overlap": int(visit.overlap),
        }


def export_visits(
    session: Session,
    out: Path,
    date_from: date,
    date_to: date,
    tz: ZoneInfo,
    now: datetime | None = None,
) -> int:
    """Write the visits as CSV (UTF-8 with BOM, so Excel reads the names); returns the count."""
    count = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in visit_rows(session, date_from, date_to, tz, now):
            writer.writerow(row)
            count += 1
    tmp.replace(out)
    return count
