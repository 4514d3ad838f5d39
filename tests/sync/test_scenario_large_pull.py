"""Scans while a large pull is being applied: every scan commits, the screen keeps answering.

The hub holds a big roster (``kiosk-hub person import``); a freshly enrolled station pulls
it page by page (500 people a page, each page one transaction on the station's database
thread) while workers keep scanning. A gate in front of the hub holds one page request,
so the scans provably happen in the middle of the pull, not before or after it.
"""

from __future__ import annotations

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.core.results import Greeting, Outcome
from kiosk.core.trades import Trade
from kiosk.hub import roster
from kiosk.hub.db import open_hub_database
from kiosk.sync.client import PullReport, SyncClient
from kiosk.sync.enrolment import enroll
from tests.hub.harness import HubServer, wait_for
from tests.sync.conftest import MakeStation
from tests.sync.gate import GateProxy
from tests.sync.scenario import assert_hub_matches, badge_holders, station_ids
from tests.ui.conftest import timing, window  # noqa: F401 — the real window
from tests.ui.qt_guard import demo_station, qt_leak_guard  # noqa: F401


def hub_with_roster(folder: Path, people: int) -> str:
    """A hub database with ``people`` imported as ``kiosk-hub person import`` does."""
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    rows: list[dict[str, object]] = [
        {
            "name": f"工人{i:04d}",
            "trade": "环卫",
            "team": f"{i % 20 + 1}队",
            "party_member": i % 7 == 0,
            "phone": None,
        }
        for i in range(people)
    ]
    db = open_hub_database(url)
    try:
        with db.write() as s:
            roster.import_people(s, rows, datetime.now(UTC))
    finally:
        db.close()
    return url


def _ms(samples: list[float]) -> str:
    if not samples:
        return "none"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"n={len(ordered)} p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, "
        f"max {ordered[-1]:.0f} ms"
    )


def test_scans_commit_while_5000_people_are_pulled(tmp_path: Path, make_station: MakeStation):
    hub = HubServer(hub_with_roster(tmp_path, 5000)).start()
    gate = GateProxy(hub.port, "/v1/changes", nth=4)  # three pages in, the fourth waits
    clock = ManualClock(datetime.now(UTC) - timedelta(hours=10))
    station = make_station("东站", hub, url=gate.url, clock=clock)
    tokens = badge_holders(station, 20)
    client = SyncClient(station)
    pulled: list[PullReport] = []
    puller = threading.Thread(target=lambda: pulled.append(client.pull_once()), daemon=True)
    held: list[float] = []
    applying: list[float] = []
    outcomes: list[Outcome] = []
    recorded: set[str] = set()

    def scan(i: int, into: list[float]) -> None:
        clock.advance(minutes=1)  # the same badge comes round every 20 minutes
        started = time.perf_counter()
        result = station.scan(tokens[i % 20]) if i % 2 else station.trade_visit(Trade.DELIVERY)
        into.append((time.perf_counter() - started) * 1000)
        outcomes.append(result.outcome)  # returned only after its COMMIT
        recorded.add(result.visit_id)

    try:
        puller.start()
        wait_for(gate.holding.is_set, timeout=30)  # mid-pull: pages 1–3 applied
        for i in range(20):
            scan(i, held)
        gate.release()
        i = 20
        while puller.is_alive() and i < 2000:  # and on while pages 4–10 are applied
            scan(i, applying)
            i += 1
        puller.join(60)
        [report] = pulled
        assert report.people_changed == 5000 and report.pages >= 10
        assert len(station.people()) == 5000 + 20
        assert set(outcomes) <= {Outcome.CHECKED_IN, Outcome.CHECKED_OUT}
        assert recorded <= station_ids(station)[3]  # every scan's visit is in the database

        client.push_once()
        assert_hub_matches(hub.db, [station])
        print(
            f"\nscan latency while the pull waited on the network: {_ms(held)}"
            f"\nscan latency while pages were applied: {_ms(applying)}"
        )
    finally:
        client.close()
        gate.close()
        hub.stop()


@pytest.mark.usefixtures("qt_leak_guard")
def test_greeting_shows_while_the_sync_worker_is_pulling(
    qtbot,
    window,  # noqa: F811
    demo_station,  # noqa: F811
    tmp_path: Path,
):
    from kiosk.qtglue.sync import SyncWorker
    from kiosk.screen_names import Screen

    hub = HubServer(hub_with_roster(tmp_path, 1500)).start()
    gate = GateProxy(hub.port, "/v1/changes", nth=2)  # page 1 applied, page 2 waits
    _, code = hub.add_station("测试驿站")
    enroll(demo_station, gate.url, code)
    worker = SyncWorker(demo_station, parent=window, debounce_ms=50)
    rounds: list[tuple[str, str]] = []
    worker.round_finished.connect(lambda outcome, error: rounds.append((outcome, error)))
    window.attach_sync(worker)
    try:
        worker.start()
        qtbot.waitUntil(gate.holding.is_set, timeout=20_000)  # the real worker, mid-pull
        assert worker.view.running and rounds == []

        with qtbot.waitSignal(window.greeting_shown, timeout=5_000) as shown:
            window.submit_code(demo_station.badges["张建国"])
        result = shown.args[0]
        assert result.outcome is Outcome.CHECKED_IN and result.greeting is Greeting.PERSON
        assert window.current is Screen.GREETING
        assert window.greeting.headline.text() == "张师傅，欢迎回家！"
        assert gate.holding.is_set() and rounds == [] and worker.view.running  # still pulling

        gate.release()
        qtbot.waitUntil(lambda: len(rounds) > 0, timeout=60_000)
        assert rounds[0] == ("synced", "")
        assert len(demo_station.people()) >= 1500
    finally:
        worker.stop()
        gate.close()
        hub.stop()
