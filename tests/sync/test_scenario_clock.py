"""The station's clock jumping backwards (an NTP correction, a dead RTC battery, a keeper
setting the time by hand) in the middle of the day.

Facts are never refused: a worker checked in before the jump checks out after it, checks
in again, and so on. No rest time is negative anywhere (station figures, the events, the
hub's visits, stats and export); the events still reach the hub in the station's order;
the hub and the station both show the clock as off.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.core.clock import ManualClock
from kiosk.core.results import Greeting, Outcome
from kiosk.core.trades import Trade
from kiosk.hub import stations
from kiosk.hub.models import HubEvent, HubVisit
from kiosk.hub.stats import export_visits, hub_stats
from kiosk.store.models import OutboxEvent, Visit
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation
from tests.sync.scenario import assert_hub_matches

TZ = ZoneInfo("Asia/Shanghai")


def test_clock_jumping_back_two_hours_mid_day(
    hub: HubServer, make_station: MakeStation, tmp_path: Path
):
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)
    clock = ManualClock(start)
    station = make_station("东站", hub, clock=clock)
    zhang = station.add_person(name="张三", trade=Trade.SANITATION)
    li = station.add_person(name="李四", trade=Trade.MUNICIPAL)
    zhang_badge = station.issue_badge(zhang.id).token
    li_badge = station.issue_badge(li.id).token
    outcomes = []

    def at(minutes: float) -> None:
        clock.advance(minutes=minutes)

    def scan(token: str) -> None:
        result = station.scan(token)
        assert result.greeting is Greeting.PERSON
        outcomes.append(result.outcome)

    scan(zhang_badge)  # 张三 checks in
    at(5)
    station.trade_visit(Trade.DELIVERY)
    at(5)
    scan(li_badge)  # 李四 checks in
    at(1)
    clock.advance(hours=-2)  # the clock jumps back while both are resting
    at(5)
    scan(zhang_badge)  # 张三 leaves: before his check-in by the clock
    at(1)
    station.trade_visit(Trade.DELIVERY)
    at(5)
    scan(zhang_badge)  # …comes back
    at(20)
    scan(zhang_badge)  # …and leaves after a 20-minute rest
    at(1)
    scan(li_badge)  # 李四 leaves
    station.trade_visit(Trade.GREENING)
    clock.advance(minutes=-30)  # and once more, between two events
    station.trade_visit(Trade.GREENING)

    assert outcomes == [
        Outcome.CHECKED_IN,
        Outcome.CHECKED_IN,
        Outcome.CHECKED_OUT,
        Outcome.CHECKED_IN,
        Outcome.CHECKED_OUT,
        Outcome.CHECKED_OUT,
    ]
    with station.db.read() as s:
        visits = list(s.scalars(select(Visit)))
        rests = [
            e.payload["rest_seconds"]
            for e in s.scalars(select(OutboxEvent).where(OutboxEvent.type == "visit.checked_out"))
        ]
    assert len(visits) == 7
    assert all(v.checked_out_at is None or v.checked_out_at >= v.checked_in_at for v in visits)
    assert sorted(rests) == [0, 0, 20 * 60]
    days = sorted({v.checked_in_at.astimezone(TZ).date() for v in visits})
    for day in days:
        assert station.figures(day).rest_hours >= 0

    client = SyncClient(station)
    report = client.sync_once()
    assert report.push.rejected == 0 and client.status().quarantined == 0
    assert client.status().clock_offset_seconds < -3600  # the station sees its clock is off
    client.close()
    assert_hub_matches(hub.db, [station])  # every event, once, in the station's seq order

    with hub.db.read() as s:
        [row] = stations.list_stations(s)
        assert row.clock_flagged  # `kiosk-hub station list` shows (CHECK CLOCK)
        assert all(s.scalars(select(HubEvent.clock_flagged)))
        hub_rests = list(s.scalars(select(HubVisit.rest_seconds)))
        figures = hub_stats(s, None, None, TZ)
    assert sorted(r for r in hub_rests if r is not None) == [0, 0, 20 * 60]
    assert figures.overall.rest_seconds == 20 * 60
    for day in days:
        mine, theirs = station.figures(day), figures.by_day[day].record()
        assert theirs["visits"] == mine.visits
        assert theirs["rest_hours"] == mine.rest_hours >= 0

    out = tmp_path / "visits.csv"
    with hub.db.read() as s:
        assert export_visits(s, out, days[0], days[-1], TZ) == 7
    with out.open(encoding="utf-8-sig") as f:
        minutes = [int(r["rest_minutes"]) for r in csv.DictReader(f) if r["rest_minutes"]]
    assert sorted(minutes) == [0, 0, 20]
