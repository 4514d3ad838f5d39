"""The hub checks the badges stations could not (issue 10), with real stations pushing to a
real hub on 127.0.0.1 (SQLite and PostgreSQL), read back through ``kiosk-hub``."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.core.badges import issue_token
from kiosk.core.checkin import Greeting
from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.hub.models import HubVisit
from kiosk.hub.stats import hub_stats
from kiosk.sync.client import SyncClient
from kiosk.sync.enrolment import enroll
from tests.hub.harness import HubServer
from tests.hub.test_cli import hub_cli
from tests.sync.conftest import MakeStation, make_station  # noqa: F401 — shared fixture
from tests.sync.helpers import raw_outbox_event

TZ = ZoneInfo("Asia/Shanghai")


def push(station: StationService) -> None:
    """Push only: the station learns no keys from the hub."""
    client = SyncClient(station)
    report = client.push_once()
    client.close()
    assert report.rejected == 0


def sync(station: StationService) -> None:
    client = SyncClient(station)
    client.sync_once()
    client.close()


def unverified(station: StationService, token: str) -> str:
    result = station.scan(token)
    assert result.greeting is Greeting.UNVERIFIED and result.person_id is None
    assert result.visit_id is not None
    return result.visit_id


def figures(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["scope"], r["key"]): r for r in rows}


def export(hub_url_db: str, capsys, tmp_path: Path, day: str) -> dict[str, dict[str, str]]:
    out = tmp_path / "visits.csv"
    hub_cli(hub_url_db, capsys, "export", "visits", "--from", day, "--to", day, "--out", str(out))
    with out.open(encoding="utf-8-sig", newline="") as f:
        return {row["visit_id"]: row for row in csv.DictReader(f)}


def test_forged_badges_are_left_out_of_the_figures_and_flagged_in_the_export(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3))
    east = make_station("东站", hub, clock=clock)
    west = make_station("西站", hub, clock=clock)  # east has not pulled since: no west key
    zhang = east.add_person(name="张三", trade=Trade.SANITATION)
    real = east.issue_badge(zhang.id).token
    li = west.add_person(name="李四", trade=Trade.GREENING)
    li_badge = west.issue_badge(li.id).token
    push(west)  # the hub has 李四 and his badge

    # 张三's badge with one character of its key id changed: a key nobody has.
    position = 9
    mutated = real[:position] + ("A" if real[position] != "A" else "B") + real[position + 1 :]
    # A token signed by someone else under 西站's key id (printed on every 西站 badge).
    attacker = Ed25519PrivateKey.generate()
    forged = issue_token(attacker, west.info().key_id, zhang.id, 7, east.today())

    assert east.scan(real).person.name == "张三"
    clock.advance(minutes=1)
    forged_visit = unverified(east, forged)
    mutated_visit = unverified(east, mutated)
    li_visit = unverified(east, li_badge)  # genuine, but east does not know 西站's key
    push(east)

    rows = figures(hub_cli(hub_url_db, capsys, "stats"))
    overall = rows[("overall", "all")]
    assert (overall["visits"], overall["distinct_people"]) == (2, 2)  # 张三 and 李四
    assert rows[("station", "东站")]["visits"] == 2
    assert rows[("trade", "绿化")]["visits"] == 1  # 李四's trade, from the hub's roster
    assert rows[("excluded", "all")]["visits"] == 2
    assert rows[("excluded", "forged")]["visits"] == 1
    assert rows[("excluded", "pending")]["visits"] == 1  # its key may yet arrive

    day = clock.now().astimezone(TZ).date().isoformat()
    by_visit = export(hub_url_db, capsys, tmp_path, day)
    assert len(by_visit) == 4
    assert by_visit[forged_visit]["excluded"] == "forged"
    assert by_visit[forged_visit]["person_id"] == "" and by_visit[forged_visit]["name"] == ""
    assert by_visit[mutated_visit]["excluded"] == "pending"
    assert by_visit[mutated_visit]["person_id"] == ""
    assert by_visit[li_visit]["excluded"] == "" and by_visit[li_visit]["name"] == "李四"
    assert by_visit[li_visit]["person_id"] == li.id and by_visit[li_visit]["unverified"] == "1"
    assert sorted(r["excluded"] for r in by_visit.values()) == ["", "", "forged", "pending"]

    # 30 days on, the key id nobody has is unverifiable for good.
    with hub.db.read() as s:
        later = hub_stats(s, None, None, TZ, now=datetime.now(UTC) + timedelta(days=31))
    assert later.excluded == {"forged": 1, "unverifiable": 1}
    assert later.overall.visits == 2

    # East learns 西站's key, checks its own pending visits and says so: the hub keeps
    # what the station said beside its own verdict, and the figures do not change.
    sync(east)  # pull: learn the key, recheck (events written)
    sync(east)  # push those events
    with hub.db.read() as s:
        said = {
            v.visit_id: (v.verification, v.station_verdict) for v in s.scalars(select(HubVisit))
        }
    assert said[li_visit] == ("hub", "verified")
    assert said[forged_visit] == ("forged", "forged")
    assert said[mutated_visit] == ("pending", None)
    again = figures(hub_cli(hub_url_db, capsys, "stats"))
    assert again[("overall", "all")]["visits"] == 2
    assert again[("excluded", "forged")]["visits"] == 1


def test_a_badge_of_a_station_that_enrols_later_counts_once_it_enrols(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    now = datetime.now(UTC).replace(microsecond=0)
    clock = ManualClock(now - timedelta(days=40))
    east = make_station("东站", hub, clock=clock)
    north = make_station("北站", clock=clock)  # set up, not enrolled with the hub yet
    wang = north.add_person(name="王五", trade=Trade.DELIVERY)
    old_badge = north.issue_badge(wang.id).token
    old_visit = unverified(east, old_badge)  # 40 days ago
    badge = north.issue_badge(wang.id).token  # a second card, scanned today
    clock.set(now - timedelta(hours=1))
    visit = unverified(east, badge)
    push(east)

    rows = figures(hub_cli(hub_url_db, capsys, "stats"))
    assert rows[("overall", "all")]["visits"] == 0
    assert rows[("excluded", "pending")]["visits"] == 1
    assert rows[("excluded", "unverifiable")]["visits"] == 1  # waited more than 30 days

    _, code = hub.add_station("北站")
    enroll(north, hub.url, code)  # the hub learns 北站's key: pending visits are checked

    rows = figures(hub_cli(hub_url_db, capsys, "stats"))
    overall = rows[("overall", "all")]
    assert (overall["visits"], overall["distinct_people"]) == (1, 1)
    assert rows[("excluded", "all")]["visits"] == 1
    assert rows[("excluded", "unverifiable")]["visits"] == 1  # too late to count
    with hub.db.read() as s:
        row = s.scalar(select(HubVisit).where(HubVisit.visit_id == visit))
        assert (row.person_id, row.verification) == (wang.id, "hub")
        old = s.scalar(select(HubVisit).where(HubVisit.visit_id == old_visit))
        assert (old.person_id, old.verification) == (None, "pending")

    push(north)  # his name and trade reach the hub
    day = clock.now().astimezone(TZ).date().isoformat()
    by_visit = export(hub_url_db, capsys, tmp_path, day)
    assert by_visit[visit]["name"] == "王五" and by_visit[visit]["excluded"] == ""
    assert by_visit[visit]["trade"] == "快递外卖"
    rows = figures(hub_cli(hub_url_db, capsys, "stats"))
    assert rows[("trade", "快递外卖")]["visits"] == 1


def test_an_unverified_visit_from_an_older_station_cannot_count(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    """Before issue 10 a station linked such a visit to the person and sent no token."""
    east = make_station("东站", hub)
    zhang = east.add_person(name="张三", trade=Trade.SANITATION)
    now = datetime.now(UTC).replace(microsecond=0)
    raw_outbox_event(
        east,
        "visit.checked_in",
        {
            "visit_id": "old-1",
            "person_id": zhang.id,
            "trade": "环卫",
            "method": "camera",
            "badge_key_id": "00112233aabbccdd",
            "badge_serial": 1,
            "checked_in_at": now.isoformat(),
            "unverified": True,
        },
    )
    push(east)
    rows = figures(hub_cli(hub_url_db, capsys, "stats"))
    assert rows[("overall", "all")]["visits"] == 0
    assert rows[("excluded", "unverifiable")]["visits"] == 1
    by_visit = export(hub_url_db, capsys, tmp_path, now.astimezone(TZ).date().isoformat())
    assert by_visit["old-1"]["excluded"] == "unverifiable"
