"""The console's 活动 section against a real hub on 127.0.0.1 (SQLite and PostgreSQL) with a
real station that pushed an activity: the review queue with the console's roles, a 补录
the asker cannot approve, a guest linked to a person, the 志愿服务证明 (PDF rendered and
read back, and the public check page), the period report on the page, in XLSX and from the
CLI, the attendance export, and a schedule that reaches the station through the feed."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from kiosk.core.activities.model import ActivityKind, Category
from kiosk.core.trades import Trade
from kiosk.hub import feed
from kiosk.hub.models import HubAttendance, HubCertificate, HubGuestLink
from kiosk.store.models import Attendance
from kiosk.sync.client import SyncClient
from kiosk.sync.protocol import ReviewChange
from tests.hub.console.conftest import City
from tests.hub.console.helpers import Console, add_user, cli_json

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftoppm"], capture_output=True).returncode != 0,
    reason="needs poppler-utils (pdftoppm, pdftotext)",
)
_WAITING = re.compile(r'data-attendance="([0-9a-f-]+)"')


@dataclass
class Day:
    activity_id: str
    zhang: str  # scanned in and out: 90 minutes to confirm
    wang: str  # forgot to sign out: to review, 0 credited
    guest: str
    wang_id: str


def sync(station) -> None:  # type: ignore[no-untyped-def]
    client = SyncClient(station)
    try:
        report = client.sync_once()
        assert report.push.rejected == 0
    finally:
        client.close()


def activity_day(city: City) -> Day:
    """东站 runs a 志愿服务 of two hours: 张三 signs in and out after 90 minutes, 王五
    forgets to sign out, a guest signs in; the keeper ends it late; then it syncs."""
    east = city.east
    clock = east.clock
    start = clock.now() + timedelta(minutes=10)
    activity = east.add_activity(
        kind=ActivityKind.VOLUNTEER, title="河道清洁志愿服务", start=start,
        end=start + timedelta(hours=2), service_hours=True,
    ).id  # fmt: skip
    wang = east.add_person(name="王五", trade=Trade.SANITATION, category="志愿者")
    zhang = east.activity_sign_in_person(activity, city.zhang_id).attendance_id
    wang_in = east.activity_sign_in_person(activity, wang.id).attendance_id
    guest = east.activity_guest(
        activity, name="赵来宾", category=Category.PARTNER_UNIT, unit="某物业"
    ).attendance_id
    clock.advance(hours=1, minutes=40)  # 90 minutes into the activity
    assert east.activity_sign_in_person(activity, city.zhang_id).credited_minutes == 90
    clock.advance(hours=2)  # long past the end: those still in forgot
    assert east.end_activity(activity) == (2, 1)
    sync(east)
    assert zhang and wang_in and guest
    return Day(activity, zhang, wang_in, guest, wang.id)


def waiting(c: Console) -> set[str]:
    page = c.get("/console/hours")
    assert page.status_code == 200
    return set(_WAITING.findall(page.text))


def test_review_certificate_report_and_export(
    city: City, admin: Console, console, clock, tmp_path: Path
) -> None:
    day = activity_day(city)
    add_user(city.db_url, "east", "keeper", city.east_id)
    add_user(city.db_url, "west", "keeper", city.west_id)
    east, west = console(), console()
    assert east.login("east").status_code == 200 and west.login("west").status_code == 200

    # The queue: what the station left pending; a keeper sees only his stations'.
    assert waiting(admin) == {day.zhang, day.wang}
    assert waiting(west) == set()
    assert waiting(east) == {day.zhang, day.wang}
    refused = west.post(f"/console/hours/{day.zhang}/confirm", {"minutes": ""})
    assert refused.status_code == 403 and "没有这条签到记录" in refused.text
    assert west.get(f"/console/activities/{day.activity_id}").status_code == 403
    page = east.get(f"/console/activities/{day.activity_id}")
    assert page.status_code == 200 and "张三" in page.text and "赵来宾" in page.text

    # Confirm: the station's 90; a forgotten sign-out at most sign-in → end (120).
    assert east.post(f"/console/hours/{day.zhang}/confirm", {"minutes": ""}).status_code == 200
    too_much = east.post(f"/console/hours/{day.wang}/confirm", {"minutes": "200"})
    assert too_much.status_code == 403 and "分钟数须在 0 到 120 之间" in too_much.text
    no_reason = east.post(f"/console/hours/{day.wang}/reject", {"reason": " "})
    assert no_reason.status_code == 403 and "驳回理由" in no_reason.text
    assert east.post(f"/console/hours/{day.wang}/confirm", {"minutes": "60"}).status_code == 200
    assert waiting(admin) == set()
    page = admin.get(f"/console/activities/{day.activity_id}").text
    assert "已确认 90 分钟" in page and "已确认 60 分钟" in page

    # 补录: asked by admin, refused to admin, approved by the east keeper.
    ask = {"activity_id": day.activity_id, "person_id": city.zhang_id, "minutes": "30",
           "reason": "纸质签到表"}  # fmt: skip
    asked = admin.post("/console/hours/backfills", ask)
    assert asked.status_code == 200 and "补录已提交" in asked.text
    backfill = cli_json(city.db_url, "hours", "pending")[0]["backfill_id"]
    again = admin.post(f"/console/hours/backfills/{backfill}/approve")
    assert again.status_code == 403 and "补录须由申请人以外的另一人批准" in again.text
    assert west.post(f"/console/hours/backfills/{backfill}/approve").status_code == 403
    assert east.post(f"/console/hours/backfills/{backfill}/approve").status_code == 200

    # A guest linked to a person (the keeper only to his stations' people) earns hours.
    linked = {"attendance_id": day.guest, "person_id": city.li_id}
    far = east.post(f"/console/activities/{day.activity_id}/link", linked)
    assert far.status_code == 403 and "只能关联自己驿站的人员" in far.text
    linked["person_id"] = day.wang_id
    assert east.post(f"/console/activities/{day.activity_id}/link", linked).status_code == 200
    twice = east.post(f"/console/activities/{day.activity_id}/link", linked)
    assert twice.status_code == 403 and "已关联" in twice.text
    with city.hub.db.read() as s:
        [link] = s.scalars(select(HubGuestLink)).all()
        assert (link.person_id, link.linked_by, link.linked_at) == (day.wang_id, "east", clock())
    assert waiting(east) == {day.guest}
    assert east.post(f"/console/hours/{day.guest}/confirm", {"minutes": ""}).status_code == 200
    with city.hub.db.read() as s:
        decided = {
            a.attendance_id: (a.decision, a.decided_minutes)
            for a in s.scalars(select(HubAttendance))
        }
    assert decided == {day.zhang: ("confirmed", 90), day.wang: ("confirmed", 60),
                       day.guest: ("confirmed", 120)}  # fmt: skip

    # The decisions go back to 东站 through the feed (and to no other station): its own
    # record reads 已确认 with the confirmed minutes; the attendance rows are unchanged.
    sync(city.east)
    shown = {a.id: (a.state.value, a.credited_minutes) for a in city.east.activity(
        day.activity_id).attendances}  # fmt: skip
    assert shown == {day.zhang: ("confirmed", 90), day.wang: ("confirmed", 60),
                     day.guest: ("confirmed", 120)}  # fmt: skip
    with city.east.db.read() as s:
        assert s.get(Attendance, day.wang).credited_minutes == 0  # what the station recorded
    with city.hub.db.read() as s:
        for station, expected in ((city.west_id, 0), (city.east_id, 3)):
            page = feed.changes_page(s, station, None, clock())
            assert sum(isinstance(c, ReviewChange) for c in page.changes) == expected

    # The certificate: exactly 张三's confirmed hours, 90 核验 + 30 补录 = 2 hours.
    form = {"person_id": city.zhang_id, "start": "2026-11-01", "end": "2026-11-30",
            "unit": "某区城市管理局", "handler": "钱经办", "contact": "027-12345678"}  # fmt: skip
    assert west.post("/console/certificates", form).status_code == 403
    none = admin.post("/console/certificates", form | {"end": "2026-11-01"})
    assert none.status_code == 403 and "没有已确认的服务时长" in none.text
    issued = admin.post("/console/certificates", form)
    assert issued.status_code == 200 and "ZYFW-2026-000001" in str(issued.url)
    code = re.search(r'data-figure="code">([A-Z2-7-]+)<', issued.text).group(1)  # type: ignore[union-attr]
    assert '<dd data-figure="hours">2 小时（2 次）</dd>' in issued.text
    with city.hub.db.read() as s:
        [cert] = s.scalars(select(HubCertificate)).all()
        assert (cert.issued_by, cert.minutes, cert.check_code) == ("admin", 120, code)
    pdf = admin.get("/console/certificates/ZYFW-2026-000001/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "证明.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    for words in ("志愿服务证明", "张三", "2 小时", "河道清洁志愿服务", "核验", "补录",
                  "某区城市管理局", "钱经办", "027-12345678", "ZYFW-2026-000001",
                  code):  # fmt: skip
        assert words in text, words
    assert "王五" not in text and "赵来宾" not in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 2000  # text, table lines and the QR code were drawn

    # Anyone can check the code (any case, spaces); the page says no more than the paper.
    anonymous = console()
    ok = anonymous.http.get("/console/verify", params={"code": code.lower().replace("-", " ")})
    assert ok.status_code == 200 and 'id="verified"' in ok.text
    assert "张三" in ok.text and "2 小时" in ok.text and "ZYFW-2026-000001" in ok.text
    assert city.zhang_id not in ok.text and "河道清洁" not in ok.text and "钱经办" not in ok.text
    bad = anonymous.http.get("/console/verify", params={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert bad.status_code == 200 and 'id="not-found"' in bad.text and "张三" not in bad.text
    [checked] = cli_json(city.db_url, "certificate", "verify", code)
    assert checked["name"] == "张三" and checked["hours"] == "2"

    # The period report: the page, its XLSX and the CLI say the same.
    rows = cli_json(city.db_url, "report", "period", "--from", "2026-11-01", "--to", "2026-11-30")
    assert [(r["station"], r["kind"], r["category"], r["attendance"], r["confirmed_hours"])
            for r in rows] == [
        ("东站", "volunteer", "partner-unit", 1, 2.0),
        ("东站", "volunteer", "unset", 1, 1.5),
        ("东站", "volunteer", "volunteer", 1, 1.0),
    ]  # fmt: skip
    report = admin.get("/console/activities/report", params={"from": "2026-11-01",
                                                             "to": "2026-11-30"})  # fmt: skip
    assert 'data-total="attendance">3<' in report.text
    assert 'data-total="confirmed_hours">4.5<' in report.text
    assert (
        west.get("/console/activities/report", params={"station": city.east_id}).status_code == 403
    )
    west_page = west.get("/console/activities/report", params={"from": "2026-11-01"})
    assert "这段时间没有活动签到" in west_page.text
    book = admin.get("/console/activities/report.xlsx", params={"from": "2026-11-01",
                                                                "to": "2026-11-30"})  # fmt: skip
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:3] == ["驿站", "活动类别", "人员类别"] and len(table) == 4
    assert [r[4] for r in table[1:]] == [1, 1, 1] and sum(r[6] for r in table[1:]) == 4.5
    [year] = cli_json(city.db_url, "report", "year", "2026")
    assert year["service_hours"] == 5.0 and year["backfilled_hours"] == 0.5

    # The attendance export: one row per attendance, the console's and the CLI's.
    export = admin.get("/console/exports/attendance.csv", params={"from": "2026-11-01",
                                                                  "to": "2026-11-30"})  # fmt: skip
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(lines) == 4 and lines[0][:3] == ["驿站", "活动", "活动类别"]
    assert sorted(line[6] for line in lines[1:]) == ["张三", "王五", "王五"]  # guest → 王五
    guest_row = next(line for line in lines[1:] if line[7] == "是")
    assert guest_row[5] == day.wang_id and guest_row[16] == "已确认" and guest_row[17] == "120"
    assert west.get("/console/exports/attendance.csv").content.decode("utf-8-sig").count("\n") == 1
    out = tmp_path / "签到.xlsx"
    [written] = cli_json(city.db_url, "export", "attendance", "--from", "2026-11-01",
                         "--to", "2026-11-30", "--out", str(out))  # fmt: skip
    assert written["attendances"] == 3
    assert openpyxl.load_workbook(out).active.max_row == 4


def test_a_schedule_from_the_console_reaches_the_station(
    city: City, admin: Console, console
) -> None:
    add_user(city.db_url, "west", "keeper", city.west_id)
    west = console()
    assert west.login("west").status_code == 200
    form = {"title": "讲习所：防暑降温", "kind": "lecture", "start": "2026-11-05T09:00",
            "end": "2026-11-05T10:30", "host": "区城管局", "station": [city.east_id]}  # fmt: skip
    refused = west.post("/console/activities", form)
    assert refused.status_code == 403 and "只能为自己的驿站" in refused.text
    everywhere = west.post("/console/activities", form | {"everywhere": "1", "station": []})
    assert everywhere.status_code == 403 and "只有管理员" in everywhere.text
    backwards = admin.post("/console/activities", form | {"end": "2026-11-05T08:00"})
    assert backwards.status_code == 403 and "结束时间须晚于开始时间" in backwards.text
    done = admin.post("/console/activities", form)
    assert done.status_code == 200 and "活动已安排" in done.text
    activity_id = str(done.url).rsplit("/", 1)[1].split("?")[0]
    sync(city.east)
    sync(city.west)
    assert [a.id for a in city.east.activities()] == [activity_id]
    assert city.west.activities() == []
    assert west.get(f"/console/activities/{activity_id}").status_code == 403
    listed = west.get("/console/activities")
    assert "防暑降温" not in listed.text
    assert west.post(f"/console/activities/{activity_id}/cancel").status_code == 403
    cancelled = admin.post(f"/console/activities/{activity_id}/cancel")
    assert cancelled.status_code == 200 and "活动已取消" in cancelled.text
    sync(city.east)
    assert {a.id: a.stored_state.value for a in city.east.activities()} == {
        activity_id: "cancelled"
    }
