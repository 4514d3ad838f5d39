"""Push against a real hub: every event arrives exactly once, whatever the network does."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select

from kiosk.hub.models import HubStation
from kiosk.store.models import OutboxEvent
from kiosk.sync.client import SyncClient, token_store
from kiosk.sync.protocol import EventStatus, PushRequest
from kiosk.sync.state import next_events
from kiosk.sync.transport import HubTransport, HubUnavailable, StationRevoked
from tests.hub.harness import FlakyProxy, HubServer
from tests.sync.conftest import MakeStation
from tests.sync.helpers import hub_count, hub_ids, outbox_ids, raw_outbox_event, visits

FAST = httpx.Timeout(0.5)


def test_enrolled_station_delivers_every_event_once(hub: HubServer, make_station: MakeStation):
    station = make_station("东站", hub)
    visits(station, 5)
    client = SyncClient(station)
    report = client.push_once()
    ids = outbox_ids(station)
    assert report.accepted == len(ids) and report.duplicate == 0
    assert hub_ids(hub) == ids
    status = client.status()
    assert status.pending == 0 and status.quarantined == 0 and status.last_success_at
    assert client.push_once().batches == 0  # nothing left to send
    client.close()


def test_batches_respect_the_event_and_byte_limits(hub: HubServer, make_station: MakeStation):
    station = make_station("东站", hub)
    visits(station, 30)
    client = SyncClient(station, max_batch_events=7, max_batch_bytes=4000)
    report = client.push_once()
    total = len(outbox_ids(station))
    assert report.accepted == total
    assert report.batches >= total / 7
    assert hub_count(hub) == total
    client.close()


def test_the_same_batch_twice_at_once_is_stored_once(hub: HubServer, make_station: MakeStation):
    station = make_station("东站", hub)
    visits(station, 20)
    [hub_id] = [s.hub_station_id for s in [SyncClient(station).status()]]
    with station.db.read() as s:
        batch = [o.event for o in next_events(s, 500)]
    request = PushRequest(station_id=hub_id, sent_at=station.clock.now(), events=batch)
    token = token_store(station).read()
    answers: list[list[EventStatus]] = []
    lock = threading.Lock()

    def push() -> None:
        transport = HubTransport(hub.url, token)
        response = transport.push(request)
        transport.close()
        with lock:
            answers.append([r.status for r in response.results])

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(answers) == 2
    for first, second in zip(*answers, strict=True):
        assert {first, second} == {EventStatus.ACCEPTED, EventStatus.DUPLICATE}
    assert hub_count(hub) == len(batch)

    # The station's own engine then sends them again: all duplicates, nothing counted twice.
    client = SyncClient(station)
    report = client.push_once()
    assert report.duplicate == len(batch) and report.accepted == 0
    assert hub_ids(hub) == outbox_ids(station)
    client.close()


@pytest.mark.parametrize("failure", ["500", "503", "hang"])
def test_a_failing_hub_loses_nothing(
    hub: HubServer, proxy: FlakyProxy, make_station: MakeStation, failure: str
):
    station = make_station("东站", hub, url=proxy.url)
    visits(station, 12)
    before = outbox_ids(station)
    client = SyncClient(station, timeout=FAST, max_batch_events=5)
    proxy.plan = ["pass", failure]  # the first batch goes through, the second fails
    with pytest.raises(HubUnavailable) as caught:
        client.push_once()
    if failure == "503":
        assert caught.value.retry_after == 7
    status = client.status()
    assert status.last_error and status.pending == len(before) - 5
    assert hub_count(hub) == 5

    report = client.push_once()
    assert report.accepted == len(before) - 5 and report.duplicate == 0
    assert hub_ids(hub) == outbox_ids(station) == before
    assert client.status().last_error is None
    client.close()


def test_answer_lost_after_the_hub_committed(
    hub: HubServer, proxy: FlakyProxy, make_station: MakeStation
):
    station = make_station("东站", hub, url=proxy.url)
    visits(station, 8)
    total = len(outbox_ids(station))
    client = SyncClient(station, timeout=FAST)
    proxy.plan = ["drop", "drop", "drop"]
    for _ in range(3):  # the connection dies while the answer is on its way, three times
        with pytest.raises(HubUnavailable):
            client.push_once()
        assert hub_count(hub) == total  # the hub committed before answering
        assert client.status().pending == total  # but the station does not know yet
    report = client.push_once()
    assert report.duplicate == total and report.accepted == 0
    assert client.status().pending == 0
    assert hub_ids(hub) == outbox_ids(station)
    client.close()


def test_rejected_event_is_quarantined_and_later_events_flow(
    hub: HubServer, make_station: MakeStation
):
    station = make_station("东站", hub)
    visits(station, 2)
    bad = raw_outbox_event(station, "visit.checked_in", {"person_id": None})  # no visit_id
    visits(station, 3)
    client = SyncClient(station)
    report = client.push_once()
    assert report.rejected == 1
    status = client.status()
    assert status.pending == 0 and status.quarantined == 1
    assert bad not in hub_ids(hub)
    assert hub_ids(hub) == [i for i in outbox_ids(station) if i != bad]
    assert bad in outbox_ids(station)  # kept on the station, never deleted
    client.close()


def test_unreadable_event_is_isolated_from_its_batch(hub: HubServer, make_station: MakeStation):
    """A payload that breaks the envelope (422) is found by sending one by one."""
    station = make_station("东站", hub)
    visits(station, 3)
    bad = raw_outbox_event(station, "setting.changed", ["not", "an", "object"])
    visits(station, 3)
    client = SyncClient(station)
    report = client.push_once()
    assert report.rejected == 1
    with station.db.read() as s:
        from kiosk.sync.state import quarantined_events

        [quarantined] = quarantined_events(s)
    assert quarantined["id"] == bad and "422" in quarantined["reason"]
    assert hub_ids(hub) == [i for i in outbox_ids(station) if i != bad]
    client.close()


def test_revoked_station_stops_and_keeps_its_events(
    hub: HubServer, proxy: FlakyProxy, make_station: MakeStation
):
    station = make_station("东站", hub, url=proxy.url)
    client = SyncClient(station)
    client.push_once()
    visits(station, 4)
    with hub.db.write() as s:
        s.scalar(select(HubStation)).revoked_at = station.clock.now()
    with pytest.raises(StationRevoked):
        client.push_once()
    status = client.status()
    assert status.revoked_at is not None and status.last_error == "station revoked by the hub"
    assert status.pending == 4
    with station.db.read() as s:
        assert s.query(OutboxEvent).count() == len(outbox_ids(station))

    from kiosk.sync.engine import Outcome, SyncEngine

    seen = proxy.requests
    assert SyncEngine(client).run_once(force=True).outcome is Outcome.REVOKED
    assert proxy.requests == seen  # no further attempt
    client.close()
