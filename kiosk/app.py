"""The one composition root: arguments → logging → exception hooks → station → command.

Nothing here runs at import time; ``main()`` does everything, in this order, so tests can
call it with their own arguments and folders. This module is on the boot path
(``kiosk/ui/boot.py``): ``kiosk run`` goes from here to the painted welcome screen, so what
only the other commands need (the full argument grammar, the output helpers, the database
stack, Qt for ``kiosk screenshot``) is imported inside the functions that run them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.quick_args import UsageError, parse_run

if TYPE_CHECKING:
    import argparse

    from kiosk.cli.output import Output
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths

log = logging.getLogger("kiosk")


def _data_dir(args_data_dir: str | None) -> Path:
    if args_data_dir:
        return Path(args_data_dir).expanduser()
    from kiosk.paths import default_data_dir

    return default_data_dir()


def _log_dir(data_dir: Path, explicit: bool) -> Path:
    if os.environ.get("KIOSK_LOG_DIR"):
        return Path(os.environ["KIOSK_LOG_DIR"])
    if explicit:
        return data_dir / "logs"
    from kiosk.paths import default_log_dir

    return default_log_dir()


def _parse(argv: list[str]) -> argparse.Namespace:
    """The quick parser for the default ``run`` command, else the full argparse grammar."""
    args = parse_run(argv)
    if args is None:
        from kiosk.cli.parser import parse_args

        return parse_args(argv)
    return args  # type: ignore[return-value]  # the same attributes as argparse gives


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = _parse(argv)
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    explicit_dir = bool(args.data_dir) or "KIOSK_DATA_DIR" in os.environ
    data_dir = _data_dir(args.data_dir)
    if args.command == "run" and args.demo and not explicit_dir:
        data_dir = data_dir / "demo"
    from kiosk.logs import install_exception_hooks, setup_logging

    touchscreen = args.command == "run" and not args.headless  # opens the file after painting
    setup_logging(_log_dir(data_dir, explicit_dir), args.verbose, defer_file=touchscreen)
    install_exception_hooks()
    try:
        return _dispatch(args, data_dir)
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # the hook logged nothing yet: say it once, briefly, and log it
        from kiosk.core.errors import StationError

        if isinstance(e, StationError):
            print(f"kiosk: error: {e}", file=sys.stderr)
            return 2
        log.exception("command %s failed", args.command)
        print(f"kiosk: {args.command} failed: {e} (details in the log)", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, data_dir: Path) -> int:
    from kiosk.paths import StationPaths

    if args.command == "run" and not args.headless:  # paints first, opens the station after
        return _run_touchscreen(args, StationPaths(data_dir))

    from kiosk.cli import commands
    from kiosk.cli.output import Output

    out = Output(as_json=args.json)

    if args.command == "decode":  # needs no station
        return commands.cmd_decode(None, args, out)
    if args.command in ("backup", "restore"):  # plain sqlite3: never opens (migrates) the station
        from kiosk.cli.backup_commands import BACKUP_HANDLERS

        return BACKUP_HANDLERS[args.command](StationPaths(data_dir), args, out)

    from kiosk.core.station import StationService

    station = StationService(StationPaths(data_dir))
    try:
        if args.command == "run":
            return _run(station, args, out)
        if args.command == "screenshot":
            return _screenshot(station, args)
        if args.command != "init":
            station.info()  # a clear message when the station was never initialised
        return commands.HANDLERS[args.command](station, args, out)
    finally:
        station.close()


def _prepare(station: StationService, demo: bool) -> StationService:
    """The demo roster and badge cards with ``--demo``; else a clear error if never set up."""
    from kiosk.core.demo import ensure_demo_station

    if demo:
        badge_dir = station.paths.data_dir / "demo-badges"
        ensure_demo_station(station, badge_dir)
        print(
            f"demo station in {station.paths.data_dir}; badge cards in {badge_dir}", file=sys.stderr
        )
    else:
        station.info()
    return station


def _run(station: StationService, args: argparse.Namespace, out: Output) -> int:
    """``kiosk run --headless``: no screen, the station opened up front."""
    _prepare(station, args.demo)
    return _headless_demo(station, out)


def _peek_station_name(database: Path) -> str | None:
    """The station's name read with stdlib sqlite3 (read-only, no migrations), or None.

    Enough for the first paint; SQLAlchemy and alembic load in the background after it.
    """
    import sqlite3

    if not database.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute("SELECT name FROM station LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def _run_touchscreen(args: argparse.Namespace, paths: StationPaths) -> int:
    """The touchscreen: the window paints first; ``open_station`` runs in a thread after."""
    name = _peek_station_name(paths.database)
    if name is None and not args.demo:
        from kiosk.core.errors import StationError

        raise StationError(f"no station in {paths.data_dir}; run: kiosk init --station-name NAME")

    def open_station() -> StationService:
        from kiosk.core.station import StationService

        station = StationService(paths)
        try:
            return _prepare(station, args.demo)
        except BaseException:
            station.close()
            raise

    from kiosk.ui.boot import run_touchscreen  # the rest of the boot path

    return run_touchscreen(
        paths,
        open_station,
        station_name=name,
        demo=args.demo,
        camera=args.camera,
        windowed=args.windowed,
        lang=args.lang,
    )


def _headless_demo(station: StationService, out: Output) -> int:
    """Scan every demo badge card through the real decoder and check-in path."""
    import argparse

    from kiosk.cli.commands import cmd_scan_image

    files = sorted(str(p) for p in (station.paths.data_dir / "demo-badges").glob("*.png"))
    return cmd_scan_image(station, argparse.Namespace(files=files), out)


def _screenshot(station: StationService, args: argparse.Namespace) -> int:
    from kiosk.core.demo import ensure_demo_station
    from kiosk.ui.screenshots import render_screenshot

    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size wants WxH, e.g. 1280x800; got {args.size!r}") from None
    if station.info_or_none() is None:
        ensure_demo_station(station)
    return render_screenshot(
        station, screen=args.screen, out=Path(args.out), size=(width, height), lang=args.lang
    )
