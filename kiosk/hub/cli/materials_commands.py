"""``kiosk-hub materials publish|list|withdraw``: study packages for every station."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.common import Refused, with_database

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    material = sub.add_parser(
        "materials", help="study packages for every station", parents=[common]
    ).add_subparsers(
        dest="materials_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    publish = material.add_parser(
        "publish",
        help="check a package (folder or zip) and send it to every station",
        parents=[common],
    )
    publish.add_argument("path", metavar="PATH")
    material.add_parser("list", help="published packages", parents=[common])
    withdraw = material.add_parser(
        "withdraw", help="stations remove a package they got through sync", parents=[common]
    )
    withdraw.add_argument("material_id", metavar="ID")


def _materials(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub import materials

    try:
        return _materials_action(db, args, out, now)
    except materials.MaterialError as e:
        raise Refused(str(e)) from None


def _materials_action(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub import materials

    match args.materials_command:
        case "publish":
            prepared = materials.prepare(Path(args.path))  # validated before the database
            try:
                with db.write() as s:
                    done = materials.publish(s, prepared, now)
            except materials.MaterialError as e:
                raise materials.MaterialError(f"{args.path}: refused: {e}") from None
            info = done.material
            verb = {"published": "published", "upgraded": "published", "unchanged": "unchanged:"}
            was = f" (replaces v{done.previous_version})" if done.action == "upgraded" else ""
            out.emit(
                {"action": done.action, "previous_version": done.previous_version}
                | info.model_dump(mode="json"),
                f"{verb[done.action]} {info.id} v{info.version} {info.title} "
                f"({info.size} bytes, sha256 {info.sha256[:12]}…){was}",
            )
        case "list":
            with db.read() as s:
                rows = materials.list_materials(s)
            for info in rows:
                state = "  (withdrawn)" if info.withdrawn else ""
                out.emit(
                    info.model_dump(mode="json"),
                    f"{info.id}  v{info.version}  {info.category}  {info.title}  "
                    f"{info.size} bytes  {info.published_at:%Y-%m-%d}{state}",
                )
        case "withdraw":
            with db.write() as s:
                row = materials.withdraw(s, args.material_id, now)
                info = None if row is None else materials.material_info(row)
            if info is None:
                print(f"kiosk-hub: no published package {args.material_id}", file=sys.stderr)
                return 2
            out.emit(
                {"id": info.id, "version": info.version, "withdrawn": True},
                f"{info.id} v{info.version} withdrawn; stations remove it at their next sync",
            )
    return 0


HANDLERS = {"materials": with_database(_materials)}
