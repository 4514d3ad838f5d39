"""Sync runs as soon as the operating system says the network is back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtNetwork import QNetworkInformation

from kiosk.qtglue.network import NetworkWatch
from kiosk.qtglue.sync import SyncState, SyncWorker
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import SyncClient
from kiosk.sync.engine import SyncEngine
from kiosk.sync.enrolment import enroll
from tests.hub.harness import HubServer

Reach = QNetworkInformation.Reachability


def test_only_a_change_from_down_to_up_counts_as_coming_back(qtbot):
    watch = NetworkWatch()
    with qtbot.waitSignal(watch.came_online, timeout=1000):
        watch.on_reachability(Reach.Online)  # unknown → up: came back
    with qtbot.assertNotEmitted(watch.came_online):
        watch.on_reachability(Reach.Site)  # still up (an intranet hub is enough)
        watch.on_reachability(Reach.Disconnected)
    assert watch.online is False
    with qtbot.waitSignal(watch.came_online, timeout=1000):
        watch.on_reachability(Reach.Local)


def test_the_watch_starts_on_this_system_or_says_it_cannot(qtbot):
    watch = NetworkWatch()
    started = watch.start()  # the OS backend (glib/NetworkManager) or none in a container
    assert started is (watch.online is not None)
    watch.stop()


@pytest.fixture
def hub_file(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def test_network_back_syncs_at_once_despite_the_backoff(qtbot, demo_station, hub_file):
    hub = HubServer(hub_file).start()
    _, code = hub.add_station("测试驿站")
    enroll(demo_station, hub.url, code)
    hub.stop()

    watch = NetworkWatch()  # the OS edge: driven by hand here
    backoff = Backoff(base=3600.0, cap=3600.0, rand=lambda: 1.0)  # an hour after a failure
    worker = SyncWorker(
        demo_station,
        engine_factory=lambda st: SyncEngine(SyncClient(st), backoff),
        debounce_ms=500,
        network=watch,
        network_settle_ms=10,
    )
    try:
        with qtbot.waitSignal(worker.round_finished, timeout=15_000) as first:
            worker.start()  # its first round, after the debounce
        assert first.args[0] == "failed" and backoff.remaining() > 3000
        qtbot.waitUntil(lambda: worker.view.state is SyncState.OFFLINE)

        hub = HubServer(hub_file, port=hub.port).start()  # the network is back
        watch.on_reachability(Reach.Disconnected)
        with qtbot.waitSignal(worker.round_finished, timeout=15_000) as second:
            watch.on_reachability(Reach.Online)
        assert second.args[0] == "synced"
        qtbot.waitUntil(lambda: worker.view.state is SyncState.SYNCED)
    finally:
        worker.stop()
        hub.stop()
