"""``kiosk backup [--out FILE]`` and ``kiosk restore FILE``: run without opening the station.

Neither opens (or migrates) the database through SQLAlchemy: a backup is taken while the
touchscreen keeps running, and a restore must work when the current database no longer
opens. The work is in :mod:`kiosk.store.backup`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from kiosk.cli.output import Output
from kiosk.cli.quick_args import UsageError
from kiosk.paths import StationPaths
from kiosk.store import backup as backups
from kiosk.store.migrate import STATION_MIGRATIONS


def cmd_backup(paths: StationPaths, args: argparse.Namespace, out: Output) -> int:
    now = datetime.now(UTC)
    target = (
        Path(args.out)
        if args.out
        else backups.backup_dir(paths.data_dir) / f"station-{now:%Y%m%d-%H%M%S}.sqlite3"
    )
    try:
        made = backups.backup_database(paths.database, target)
        info = backups.inspect_backup(made)
    except backups.BackupError as e:
        raise UsageError(f"kiosk backup: {e}") from None
    out.emit(
        {"backup": made, "station": info.station_name, "schema": info.revision},
        f"backup of {info.station_name} written to {made}",
    )
    return 0


def cmd_restore(paths: StationPaths, args: argparse.Namespace, out: Output) -> int:
    try:
        aside = backups.restore_database(
            Path(args.file),
            paths.database,
            datetime.now(UTC),
            known_revisions=set(STATION_MIGRATIONS.revisions),
            other_station=args.other_station,
        )
    except backups.BackupError as e:
        raise UsageError(f"kiosk restore: {e}") from None
    out.emit(
        {"restored": Path(args.file), "previous": aside},
        f"restored {args.file}; the previous database is kept as {aside}. Every event will be"
        " sent to the hub again at the next sync (what it has comes back as duplicate).",
    )
    return 0


BACKUP_HANDLERS = {"backup": cmd_backup, "restore": cmd_restore}
