"""The ``kiosk-hub`` command: run the hub; manage stations, the roster, badges,
announcements and study packages; figures and exports. Commands are listed in docs/sync.md.

Follows the kiosk CLI's conventions: a global ``--db URL`` (or ``KIOSK_HUB_DB``, default an
SQLite file in the user data folder), ``--json`` for one JSON object per line, and bad
usage reported in one line with exit status 2.

Each command imports what it needs when it runs (``--help`` and ``station list`` do not load
the package checker or pinyin tables), so the command starts quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kiosk.cli.output import Output

if TYPE_CHECKING:
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from kiosk.hub.db import HubDatabase
    from kiosk.hub.stats import StudyFigures

DB_ENV = "KIOSK_HUB_DB"
POOL_SIZE_ENV = "KIOSK_HUB_POOL_SIZE"
MAX_OVERFLOW_ENV = "KIOSK_HUB_MAX_OVERFLOW"
MAX_ANNOUNCEMENT = 2000


class UsageError(Exception):
    pass


class Refused(Exception):
    """The command cannot do what was asked (bad file, unknown id); exit status 2."""


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
    serve = sub.add_parser("serve", help="run the hub's HTTP API", parents=[common])
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument(
        "--pool-size",
        type=_at_least(1),
        metavar="N",
        help=f"database connections kept per process (or ${POOL_SIZE_ENV}; PostgreSQL: 10)",
    )
    serve.add_argument(
        "--max-overflow",
        type=_at_least(0),
        metavar="M",
        help=f"extra connections under load (or ${MAX_OVERFLOW_ENV}; PostgreSQL: 20)",
    )
    sub.add_parser(
        "migrate", help="bring the database to the newest schema, then exit", parents=[common]
    )
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
    revoke.add_argument(
        "--key", action="store_true", help="also make stations refuse the badges it signed"
    )
    person = sub.add_parser("person", help="the roster", parents=[common]).add_subparsers(
        dest="person_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    imp = person.add_parser(
        "import", help="CSV: name,trade,team,party_member,phone", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv")
    person.add_parser("list", help="list the roster", parents=[common])
    badge = sub.add_parser("badge", help="badges", parents=[common]).add_subparsers(
        dest="badge_command", required=True, parser_class=_Parser, metavar="ACTION"
    )
    badge_revoke = badge.add_parser(
        "revoke", help="revoke every badge of a person, at every station", parents=[common]
    )
    badge_revoke.add_argument("person_id", metavar="PERSON_ID")
    export = sub.add_parser("export", help="export records as CSV", parents=[common])
    export_what = export.add_subparsers(
        dest="export_command", required=True, parser_class=_Parser, metavar="WHAT"
    )
    export_visits = export_what.add_parser("visits", help="one row per visit", parents=[common])
    export_visits.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", required=True)
    export_visits.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", required=True)
    export_visits.add_argument("--out", required=True, metavar="FILE.csv")
    export_visits.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")
    from kiosk.hub.activity_outputs import add_export_parser

    add_export_parser(export_what, common)
    announce = sub.add_parser("announce", help="a notice for every station", parents=[common])
    announce.add_argument("text", nargs="?", metavar="TEXT")
    announce.add_argument("--until", metavar="YYYY-MM-DD", help="last day it is shown")
    announce.add_argument("--withdraw", metavar="ID", help="withdraw an announcement instead")
    material = sub.add_parser(
        "materials", help="study packages for every station", parents=[common]
    ).add_subparsers(
        dest="materials_command", required=True, parser_class=_Parser, metavar="ACTION"
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
    from kiosk.hub import user_commands
    from kiosk.hub.activity_cli import add_parsers as add_activity_parsers

    user_commands.add_parser(sub, common, _Parser)
    add_activity_parsers(sub, common, _Parser)
    stats = sub.add_parser(
        "stats", help="人次, people, rest hours, study hours, quiz pass rates", parents=[common]
    )
    stats.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    stats.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")
    return parser


def _at_least(minimum: int) -> Callable[[str], int]:
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


def _from_env(name: str, minimum: int) -> int | None:
    text = os.environ.get(name)
    if not text:
        return None
    try:
        return _at_least(minimum)(text)
    except argparse.ArgumentTypeError as e:
        raise UsageError(f"kiosk-hub serve: ${name}: {e}") from None


def parse_args(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = default_db_url()
    if not hasattr(args, "json"):
        args.json = False
    if args.command == "serve":
        if args.pool_size is None:
            args.pool_size = _from_env(POOL_SIZE_ENV, 1)
        if args.max_overflow is None:
            args.max_overflow = _from_env(MAX_OVERFLOW_ENV, 0)
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

        app = create_app(args.db, pool_size=args.pool_size, max_overflow=args.max_overflow)
        uvicorn.run(app, host=args.host, port=args.port)
        return 0
    if args.command == "migrate":
        return _migrate(args, out)
    if args.command == "stats":
        return _stats(args, out)
    from kiosk.hub import user_commands
    from kiosk.hub.activity_cli import CommandRefused, run_activity, run_hours, run_report
    from kiosk.hub.activity_outputs import run_certificate
    from kiosk.hub.db import open_hub_database

    commands = {
        "user": user_commands.run,
        "activity": run_activity,
        "hours": run_hours,
        "report": run_report,
        "certificate": run_certificate,
        "person": _person,
        "badge": _badge,
        "export": _export,
        "announce": _announce,
        "station": _station,
        "materials": _materials,
    }
    db = open_hub_database(args.db)
    try:
        return commands[args.command](db, args, out, datetime.now(UTC))
    except (Refused, CommandRefused) as e:
        print(f"kiosk-hub: {e}", file=sys.stderr)
        return 2
    finally:
        db.close()


def _migrate(args: argparse.Namespace, out: Output) -> int:
    from kiosk.hub.db import HubDatabase, prepare

    db = HubDatabase(args.db)
    try:
        done = prepare(db)
    finally:
        db.close()
    if done.previous is None:
        human = f"hub database created at revision {done.revision}"
    elif done.previous != done.revision:
        human = f"hub database migrated from revision {done.previous} to {done.revision}"
    else:
        human = f"hub database already at revision {done.revision}"
    if done.projected:
        human += f"; {done.projected} earlier event(s) projected"
    out.emit(
        {
            "revision": done.revision,
            "previous": done.previous,
            "migrated": done.previous != done.revision,
            "projected": done.projected,
        },
        human,
    )
    return 0


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


def _export(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.stats import export_visits

    if args.export_command == "attendance":
        from kiosk.hub.activity_outputs import export_attendance

        return export_attendance(db, args, out)
    date_from, date_to, tz = _date(args.date_from), _date(args.date_to), _zone(args.tz)
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
    until = _date(args.until)
    with db.write() as s:
        row = projections.announce(s, str(uuid.uuid4()), text, until, now)
    shown = f" until {until}" if until else ""
    out.emit(
        {"id": row.id, "text": row.text, "until": row.until},
        f"announcement {row.id} sent to every station{shown}",
    )
    return 0


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


def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}") from None


def _stats(args: argparse.Namespace, out: Output) -> int:
    from kiosk.hub.db import open_hub_database
    from kiosk.hub.stats import hub_stats, study_stats

    date_from, date_to, tz = _date(args.date_from), _date(args.date_to), _zone(args.tz)
    db = open_hub_database(args.db)
    try:
        with db.read() as s:
            result = hub_stats(s, date_from, date_to, tz)
            study = study_stats(s, date_from, date_to, tz)
    finally:
        db.close()

    def line(scope: str, name: str, figures: dict[str, object]) -> None:
        out.emit(
            {"scope": scope, "key": name, **figures},
            f"{scope:8} {name:12} {figures['visits']} 人次, {figures['distinct_people']} people, "
            f"{figures['rest_hours']} rest hours"
            + (
                f", {figures['overlapping_visits']} overlapping"
                if figures["overlapping_visits"]
                else ""
            ),
        )

    line("overall", "all", result.overall.record())
    for name, fig in sorted(result.by_station.items()):
        line("station", name, fig.record())
    for trade, fig in sorted(result.by_trade.items()):
        line("trade", trade, fig.record())
    for day, fig in sorted(result.by_day.items()):
        line("day", day.isoformat(), fig.record())
    _excluded_lines(result.excluded, out)

    def study_line(scope: str, name: str, fig: StudyFigures) -> None:
        figures = fig.record()
        rate = figures["quiz_pass_rate"]
        out.emit(
            {"scope": scope, "key": name, **figures},
            f"{scope:14} {name:12} {figures['study_sessions']} sessions, "
            f"{figures['study_hours']} study hours, {figures['quiz_attempts']} quiz attempts, "
            f"{figures['quizzes_passed']} passed" + ("" if rate is None else f" ({rate}%)"),
        )

    study_line("study", "all", study.overall)
    for name, fig in sorted(study.by_station.items()):
        study_line("study-station", name, fig)
    for material_id, fig in sorted(study.by_material.items()):
        study_line("study-material", material_id, fig)
    return 0


def _excluded_lines(excluded: dict[str, int], out: Output) -> None:
    """How many visits no figure above counts, and why (badges that did not verify)."""
    from kiosk.hub.verification import REASONS

    total = sum(excluded.values())
    out.emit(
        {"scope": "excluded", "key": "all", "visits": total},
        f"excluded all          {total} visit(s) left out of every figure above",
    )
    for reason, count in sorted(excluded.items()):
        out.emit(
            {"scope": "excluded", "key": reason, "visits": count},
            f"excluded {reason:12} {count} visit(s): {REASONS.get(reason, reason)}",
        )


if __name__ == "__main__":
    sys.exit(main())
