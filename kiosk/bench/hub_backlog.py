"""*Backlog* of ``python -m kiosk.bench.hub``: a real station's outbox drained by the real
``SyncClient.push_once()`` (described in ``hub.py``)."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.bench.hub_process import add_stations, fresh_database, hub_process


def fill_backlog(station: Any, clock: Any, events: int, people: int = 100) -> None:
    """About ``events`` outbox events through the station's own check-in functions.

    A fifth are badge check-ins and check-outs of ``people`` workers, the rest trade taps,
    eight seconds apart; written a few hundred per transaction (scans one by one would
    spend the whole benchmark in fsyncs).
    """
    from kiosk.core import checkin
    from kiosk.core.results import Method
    from kiosk.core.trades import Trade

    tokens = []
    for i in range(people):
        person = station.add_person(name=f"工人{i}", trade="环卫")
        tokens.append(station.issue_badge(person.id).token)
    ring = station.keyring()
    scans = [t for _ in range(max(1, events // 5 // (2 * people))) for _ in (0, 1) for t in tokens]
    taps = max(0, events - len(scans) - _outbox_size(station))

    def write(steps: list[str | None]) -> None:
        def run() -> None:
            with station.db.write() as s:
                now = clock.now()
                for token in steps:
                    now += timedelta(seconds=8)
                    if token is None:
                        checkin.record_trade_visit(s, Trade.SANITATION, now)
                    else:
                        checkin.record_badge_scan(s, token, Method.CAMERA, now, ring)
                clock.set(now)

        station.worker.call(run)

    steps: list[str | None] = [*scans, *([None] * taps)]
    for i in range(0, len(steps), 250):
        write(steps[i : i + 250])


def _outbox_size(station: Any) -> int:
    from sqlalchemy import func, select

    from kiosk.store.models import OutboxEvent

    with station.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


def backlog(kind: str, pg_url: str | None, events: int, folder: Path) -> tuple[int, float, float]:
    """(events delivered, seconds to fill the outbox, seconds to drain it)."""
    from kiosk.core.clock import ManualClock
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.sync.client import SyncClient
    from kiosk.sync.enrolment import enroll

    clock = ManualClock(datetime.now(UTC) - timedelta(days=1))
    station = StationService(StationPaths(folder / f"station-{secrets.token_hex(3)}"), clock=clock)
    try:
        station.init("积压站")
        t0 = time.perf_counter()
        fill_backlog(station, clock, events)
        filled = time.perf_counter() - t0
        with fresh_database(kind, pg_url, folder) as db_url, hub_process(db_url) as url:
            [code] = add_stations(db_url, 1)
            enroll(station, url, code)
            client = SyncClient(station)
            t0 = time.perf_counter()
            report = client.push_once()
            drained = time.perf_counter() - t0
            client.close()
    finally:
        station.close()
    return report.accepted, filled, drained
