"""Figures and exports across all stations, from the visits projected on the hub.

A visit is one row per station and visit id (events are stored once, so retries never
inflate 人次). A visit belongs to the local day it began; its rest time comes from its
check-out. Rows are selected in SQL by time range; grouping by local day happens in
Python, which keeps the time-zone arithmetic the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kiosk.hub.models import HubPerson, HubStation, HubVisit

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


def _bounds(tz: ZoneInfo, date_from: date | None, date_to: date | None) -> Select[tuple[HubVisit]]:
    query = select(HubVisit).where(HubVisit.checked_in_at.is_not(None))
    if date_from is not None:
        query = query.where(HubVisit.checked_in_at >= datetime.combine(date_from, time(), tz))
    if date_to is not None:
        end = datetime.combine(date_to + timedelta(days=1), time(), tz)
        query = query.where(HubVisit.checked_in_at < end)
    return query


def hub_stats(
    session: Session, date_from: date | None, date_to: date | None, tz: ZoneInfo
) -> HubStats:
    names = {sid: name for sid, name in session.execute(select(HubStation.id, HubStation.name))}
    result = HubStats(Figures(), defaultdict(Figures), defaultdict(Figures), defaultdict(Figures))
    for visit in session.scalars(_bounds(tz, date_from, date_to)):
        assert visit.checked_in_at is not None
        day = visit.checked_in_at.astimezone(tz).date()
        station = names.get(visit.station_id, visit.station_id)
        for figures in (
            result.overall,
            result.by_station[station],
            result.by_trade[visit.trade or UNKNOWN_TRADE],
            result.by_day[day],
        ):
            figures.visits += 1
            if visit.person_id:
                figures.people.add(visit.person_id)
            figures.rest_seconds += visit.rest_seconds or 0
            figures.overlapping += visit.overlap
    return result


def visit_rows(
    session: Session, date_from: date, date_to: date, tz: ZoneInfo
) -> Iterator[dict[str, object]]:
    """One export row per visit begun between the two local days (inclusive)."""
    query = (
        _bounds(tz, date_from, date_to)
        .add_columns(HubStation.name, HubPerson.name)
        .join(HubStation, HubStation.id == HubVisit.station_id)
        .outerjoin(HubPerson, HubPerson.id == HubVisit.person_id)
        .order_by(HubVisit.checked_in_at, HubVisit.id)
    )

    def local(value: datetime | None) -> str:
        return "" if value is None else value.astimezone(tz).isoformat(timespec="seconds")

    for visit, station_name, person_name in session.execute(query):
        yield {
            "station": station_name,
            "station_id": visit.station_id,
            "visit_id": visit.visit_id,
            "person_id": visit.person_id or "",
            "name": person_name or "",
            "trade": visit.trade or UNKNOWN_TRADE,
            "method": visit.method or "",
            "checked_in_at": local(visit.checked_in_at),
            "checked_out_at": local(visit.checked_out_at),
            "rest_minutes": "" if visit.rest_seconds is None else round(visit.rest_seconds / 60),
            "auto_closed": int(visit.auto_closed),
            "unverified": int(visit.unverified),
            "overlap": int(visit.overlap),
        }


def export_visits(session: Session, out: Path, date_from: date, date_to: date, tz: ZoneInfo) -> int:
    """Write the visits as CSV (UTF-8 with BOM, so Excel reads the names); returns the count."""
    count = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in visit_rows(session, date_from, date_to, tz):
            writer.writerow(row)
            count += 1
    tmp.replace(out)
    return count
