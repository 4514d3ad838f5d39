"""The hub restored from an older backup: stations send again what the hub lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from kiosk.core.errors import StationError
from kiosk.hub import projections
from kiosk.hub.models import HubPerson, HubStation, HubVisit
from kiosk.store.models import SyncQuarantine
from kiosk.sync.client import SyncClient
from kiosk.sync.enrolment import enroll
from kiosk.sync.transport import StationRevoked
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation
from tests.sync.helpers import hub_ids, outbox_ids, raw_outbox_event, visits


def _backup(db_file: Path, to: Path) -> None:
    """What a bureau's nightly backup does: a consistent copy of the live SQLite file."""
    src, dst = sqlite3.connect(db_file), sqlite3.connect(to)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def _restore(backup: Path, db_file: Path) -> None:
    for leftover in (db_file.with_name(db_file.name + s) for s in ("-wal", "-shm")):
        leftover.unlink(missing_ok=True)
    db_file.write_bytes(backup.read_bytes())


def test_a_hub_restored_from_an_older_backup_gets_the_lost_events_again(
    tmp_path: Path, make_station: MakeStation
):
    db_file = tmp_path / "hub.sqlite3"
    hub = HubServer(f"sqlite:///{db_file}").start()
    east = make_station("东站", hub)
    west = make_station("西站", hub)
    visits(east, 40)
    visits(west, 10)
    for station in (east, west):
        SyncClient(station).sync_once()
    _backup(db_file, tmp_path / "nightly.sqlite3")

    # After the backup: more visits, a new worker, a rejected event, a notice; all delivered.
    with hub.db.write() as s:
        projections.announce(s, "a-1", "本周六驿站消毒", None, datetime.now(UTC))
    visits(west, 4)
    visits(east, 25)
    east.add_person(name="赵大勇", trade="环卫")
    raw_outbox_event(east, "visit.started", {"nonsense": True})
    visits(east, 5)
    first = SyncClient(east).sync_once()
    assert first.push.rejected == 1
    SyncClient(west).sync_once()
    assert [a.id for a in west.announcements()] == ["a-1"]
    hub.stop()

    _restore(tmp_path / "nightly.sqlite3", db_file)
    hub = HubServer(f"sqlite:///{db_file}", port=hub.port).start()
    try:
        visits(east, 3)  # the station goes on working meanwhile
        east_client, west_client = SyncClient(east), SyncClient(west)
        assert east_client.sync_once().push.hub_lost_events  # seen in the push answer
        west_report = west_client.sync_once()  # nothing new to push: seen in the pull
        assert west_report.push.hub_lost_events and west_report.push.accepted == 4
        # The restored feed reused change ids with other changes: the cursors are refused
        # and both stations resync, dropping the notice the hub no longer has.
        assert west_report.pull.resynced and west.announcements() == []

        # Exactly the events the station holds, once each; the rejected one is not stored
        # and stays quarantined once.
        east_ids = outbox_ids(east)
        with east.db.read() as s:
            assert s.scalar(select(func.count()).select_from(SyncQuarantine)) == 1
            rejected = s.scalar(select(SyncQuarantine.event_id))
        stored = hub_ids(hub)
        assert len(stored) == len(set(stored))
        assert set(stored) == (set(east_ids) - {rejected}) | set(outbox_ids(west))
        with hub.db.read() as s:
            assert s.scalar(select(func.count()).where(HubPerson.name == "赵大勇")) == 1
            visits_on_hub = s.scalar(select(func.count()).select_from(HubVisit))
        assert visits_on_hub == 40 + 25 + 5 + 3 + 10 + 4
        status = east_client.status()
        assert status.pending == 0 and status.quarantined == 1

        # A second round finds nothing lost and sends nothing.
        again = east_client.sync_once()
        assert again.push.batches == 0 and not again.push.hub_lost_events
        east_client.close()
        west_client.close()
    finally:
        hub.stop()


def test_a_station_enrolled_after_the_backup_enrols_again_and_resends_everything(
    tmp_path: Path, make_station: MakeStation
):
    db_file = tmp_path / "hub.sqlite3"
    hub = HubServer(f"sqlite:///{db_file}").start()
    east = make_station("东站", hub)
    SyncClient(east).sync_once()
    _backup(db_file, tmp_path / "nightly.sqlite3")
    north = make_station("北站", hub)  # enrolled after the backup
    visits(north, 12)
    SyncClient(north).sync_once()
    hub.stop()

    _restore(tmp_path / "nightly.sqlite3", db_file)
    hub = HubServer(f"sqlite:///{db_file}", port=hub.port).start()
    try:
        visits(north, 2)
        with pytest.raises(StationRevoked):  # the restored hub does not know its token
            SyncClient(north).sync_once()
        _, code = hub.add_station("北站")
        with pytest.raises(StationError, match="--again"):
            enroll(north, hub.url, code)
        enroll(north, hub.url, code, again=True)
        client = SyncClient(north)
        report = client.sync_once()
        assert report.push.accepted == len(outbox_ids(north))
        assert set(hub_ids(hub)) == set(outbox_ids(east)) | set(outbox_ids(north))
        status = client.status()
        assert status.pending == 0 and status.revoked_at is None and status.last_error is None
        assert len(north.keyring()) == 2  # its own key and east's, from the new enrolment
        client.close()
    finally:
        hub.stop()


def test_enrolling_again_with_the_same_hub_sends_duplicates_not_rejections(
    hub: HubServer, make_station: MakeStation
):
    """The same device under a new hub id (e.g. a new hub record after a mix-up): its old
    events are recognised as its own."""
    station = make_station("东站", hub)
    visits(station, 5)
    SyncClient(station).sync_once()
    sent_before = len(outbox_ids(station))
    with hub.db.write() as s:  # the bureau freed the key so the device can enrol afresh
        s.execute(update(HubStation).values(key_id=None))
    _, code = hub.add_station("东站（新）")
    enroll(station, hub.url, code, again=True)
    report = SyncClient(station).push_once()
    assert report.rejected == 0 and report.duplicate == sent_before  # none taken by "another"
    assert report.accepted == len(outbox_ids(station)) - sent_before  # the new hub address
    assert len(hub_ids(hub)) == len(set(hub_ids(hub))) == len(outbox_ids(station))
