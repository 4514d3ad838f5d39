"""``kiosk-hub announce TEXT [--until DAY] | --withdraw ID``: a notice for every station."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.common import UsageError, parse_date, with_database

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase

MAX_ANNOUNCEMENT = 2000


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    announce = sub.add_parser("announce", help="a notice for every station", parents=[common])
    announce.add_argument("text", nargs="?", metavar="TEXT")
    announce.add_argument("--until", metavar="YYYY-MM-DD", help="last day it is shown")
    announce.add_argument("--withdraw", metavar="ID", help="withdraw an announcement instead")


def _announce(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    import uuid

    from kiosk.hub import projections

    if args.withdraw:
        if args.text or args.until:
            raise UsageError("--withdraw takes no TEXT or --until")
        with db.write() as s:
            row = projections.withdraw(s, args.withdraw, now)
        if row is None:
            print(f"kiosk-hub: no announcement {args.withdraw}", file=sys.stderr)
            return 2
        out.emit({"id": row.id, "withdrawn": True}, f"announcement {row.id} withdrawn")
        return 0
    text = (args.text or "").strip()
    if not text:
        raise UsageError("announce needs TEXT (or --withdraw ID)")
    if len(text) > MAX_ANNOUNCEMENT:
        raise UsageError(f"announcement longer than {MAX_ANNOUNCEMENT} characters")
    until = parse_date(args.until)
    with db.write() as s:
        row = projections.announce(s, str(uuid.uuid4()), text, until, now)
    shown = f" until {until}" if until else ""
    out.emit(
        {"id": row.id, "text": row.text, "until": row.until},
        f"announcement {row.id} sent to every station{shown}",
    )
    return 0


HANDLERS = {"announce": with_database(_announce)}
