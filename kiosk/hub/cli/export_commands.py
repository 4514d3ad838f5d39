"""``kiosk-hub export visits``: one CSV row per visit in a range of days; ``export
attendance`` (``activity_outputs.py``)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.activity_outputs import add_export_parser, export_attendance
from kiosk.hub.cli.common import UsageError, parse_date, parse_zone, with_database

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    export = sub.add_parser("export", help="export records as CSV", parents=[common])
    export_what = export.add_subparsers(
        dest="export_command", required=True, parser_class=parser_class, metavar="WHAT"
    )
    export_visits = export_what.add_parser("visits", help="one row per visit", parents=[common])
    export_visits.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", required=True)
    export_visits.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", required=True)
    export_visits.add_argument("--out", required=True, metavar="FILE.csv")
    export_visits.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")
    add_export_parser(export_what, common)  # export attendance


def _export(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.stats import export_visits

    if args.export_command == "attendance":
        return export_attendance(db, args, out)
    date_from, date_to, tz = (
        parse_date(args.date_from),
        parse_date(args.date_to),
        parse_zone(args.tz),
    )
    assert date_from is not None and date_to is not None
    if date_to < date_from:
        raise UsageError("--to is before --from")
    target = Path(args.out)
    try:
        with db.read() as s:
            count = export_visits(s, target, date_from, date_to, tz)
    except OSError as e:
        print(f"kiosk-hub: cannot write {target}: {e.strerror}", file=sys.stderr)
        return 1
    out.emit({"file": str(target), "visits": count}, f"{count} visit(s) written to {target}")
    return 0


HANDLERS = {"export": with_database(_export)}
