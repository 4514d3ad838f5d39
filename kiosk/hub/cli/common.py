"""What every ``kiosk-hub`` command shares: the two refusals, argument types, the database.

A command module (one per area, listed in :mod:`kiosk.hub.cli.commands`) has
``add_parsers(sub, common, parser_class)``, which adds its sub-commands, and ``HANDLERS``,
each sub-command's function ``(args, out) -> exit status``. A command that works on the
hub's database is written ``(db, args, out, now)`` and registered through
:func:`with_database`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from kiosk.cli.output import Output
    from kiosk.hub.db import HubDatabase

Handler = Callable[[argparse.Namespace, "Output"], int]
DbHandler = Callable[["HubDatabase", argparse.Namespace, "Output", datetime], int]


class UsageError(Exception):
    pass


class Refused(Exception):
    """The command cannot do what was asked (bad file, unknown id); exit status 2."""


def with_database(handler: DbHandler) -> Handler:
    """``handler`` run on the hub's database (``--db``), opened and closed around it; a
    :class:`Refused` is one line on stderr and exit status 2."""

    def run(args: argparse.Namespace, out: Output) -> int:
        from kiosk.hub.db import open_hub_database

        db = open_hub_database(args.db)
        try:
            return handler(db, args, out, datetime.now(UTC))
        except Refused as e:
            print(f"kiosk-hub: {e}", file=sys.stderr)
            return 2
        finally:
            db.close()

    return run


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number, ``minimum`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    return parse


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parse_zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}") from None
