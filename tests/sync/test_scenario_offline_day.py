"""A station offline for a day with 10,000 events, then back.

The station's clock is a manual one that walks through the day (8 s between events), so
visits, check-outs and rest times are spread over it as at a busy station. The hub is down
the whole time (a sync attempt at noon fails); when it comes back one sync delivers all of
it, once, and the hub's figures for each day agree with the station's own.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.clock import ManualClock
from kiosk.hub.stats import hub_stats
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HubUnavailable
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation
from tests.sync.scenario import assert_hub_matches, badge_holders, outbox_size, write_steps

TZ = ZoneInfo("Asia/Shanghai")  # the station's default station.timezone
BACKLOG = 10_000
PEOPLE = 50
ROUNDS = 10  # each: every worker checks in, then out 400 s later; then trade taps
STEP = timedelta(seconds=8)


def test_a_day_offline_with_10000_events_then_back(tmp_path: Path, make_station: MakeStation):
    db_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    hub = HubServer(db_url).start()
    clock = ManualClock(datetime.now(UTC) - timedelta(hours=23))
    station = make_station("东站", hub, clock=clock)
    client = SyncClient(station)
    client.sync_once()  # in the morning everything is up to date
    before = outbox_size(station)
    hub.stop()  # then the line goes down for the day

    made = time.perf_counter()
    tokens = badge_holders(station, PEOPLE)  # person.upserted + badge.issued each
    taps = (BACKLOG - 2 * PEOPLE) // ROUNDS - 2 * PEOPLE
    for i in range(ROUNDS):
        write_steps(station, clock, [*tokens, *tokens, *[None] * taps], STEP)
        if i == ROUNDS // 2:
            with pytest.raises(HubUnavailable):  # a sync attempt at midday fails
                client.push_once()
    made = time.perf_counter() - made
    first, last = clock.now() - ROUNDS * (2 * PEOPLE + taps) * STEP, clock.now()
    assert outbox_size(station) - before == BACKLOG
    assert client.status().pending == BACKLOG

    clock.set(datetime.now(UTC))
    hub = HubServer(db_url, port=hub.port).start()  # back
    try:
        drained = time.perf_counter()
        report = client.sync_once()
        drained = time.perf_counter() - drained
        assert report.push.accepted == BACKLOG and report.push.duplicate == 0
        assert report.push.rejected == 0 and client.status().pending == 0
        client.close()
        tally = assert_hub_matches(hub.db, [station])
        assert tally.visits == ROUNDS * (PEOPLE + taps)

        with hub.db.read() as s:
            figures = hub_stats(s, None, None, TZ)
        days = sorted({first.astimezone(TZ).date(), last.astimezone(TZ).date()})
        assert set(figures.by_day) == set(days)
        for day in days:
            mine, theirs = station.figures(day), figures.by_day[day].record()
            assert theirs["visits"] == mine.visits > 0
            assert theirs["distinct_people"] == mine.distinct_people
            assert theirs["rest_hours"] == mine.rest_hours
        assert figures.overall.record()["rest_hours"] == round(PEOPLE * ROUNDS * 400 / 3600, 2)
        assert figures.by_station["东站"].visits == tally.visits
        print(f"\n10,000 events: made in {made:.1f} s, delivered in {drained:.1f} s")
    finally:
        hub.stop()
