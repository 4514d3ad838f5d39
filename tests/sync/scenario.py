"""Helpers for the sync scenarios: the final comparison, and making many events quickly.

``assert_hub_matches`` is how every scenario ends: the hub holds exactly the events the
stations wrote (minus the ones they quarantined), each once, and one visit row per station
visit. Events are made with the station's own check-in functions, a few hundred per
transaction on the station's database thread (one transaction per scan would spend the
test in fsyncs, ~6 ms each).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from kiosk.core import checkin
from kiosk.core.clock import ManualClock
from kiosk.core.results import Method, Outcome
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.db.sessions import Sessions
from kiosk.hub.models import HubEvent, HubVisit
from kiosk.store.models import OutboxEvent, SyncQuarantine, Visit
from kiosk.sync.state import status

CHUNK = 250


@dataclass(frozen=True)
class Tally:
    """What the hub holds after a scenario, for the test to report or compare further."""

    events: int
    visits: int


def station_ids(station: StationService) -> tuple[str, list[str], set[str], set[str]]:
    """(hub station id, outbox ids in seq order, quarantined ids, visit ids)."""
    with station.db.read() as s:
        hub_station_id = status(s).hub_station_id or ""
        outbox = list(s.scalars(select(OutboxEvent.id).order_by(OutboxEvent.seq)))
        quarantined = set(s.scalars(select(SyncQuarantine.event_id)))
        visit_ids = set(s.scalars(select(Visit.id)))
    return hub_station_id, outbox, quarantined, visit_ids


def assert_hub_matches(hub_db: Sessions, stations: Sequence[StationService]) -> Tally:
    """The hub's events and visits equal the stations' records: nothing lost, none twice."""
    with hub_db.read() as s:
        stored = list(
            s.execute(
                select(HubEvent.event_id, HubEvent.station_id, HubEvent.seq).order_by(HubEvent.pk)
            )
        )
        hub_visits = list(s.execute(select(HubVisit.station_id, HubVisit.visit_id)))
    ids = [e for e, _, _ in stored]
    assert len(ids) == len(set(ids)), "an event is stored twice"
    visit_keys = [(st, v) for st, v in hub_visits]
    assert len(visit_keys) == len(set(visit_keys)), "a visit is projected twice"
    expected: set[str] = set()
    for station in stations:
        hub_station_id, outbox, quarantined, visit_ids = station_ids(station)
        mine = [(e, seq) for e, st, seq in stored if st == hub_station_id]
        sent = [e for e in outbox if e not in quarantined]
        assert [e for e, _ in mine] == sent, "events missing, extra, or not in seq order"
        assert [q for _, q in mine] == sorted(q for _, q in mine)
        assert {v for st, v in visit_keys if st == hub_station_id} == visit_ids
        expected |= set(sent)
    assert set(ids) == expected
    return Tally(len(ids), len(visit_keys))


def write_steps(
    station: StationService, clock: ManualClock, steps: Sequence[str | None], every: timedelta
) -> None:
    """Scan each badge token in ``steps`` (None: a trade tap), ``every`` apart on the clock.

    Runs the station's own check-in rules in transactions of ``CHUNK`` steps on its database
    thread, exactly as ``station.scan`` / ``station.trade_visit`` would one by one.
    """
    ring = station.keyring()

    def run(chunk: Sequence[str | None]) -> None:
        with station.db.write() as s:
            now: datetime = clock.now()
            for token in chunk:
                now += every
                if token is None:
                    checkin.record_trade_visit(s, Trade.SANITATION, now)
                else:
                    result = checkin.record_badge_scan(s, token, Method.CAMERA, now, ring)
                    assert result.outcome in (Outcome.CHECKED_IN, Outcome.CHECKED_OUT)
            clock.set(now)

    for i in range(0, len(steps), CHUNK):
        chunk = steps[i : i + CHUNK]
        station.worker.call(lambda c=chunk: run(c))


def trade_visits(station: StationService, clock: ManualClock, n: int, every: timedelta) -> None:
    write_steps(station, clock, [None] * n, every)


def badge_holders(station: StationService, n: int) -> list[str]:
    """``n`` people added and given a badge at this station; their badge tokens."""
    tokens = []
    for i in range(n):
        person = station.add_person(name=f"工人{i:03d}", trade=Trade.SANITATION)
        tokens.append(station.issue_badge(person.id).token)
    return tokens


def outbox_size(station: StationService) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent)) or 0
