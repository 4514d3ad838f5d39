"""Station backups (SQLite's backup API), restore, and refusing a database from the future."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app import main
from kiosk.core.errors import StationError
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.paths import StationPaths
from kiosk.store import backup
from kiosk.store.migrate import STATION_MIGRATIONS

KNOWN = set(STATION_MIGRATIONS.revisions)


def _visit_ids(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM visits")}


def test_an_online_backup_is_a_consistent_marked_copy(station: StationService, tmp_path: Path):
    for _ in range(3):
        station.trade_visit(Trade("环卫"))  # the station is open and writing (WAL)
    out = backup.backup_database(station.paths.database, tmp_path / "b.sqlite3")
    info = backup.inspect_backup(out, KNOWN)
    assert info.station_name == "测试驿站"
    assert info.revision == STATION_MIGRATIONS.head()
    assert len(_visit_ids(out)) == 3
    assert not out.with_name("b.sqlite3-wal").exists()  # one self-contained file


def test_restore_refuses_what_is_not_a_station_backup(station: StationService, tmp_path: Path):
    now = datetime.now(UTC)
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    plain = tmp_path / "plain.sqlite3"
    with sqlite3.connect(plain) as db:
        db.execute("CREATE TABLE t (x)")
    for bad, why in (
        (text, "not a station backup"),
        (plain, "not a station backup"),
        (tmp_path / "missing.sqlite3", "no such file"),
    ):
        with pytest.raises(backup.BackupError, match=why):
            backup.restore_database(bad, station.paths.database, now, KNOWN)
    # the live database (a station, but not a backup) is refused too
    with pytest.raises(backup.BackupError, match="not a station backup"):
        backup.restore_database(station.paths.database, tmp_path / "x.sqlite3", now, KNOWN)


def test_restore_refuses_a_backup_from_a_newer_version(station: StationService, tmp_path: Path):
    out = backup.backup_database(station.paths.database, tmp_path / "b.sqlite3")
    with sqlite3.connect(out) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    with pytest.raises(backup.BackupError, match="newer version"):
        backup.restore_database(out, station.paths.database, datetime.now(UTC), KNOWN)


def test_restore_refuses_another_stations_backup_unless_asked(tmp_path: Path):
    east = StationService(StationPaths(tmp_path / "east"))
    east.init("东站")
    west = StationService(StationPaths(tmp_path / "west"))
    west.init("西站")
    try:
        theirs = backup.backup_database(west.paths.database, tmp_path / "west.sqlite3")
    finally:
        west.close()
    east.close()
    now = datetime.now(UTC)
    with pytest.raises(backup.BackupError, match="another station"):
        backup.restore_database(theirs, east.paths.database, now, KNOWN)
    backup.restore_database(theirs, east.paths.database, now, KNOWN, other_station=True)


def test_restore_keeps_the_current_database_aside_and_resends_everything(tmp_path: Path):
    paths = StationPaths(tmp_path / "station")
    station = StationService(paths)
    station.init("测试驿站")
    station.trade_visit(Trade("环卫"))
    with station.db.write() as s:  # as if enrolled and synced up to here
        s.execute(
            sqlite_text(
                "INSERT INTO sync_state (id, hub_station_id, enrolled_at, delivered_seq)"
                " VALUES (1, 'hub-1', '2026-01-01 00:00:00', (SELECT max(seq) FROM outbox))"
            )
        )
    saved = backup.backup_database(paths.database, tmp_path / "b.sqlite3")
    before = _visit_ids(paths.database)
    station.trade_visit(Trade("绿化"))  # after the backup: lost by the restore
    after = _visit_ids(paths.database)
    station.close()

    aside = backup.restore_database(saved, paths.database, datetime.now(UTC), KNOWN)
    assert _visit_ids(paths.database) == before
    assert _visit_ids(aside) == after  # nothing thrown away
    reopened = StationService(paths)
    try:
        assert reopened.db.integrity_check() == "ok"
        with reopened.db.read() as s:
            assert s.execute(sqlite_text("SELECT delivered_seq FROM sync_state")).scalar() == 0
            marked = s.execute(sqlite_text("PRAGMA application_id")).scalar()
        assert marked == 0  # the live database is no longer marked as a backup
    finally:
        reopened.close()


def sqlite_text(sql: str):
    from sqlalchemy import text

    return text(sql)


def test_daily_backup_once_a_day_kept_seven_days(station: StationService):
    data, database = station.paths.data_dir, station.paths.database
    day = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    for n in range(10):
        assert backup.daily_backup(database, data, day + timedelta(days=n)) is not None
        assert backup.daily_backup(database, data, day + timedelta(days=n, hours=5)) is None
    kept = backup.list_backups(data)
    assert [p.name[:16] for p in kept] == [
        f"station-{day + timedelta(days=n):%Y%m%d}" for n in range(3, 10)
    ]  # 7 days: today and the 6 before it
    assert backup.last_backup_at(data) == day + timedelta(days=9)
    assert backup.inspect_backup(kept[-1], KNOWN).station_name == "测试驿站"


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(
    station_dir: Path, capsys: pytest.CaptureFixture[str]
):
    paths = StationPaths(station_dir)
    StationService(paths).close()  # creates and migrates
    with sqlite3.connect(paths.database) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        before = db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    with pytest.raises(StationError, match="newer version of the app"):
        StationService(paths)
    assert main(["--data-dir", str(station_dir), "visits"]) == 2
    assert "newer version of the app" in capsys.readouterr().err
    with sqlite3.connect(paths.database) as db:  # untouched
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0099_from_the_future",
        )
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone() == before


def test_backup_and_restore_commands(station_dir: Path, tmp_path: Path, capsys):
    data = ["--data-dir", str(station_dir), "--json"]
    assert main([*data, "init", "--station-name", "命令站"]) == 0
    assert main([*data, "scan", "bogus"]) in (0, 1)
    out = tmp_path / "keep.sqlite3"
    assert main([*data, "backup", "--out", str(out)]) == 0
    assert main([*data, "backup"]) == 0  # into <data dir>/backups/
    assert len(backup.list_backups(station_dir)) == 1
    capsys.readouterr()
    assert main([*data, "restore", str(tmp_path / "nothing.sqlite3")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main([*data, "restore", str(out)]) == 0
    assert '"previous"' in capsys.readouterr().out
    assert main([*data, "visits"]) == 0
