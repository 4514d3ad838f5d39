"""The hub process killed (SIGKILL) while a station's push is in flight, then restarted.

The hub runs as a real ``kiosk-hub serve`` child process on an SQLite file; the station is
real too. Whatever moment the hub dies at, its database holds whole batches only, and after
a restart on the same file and port the station delivers the rest: nothing lost, nothing
stored twice, and the file passes ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.sync.client import PushReport, SyncClient
from kiosk.sync.transport import HubUnavailable
from tests.hub.harness import wait_for
from tests.sync.conftest import MakeStation
from tests.sync.hub_process import (
    HubProcess,
    integrity,
    remove_stall,
    stall_at_seq,
    write_lock_held,
)
from tests.sync.scenario import assert_hub_matches, outbox_size, trade_visits

STEP = timedelta(seconds=5)


@pytest.fixture
def hub_process(tmp_path: Path) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path / "hub.sqlite3")
    yield hub
    hub.kill()


class PushInFlight:
    """``push_once`` on a thread; keeps what it returned or raised."""

    def __init__(self, client: SyncClient) -> None:
        self.report: PushReport | None = None
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(client,), daemon=True)
        self._thread.start()

    def _run(self, client: SyncClient) -> None:
        try:
            self.report = client.push_once()
        except Exception as e:  # kept for the test to look at
            self.error = e

    def join(self) -> None:
        self._thread.join(60)
        assert not self._thread.is_alive(), "the push never ended"


def hub_seqs(hub: HubProcess) -> list[int]:
    """The seqs the hub's file holds, read after a crash (SQLite recovers the WAL)."""
    import sqlite3

    conn = sqlite3.connect(hub.db_file)
    try:
        return [r[0] for r in conn.execute("SELECT seq FROM hub_events ORDER BY seq")]
    finally:
        conn.close()


def delivered_mark(station: StationService) -> int:
    client = SyncClient(station)
    try:
        return client.status().delivered_seq
    finally:
        client.close()


def test_hub_killed_mid_batch_before_commit(
    hub_process: HubProcess, make_station: MakeStation
) -> None:
    hub = hub_process.start()
    clock = ManualClock(datetime.now(UTC))
    station = make_station("东站", hub, clock=clock)
    trade_visits(station, clock, 300, STEP)
    client = SyncClient(station)
    first = client.push_once()
    delivered = outbox_size(station)
    assert first.accepted == delivered

    trade_visits(station, clock, 400, STEP)  # one batch of 400: seq delivered+1 … +400
    stall_at_seq(hub.db_file, delivered + 200)  # the hub stops dead half-way through it
    push = PushInFlight(client)
    wait_for(lambda: write_lock_held(hub.db_file), timeout=30)  # inside its transaction
    hub.kill()
    push.join()
    assert isinstance(push.error, HubUnavailable)

    remove_stall(hub.db_file)
    assert hub_seqs(hub) == list(range(1, delivered + 1))  # the killed batch left nothing
    assert integrity(hub.db_file) == "ok"
    status = client.status()
    assert status.pending == 400 and status.last_error

    hub.start()  # same file, same port
    report = client.sync_once()
    assert report.push.accepted == 400 and report.push.duplicate == 0
    assert client.status().pending == 0
    client.close()
    db = hub.database()
    try:
        tally = assert_hub_matches(db, [station])
    finally:
        db.close()
    assert tally.visits == 700
    hub.stop()
    assert integrity(hub.db_file) == "ok"


def test_hub_killed_at_random_moments_during_a_long_push(
    hub_process: HubProcess, make_station: MakeStation
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    hub = hub_process.start()
    clock = ManualClock(datetime.now(UTC))
    station = make_station("东站", hub, clock=clock)
    trade_visits(station, clock, 1500, STEP)
    client = SyncClient(station, max_batch_events=150)  # ten batches and more
    kills = []
    for _ in range(3):
        trade_visits(station, clock, 50, STEP)  # the station keeps working meanwhile
        push = PushInFlight(client)
        pause = rng.uniform(0.0, 0.6)
        time.sleep(pause)  # the random moment, not a synchronisation: any outcome is fine
        hub.kill()
        push.join()
        stored = hub_seqs(hub)
        mark = delivered_mark(station)
        # Whole batches only, in order, and at least everything the station counts as sent.
        assert stored == list(range(1, len(stored) + 1)), f"seed {seed}"
        assert len(stored) >= mark, f"seed {seed}"
        assert integrity(hub.db_file) == "ok"
        kills.append((round(pause, 3), len(stored), mark, type(push.error).__name__))
        hub.start()
    print(f"seed {seed}: kills (pause s, hub events, station mark, push error) {kills}")

    report = client.sync_once()
    assert report.push.rejected == 0
    assert client.status().pending == 0
    client.close()
    db = hub.database()
    try:
        tally = assert_hub_matches(db, [station])
    finally:
        db.close()
    assert tally.visits == 1650, f"seed {seed}, kills {kills}"
    hub.stop()
    assert integrity(hub.db_file) == "ok"
