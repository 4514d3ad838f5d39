"""The ``kiosk-hub`` command: run the hub and manage stations from a shell.

Follows the kiosk CLI's conventions: a global ``--db URL`` (or ``KIOSK_HUB_DB``, default an
SQLite file in the user data folder), ``--json`` for one JSON object per line, and bad
usage reported in one line with exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from kiosk.cli.output import Output
from kiosk.hub import stations
from kiosk.hub.db import open_hub_database
from kiosk.hub.stats import hub_stats

DB_ENV = "KIOSK_HUB_DB"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def default_db_url() -> str:
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    folder = Path(platformdirs.user_data_dir("station-kiosk-hub", appauthor=False))
    return f"sqlite:///{folder / 'hub.sqlite3'}"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="URL", help=f"or ${DB_ENV}")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    parser = _Parser(prog="kiosk-hub", description="Station Kiosk hub", parents=[common])
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    serve = sub.add_parser("serve", help="run the hub's HTTP API", parents=[common])
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    station = sub.add_parser("station", help="stations", parents=[common]).add_subparsers(
        dest="station_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    add = station.add_parser(
        "add", help="create a station; prints its enrolment code", parents=[common]
    )
    add.add_argument("name")
    station.add_parser("list", help="list stations", parents=[common])
    revoke = station.add_parser("revoke", help="revoke a station's token", parents=[common])
    revoke.add_argument("station_id", metavar="ID")
    stats = sub.add_parser("stats", help="人次, people, rest hours", parents=[common])
    stats.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    stats.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = default_db_url()
    if not hasattr(args, "json"):
        args.json = False
    return args


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
        return run(args, Output(as_json=args.json))
    except UsageError as e:
        print(e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace, out: Output) -> int:
    if args.command == "serve":
        import uvicorn

        from kiosk.hub.app import create_app

        uvicorn.run(create_app(args.db), host=args.host, port=args.port)
        return 0
    if args.command == "stats":
        return _stats(args, out)
    db = open_hub_database(args.db)
    now = datetime.now(UTC)
    try:
        match args.station_command:
            case "add":
                with db.write() as s:
                    station, code = stations.add_station(s, args.name, now)
                out.emit(
                    {"station_id": station.id, "name": station.name, "code": code},
                    f"station {station.name} ({station.id})\nenrolment code: {code}"
                    f"  (one use, until {station.code_expires_at:%Y-%m-%d})",
                )
            case "list":
                with db.read() as s:
                    rows = stations.list_stations(s)
                for row in rows:
                    offset = row.clock_offset_seconds
                    clock = "" if offset is None else f"  clock {offset:+.0f}s"
                    flag = " (CHECK CLOCK)" if row.clock_flagged else ""
                    out.emit(asdict(row), f"{row.id}  {row.name}  {row.state}{clock}{flag}")
            case "revoke":
                with db.write() as s:
                    station = stations.revoke_station(s, args.station_id, now)
                if station is None:
                    print(f"kiosk-hub: no station {args.station_id}", file=sys.stderr)
                    return 2
                out.emit(
                    {"station_id": station.id, "revoked": True}, f"station {station.name} revoked"
                )
    finally:
        db.close()
    return 0


def _stats(args: argparse.Namespace, out: Output) -> int:
    date_from, date_to = _date(args.date_from), _date(args.date_to)
    try:
        tz = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {args.tz!r}") from None
    db = open_hub_database(args.db)
    try:
        with db.read() as s:
            result = hub_stats(s, date_from, date_to, tz)
    finally:
        db.close()

    def line(scope: str, name: str, figures: dict[str, object]) -> None:
        out.emit(
            {"scope": scope, "key": name, **figures},
            f"{scope:8} {name:12} {figures['visits']} 人次, {figures['distinct_people']} people, "
            f"{figures['rest_hours']} rest hours",
        )

    line("overall", "all", result.overall.record())
    for name, fig in sorted(result.by_station.items()):
        line("station", name, fig.record())
    for trade, fig in sorted(result.by_trade.items()):
        line("trade", trade, fig.record())
    for day, fig in sorted(result.by_day.items()):
        line("day", day.isoformat(), fig.record())
    return 0


if __name__ == "__main__":
    sys.exit(main())
