"""Station database backups: online copies with SQLite's backup API, and restoring one.

A backup is a consistent copy of ``station.sqlite3`` taken while the kiosk keeps writing
(``sqlite3.Connection.backup``; WAL lets it read beside the writer), marked as a station
backup in the SQLite header (``PRAGMA application_id``) so ``restore`` can refuse any
other file. The kiosk keeps one a day for 7 days in ``<data dir>/backups/``; the ``.deb``'s
``preinst`` takes one before an upgrade. Qt-free and SQLAlchemy-free (stdlib ``sqlite3``):
``kiosk backup`` works while the touchscreen runs, ``kiosk restore`` on a database that no
longer opens.

After a restore the station's outbox is sent again from its first event (the hub answers
``duplicate`` for what it holds): the backup's delivery mark may be older or newer than what
the hub has, and a full resend is the one answer right for both (docs/sync.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

APPLICATION_ID = 0x595A4B42  # "YZKB": 驿站 kiosk backup, in the file's header
BACKUP_DIR = "backups"
KEEP_DAYS = 7
_NAME = re.compile(r"^station-(\d{8})-(\d{6})\.sqlite3$")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    station_name: str
    station_id: str
    revision: str
    created_at: datetime | None  # from the file name, for backups in the backup folder


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def backup_database(database: Path, out: Path) -> Path:
    """Copy the live database to ``out`` (atomically: a temp file, fsynced, then renamed)."""
    if not database.exists():
        raise BackupError(f"no station database at {database}")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            contextlib.closing(_connect(database, readonly=True)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
            dst.execute(f"PRAGMA application_id={APPLICATION_ID}")
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            dst.commit()
        with partial.open("rb+") as f:
            os.fsync(f.fileno())
        partial.replace(out)
    except (sqlite3.Error, OSError) as e:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup to {out} failed: {e}") from e
    log.info("database backed up to %s", out)
    return out


def inspect_backup(path: Path, known_revisions: set[str] | None = None) -> BackupInfo:
    """What a file is, if it is a station backup; else :class:`BackupError` saying why."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    try:
        with contextlib.closing(_connect(path, readonly=True)) as db:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise BackupError(f"{path} is not a station backup (made by `kiosk backup`)")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite quick_check failed)")
            name, station_id = db.execute("SELECT name, id FROM station LIMIT 1").fetchone() or (
                None,
                None,
            )
            (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as e:  # not SQLite at all, or without the station's tables
        raise BackupError(f"{path} is not a station backup ({e})") from None
    if name is None:
        raise BackupError(f"{path} holds no station")
    if known_revisions is not None and revision not in known_revisions:
        raise BackupError(
            f"{path} comes from a newer version of the kiosk (schema {revision}); "
            "install that version before restoring it"
        )
    return BackupInfo(path, str(name), str(station_id), str(revision), inspect_name(path))


def current_station_id(database: Path) -> str | None:
    """The live database's station id, or None if there is none or it does not open."""
    if not database.exists():
        return None
    try:
        with contextlib.closing(_connect(database, readonly=True)) as db:
            row = db.execute("SELECT id FROM station LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def restore_database(
    backup: Path,
    database: Path,
    now: datetime,
    known_revisions: set[str] | None = None,
    other_station: bool = False,
) -> Path:
    """Put ``backup`` in place of the live database; returns where the old one was kept.

    The kiosk must be stopped (``systemctl stop station-kiosk``). The current database is
    first copied aside with the backup API, then the backup is copied into the live file
    the same way (so its WAL is handled by SQLite, not by renaming files), its sync mark is
    reset for a full resend, and it is no longer marked as a backup.
    """
    info = inspect_backup(backup, known_revisions)
    current = current_station_id(database)
    if current is not None and current != info.station_id and not other_station:
        raise BackupError(
            f"{backup} is a backup of another station ({info.station_name}); "
            "its badges are signed with another key (add --other-station to restore it anyway)"
        )
    aside = database.with_name(f"{database.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    if database.exists():
        try:
            backup_database(database, aside)
        except BackupError:  # too damaged to open: keep the bytes as they are
            for suffix in ("", "-wal", "-shm"):
                src = database.with_name(database.name + suffix)
                if src.exists():
                    shutil.copy2(src, aside.with_name(aside.name + suffix))
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            contextlib.closing(_connect(backup, readonly=True)) as src,
            contextlib.closing(_connect(database)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA application_id=0")
            dst.execute("PRAGMA journal_mode=WAL")
            if dst.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='sync_state'"
            ).fetchone():
                dst.execute("UPDATE sync_state SET delivered_seq = 0")  # send all again
            dst.commit()
    except sqlite3.Error as e:
        raise BackupError(f"restoring {backup} failed: {e}; the old database is in {aside}") from e
    log.warning("database restored from %s; the previous one is kept as %s", backup, aside)
    return aside


# -- the daily backup --------------------------------------------------------------------------


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def list_backups(data_dir: Path) -> list[Path]:
    """The folder's backups, oldest first."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name))


def last_backup_at(data_dir: Path) -> datetime | None:
    found = list_backups(data_dir)
    return inspect_name(found[-1]) if found else None


def inspect_name(path: Path) -> datetime | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    return datetime.strptime("".join(match.groups()), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def daily_backup(
    database: Path, data_dir: Path, now: datetime, keep_days: int = KEEP_DAYS
) -> Path | None:
    """Take today's backup if there is none yet (UTC days), and drop those older than
    ``keep_days``; returns the new file, or None when today's exists."""
    now = now.astimezone(UTC)
    existing = list_backups(data_dir)
    made = None
    if not any(p.name.startswith(f"station-{now:%Y%m%d}-") for p in existing):
        made = backup_database(
            database, backup_dir(data_dir) / f"station-{now:%Y%m%d-%H%M%S}.sqlite3"
        )
        existing.append(made)
    first_kept = now.date() - timedelta(days=keep_days - 1)  # today and the 6 days before
    for path in existing:
        created = inspect_name(path)
        if created is not None and created.date() < first_kept:
            path.unlink(missing_ok=True)
            log.info("old backup %s removed", path.name)
    return made
