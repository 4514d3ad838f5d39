"""``kiosk-hub user add|list|disable|password``: accounts of the web console.

A password is read from standard input (twice, without echo, on a terminal; the first line
otherwise, so a script can pipe it), never from an argument, which other users of the
machine could read in the process list. Every change is written to the console's audit log.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.hub.cli.common import Refused, with_database

if TYPE_CHECKING:
    from kiosk.cli.output import Output
    from kiosk.hub.db import HubDatabase

ROLES = ("admin", "keeper", "viewer")


def add_parsers(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, parser_class: type
) -> None:  # type: ignore[type-arg]
    user = sub.add_parser("user", help="web console accounts", parents=[common]).add_subparsers(
        dest="user_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    add = user.add_parser(
        "add", help="create an account; the password is read from stdin", parents=[common]
    )
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument(
        "--station",
        action="append",
        default=[],
        metavar="NAME",
        help="a station (name or id) a keeper or viewer is limited to; repeat for several",
    )
    user.add_parser("list", help="list accounts", parents=[common])
    disable = user.add_parser(
        "disable", help="disable an account (ends its sessions)", parents=[common]
    )
    disable.add_argument("username", metavar="USERNAME")
    password = user.add_parser(
        "password", help="set a new password from stdin (ends its sessions)", parents=[common]
    )
    password.add_argument("username", metavar="USERNAME")


def read_password(stdin: object = None) -> str:
    """Twice without echo on a terminal; else the first line of stdin."""
    stream = stdin or sys.stdin
    if stream.isatty():  # type: ignore[attr-defined]
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return stream.readline().rstrip("\r\n")  # type: ignore[attr-defined]


def run(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.console import accounts, audit

    try:
        match args.user_command:
            case "add":
                password = read_password()
                with db.write() as s:
                    user = accounts.add_user(
                        s, args.username, accounts.Role(args.role), password, args.station, now
                    )
                    info = accounts.account(s, user)
                    audit.record(s, audit.CLI, "user.add", now, info.username, f"role={info.role}")
                out.emit(
                    _record(info),
                    f"user {info.username} ({info.role}) created"
                    + (f" for {', '.join(info.station_names)}" if info.station_names else ""),
                )
            case "list":
                with db.read() as s:
                    rows = accounts.list_accounts(s)
                for info in rows:
                    state = "" if info.active else "  (disabled)"
                    where = f"  {', '.join(info.station_names)}" if info.station_names else ""
                    out.emit(_record(info), f"{info.username}  {info.role}{where}{state}")
            case "disable":
                with db.write() as s:
                    user = accounts.disable_user(s, args.username)
                    audit.record(s, audit.CLI, "user.disable", now, user.username)
                out.emit(
                    {"username": user.username, "active": False}, f"user {user.username} disabled"
                )
            case "password":
                password = read_password()
                with db.write() as s:
                    user = accounts.set_password(s, args.username, password, now)
                    audit.record(s, audit.CLI, "user.password", now, user.username)
                out.emit(
                    {"username": user.username, "password_changed": True},
                    f"password of {user.username} changed; its sessions ended",
                )
    except (accounts.AccountError, ValueError) as e:
        raise Refused(str(e)) from None
    return 0


def _record(info: object) -> dict[str, object]:
    return {
        "username": info.username,  # type: ignore[attr-defined]
        "role": str(info.role),  # type: ignore[attr-defined]
        "active": info.active,  # type: ignore[attr-defined]
        "stations": list(info.station_names),  # type: ignore[attr-defined]
    }


HANDLERS = {"user": with_database(run)}
