"""Figures across all stations from ``visit.checked_in`` / ``visit.checked_out`` events.

A visit is counted once per station and visit id (events are stored once, so retries
never inflate 人次). A visit belongs to the local day it began; its rest time comes from
its check-out event. Aggregated in Python over the JSON payloads to stay portable between
SQLite and PostgreSQL; a projected visits table is the step after this one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.hub.models import HubEvent, HubStation

UNKNOWN_TRADE = "未知"


@dataclass
class Figures:
    visits: int = 0
    people: set[str] = field(default_factory=set)
    rest_seconds: int = 0

    def record(self) -> dict[str, object]:
        return {
            "visits": self.visits,
            "distinct_people": len(self.people),
            "rest_hours": round(self.rest_seconds / 3600, 2),
        }


@dataclass
class HubStats:
    overall: Figures
    by_station: dict[str, Figures]  # station name
    by_trade: dict[str, Figures]
    by_day: dict[date, Figures]


def hub_stats(
    session: Session, date_from: date | None, date_to: date | None, tz: ZoneInfo
) -> HubStats:
    names = {sid: name for sid, name in session.execute(select(HubStation.id, HubStation.name))}
    visits: dict[tuple[str, str], tuple[date, str, str | None]] = {}
    rest: dict[tuple[str, str], int] = {}
    rows = session.execute(
        select(HubEvent.station_id, HubEvent.type, HubEvent.payload)
        .where(HubEvent.type.in_(["visit.checked_in", "visit.checked_out"]))
        .order_by(HubEvent.pk)
    )
    for station_id, type_, payload in rows:
        key = (station_id, str(payload["visit_id"]))
        if type_ == "visit.checked_in":
            day = datetime.fromisoformat(payload["checked_in_at"]).astimezone(tz).date()
            visits[key] = (day, payload.get("trade") or UNKNOWN_TRADE, payload.get("person_id"))
        else:
            rest[key] = int(payload.get("rest_seconds") or 0)
    result = HubStats(Figures(), defaultdict(Figures), defaultdict(Figures), defaultdict(Figures))
    for key, (day, trade, person_id) in visits.items():
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        station = names.get(key[0], key[0])
        for figures in (
            result.overall,
            result.by_station[station],
            result.by_trade[trade],
            result.by_day[day],
        ):
            figures.visits += 1
            if person_id:
                figures.people.add(person_id)
            figures.rest_seconds += rest.get(key, 0)
    return result
