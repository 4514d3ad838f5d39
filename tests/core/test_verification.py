"""Pending visits are checked once their key is learned (``core/verification.py``), through
the sync code that learns keys (``sync/apply.apply_key``) on a real station database."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from kiosk.core.badges import issue_token
from kiosk.core.checkin import Greeting, Outcome
from kiosk.core.keys import key_id_of, public_raw
from kiosk.core.station import StationService
from kiosk.events.schema import PersonUpserted
from kiosk.store.models import OutboxEvent, Visit
from kiosk.sync.apply import apply_changes, apply_key
from kiosk.sync.protocol import KeyChange, KeyInfo, PersonChange


@pytest.fixture
def other_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def key_info(key: Ed25519PrivateKey, revoked_at: datetime | None = None) -> KeyInfo:
    raw = public_raw(key)
    return KeyInfo(
        key_id=key_id_of(raw),
        public_key=raw.hex(),
        station_id=str(uuid.uuid4()),
        station_name="东站",
        revoked_at=revoked_at,
    )


def learn(station: StationService, info: KeyInfo) -> None:
    """What a pull does with a key: one transaction on the database thread, then reload."""

    def run() -> None:
        with station.db.write() as s:
            apply_key(s, info, station.clock.now())

    station.worker.call(run)
    station.reload_keyring()


def visit(station: StationService, visit_id: str) -> Visit:
    with station.db.read() as s:
        return s.get(Visit, visit_id)


def events_of(station: StationService, type_: str) -> list[dict]:
    with station.db.read() as s:
        return [e.payload for e in s.scalars(select(OutboxEvent).where(OutboxEvent.type == type_))]


def test_a_genuine_badge_becomes_its_persons_visit_once_the_key_is_learned(
    station, clock, other_key
) -> None:
    wang = station.add_person(name="王建国", trade="环卫")  # in our roster, badge from 东站
    token = issue_token(other_key, key_id_of(public_raw(other_key)), wang.id, 1, station.today())
    first = station.scan(token)
    assert first.greeting is Greeting.UNVERIFIED and first.person_id is None
    clock.advance(minutes=10)

    learn(station, key_info(other_key))

    v = visit(station, first.visit_id)
    assert (v.person_id, v.trade, v.unverified, v.verification) == (
        wang.id,
        "环卫",
        False,
        "verified",
    )
    [verified] = events_of(station, "visit.verified")
    assert verified["visit_id"] == first.visit_id and verified["person_id"] == wang.id
    fig = station.figures(station.today())
    assert (fig.visits, fig.distinct_people, fig.unverified_visits) == (1, 1, 0)

    # Now the key is known: his next scan is by name, and closes the visit it just verified.
    clock.advance(minutes=30)
    out = station.scan(token)
    assert out.greeting is Greeting.PERSON and out.person.name == "王建国"
    assert (out.outcome, out.visit_id) == (Outcome.CHECKED_OUT, first.visit_id)

    learn(station, key_info(other_key))  # the same key again: nothing is checked twice
    assert len(events_of(station, "visit.verified")) == 1


def test_a_forged_badge_is_marked_forged_and_left_out(station, clock, other_key) -> None:
    wang = station.add_person(name="王建国", trade="环卫")
    attacker = Ed25519PrivateKey.generate()
    their_key_id = key_id_of(public_raw(other_key))  # read off any badge of 东站
    forged = issue_token(attacker, their_key_id, wang.id, 1, station.today())
    first = station.scan(forged)
    assert first.greeting is Greeting.UNVERIFIED and first.person_id is None
    assert station.figures(station.today()).visits == 1

    learn(station, key_info(other_key))

    v = visit(station, first.visit_id)
    assert (v.person_id, v.unverified, v.verification) == (None, True, "forged")
    assert v.badge_token == forged  # kept: nothing is deleted
    [event] = events_of(station, "visit.forged")
    assert event["visit_id"] == first.visit_id and event["reason"] == "bad_signature"
    assert event["verdict"] == "forged" and "person_id" not in event
    fig = station.figures(station.today())
    assert (fig.visits, fig.rejected_visits) == (0, 1)
    # Now the key is known, the same forgery is refused outright.
    clock.advance(minutes=30)
    assert station.scan(forged).reason == "bad_signature"


def test_badges_signed_after_the_key_was_revoked_are_marked_revoked(
    station, clock, other_key
) -> None:
    token = issue_token(
        other_key, key_id_of(public_raw(other_key)), str(uuid.uuid4()), 1, station.today()
    )
    early = station.scan(token)
    clock.advance(hours=13)  # past the visit cap: the next scan checks in anew
    late = station.scan(token)
    assert early.visit_id != late.visit_id and late.outcome is Outcome.CHECKED_IN
    revoked_at = clock.now() - timedelta(minutes=5)  # between the two visits
    learn(station, key_info(other_key, revoked_at=revoked_at))
    assert visit(station, early.visit_id).verification == "verified"
    assert visit(station, late.visit_id).verification == "revoked"
    [event] = events_of(station, "visit.forged")
    assert event["verdict"] == "revoked" and event["reason"] == "key_revoked"


def test_only_the_last_30_days_are_checked(station, clock, other_key) -> None:
    token = issue_token(
        other_key, key_id_of(public_raw(other_key)), str(uuid.uuid4()), 1, station.today()
    )
    old = station.scan(token)
    clock.advance(days=31)
    learn(station, key_info(other_key))
    v = visit(station, old.visit_id)
    assert (v.verification, v.person_id) == ("pending", None)  # left for the hub
    assert events_of(station, "visit.verified") == []


def test_a_page_with_the_key_and_the_person_links_the_visit_with_the_persons_trade(
    station, clock, other_key
) -> None:
    """The feed sends a late station's key before its people: the visits are checked after
    the whole page, so the person (and trade) on the same page is already known."""
    person_id = str(uuid.uuid4())
    token = issue_token(other_key, key_id_of(public_raw(other_key)), person_id, 1, station.today())
    first = station.scan(token)
    page = [
        KeyChange(key=key_info(other_key)),
        PersonChange(
            person=PersonUpserted(
                person_id=person_id,
                name="赵六",
                trade="绿化",
                active=True,
                updated_at=clock.now(),
            )
        ),
    ]

    def run() -> None:
        with station.db.write() as s:
            apply_changes(s, page, clock.now())

    station.worker.call(run)
    v = visit(station, first.visit_id)
    assert (v.person_id, v.trade, v.verification) == (person_id, "绿化", "verified")
    assert station.figures(station.today()).visits_by_trade == {"绿化": 1}
