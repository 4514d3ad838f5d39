"""Backoff with full jitter, Retry-After, and the engine's one round (push, then pull)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.core.clock import ManualClock
from kiosk.hub.models import HubEvent, HubStation
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import SyncClient
from kiosk.sync.engine import Outcome, SyncEngine
from kiosk.sync.transport import parse_retry_after
from tests.hub.harness import FlakyProxy, HubServer
from tests.sync.conftest import MakeStation
from tests.sync.helpers import hub_ids, outbox_ids, visits


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_backoff_grows_with_full_jitter_up_to_the_cap() -> None:
    clock = FakeTime()
    top = Backoff(base=2, cap=60, rand=lambda: 0.999999, clock=clock)
    delays = [top.failed() for _ in range(8)]
    assert delays[:5] == pytest.approx([2, 4, 8, 16, 32], rel=1e-4)
    assert max(delays) <= 60
    bottom = Backoff(base=2, cap=60, rand=lambda: 0.0, clock=clock)
    assert bottom.failed() == 0.0  # full jitter: anywhere from zero up


def test_backoff_honours_retry_after_and_resets_on_success() -> None:
    clock = FakeTime()
    backoff = Backoff(base=2, cap=600, rand=lambda: 0.5, clock=clock)
    assert backoff.failed(retry_after=30) == 30
    assert not backoff.ready() and backoff.remaining() == 30
    clock.now += 30
    assert backoff.ready()
    backoff.succeeded()
    assert backoff.failures == 0 and backoff.ready()


def test_retry_after_parses_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert parse_retry_after("12") == 12
    assert parse_retry_after("Mon, 02 Nov 2026 08:00:30 GMT", now) == 30
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_engine_backs_off_after_503_then_syncs(
    hub: HubServer, proxy: FlakyProxy, make_station: MakeStation
):
    station = make_station("东站", hub, url=proxy.url)
    visits(station, 3)
    clock = FakeTime()
    engine = SyncEngine(SyncClient(station), Backoff(rand=lambda: 0.0, clock=clock))
    proxy.plan = ["503"]
    failed = engine.run_once()
    assert failed.outcome is Outcome.FAILED and failed.retry_in == 7  # Retry-After: 7
    seen = proxy.requests
    assert engine.run_once().outcome is Outcome.WAITING
    assert proxy.requests == seen  # waiting means no traffic
    clock.now += 7
    done = engine.run_once()
    assert done.outcome is Outcome.SYNCED and done.report is not None
    assert hub_ids(hub) == outbox_ids(station)
    engine.client.close()


def test_station_clock_hours_off_is_measured_and_flagged(hub: HubServer, make_station: MakeStation):
    clock = ManualClock(datetime.now(UTC) + timedelta(hours=3))
    station = make_station("东站", hub, clock=clock)
    visits(station, 2)
    client = SyncClient(station)
    client.push_once()
    offset = client.status().clock_offset_seconds
    assert offset == pytest.approx(3 * 3600, abs=60)
    with hub.db.read() as s:
        [hub_station] = s.query(HubStation).all()
        assert hub_station.clock_flagged
        assert all(e.clock_flagged for e in s.query(HubEvent))
    client.close()
