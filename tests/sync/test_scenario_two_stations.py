"""The same badge at two stations that are both offline, at overlapping times.

张三's badge was issued at A; B synced A's key and roster before the network went. Both
greet him by name; when the hub is back both visits are stored (facts are never refused)
and flagged as overlapping, in the stats and the export.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.core.clock import ManualClock
from kiosk.core.results import Greeting, Outcome
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.hub.models import HubVisit
from kiosk.hub.stats import export_visits, hub_stats
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation
from tests.sync.scenario import assert_hub_matches

TZ = ZoneInfo("Asia/Shanghai")


def test_same_badge_at_two_offline_stations(tmp_path: Path, make_station: MakeStation):
    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub = HubServer(db_url).start()
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2))
    a = make_station("东站", hub, clock=clock)
    b = make_station("西站", hub, clock=clock)
    zhang = a.add_person(name="张三", trade=Trade.SANITATION, team="一队")
    token = a.issue_badge(zhang.id).token
    for station in (a, b):
        SyncClient(station).sync_once()  # A pushes the badge; B learns key and roster
    assert [p.name for p in b.people()] == ["张三"]
    hub.stop()  # both stations offline from here

    def scan(station: StationService, outcome: Outcome) -> None:
        result = station.scan(token)
        assert result.outcome is outcome
        assert result.greeting is Greeting.PERSON and result.person.name == "张三"

    scan(a, Outcome.CHECKED_IN)  # 09:00 at A
    clock.advance(minutes=20)
    scan(b, Outcome.CHECKED_IN)  # 09:20 at B (a lent card, or a forgotten check-out)
    clock.advance(minutes=20)
    scan(a, Outcome.CHECKED_OUT)  # 09:40 out at A
    clock.advance(minutes=10)
    scan(b, Outcome.CHECKED_OUT)  # 09:50 out at B
    a.trade_visit(Trade.GREENING)
    b.trade_visit(Trade.DELIVERY)

    clock.set(datetime.now(UTC))
    hub = HubServer(db_url, port=hub.port).start()  # the network is back
    try:
        for station in (a, b):
            client = SyncClient(station)
            report = client.sync_once()
            assert report.push.rejected == 0 and client.status().pending == 0
            client.close()
        assert_hub_matches(hub.db, [a, b])

        with hub.db.read() as s:
            his = list(s.scalars(select(HubVisit).where(HubVisit.person_id == zhang.id)))
            figures = hub_stats(s, None, None, TZ)
        assert len(his) == 2 and all(v.overlap for v in his)
        assert {v.rest_seconds for v in his} == {40 * 60, 30 * 60}
        assert figures.overall.overlapping == 2
        assert figures.overall.visits == 4 and len(figures.overall.people) == 1
        assert {name: f.visits for name, f in figures.by_station.items()} == {"东站": 2, "西站": 2}

        day = his[0].checked_in_at.astimezone(TZ).date()
        out = tmp_path / "visits.csv"
        with hub.db.read() as s:
            export_visits(s, out, day - timedelta(days=1), day + timedelta(days=1), TZ)
        with out.open(encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r["person_id"] == zhang.id]
        assert sorted(r["station"] for r in rows) == ["东站", "西站"]
        assert all(r["overlap"] == "1" and r["name"] == "张三" for r in rows)
    finally:
        hub.stop()
