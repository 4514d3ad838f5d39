"""Activities through the real parts: two stations on SQLite files, a real hub on 127.0.0.1.

A day offline: badge scans, a guest, a rest visit, a forgotten sign-out and the same person
at both stations' simultaneous activities; then sync. The hub's attendance equals the
stations' records, the overlap is flagged, the review confirms hours, a 补录 approved by the
person who asked is refused, and the year's report counts each thing once. Then the hub
schedules an activity for one station, which receives it through the change feed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.core.activities.model import ActivityKind, Category
from kiosk.core.activities.views import SignInOutcome
from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.hub.activities import review as hub_activities
from kiosk.hub.cli import main as hub_main
from kiosk.hub.models import HubAttendance
from kiosk.store.models import Attendance, SyncState
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation
from tests.sync.scenario import assert_hub_matches

TZ = ZoneInfo("Asia/Shanghai")


def sync(*stations: StationService) -> None:
    for station in stations:
        client = SyncClient(station)
        report = client.sync_once()
        assert report.push.rejected == 0 and client.status().pending == 0
        client.close()


def hub_id(station: StationService) -> str:
    with station.db.read() as s:
        return s.get(SyncState, 1).hub_station_id


def station_attendance(station: StationService) -> dict[str, tuple]:
    with station.db.read() as s:
        return {
            a.attendance_id if hasattr(a, "attendance_id") else a.id: (
                a.person_id, a.credited_minutes, a.state, a.review_reason, a.signed_out_at
            )
            for a in s.scalars(select(Attendance))
        }  # fmt: skip


def hub_attendance(hub: HubServer) -> dict[str, tuple]:
    with hub.db.read() as s:
        return {
            a.attendance_id: (
                a.person_id, a.credited_minutes, a.station_state, a.review_reason,
                a.signed_out_at,
            )
            for a in s.scalars(select(HubAttendance))
        }  # fmt: skip


def run_hub(db_url: str, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = hub_main(["--db", db_url, "--json", *argv])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_an_offline_day_of_activities_then_sync(
    tmp_path: Path, make_station: MakeStation, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub = HubServer(db_url).start()
    # 09:00 local yesterday, so that the whole day is over when the network comes back.
    start_local = (datetime.now(TZ) - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    clock = ManualClock(start_local.astimezone(UTC))
    a = make_station("东站", hub, clock=clock)
    b = make_station("西站", hub, clock=clock)
    zhang = a.add_person(name="张三", trade=Trade.SANITATION, category="志愿者")
    li = a.add_person(name="李四", trade=Trade.GREENING, category="驿站党员")
    tokens = {p.id: a.issue_badge(p.id).token for p in (zhang, li)}
    sync(a, b)  # B learns A's key and roster
    hub.stop()  # both offline from here

    begin, end = clock.now() + timedelta(minutes=30), clock.now() + timedelta(hours=2, minutes=30)
    vol = a.add_activity(kind=ActivityKind.VOLUNTEER, title="河道清洁志愿服务", start=begin,
                         end=end, service_hours=True).id  # fmt: skip
    org = b.add_activity(kind=ActivityKind.ORGANIZATION_LIFE, title="开放式组织生活",
                         start=begin, end=end, service_hours=True).id  # fmt: skip
    assert a.scan(tokens[li.id]).outcome.value == "checked_in"  # 李四 rests at A first
    clock.advance(minutes=10)
    assert a.activity_scan(vol, tokens[li.id]).outcome is SignInOutcome.SIGNED_IN
    assert a.activity_scan(vol, tokens[zhang.id]).outcome is SignInOutcome.SIGNED_IN
    a.activity_guest(vol, name="王芳", category=Category.PARTNER_UNIT, unit="某物业")
    clock.advance(minutes=5)
    # The same badge at B's activity at the same time (a lent card?): kept, flagged.
    assert b.activity_scan(org, tokens[zhang.id]).outcome is SignInOutcome.SIGNED_IN
    clock.advance(hours=2)  # 11:15
    out = a.activity_scan(vol, tokens[zhang.id])
    assert out.outcome is SignInOutcome.SIGNED_OUT and out.credited_minutes == 105  # 9:30-11:15
    clock.advance(hours=3)  # 14:15: long past the end
    assert a.end_activity(vol) == (2, 1)  # 李四 and the guest were still in; 李四 forgot
    assert b.end_activity(org) == (1, 1)  # 张三 forgot at B

    clock.set(datetime.now(UTC))
    hub = HubServer(db_url, port=hub.port).start()  # the network is back
    try:
        sync(a, b)
        assert_hub_matches(hub.db, [a, b])
        stations = station_attendance(a) | station_attendance(b)
        assert hub_attendance(hub) == stations and len(stations) == 4

        with hub.db.read() as s:
            flagged = {
                (r.station_id, r.person_id)
                for r in s.scalars(select(HubAttendance).where(HubAttendance.overlap))
            }
            waiting = {att.attendance_id: att for att, _ in hub_activities.pending(s)}
        assert flagged == {(hub_id(a), zhang.id), (hub_id(b), zhang.id)}
        assert len(waiting) == 3  # 张三 at A (scanned out), 李四 and 张三 forgotten
        forgotten = [k for k, v in waiting.items() if v.review_reason == "no_sign_out"]
        assert len(forgotten) == 2 and all(waiting[k].credited_minutes == 0 for k in forgotten)

        scanned = next(k for k, v in waiting.items() if v.review_reason is None)
        code, text = run_hub(db_url, "hours", "confirm", scanned, "--by", "赵审核", capsys=capsys)
        assert code == 0 and json.loads(text)["minutes"] == 105
        li_forgot = next(k for k in forgotten if waiting[k].person_id == li.id)
        code, text = run_hub(db_url, "hours", "confirm", li_forgot, "--by", "赵审核",
                             "--minutes", "60", capsys=capsys)  # fmt: skip
        assert code == 0 and json.loads(text)["minutes"] == 60
        zhang_forgot = next(k for k in forgotten if waiting[k].person_id == zhang.id)
        code, text = run_hub(db_url, "hours", "reject", zhang_forgot, "--by", "赵审核",
                             "--reason", "同时段在东站签到", capsys=capsys)  # fmt: skip
        assert code == 0

        # 补录: the person who asked cannot approve it; somebody else can.
        code, text = run_hub(db_url, "hours", "backfill", vol, li.id, "--minutes", "30",
                             "--reason", "纸质签到表", "--by", "钱经办", capsys=capsys)  # fmt: skip
        assert code == 0
        backfill = json.loads(text)["backfill_id"]
        code, text = run_hub(db_url, "hours", "backfill", vol, li.id, "--minutes", "30",
                             "--reason", "再来一次", "--by", "钱经办", capsys=capsys)  # fmt: skip
        assert code == 2 and "one each" in text
        code, text = run_hub(db_url, "hours", "backfill", vol, zhang.id, "--minutes", "999",
                             "--reason", "太长", "--by", "钱经办", capsys=capsys)  # fmt: skip
        assert code == 2 and "minutes" in text
        code, text = run_hub(db_url, "hours", "approve", str(backfill), "--by", "钱经办",
                             capsys=capsys)  # fmt: skip
        assert code == 2 and "someone other" in text and text.count("\n") == 1
        code, _ = run_hub(db_url, "hours", "approve", str(backfill), "--by", "孙复核",
                          capsys=capsys)  # fmt: skip
        assert code == 0

        code, text = run_hub(db_url, "report", "year", str(start_local.year), capsys=capsys)
        assert code == 0
        report = json.loads(text)
        assert report["activities"]["volunteer"] == 1
        assert report["activities"]["organization-life"] == 1
        assert report["attendance"] == {"organization-life": 1, "lecture": 0, "volunteer": 3,
                                        "meeting": 0, "other": 0}  # fmt: skip
        assert report["organization_life"]["by_category"]["volunteer"] == 1
        assert report["volunteer_attendance"] == 3 and report["distinct_people"] == 2
        assert report["volunteers_registered"] == 1
        assert report["verified_hours"] == round((105 + 60) / 60, 2)
        assert report["backfilled_hours"] == 0.5
        assert report["service_hours"] == round((105 + 60 + 30) / 60, 2)
        assert report["to_review"] == 0 and report["pending_hours"] == 0
        assert report["overlaps"] == 2
        # 累计服务人次: 1 rest visit + 4 activity 人次 − 李四, who was resting at A already.
        assert report["rest_visits"] == 1 and report["service_visits"] == 4

        from openpyxl import load_workbook

        book = tmp_path / "年报.xlsx"
        code, text = run_hub(db_url, "report", "year", str(start_local.year), "--xlsx",
                             str(book), capsys=capsys)  # fmt: skip
        assert code == 0
        table = {row[0]: row[1] for row in load_workbook(book).active.iter_rows(values_only=True)}
        assert table["累计服务人次"] == 4 and table["志愿服务 人次"] == 3
        assert table["  其中 志愿者"] == 1 and table["开放式组织生活 场次"] == 1
    finally:
        hub.stop()


def test_the_hub_schedules_an_activity_for_one_station(
    tmp_path: Path, make_station: MakeStation, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub = HubServer(db_url).start()
    try:
        a = make_station("东站", hub)
        b = make_station("西站", hub)
        zhang = a.add_person(name="张三", trade=Trade.SANITATION)
        token = a.issue_badge(zhang.id).token
        now = datetime.now(TZ)
        start, end = now - timedelta(minutes=10), now + timedelta(hours=1)
        code, text = run_hub(
            db_url, "activity", "add", "--title", "讲习所：安全生产", "--kind", "lecture",
            "--start", start.strftime("%Y-%m-%d %H:%M"), "--end", end.strftime("%Y-%m-%d %H:%M"),
            "--station", hub_id(a), capsys=capsys,
        )  # fmt: skip
        assert code == 0, text
        activity = json.loads(text)["id"]
        code, text = run_hub(db_url, "activity", "add", "--title", "x", "--kind", "lecture",
                             "--start", "2027-01-05 10:00", "--end", "2027-01-05 09:00",
                             capsys=capsys)  # fmt: skip
        assert code == 2 and text.count("\n") == 1
        sync(a, b)
        [received] = a.activities()
        assert received.id == activity and received.source == "hub"
        assert received.title == "讲习所：安全生产"
        assert b.activities() == []  # scheduled for A only
        assert a.activity_scan(activity, token).outcome is SignInOutcome.SIGNED_IN
        sync(a)
        with hub.db.read() as s:
            [row] = s.scalars(select(HubAttendance))
        assert row.activity_id == activity and row.person_id == zhang.id

        later = now + timedelta(days=3)
        code, text = run_hub(
            db_url, "activity", "add", "--title", "联席会", "--kind", "meeting",
            "--start", later.strftime("%Y-%m-%d %H:%M"),
            "--end", (later + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"), capsys=capsys,
        )  # fmt: skip
        every = json.loads(text)["id"]
        sync(a, b)
        assert [v.id for v in b.activities()] == [every]
        code, _ = run_hub(db_url, "activity", "cancel", every, capsys=capsys)
        assert code == 0
        sync(a, b)
        assert {v.id: v.stored_state.value for v in b.activities()} == {every: "cancelled"}
    finally:
        hub.stop()
