"""``kiosk-hub person import|list`` (the roster) and ``kiosk-hub badge revoke``."""

from __future__ import annotations

import argparse
from dataclasses import asdict
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
    person = sub.add_parser("person", help="the roster", parents=[common]).add_subparsers(
        dest="person_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    imp = person.add_parser(
        "import", help="CSV: name,trade,team,party_member,phone", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv")
    person.add_parser("list", help="list the roster", parents=[common])
    badge = sub.add_parser("badge", help="badges", parents=[common]).add_subparsers(
        dest="badge_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    badge_revoke = badge.add_parser(
        "revoke", help="revoke every badge of a person, at every station", parents=[common]
    )
    badge_revoke.add_argument("person_id", metavar="PERSON_ID")


def _person(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub import projections, roster

    if args.person_command == "import":
        try:
            rows = roster.read_csv(Path(args.file))
        except roster.HubRosterError as e:
            raise Refused(str(e)) from None
        with db.write() as s:
            done = roster.import_people(s, rows, now)
        for p in done:
            verb = "added" if p.created else "updated"
            out.emit(asdict(p), f"{p.person_id}  {p.name}  {p.trade}  ({verb})")
        return 0
    with db.read() as s:
        people = [projections.person_info(p) for p in roster.list_people(s)]
    for info in people:
        state = "" if info.active else "  (inactive)"
        out.emit(
            info.model_dump(mode="json"),
            f"{info.person_id}  {info.name}  {info.trade}  {info.team or ''}{state}".rstrip(),
        )
    return 0


def _badge(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub import projections, roster

    with db.write() as s:
        try:
            person = roster.resolve_person(s, args.person_id)
        except roster.HubRosterError as e:
            raise Refused(str(e)) from None
        revoked = projections.revoke_person_badges(s, person.id, now)
        record = {
            "person_id": person.id,
            "name": person.name,
            "revoked": len(revoked),
            "badges": [f"{b.key_id}/{b.serial}" for b in revoked],
        }
    out.emit(
        record,
        f"revoked {len(revoked)} badge(s) of {record['name']}; stations refuse them once they "
        "sync (a card made before now at an offline station too, once it arrives)",
    )
    return 0


HANDLERS = {"person": with_database(_person), "badge": with_database(_badge)}
