"""``kiosk-hub`` in-process: stations, and figures from events two real stations pushed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from kiosk.core.clock import ManualClock
from kiosk.core.trades import Trade
from kiosk.hub.cli import main
from kiosk.store.models import SyncState
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
    }
    assert by[("station", "东站")]["visits"] == 2 and by[("station", "东站")]["rest_hours"] == 2
    assert by[("station", "西站")]["rest_hours"] == 1
    assert by[("trade", "环卫")]["visits"] == 2 and by[("trade", "未知")]["visits"] == 1
    assert by[("day", "2026-11-02")]["visits"] == 2 and by[("day", "2026-11-03")]["visits"] == 1

    [overall, *_] = hub_cli(hub_url_db, capsys, "stats", "--from", "2026-11-03")
    assert overall["visits"] == 1 and overall["rest_hours"] == 1.0
