"""A station restored from its own backup: sync sends again what the hub may lack."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from kiosk.core.station import StationService
from kiosk.hub.models import HubVisit
from kiosk.paths import StationPaths
from kiosk.store import backup
from kiosk.store.migrate import STATION_MIGRATIONS
from kiosk.sync.client import SyncClient
from kiosk.sync.enrolment import enroll
from tests.hub.harness import HubServer
from tests.sync.helpers import hub_ids, outbox_ids, visits


def test_a_restored_station_resends_its_events_and_goes_on(tmp_path: Path, hub: HubServer):
    paths = StationPaths(tmp_path / "east")
    east = StationService(paths)
    east.init("东站")
    _, code = hub.add_station("东站")
    enroll(east, hub.url, code)
    visits(east, 10)
    SyncClient(east).sync_once()
    visits(east, 4)  # recorded, not yet delivered when the backup is taken
    saved = backup.backup_database(paths.database, tmp_path / "east.sqlite3")
    in_backup = outbox_ids(east)
    SyncClient(east).sync_once()
    visits(east, 5)  # delivered after the backup: the hub keeps them, the station loses them
    SyncClient(east).sync_once()
    east.close()

    backup.restore_database(
        saved, paths.database, datetime.now(UTC), set(STATION_MIGRATIONS.revisions)
    )
    east = StationService(paths)
    try:
        visits(east, 3)  # the restored station goes on working
        client = SyncClient(east)
        report = client.sync_once()
        assert report.push.rejected == 0
        assert report.push.duplicate == len(in_backup)  # all sent again, none counted twice
        assert report.push.accepted == 3  # the new visits
        stored = hub_ids(hub)
        assert len(stored) == len(set(stored))
        assert set(outbox_ids(east)) <= set(stored)
        with hub.db.read() as s:
            assert s.scalar(select(func.count()).select_from(HubVisit)) == 10 + 4 + 5 + 3
        assert client.status().pending == 0
        again = client.sync_once()
        assert again.push.batches == 0
        client.close()
    finally:
        east.close()
