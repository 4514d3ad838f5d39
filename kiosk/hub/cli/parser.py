"""The argument grammar of ``kiosk-hub``: the global options, then each registered command
module's sub-commands (:mod:`kiosk.hub.cli.commands`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import NoReturn

from kiosk.hub.cli.commands import COMMAND_MODULES
from kiosk.hub.cli.common import UsageError

DB_ENV = "KIOSK_HUB_DB"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def default_db_url() -> str:
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    import platformdirs

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
    for module in COMMAND_MODULES:
        module.add_parsers(sub, common, _Parser)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = default_db_url()
    if not hasattr(args, "json"):
        args.json = False
    return args
