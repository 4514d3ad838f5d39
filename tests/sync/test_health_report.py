"""Each sync round tells the hub the station's version, free disk, camera and last backup."""

from __future__ import annotations

import json

from kiosk import __version__
from kiosk.hub.cli import main as hub_main
from kiosk.store.backup import daily_backup
from kiosk.sync.client import SyncClient
from tests.hub.harness import HubServer
from tests.sync.conftest import MakeStation


def test_sync_reports_health_and_station_list_shows_it(
    hub: HubServer, hub_url_db: str, make_station: MakeStation, capsys
):
    east = make_station("东站", hub)
    west = make_station("西站", hub)
    backup = daily_backup(east.paths.database, east.paths.data_dir, east.clock.now())
    assert backup is not None
    client = SyncClient(east)
    client.camera_state = lambda: "unavailable"
    try:
        client.sync_once()
    finally:
        client.close()
    capsys.readouterr()

    assert hub_main(["--db", hub_url_db, "--json", "station", "list"]) == 0
    rows = {r["name"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    reported = rows["东站"]
    assert reported["app_version"] == __version__
    assert reported["camera"] == "unavailable"
    assert reported["disk_free_mb"] > 0 and reported["disk_low"] is False
    assert reported["last_backup_at"].startswith(f"{east.clock.now():%Y-%m-%d}")
    assert rows["西站"]["health_at"] is None  # never synced: nothing reported
    del west

    assert hub_main(["--db", hub_url_db, "station", "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "东站" in x)
    assert f"v{__version__}" in line and "camera unavailable" in line
