"""Activities and service hours through the real station service and a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kiosk.core.activities.model import (
    ActivityError,
    ActivityKind,
    AttendanceState,
    Category,
    Schedule,
    credited_minutes,
    parse_category,
)
from kiosk.core.activities.views import SignInOutcome
from kiosk.core.badges import issue_token
from kiosk.core.clock import ManualClock
from kiosk.core.errors import StationError
from kiosk.core.messages import describe_signin
from kiosk.core.station import StationService
from kiosk.store.models import Attendance, OutboxEvent

# The manual clock starts at 2026-11-02 01:00 UTC (09:00 in the station's zone).
START = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 local
END = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)  # 12:00 local


def schedule(**kw: object) -> Schedule:
    return Schedule(START, END, **kw)  # type: ignore[arg-type]


# -- the pure rules --------------------------------------------------------------------------


def test_credit_is_clamped_to_the_schedule_and_rounded_down() -> None:
    s = schedule()
    early, late = START - timedelta(minutes=50), END + timedelta(minutes=30)
    assert credited_minutes(early, late, s, 5) == 120  # arriving early / staying late: nothing
    assert credited_minutes(START + timedelta(minutes=3), END, s, 5) == 115  # 117 → 115
    assert credited_minutes(START, START + timedelta(minutes=59, seconds=59), s, 5) == 55
    assert credited_minutes(START, START + timedelta(minutes=59), s, 1) == 59
    assert credited_minutes(END, START, s, 5) == 0  # a clock that went back earns nothing


def test_schedule_refuses_an_end_before_the_start() -> None:
    with pytest.raises(ActivityError):
        Schedule(END, START)
    with pytest.raises(ActivityError):
        Schedule(START, START + timedelta(hours=25))
    s = schedule()
    assert s.signin_opens == START - timedelta(minutes=60)
    assert s.signin_open(START - timedelta(minutes=60)) and s.signin_open(END)
    assert not s.signin_open(START - timedelta(minutes=61))


def test_categories_by_code_or_chinese_name() -> None:
    assert parse_category("流动党员") is Category.MOBILE_MEMBER
    assert parse_category("机关党员（下沉）") is Category.OFFICE_MEMBER
    assert parse_category("office-member") is Category.OFFICE_MEMBER
    with pytest.raises(ActivityError):
        parse_category("党员")


# -- at the station --------------------------------------------------------------------------


@pytest.fixture
def zhang(station: StationService) -> tuple[str, str]:
    person = station.add_person(name="张建国", trade="环卫", category="流动党员")
    return person.id, station.issue_badge(person.id).token


def add(station: StationService, service_hours: bool = True, **kw: object) -> str:
    fields: dict[str, object] = {
        "kind": ActivityKind.VOLUNTEER,
        "title": "清扫志愿服务",
        "start": START,
        "end": END,
        "host_unit": "城管局",
        "service_hours": service_hours,
    }
    return station.add_activity(**(fields | kw)).id


def events(station: StationService) -> list[tuple[str, dict]]:
    with station.db.read() as s:
        rows = s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)).all()
        return [(r.type, r.payload) for r in rows]


def count_rows(station: StationService) -> tuple[int, int]:
    with station.db.read() as s:
        return (
            s.scalar(select(func.count(Attendance.id))),
            s.scalar(select(func.count(OutboxEvent.seq))),
        )


def test_badge_scan_signs_in_then_out_with_credited_hours(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(minutes=30)  # 09:30 local: the window (09:00-12:00) is open
    first = station.activity_scan(activity, zhang[1])
    assert first.outcome is SignInOutcome.SIGNED_IN and first.person_id == zhang[0]
    assert describe_signin(first) == "张师傅，已签到【清扫志愿服务】"
    clock.advance(seconds=20)
    again = station.activity_scan(activity, zhang[1])
    assert again.outcome is SignInOutcome.ALREADY_SIGNED_IN
    assert again.attendance_id == first.attendance_id
    clock.advance(hours=2, minutes=2)  # 11:32:20 local
    out = station.activity_scan(activity, zhang[1])
    assert out.outcome is SignInOutcome.SIGNED_OUT and out.attendance_id == first.attendance_id
    assert out.credited_minutes == 90  # 10:00 (the start) to 11:32 → 92 → 90
    detail = station.activity(activity)
    (att,) = detail.attendances
    assert att.state is AttendanceState.PENDING and att.category is Category.MOBILE_MEMBER
    assert detail.by_category == {"mobile-member": 1}
    types = [t for t, _ in events(station)]
    assert types[-3:] == ["activity.scheduled", "attendance.signed_in", "attendance.signed_out"]
    assert events(station)[-1][1]["credited_minutes"] == 90


def test_a_person_picked_by_name_signs_in_then_out(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(minutes=30)
    first = station.activity_sign_in_person(activity, zhang[0])
    assert first.outcome is SignInOutcome.SIGNED_IN and first.person_id == zhang[0]
    assert events(station)[-1][1]["method"] == "manual"
    clock.advance(hours=1)
    out = station.activity_sign_in_person(activity, zhang[0])
    assert out.outcome is SignInOutcome.SIGNED_OUT and out.attendance_id == first.attendance_id
    with pytest.raises(StationError, match="no active person"):
        station.activity_sign_in_person(activity, "nobody")


def test_scan_outside_the_window_is_refused_and_records_nothing(station, clock, zhang) -> None:
    activity = add(station, start=START + timedelta(hours=1), end=END + timedelta(hours=1))
    before = count_rows(station)
    result = station.activity_scan(activity, zhang[1])  # 09:00, the window opens at 10:00
    assert result.outcome is SignInOutcome.REFUSED and result.reason == "not_open"
    assert "开始签到" in describe_signin(result)
    assert count_rows(station) == before


def test_badge_rules_are_check_ins(station, clock, zhang) -> None:
    activity = add(station)
    assert station.activity_scan(activity, "hello").reason == "not_a_badge"
    station.revoke_badges(zhang[0])
    assert station.activity_scan(activity, zhang[1]).reason == "revoked"
    # A well-formed token under a key this station never learned names nobody.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.core.keys import key_id_of, public_raw

    stranger = Ed25519PrivateKey.generate()
    token = issue_token(stranger, key_id_of(public_raw(stranger)), zhang[0], 7, START.date())
    before = count_rows(station)
    result = station.activity_scan(activity, token)
    assert result.outcome is SignInOutcome.REFUSED and result.reason == "unverified"
    assert result.person_id is None and result.person_name is None
    assert count_rows(station) == before


def test_forgotten_sign_out_goes_to_review_with_nothing_credited(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(hours=1)  # 10:00
    station.activity_scan(activity, zhang[1])
    clock.advance(hours=5)  # 15:00: long after the end, nobody signed out
    signed_out, to_review = station.end_activity(activity)
    assert (signed_out, to_review) == (1, 1)
    (att,) = station.activity(activity).attendances
    assert att.state is AttendanceState.PENDING and att.review_reason == "no_sign_out"
    assert att.credited_minutes == 0 and att.signed_out_at == END
    with pytest.raises(StationError, match="ended"):
        station.end_activity(activity)


def test_the_keeper_ending_on_time_signs_the_room_out(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(hours=1)
    station.activity_scan(activity, zhang[1])
    guest = station.activity_guest(activity, name="李梅", category=Category.VOLUNTEER)
    clock.advance(hours=1, minutes=50)  # 11:50, before the end
    assert station.end_activity(activity) == (2, 0)
    atts = {a.name: a for a in station.activity(activity).attendances}
    assert atts["张建国"].credited_minutes == 110 and atts["张建国"].ended_by == "activity_end"
    assert atts["李梅"].credited_minutes == 0 and atts["李梅"].guest  # 人次, no hours
    assert atts["李梅"].state is AttendanceState.SIGNED_OUT
    assert guest.attendance_id == atts["李梅"].id


def test_an_overdue_activity_is_ended_automatically(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(hours=1)
    station.activity_scan(activity, zhang[1])
    clock.advance(hours=4)
    view = station.activities()[0]
    assert view.stored_state.value == "ended"
    (att,) = station.activity(activity).attendances
    assert att.ended_by == "automatic" and att.review_reason == "no_sign_out"


def test_guest_input_is_checked_and_nothing_half_written(station, clock) -> None:
    activity = add(station)
    before = count_rows(station)
    for bad in ("", " ", "长" * 500):
        with pytest.raises(StationError):
            station.activity_guest(activity, name=bad, category=Category.PUBLIC)
    with pytest.raises(StationError):
        station.activity_guest(activity, name="王五", category=Category.PUBLIC, phone_tail="12")
    with pytest.raises(StationError, match="no activity"):
        station.activity_guest("nope", name="王五", category=Category.PUBLIC)
    assert count_rows(station) == before


def test_a_cancelled_activity_takes_no_sign_in(station, clock, zhang) -> None:
    activity = add(station)
    station.cancel_activity(activity, "下雨")
    with pytest.raises(StationError, match="cancelled"):
        station.activity_scan(activity, zhang[1])
    assert events(station)[-1][0] == "activity.cancelled"


def test_start_now_moves_the_start_and_opens_sign_in(station, clock, zhang) -> None:
    later = START + timedelta(hours=3)
    activity = add(station, start=later, end=later + timedelta(hours=1))
    assert station.activity_scan(activity, zhang[1]).reason == "not_open"
    view = station.start_activity(activity)
    assert view.start_at == clock.now()
    assert station.activity_scan(activity, zhang[1]).outcome is SignInOutcome.SIGNED_IN


def test_every_event_payload_validates_against_its_model(station, clock, zhang) -> None:
    from kiosk.events.schema import model_for

    activity = add(station)
    clock.advance(hours=1)
    station.activity_scan(activity, zhang[1])
    station.activity_guest(activity, name="李梅", category=Category.PUBLIC, unit="某公司")
    clock.advance(hours=3)
    station.end_activity(activity)
    seen = set()
    for type_, payload in events(station):
        if type_.startswith(("activity.", "attendance.")):
            model = model_for(type_, 1)
            assert model is not None
            model.model_validate(payload)
            seen.add(type_)
    assert seen >= {
        "activity.scheduled",
        "attendance.signed_in",
        "attendance.signed_out",
        "activity.ended",
    }


def test_credit_step_is_a_setting(station, clock: ManualClock, zhang) -> None:
    station.set_setting("activities.credit_step_minutes", "15")
    activity = add(station)
    clock.advance(hours=1)
    station.activity_scan(activity, zhang[1])
    clock.advance(minutes=44)
    assert station.activity_scan(activity, zhang[1]).credited_minutes == 30


def test_category_is_an_optional_roster_csv_column(station, tmp_path) -> None:
    with_column = tmp_path / "with.csv"
    with_column.write_text(
        "name,trade,team,party_member,phone,category\n"
        "张三,环卫,一队,是,13800000001,流动党员\n"
        "李四,绿化,二队,,13800000002,\n",
        encoding="utf-8",
    )
    station.import_people(with_column)
    people = {p.name: p for p in station.people()}
    with station.db.read() as s:
        from kiosk.store.models import Person

        assert s.get(Person, people["张三"].id).category == "mobile-member"
        assert s.get(Person, people["李四"].id).category is None
    upserts = [p for t, p in events(station) if t == "person.upserted"]
    assert {p["name"]: p["category"] for p in upserts} == {"张三": "mobile-member", "李四": None}
    # A file without the column leaves categories alone; a bad category refuses the row.
    without = tmp_path / "without.csv"
    without.write_text("name,trade,team,phone\n张三,环卫,三队,13800000001\n", encoding="utf-8")
    station.import_people(without)
    with station.db.read() as s:
        assert s.get(Person, people["张三"].id).category == "mobile-member"
    bad = tmp_path / "bad.csv"
    bad.write_text("name,trade,category\n王五,环卫,党员\n", encoding="utf-8")
    assert station.import_people(bad).refused[0].reason.startswith("unknown category")


def test_every_activity_event_is_declared_once_and_projected_by_the_hub() -> None:
    from kiosk.events.schema import EventType
    from kiosk.hub.handlers import HANDLERS

    ours = {t for t in EventType if t.value.startswith(("activity.", "attendance."))}
    assert len(ours) == 6
    assert all(HANDLERS[t].project is not None for t in ours)


def test_the_keeper_signs_one_person_out(station, clock, zhang) -> None:
    activity = add(station)
    clock.advance(hours=1)
    signed_in = station.activity_scan(activity, zhang[1])
    clock.advance(minutes=47)
    out = station.activity_sign_out(signed_in.attendance_id)
    assert out.outcome is SignInOutcome.SIGNED_OUT and out.credited_minutes == 45
    (att,) = station.activity(activity).attendances
    assert att.ended_by == "keeper" and att.state is AttendanceState.PENDING
    with pytest.raises(StationError, match="already signed out"):
        station.activity_sign_out(signed_in.attendance_id)
