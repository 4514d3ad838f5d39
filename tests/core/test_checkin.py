"""Check-in rules through the real station service and a real SQLite file."""

from __future__ import annotations

import base64
import uuid
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.core.badges import BadgeError, issue_token, parse_token
from kiosk.core.clock import ManualClock
from kiosk.core.keys import key_id_of, public_raw
from kiosk.core.messages import describe
from kiosk.core.results import Greeting, Method, Outcome
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.store.models import OutboxEvent, Visit


@pytest.fixture
def zhang(station: StationService) -> tuple[str, str]:
    person = station.add_person(name="张建国", trade="环卫", party_member=True)
    return person.id, station.issue_badge(person.id).token


def counts(station: StationService) -> tuple[int, int]:
    with station.db.read() as s:
        return (
            s.scalar(select(func.count(Visit.id))),
            s.scalar(select(func.count(OutboxEvent.seq))),
        )


def test_first_scan_checks_in_by_name(station, zhang) -> None:
    result = station.scan(zhang[1])
    assert result.outcome is Outcome.CHECKED_IN
    assert result.greeting is Greeting.PERSON
    assert result.person.name == "张建国" and result.person.party_member
    assert result.month_visits == 1
    assert describe(result) == "张师傅，欢迎回家！"
    assert describe(result, full_name=True) == "张建国，欢迎回家！"
    with station.db.read() as s:
        visit = s.get(Visit, result.visit_id)
        assert visit.method == "camera" and visit.trade == "环卫" and visit.checked_out_at is None


def test_second_scan_inside_guard_only_acknowledges(station, clock, zhang) -> None:
    first = station.scan(zhang[1])
    before = counts(station)
    clock.advance(seconds=59)
    again = station.scan(zhang[1], Method.SCANNER)
    assert again.outcome is Outcome.ALREADY_IN
    assert again.visit_id == first.visit_id
    assert counts(station) == before  # no record, no event


def test_scan_after_guard_checks_out_with_rest_time(station, clock, zhang) -> None:
    first = station.scan(zhang[1])
    clock.advance(minutes=42)
    out = station.scan(zhang[1])
    assert out.outcome is Outcome.CHECKED_OUT
    assert out.visit_id == first.visit_id
    assert out.rest_seconds == 42 * 60
    assert describe(out) == "张师傅，辛苦了！本次休息 42 分钟"
    clock.advance(seconds=10)
    assert station.scan(zhang[1]).outcome is Outcome.ALREADY_OUT
    clock.advance(minutes=5)
    back = station.scan(zhang[1])
    assert back.outcome is Outcome.CHECKED_IN and back.month_visits == 2


def test_guard_window_is_a_setting(station, clock, zhang) -> None:
    station.set_setting("checkin.guard_seconds", "5")
    station.scan(zhang[1])
    clock.advance(seconds=6)
    assert station.scan(zhang[1]).outcome is Outcome.CHECKED_OUT


def test_forgotten_visit_is_auto_closed_at_the_cap(station, clock, zhang) -> None:
    first = station.scan(zhang[1])
    clock.advance(hours=30)
    result = station.scan(zhang[1])
    assert result.outcome is Outcome.CHECKED_IN  # the old visit was closed, this is a new one
    assert result.visit_id != first.visit_id
    with station.db.read() as s:
        old = s.get(Visit, first.visit_id)
        assert old.auto_closed
        assert (old.checked_out_at - old.checked_in_at).total_seconds() == 12 * 3600
    assert station.figures(first.checked_in_at.date()).rest_hours == 12.0


def test_sweep_closes_stale_visits_without_a_scan(station, clock, zhang) -> None:
    station.scan(zhang[1])
    clock.advance(hours=11)
    assert station.close_stale_visits() == 0
    clock.advance(hours=2)
    assert station.close_stale_visits() == 1


def test_anonymous_trade_visit_is_one_person_time(station) -> None:
    result = station.trade_visit(Trade.DELIVERY)
    assert result.outcome is Outcome.CHECKED_IN and result.greeting is Greeting.ANONYMOUS
    fig = station.figures(station.today())
    assert fig.visits == 1 and fig.distinct_people == 0
    assert fig.anonymous_by_trade == {"快递外卖": 1}


def test_manual_checkin_by_name_records_method(station) -> None:
    person = station.add_person(name="赵四", trade="市政")
    result = station.checkin_person(person.id)
    assert result.outcome is Outcome.CHECKED_IN
    with station.db.read() as s:
        assert s.get(Visit, result.visit_id).method == "manual"


def test_valid_badge_of_person_missing_from_roster_gets_generic_greeting(station) -> None:
    key = station._signing_key()
    person_id = str(uuid.uuid4())  # issued elsewhere under our key, roster not synced yet
    token = issue_token(key, station.info().key_id, person_id, 999, station.today())
    result = station.scan(token)
    assert result.outcome is Outcome.CHECKED_IN
    assert result.greeting is Greeting.UNKNOWN_PERSON
    assert result.person_id == person_id
    assert describe(result) == "师傅，欢迎回家！"


def test_badge_under_unknown_key_is_recorded_unverified(station) -> None:
    other = Ed25519PrivateKey.generate()
    token = issue_token(other, key_id_of(public_raw(other)), str(uuid.uuid4()), 1, station.today())
    result = station.scan(token)
    assert result.outcome is Outcome.CHECKED_IN and result.greeting is Greeting.UNVERIFIED
    with station.db.read() as s:
        assert s.get(Visit, result.visit_id).unverified
    assert station.figures(station.today()).unverified_visits == 1


def test_revoked_badge_is_refused_and_new_one_works(station, zhang) -> None:
    person_id, old = zhang
    assert station.revoke_badges(person_id) == 1
    before = counts(station)
    result = station.scan(old)
    assert result.outcome is Outcome.REFUSED and result.reason == "revoked"
    assert "补办" in describe(result)
    assert counts(station) == before
    assert station.scan(station.issue_badge(person_id).token).outcome is Outcome.CHECKED_IN


def test_expired_badge_is_refused(station, zhang) -> None:
    key = station._signing_key()
    token = issue_token(
        key, station.info().key_id, zhang[0], 50, date(2024, 1, 1), date(2025, 1, 1)
    )
    assert station.scan(token).reason == "expired"


def test_forged_badge_is_refused(station, zhang) -> None:
    attacker = Ed25519PrivateKey.generate()
    forged = issue_token(attacker, station.info().key_id, zhang[0], 1, station.today())
    result = station.scan(forged)
    assert (result.outcome, result.reason) == (Outcome.REFUSED, "bad_signature")


_FUZZ = settings(
    max_examples=1200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _well_formed(text: str) -> bool:
    """Structurally a token (possibly forged): those are the next test's business."""
    try:
        parse_token(text)
    except BadgeError:
        return False
    return True


@_FUZZ
@given(
    st.one_of(
        st.text(max_size=200),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        st.text(alphabet=_BASE32, min_size=100, max_size=200)
        .filter(lambda s: len(s) != 156)
        .map(lambda s: "YZ1:" + s),
        st.just("x" * 4096),
        st.from_regex(r"https?://[a-z]{1,20}\.[a-z]{2,3}/\w{0,30}", fullmatch=True),
    ).filter(lambda text: not _well_formed(text))
)
def test_adversarial_payloads_are_refused_and_change_nothing(station, text: str) -> None:
    before = counts(station)
    result = station.scan(text)
    assert result.outcome is Outcome.REFUSED
    assert result.reason in {"not_a_badge", "malformed", "bad_signature"}
    assert counts(station) == before


@_FUZZ
@given(st.binary(min_size=96, max_size=96), st.booleans())
def test_forged_well_formed_tokens_never_get_a_named_greeting(
    station, raw: bytes, claim_our_key: bool
) -> None:
    """A random token is refused, or (under a key id nobody has) an *unverified* visit."""
    key_id = bytes.fromhex(station.info().key_id) if claim_our_key else raw[:8]
    text = "YZ1:" + base64.b32encode(b"\x01" + key_id + raw[8:]).decode().rstrip("=")
    before = counts(station)
    result = station.scan(text)
    if claim_our_key:
        assert (result.outcome, result.reason) == (Outcome.REFUSED, "bad_signature")
    if result.outcome is Outcome.REFUSED:
        assert counts(station) == before
    else:
        assert result.greeting is Greeting.UNVERIFIED and result.person is None
        with station.db.read() as s:
            assert s.get(Visit, result.visit_id).unverified


def test_day_figures(station, clock: ManualClock, zhang) -> None:
    station.scan(zhang[1])
    station.trade_visit(Trade.SANITATION)
    station.trade_visit(Trade.SANITATION)
    clock.advance(minutes=90)
    station.scan(zhang[1])
    fig = station.figures(station.today())
    assert (fig.visits, fig.distinct_people, fig.rest_hours) == (3, 1, 1.5)
    assert fig.anonymous_by_trade == {"环卫": 2}
    assert fig.visits_by_trade == {"环卫": 3}


def test_every_change_writes_its_event_in_order(station, clock, zhang) -> None:
    station.scan(zhang[1])
    clock.advance(minutes=5)
    station.scan(zhang[1])
    with station.db.read() as s:
        events = list(s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.type for e in events] == [
        "station.initialized",
        "person.upserted",
        "badge.issued",
        "visit.checked_in",
        "visit.checked_out",
    ]
    assert len({e.id for e in events}) == len(events)
    assert events[-1].payload["rest_seconds"] == 300
