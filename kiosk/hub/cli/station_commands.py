"""``kiosk-hub station add|list|revoke``: stations, their enrolment codes and tokens."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.common import with_database

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    station = sub.add_parser("station", help="stations", parents=[common]).add_subparsers(
        dest="station_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    add = station.add_parser(
        "add", help="create a station; prints its enrolment code", parents=[common]
    )
    add.add_argument("name")
    station.add_parser("list", help="list stations", parents=[common])
    revoke = station.add_parser("revoke", help="revoke a station's token", parents=[common])
    revoke.add_argument("station_id", metavar="ID")
    revoke.add_argument(
        "--key", action="store_true", help="also make stations refuse the badges it signed"
    )


def _station(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub import stations

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
                out.emit(
                    asdict(row),
                    f"{row.id}  {row.name}  {row.state}{clock}{flag}{row.health_text()}",
                )
        case "revoke":
            with db.write() as s:
                station = stations.revoke_station(s, args.station_id, now, args.key)
            if station is None:
                print(f"kiosk-hub: no station {args.station_id}", file=sys.stderr)
                return 2
            key = " and its badge key" if args.key else ""
            out.emit(
                {"station_id": station.id, "revoked": True, "key_revoked": args.key},
                f"station {station.name}{key} revoked",
            )
    return 0


HANDLERS = {"station": with_database(_station)}
