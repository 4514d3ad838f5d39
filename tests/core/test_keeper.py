"""The keeper's station (issue 15) through the real StationService and a real SQLite file."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.core import keeper
from kiosk.core.admin_pin import PinStore, lock_seconds
from kiosk.core.export import ExportError, ExportProblem, file_names
from kiosk.core.station import StationService
from kiosk.core.station_keeper import PinChange
from kiosk.core.study.package import load_content
from kiosk.core.study.records import SessionRecord
from kiosk.core.study.service import StudyService
from kiosk.core.trades import Trade
from kiosk.resources import resource
from kiosk.store.models import OutboxEvent, Visit
from kiosk.sync.state import status


def events(station: StationService, type_: str) -> list[dict]:
    with station.db.read() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.type == type_).order_by("seq"))
        return [e.payload for e in rows]


@pytest.fixture
def crew(station: StationService) -> list[str]:
    people = [
        station.add_person(name="张建国", trade="环卫", team="一班"),
        station.add_person(name="李红梅", trade="绿化"),
        station.add_person(name="王大力", trade="快递外卖"),
    ]
    return [p.id for p in people]


def test_present_lists_open_visits_newest_first(station, clock, crew) -> None:
    for pid in crew:
        station.checkin_person(pid)
        clock.advance(minutes=5)
    station.trade_visit(Trade("环卫"))  # anonymous: never open, never listed
    station.checkin_person(crew[1])  # checks 李红梅 out
    here = station.present()
    assert [p.name for p in here] == ["王大力", "张建国"]
    assert here[1].trade == "环卫" and here[1].team == "一班"
    assert here[0].checked_in_at > here[1].checked_in_at


def test_keeper_checks_one_out_marked_and_audited(station, clock, crew) -> None:
    visit_id = station.checkin_person(crew[0]).visit_id
    clock.advance(minutes=30)
    assert station.keeper_check_out(visit_id) is True
    assert station.keeper_check_out(visit_id) is False  # already out: nothing more
    assert station.present() == []
    with station.db.read() as s:
        visit = s.get(Visit, visit_id)
        assert visit.closed_by == "keeper"
        assert visit.checked_out_at - visit.checked_in_at == timedelta(minutes=30)
    out = events(station, "visit.checked_out")
    assert out[-1]["closed_by"] == "keeper" and out[-1]["rest_seconds"] == 1800
    (audit,) = events(station, "keeper.action")
    assert audit["role"] == "keeper" and audit["action"] == "visit.check_out"
    assert audit["visit_id"] == visit_id and audit["at"]


def test_close_forgotten_closes_all_at_the_cap(station, clock, crew) -> None:
    for pid in crew:
        station.checkin_person(pid)
    clock.advance(hours=30)  # beyond checkin.max_visit_hours
    assert station.close_forgotten_visits() == 3
    assert station.present() == []
    assert station.close_forgotten_visits() == 0  # nothing open: no second audit event
    with station.db.read() as s:
        cap = timedelta(hours=station.setting("checkin.max_visit_hours"))
        for v in s.scalars(select(Visit)):
            assert v.closed_by == "keeper" and v.checked_out_at - v.checked_in_at == cap
    (audit,) = events(station, "keeper.action")
    assert audit["action"] == "visits.close_forgotten" and audit["count"] == 3


def test_person_page(station, clock, crew) -> None:
    start = clock.now()
    station.issue_badge(crew[0])
    station.revoke_badges(crew[0])
    station.issue_badge(crew[0])
    for _ in range(3):
        station.checkin_person(crew[0])
        clock.advance(minutes=20)
        station.checkin_person(crew[0])
        clock.advance(minutes=20)
    page = station.person_page(crew[0])
    assert page.name == "张建国" and page.month_visits == 3
    assert page.month_rest_hours == 1.0
    assert [(b.serial, b.revoked) for b in page.badges] == [(2, False), (1, True)]
    assert page.last_visit_at == start + timedelta(minutes=80)
    assert (page.study_minutes_month, page.study_sessions_month, page.quiz_passes_month) == (
        0,
        0,
        0,
    )


def test_study_on_the_person_page_and_in_the_period(station, clock, crew) -> None:
    study = StudyService(station)
    study.ensure_starter_library(resource("materials"))
    start = clock.now()
    clock.advance(minutes=30)
    session_id = study.record_session(
        SessionRecord("heat-cold", 1, crew[0], start, clock.now(), 5, 6, True)
    )
    quiz = load_content(resource("materials", "heat-cold")).quiz
    right = {q.id: list(q.answer) for q in quiz.questions}
    study.submit_quiz(crew[0], "heat-cold", 1, quiz, right, session_id)
    study.submit_quiz(crew[1], "heat-cold", 1, quiz, {q.id: [] for q in quiz.questions})
    page = station.person_page(crew[0])
    assert (page.study_minutes_month, page.study_sessions_month, page.quiz_passes_month) == (
        30,
        1,
        1,
    )
    assert station.person_page(crew[1]).quiz_passes_month == 0  # failed, not passed
    period = station.period_figures(station.today(), station.today())
    assert (period.study_sessions, period.quiz_attempts, period.quiz_passes) == (1, 2, 1)


def test_period_figures_equal_the_day_figures(station, clock, crew) -> None:
    first = station.today()
    for day in range(3):
        for pid in crew[: day + 1]:
            station.checkin_person(pid)
        clock.advance(minutes=40)
        for pid in crew[: day + 1]:
            station.checkin_person(pid)
        station.trade_visit(Trade("快递外卖"))
        clock.advance(days=1)
    last = first + timedelta(days=2)
    period = station.period_figures(first, last)
    days = [station.figures(first + timedelta(n)) for n in range(3)]
    assert period.days == days
    assert period.visits == sum(d.visits for d in days) == 9
    assert period.rest_hours == round(sum(d.rest_hours for d in days), 2)
    assert period.distinct_people == 3  # counted once over the period, not per day
    assert period.visits_by_trade == {"环卫": 3, "绿化": 2, "快递外卖": 4}


def test_month_days() -> None:
    assert keeper.month_days("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert keeper.period_days("week", date(2026, 12, 2)) == (date(2026, 11, 30), date(2026, 12, 2))
    today = date(2026, 12, 2)
    assert keeper.period_days(keeper.Period.MONTH, today) == (date(2026, 12, 1), today)
    with pytest.raises(ValueError):
        keeper.month_days("2024-13")


# -- the PIN ----------------------------------------------------------------------------------


def test_pin_lockout_grows_and_is_reported(station, clock) -> None:
    for _ in range(4):
        assert station.check_admin_pin("1111").failures > 0
    first = station.check_admin_pin("1111")
    assert first.lock_started and first.locked_seconds == lock_seconds(1) == 60
    locked = station.check_admin_pin("2580")  # even the right PIN: locked
    assert not locked.ok and 0 < locked.locked_seconds <= 60
    clock.advance(seconds=61)
    for _ in range(5):
        result = station.check_admin_pin("0000")
    assert result.lock_started and result.locked_seconds == 120  # the second lock is longer
    clock.advance(seconds=121)
    assert station.check_admin_pin("2580").ok
    for _ in range(5):
        result = station.check_admin_pin("0000")
    assert result.locked_seconds == 60  # a right PIN forgets the earlier locks
    locks = [e for e in events(station, "keeper.action") if e["action"] == "pin.locked"]
    assert [e["lock_seconds"] for e in locks] == [60, 120, 60]


def test_pin_change(station) -> None:
    assert station.change_admin_pin("2580", "1234", "1235") is PinChange.MISMATCH
    assert station.change_admin_pin("2580", "12", "12") is PinChange.INVALID
    assert station.change_admin_pin("9999", "1234", "1234") is PinChange.WRONG_OLD
    assert station.change_admin_pin("2580", "1234", "1234") is PinChange.CHANGED
    store = PinStore.in_dir(station.paths.data_dir)
    assert store.check("1234") and not store.check("2580")
    assert "1234" not in store.path.read_text()
    assert [e["action"] for e in events(station, "keeper.action")] == ["pin.changed"]


# -- 导出 ---------------------------------------------------------------------------------------


@pytest.fixture
def month_of_records(station, clock, crew) -> str:
    for pid in crew:
        station.checkin_person(pid)
    clock.advance(minutes=25)
    station.checkin_person(crew[0])
    station.trade_visit(Trade("环卫"))
    return station.today().strftime("%Y-%m")


def test_export_writes_xlsx_and_csv(station, tmp_path, month_of_records) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    files = station.export_month(month_of_records, stick)
    assert sorted(p.name for p in stick.iterdir()) == sorted(file_names(month_of_records))
    assert [f.name for f in files] == file_names(month_of_records)
    book = load_workbook(stick / f"station-{month_of_records}.xlsx", read_only=True)
    visits = list(book["到站记录"].iter_rows(values_only=True))
    book.close()
    assert visits[0][:5] == ("日期", "签到", "签退", "休息分钟", "姓名")
    assert len(visits) == 1 + 4
    assert {r[4] or "" for r in visits[1:]} == {"张建国", "李红梅", "王大力", ""}
    assert [r[3] for r in visits[1:] if r[4] == "张建国"] == [25]
    with open(stick / f"visits-{month_of_records}.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[1:] == [[str(c) if c is not None else "" for c in r] for r in visits[1:]]
    (audit,) = [e for e in events(station, "keeper.action") if e["action"] == "records.exported"]
    assert audit["rows"]["到站记录"] == 4 and audit["month"] == month_of_records


def test_export_to_a_stick_pulled_out_mid_write(station, tmp_path, month_of_records) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    written: list[str] = []

    def pull_out(name: str) -> None:
        written.append(name)
        if len(written) == 2:  # the workbook is written; the stick goes
            shutil.rmtree(stick)

    with pytest.raises(ExportError) as e:
        station.export_month(month_of_records, stick, pull_out)
    assert e.value.problem == ExportProblem.GONE and "拔出" in e.value.message
    assert not stick.exists()
    assert events(station, "keeper.action") == []


def _mount_tmpfs(path, options: str) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_stick(tmp_path):
    """A real 8 KiB file system (tmpfs) when this machine lets us mount one."""
    path = tmp_path / "small"
    if not _mount_tmpfs(path, "size=8k"):
        pytest.skip("cannot mount a tmpfs here")
    yield path
    subprocess.run(["umount", str(path)], check=False)


@pytest.fixture
def read_only_stick(tmp_path):
    path = tmp_path / "ro"
    if not _mount_tmpfs(path, "size=1m,ro"):
        if os.geteuid() == 0:
            pytest.skip("cannot mount a read-only tmpfs here")
        path.chmod(0o555)  # not root: permissions are enough
    yield path
    subprocess.run(["umount", str(path)], check=False, capture_output=True)
    path.chmod(0o755)


def test_export_to_a_read_only_stick(station, read_only_stick, month_of_records) -> None:
    with pytest.raises(ExportError) as e:
        station.export_month(month_of_records, read_only_stick)
    assert e.value.problem == ExportProblem.READ_ONLY and "只读" in e.value.message
    assert list(read_only_stick.iterdir()) == []


def test_export_to_a_full_stick_leaves_nothing(station, clock, small_stick, crew) -> None:
    for _ in range(400):  # ~14 KiB of CSV: more than the stick holds
        station.checkin_person(crew[0])
        clock.advance(minutes=2)
    month = station.today().strftime("%Y-%m")
    with pytest.raises(ExportError) as e:
        station.export_month(month, small_stick)
    assert e.value.problem == ExportProblem.FULL and "空间不足" in e.value.message
    assert list(small_stick.iterdir()) == []


def test_device_status(station, clock) -> None:
    started = clock.now() - timedelta(hours=3, minutes=5)
    with station.db.read() as s:
        sync = status(s)
    rows = {r.key: r for r in station.device_status(started, (False, "摄像头未连接"), sync)}
    assert rows["camera"].level == "red" and rows["camera"].value == "摄像头未连接"
    assert rows["uptime"].value == "3 小时 5 分"
    assert rows["sync"].value == "未接入中心"
    assert rows["database"].value.endswith(("KB", "MB"))
    assert rows["disk"].level in ("green", "amber", "red")
    assert list(rows) == [
        "camera",
        "last_code",
        "scanner",
        "backup",
        "disk",
        "database",
        "clock",
        "sync",
        "version",
        "uptime",
    ]
    assert (rows["backup"].value, rows["backup"].level) == ("还没有备份", "amber")
    assert rows["scanner"].value == "本次开机后还没有" and rows["scanner"].level == "none"


def test_device_status_camera_scanner_and_backup(station, clock) -> None:
    from kiosk.store.backup import daily_backup

    daily_backup(station.paths.database, station.paths.data_dir, clock.now())
    with station.db.read() as s:
        sync = status(s)

    def rows(**seen) -> dict:
        got = station.device_status(clock.now(), (True, ""), sync, **seen)
        return {r.key: (r.value, str(r.level)) for r in got}

    seen_at = clock.now()
    now = rows(camera_frames=(1280, 720, 14.6), last_code_at=seen_at, scanner_seen_at=seen_at)
    assert now["camera"] == ("正常 · 1280×720，每秒 15 帧", "green")
    assert now["scanner"][1] == "green" and now["last_code"][1] == "green"
    assert now["backup"][1] == "green" and now["backup"][0].startswith(f"{clock.now():%Y}")
    clock.advance(days=3)
    assert rows()["backup"][1] == "amber"
    clock.advance(days=5)
    assert rows()["backup"][1] == "red"
