"""``kiosk-hub`` in-process: stations, roster, badges, announcements, figures and exports,
with real stations pushing and pulling (on SQLite and PostgreSQL hubs)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from alembic import command
from fastapi import FastAPI
from sqlalchemy import func, select, update

from kiosk.core.clock import ManualClock
from kiosk.core.results import Greeting, Outcome
from kiosk.core.trades import Trade
from kiosk.hub import roster
from kiosk.hub.cli import main
from kiosk.hub.db import HubDatabase, alembic_config, head_revision
from kiosk.store.models import OutboxEvent, SyncState
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation, make_station  # noqa: F401 — shared fixture


def hub_cli(db: str, capsys: pytest.CaptureFixture[str], *argv: str, expect: int = 0):
    capsys.readouterr()
    code = main(["--db", db, "--json", *argv])
    captured = capsys.readouterr()
    assert code == expect, captured.err
    return [json.loads(line) for line in captured.out.splitlines() if line.strip()]


def test_station_add_list_revoke(hub_url_db: str, capsys: pytest.CaptureFixture[str]):
    [added] = hub_cli(hub_url_db, capsys, "station", "add", "东站")
    assert len(added["code"]) == 14 and added["name"] == "东站"
    [row] = hub_cli(hub_url_db, capsys, "station", "list")
    assert row["id"] == added["station_id"] and row["state"] == "waiting"
    [revoked] = hub_cli(hub_url_db, capsys, "station", "revoke", added["station_id"])
    assert revoked["revoked"] is True
    [row] = hub_cli(hub_url_db, capsys, "station", "list")
    assert row["state"] == "revoked"
    hub_cli(hub_url_db, capsys, "station", "revoke", "no-such-id", expect=2)


def test_bad_usage_is_one_line_and_status_2(hub_url_db: str, capsys: pytest.CaptureFixture[str]):
    for argv in (["frobnicate"], ["station"], ["stats", "--from", "2026-13-01"]):
        capsys.readouterr()
        assert main(["--db", hub_url_db, *argv]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_stats_count_each_visit_once(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
):
    east_clock = ManualClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
    east = make_station("东站", hub, clock=east_clock)
    zhang = east.add_person(name="张三", trade=Trade.SANITATION)
    badge = east.issue_badge(zhang.id).token
    east.scan(badge)
    east_clock.advance(hours=2)
    east.scan(badge)
    east.trade_visit(Trade.SANITATION)

    west_clock = ManualClock(datetime(2026, 11, 3, 2, 0, tzinfo=UTC))
    west = make_station("西站", hub, clock=west_clock)
    west.scan(badge)  # 张三 again, at another station, not in its roster
    west_clock.advance(hours=1)
    west.scan(badge)

    for station in (east, west):
        client = SyncClient(station)
        client.push_once()
        with station.db.write() as s:  # forget delivery: everything is sent again
            s.execute(update(SyncState).values(delivered_seq=0))
        assert client.push_once().accepted == 0
        client.close()

    rows = hub_cli(hub_url_db, capsys, "stats")
    by = {(r["scope"], r["key"]): r for r in rows}
    assert by[("overall", "all")] == {
        "scope": "overall",
        "key": "all",
        "visits": 3,
        "distinct_people": 1,
        "rest_hours": 3.0,
        "overlapping_visits": 0,  # a day apart: no overlap
    }
    assert by[("station", "东站")]["visits"] == 2 and by[("station", "东站")]["rest_hours"] == 2
    assert by[("station", "西站")]["rest_hours"] == 1
    # West did not know him; the hub's roster does: his visit there counts as 环卫 too.
    assert by[("trade", "环卫")]["visits"] == 3 and ("trade", "未知") not in by
    assert by[("day", "2026-11-02")]["visits"] == 2 and by[("day", "2026-11-03")]["visits"] == 1

    [overall, *_] = hub_cli(hub_url_db, capsys, "stats", "--from", "2026-11-03")
    assert overall["visits"] == 1 and overall["rest_hours"] == 1.0


def test_person_import_and_badge_revoke_reach_every_station(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    a = make_station("东站", hub)
    b = make_station("西站", hub)
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text(
        "name,trade,team,party_member,phone\n张三,环卫,一队,是,13800000001\n李四,市政,,,\n",
        encoding="gb18030",  # as Excel in China saves it
    )
    imported = hub_cli(hub_url_db, capsys, "person", "import", str(roster_csv))
    assert [(p["name"], p["created"]) for p in imported] == [("张三", True), ("李四", True)]
    again = hub_cli(hub_url_db, capsys, "person", "import", str(roster_csv))
    assert [p["created"] for p in again] == [False, True]  # same name + phone: updated
    listed = hub_cli(hub_url_db, capsys, "person", "list")
    assert sorted(p["name"] for p in listed) == ["张三", "李四", "李四"]
    zhang_id = imported[0]["person_id"]

    for station in (a, b):
        SyncClient(station).sync_once()
        assert {p.name for p in station.people()} == {"张三", "李四"} and len(station.people()) == 3
    [zhang] = a.find_people("zhangsan")
    assert zhang.id == zhang_id and zhang.party_member and zhang.team == "一队"
    token = a.issue_badge(zhang_id).token
    SyncClient(a).sync_once()
    SyncClient(b).sync_once()
    assert b.scan(token).greeting is Greeting.PERSON

    [revoked] = hub_cli(hub_url_db, capsys, "badge", "revoke", zhang_id[:8])
    assert revoked["revoked"] == 1 and revoked["name"] == "张三"
    for station in (a, b):  # the issuing station too: the hub revoked it, not A
        before = _outbox(station)
        SyncClient(station).sync_once()
        assert _outbox(station) == before
        result = station.scan(token)
        assert result.outcome is Outcome.REFUSED and result.reason == "revoked"
    hub_cli(hub_url_db, capsys, "badge", "revoke", "nobody", expect=2)


def test_same_person_at_two_stations_at_once_is_kept_twice_and_flagged(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
):
    start = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    clock_a, clock_b = ManualClock(start), ManualClock(start + timedelta(minutes=30))
    a = make_station("东站", hub, clock=clock_a)
    b = make_station("西站", hub, clock=clock_b)
    zhang = a.add_person(name="张三", trade=Trade.SANITATION)
    badge = a.issue_badge(zhang.id).token
    SyncClient(a).push_once()
    SyncClient(b).pull_once()
    # Both offline: 张三's badge (or a copy of it) is scanned at both within the hour.
    a.scan(badge)
    b.scan(badge)
    clock_a.advance(hours=1)
    clock_b.advance(hours=1)
    a.scan(badge)
    b.scan(badge)
    b.trade_visit(Trade.MUNICIPAL)
    clock_a.advance(hours=5)  # later that day, only at A: no overlap
    a.scan(badge)
    clock_a.advance(hours=1)
    a.scan(badge)
    for station in (a, b):
        assert SyncClient(station).push_once().rejected == 0

    rows = {(r["scope"], r["key"]): r for r in hub_cli(hub_url_db, capsys, "stats")}
    assert rows[("overall", "all")]["visits"] == 4
    assert rows[("overall", "all")]["overlapping_visits"] == 2
    assert rows[("station", "东站")]["overlapping_visits"] == 1

    out = tmp_path / "visits.csv"
    [done] = hub_cli(
        hub_url_db,
        capsys,
        *("export", "visits", "--from", "2026-11-02", "--to", "2026-11-02", "--out", str(out)),
    )
    assert done["visits"] == 4
    with out.open(encoding="utf-8-sig", newline="") as f:
        exported = list(csv.DictReader(f))
    assert [r["overlap"] for r in exported] == ["1", "1", "0", "0"]
    assert [r["station"] for r in exported[:2]] == ["东站", "西站"]
    assert exported[0]["name"] == "张三" and exported[0]["checked_in_at"].startswith(
        "2026-11-02T09:00"
    )
    assert exported[0]["rest_minutes"] == "60" and exported[2]["trade"] == "市政"
    [empty] = hub_cli(
        hub_url_db,
        capsys,
        *("export", "visits", "--from", "2026-11-03", "--to", "2026-11-04", "--out", str(out)),
    )
    assert empty["visits"] == 0


def test_announce_reaches_stations(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
):
    b = make_station("西站", hub)
    until = (date.today() + timedelta(days=3)).isoformat()
    [sent] = hub_cli(hub_url_db, capsys, "announce", "明日起驿站供应热水", "--until", until)
    assert sent["until"] == until
    hub_cli(hub_url_db, capsys, "announce", expect=2)
    client = SyncClient(b)
    assert client.pull_once().announcements_changed == 1
    [shown] = b.announcements()
    assert shown.text == "明日起驿站供应热水" and shown.until.isoformat() == until
    hub_cli(hub_url_db, capsys, "announce", "--withdraw", sent["id"])
    client.pull_once()
    assert b.announcements() == []
    client.close()


def _outbox(station) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent)) or 0


def test_migrate_brings_the_database_to_head_once(
    hub_url_db: str, capsys: pytest.CaptureFixture[str]
):
    head = head_revision()
    [created] = hub_cli(hub_url_db, capsys, "migrate")
    assert created == {"revision": head, "previous": None, "migrated": True, "projected": 0}
    [again] = hub_cli(hub_url_db, capsys, "migrate")
    assert again == {"revision": head, "previous": head, "migrated": False, "projected": 0}
    capsys.readouterr()
    assert main(["--db", hub_url_db, "migrate"]) == 0
    assert capsys.readouterr().out == f"hub database already at revision {head}\n"


def test_migrate_upgrades_an_older_database(hub_url_db: str, capsys: pytest.CaptureFixture[str]):
    db = HubDatabase(hub_url_db)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
    db.close()
    [done] = hub_cli(hub_url_db, capsys, "migrate")
    assert done["previous"] == "0004" and done["revision"] == head_revision()
    assert done["migrated"] is True


def test_serve_pool_options_reach_the_engine(
    hub_url_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    served: list[FastAPI] = []

    def run(app: FastAPI, host: str, port: int) -> None:  # instead of serving forever
        served.append(app)
        app.state.db.close()

    monkeypatch.setattr(uvicorn, "run", run)

    def pool_of(*argv: str) -> tuple[int, int]:
        assert main(["--db", hub_url_db, "serve", *argv]) == 0
        pool = served.pop().state.db.engine.pool
        return pool.size(), pool._max_overflow

    assert pool_of("--pool-size", "3", "--max-overflow", "0") == (3, 0)
    monkeypatch.setenv("KIOSK_HUB_POOL_SIZE", "4")
    monkeypatch.setenv("KIOSK_HUB_MAX_OVERFLOW", "6")
    assert pool_of() == (4, 6)
    assert pool_of("--max-overflow", "1") == (4, 1)  # the option wins over the environment
    for argv, env in (
        (["--pool-size", "0"], "4"),
        (["--max-overflow", "-1"], "4"),
        (["--pool-size", "many"], "4"),
        ([], "lots"),
    ):
        monkeypatch.setenv("KIOSK_HUB_POOL_SIZE", env)
        capsys.readouterr()
        assert main(["--db", hub_url_db, "serve", *argv]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert served == []


def test_person_import_matches_name_and_phone_across_lookup_chunks(
    hub: HubServer,
    hub_url_db: str,
    make_station: MakeStation,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(roster, "LOOKUP_CHUNK", 2)  # several lookup queries for a small file
    east = make_station("东站", hub)
    wang = east.add_person(name="王五", trade=Trade.SANITATION, phone="13800000005")
    SyncClient(east).push_once()  # the hub knows 王五 from the station
    first = tmp_path / "first.csv"
    first.write_text(
        "name,trade,team,party_member,phone\n"
        "张三,环卫,,,13800000001\n李四,市政,,,13800000002\n赵六,绿化,,,13800000006\n"
        "钱七,绿化,,,13800000007\n孙八,绿化,,,\n",
        encoding="utf-8",
    )
    added = hub_cli(hub_url_db, capsys, "person", "import", str(first))
    assert all(p["created"] for p in added)
    ids = {p["name"]: p["person_id"] for p in added}
    second = tmp_path / "second.csv"
    second.write_text(
        "name,trade,team,party_member,phone\n"
        "钱七,市政,二队,,13800000007\n"  # the same person, now in 市政
        "张三,环卫,,,13800000009\n"  # another 张三: another phone
        "王五,环卫,一队,,13800000005\n"  # the station's 王五
        "孙八,绿化,,,\n"  # no phone: never matched
        "周九,环卫,,,13800000010\n周九,环卫,三队,,13800000010\n",  # twice in one file
        encoding="utf-8",
    )
    done = hub_cli(hub_url_db, capsys, "person", "import", str(second))
    assert [(p["name"], p["created"]) for p in done] == [
        ("钱七", False),
        ("张三", True),
        ("王五", False),
        ("孙八", True),
        ("周九", True),
        ("周九", False),
    ]
    assert done[0]["person_id"] == ids["钱七"] and done[0]["trade"] == "市政"
    assert done[1]["person_id"] != ids["张三"] and done[2]["person_id"] == wang.id
    assert done[4]["person_id"] == done[5]["person_id"]
    listed = {p["person_id"]: p for p in hub_cli(hub_url_db, capsys, "person", "list")}
    assert len(listed) == 9  # 王五, five from the first file, 张三 and 孙八 again, 周九
    assert listed[wang.id]["team"] == "一队" and listed[done[4]["person_id"]]["team"] == "三队"
