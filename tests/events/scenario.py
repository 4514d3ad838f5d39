"""A station day that writes every event type through the real station code, for the
wire-compatibility check (``golden_outbox.json`` was recorded from the code before the
event schema moved to ``kiosk/events``). Issue 14 added, at the merge: ``category`` in
``person.upserted`` (null unless set) and the activity part of the day, whose
rows equal the branch's own pre-merge outbox except that times end ``+00:00`` (the one
wire rule, ``Payload.wire``) where the branch wrote ``Z``; its keeper rows at the end,
issue 15, match what the keeper's branch wrote before it was ported to the schema."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from kiosk.core.activities.model import ActivityKind, Category
from kiosk.core.badges import issue_token
from kiosk.core.checkin import Method
from kiosk.core.clock import ManualClock
from kiosk.core.keys import key_id_of, public_raw
from kiosk.core.station import StationService
from kiosk.core.study.package import load_content
from kiosk.core.study.records import SessionRecord
from kiosk.core.study.service import StudyService
from kiosk.core.trades import Trade
from kiosk.paths import StationPaths
from kiosk.resources import resource
from kiosk.sync.apply import apply_key
from kiosk.sync.protocol import KeyInfo

GOLDEN = Path(__file__).with_name("golden_outbox.json")


def _key(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


def _key_info(key: Ed25519PrivateKey) -> KeyInfo:
    raw = public_raw(key)
    return KeyInfo(
        key_id=key_id_of(raw),
        public_key=raw.hex(),
        station_id="00000000-0000-4000-8000-0000000000ee",
        station_name="东站",
    )


def outbox_rows(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[object]]:
    """``[type, schema_version, payload as stored]`` of every outbox row, in seq order; ids
    come from a counter and the station's own (random) key is replaced by placeholders."""
    counter = itertools.count(1)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))
    clock = ManualClock(datetime(2026, 11, 2, 1, 0, 0, 250_000, tzinfo=UTC))
    station = StationService(StationPaths(tmp / "station"), clock=clock)
    try:
        station.init("测试驿站")
        clock.advance(seconds=1)
        wang = station.add_person(
            name="王建国", trade="环卫", team="一队", party_member=True, phone="13800000000"
        )
        li = station.add_person(name="李四", trade="市政")
        badge = station.issue_badge(wang.id)
        clock.advance(minutes=1)
        station.scan(badge.token)
        clock.advance(minutes=45)
        station.scan(badge.token)
        station.trade_visit(Trade.PARKING)
        station.checkin_person(li.id)
        clock.advance(hours=13)
        station.close_stale_visits()
        # Badges under a key this station has not learned: one genuine, one forged.
        east = _key(7)
        east_id = key_id_of(public_raw(east))
        station.scan(issue_token(east, east_id, li.id, 3, station.today()), Method.SCANNER)
        clock.advance(minutes=1)
        station.scan(issue_token(_key(9), east_id, wang.id, 4, station.today()))
        clock.advance(minutes=5)

        def learn() -> None:
            with station.db.write() as s:
                apply_key(s, _key_info(east), station.clock.now())

        station.worker.call(learn)
        station.reload_keyring()
        clock.advance(minutes=1)
        station.set_setting("checkin.guard_seconds", 90)
        station.set_setting("greeting.full_name", True)
        station.set_person_active(li.id, False)
        station.revoke_badges(wang.id)
        study = StudyService(station)
        study.ensure_starter_library(resource("materials"))
        material = "heat-cold"
        start = clock.now()
        clock.advance(minutes=3)
        session_id = study.record_session(
            SessionRecord(material, 1, wang.id, start, clock.now(), 5, 6, True)
        )
        quiz = load_content(resource("materials", material)).quiz
        chosen = {q.id: list(q.answer) for q in quiz.questions}
        study.submit_quiz(wang.id, material, 1, quiz, chosen, session_id)
        wrong = {q.id: [] for q in quiz.questions}
        study.submit_quiz(None, material, 1, quiz, wrong)
        study.remove(material)
        # Activities and service hours (issue 14): started early, a badge and a guest sign
        # in, the badge signs out, the keeper ends it (the guest with it); another cancelled.
        zhao = station.add_person(name="赵六", trade="环卫", category="流动党员")
        zhao_token = station.issue_badge(zhao.id).token
        soon = clock.now() + timedelta(hours=2)
        activity = station.add_activity(
            kind=ActivityKind.VOLUNTEER,
            title="清扫志愿服务",
            start=soon,
            end=soon + timedelta(hours=2),
            host_unit="城管局",
            place="东站广场",
            service_hours=True,
        ).id
        station.start_activity(activity)
        clock.advance(minutes=1)
        station.activity_scan(activity, zhao_token)
        station.activity_guest(
            activity, name="李梅", category=Category.PUBLIC, unit="某公司", phone_tail="1234"
        )
        clock.advance(minutes=50)
        station.activity_scan(activity, zhao_token)
        station.end_activity(activity)
        later = soon + timedelta(days=1)
        meeting = station.add_activity(
            kind=ActivityKind.MEETING, title="月度例会", start=later, end=later + timedelta(hours=1)
        ).id
        station.cancel_activity(meeting, "改期")
        # The keeper's station (issue 15): a check-out by touch, then the end of the day.
        clock.advance(minutes=2)
        visit = station.checkin_person(wang.id)
        clock.advance(minutes=20)
        station.keeper_check_out(visit.visit_id)
        clock.advance(minutes=5)
        station.checkin_person(wang.id)
        clock.advance(minutes=5)
        station.close_forgotten_visits()
        with station.db.read() as s:
            rows = s.execute(
                text("SELECT type, schema_version, payload FROM outbox ORDER BY seq")
            ).all()
    finally:
        station.close()
    [first] = [json.loads(r[2]) for r in rows if r[0] == "station.initialized"]
    random = {first["key_id"]: "<station key_id>", first["public_key"]: "<station public_key>"}
    found: list[list[object]] = []
    for type_, version, payload in rows:
        for value, placeholder in random.items():
            payload = payload.replace(value, placeholder)
        found.append([type_, version, payload])
    return found
