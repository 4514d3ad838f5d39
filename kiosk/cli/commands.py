"""What each ``kiosk`` sub-command does. Thin: parse, call the station, print."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.cli.activity_commands import ACTIVITY_HANDLERS
from kiosk.cli.badge_commands import BADGE_HANDLERS
from kiosk.cli.materials_commands import MATERIALS_HANDLERS, install_starter_library
from kiosk.cli.output import Output
from kiosk.cli.parser import UsageError
from kiosk.cli.sync_commands import SYNC_HANDLERS
from kiosk.core.errors import StationError
from kiosk.core.messages import describe
from kiosk.core.results import Method, Outcome, ScanResult
from kiosk.core.roster import ACTIONS
from kiosk.core.station import StationService

log = logging.getLogger(__name__)

Handler = Callable[[StationService, argparse.Namespace, Output], int]


def _date(text: str | None, station: StationService) -> date:
    if text is None:
        return station.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {text!r}") from None


def scan_record(result: ScanResult, full_name: bool = False) -> dict[str, object]:
    return {
        "outcome": result.outcome.value,
        "reason": result.reason,
        "message": describe(result, full_name=full_name),
        "person_id": result.person_id,
        "visit_id": result.visit_id,
    }


def cmd_init(station: StationService, args: argparse.Namespace, out: Output) -> int:
    info = station.init(args.station_name)
    install_starter_library(station)
    out.emit(
        {
            "station_id": info.id,
            "name": info.name,
            "key_id": info.key_id,
            "data_dir": station.paths.data_dir,
        },
        f"station {info.name} ready in {station.paths.data_dir} (key {info.key_id})",
    )
    return 0


def cmd_person(station: StationService, args: argparse.Namespace, out: Output) -> int:
    match args.person_command:
        case "add":
            person = station.add_person(
                name=args.name,
                trade=args.trade,
                team=args.team,
                party_member=args.party_member,
                phone=args.phone,
                category=args.category,
            )
            out.emit({"id": person.id}, person.id)
        case "import":
            return _import_people(station, args, out)
        case "list" | "find":
            found = (
                station.people(include_inactive=args.all)
                if args.person_command == "list"
                else station.find_people(args.query)
            )
            for p in found:
                team = p.team or ""
                out.emit(asdict(p), f"{p.id}  {p.name}  {p.trade}  {team}".rstrip())
    return 0


SHOWN_REFUSALS = 20  # refused rows listed without -v or --json


def _import_people(station: StationService, args: argparse.Namespace, out: Output) -> int:
    """A summary line; each row only with -v or --json. All rows or none."""
    import sys

    summary = station.import_people(Path(args.file))
    if args.verbose or out.as_json:
        for row in summary.rows:
            record = {"line": row.line, "action": row.action, "id": row.person_id}
            record |= {"name": row.name, "reason": row.reason}
            detail = row.reason if row.action == "refused" else row.person_id
            out.emit(record, f"line {row.line}: {row.action} {row.name or '(no name)'}: {detail}")
    counts = {action: summary.count(action) for action in ACTIONS}
    out.emit(
        {"file": args.file, **counts, "imported": summary.imported},
        f"{args.file}: " + ", ".join(f"{n} {action}" for action, n in counts.items()),
    )
    log.info("person import of %s: %s", args.file, counts)
    if summary.imported:
        return 0
    refused = summary.refused
    lines = [
        f"kiosk: error: {args.file}: nothing imported (all rows or none): "
        f"{len(refused)} row(s) refused; fix them and import the file again"
    ]
    shown = refused if args.verbose else refused[:SHOWN_REFUSALS]
    lines += [f"  line {r.line} {r.name or '(no name)'}: {r.reason}" for r in shown]
    if len(shown) < len(refused):
        lines.append(f"  … and {len(refused) - len(shown)} more (-v or --json lists them all)")
    print("\n".join(lines), file=sys.stderr)
    return 2


def cmd_scan(station: StationService, args: argparse.Namespace, out: Output) -> int:
    full_name = bool(station.setting("greeting.full_name"))
    for text in args.texts:
        result = station.scan(text, Method.SCANNER)
        record = scan_record(result, full_name)
        out.emit(record, f"{result.outcome.value}: {record['message']}")
    return 0


def _decode_files(files: list[str], out: Output) -> Iterator[tuple[str, list[str], float]]:
    """Decode each file with the still-image decoder; unreadable files are reported, not raised."""
    from kiosk.devices.decoding import DecodeError, DecodeMode, KioskDecoder, decode_image_file

    decoder = KioskDecoder(DecodeMode.STILL)
    for file in files:
        started = time.perf_counter()
        try:
            codes = decode_image_file(Path(file), decoder)
        except DecodeError as e:
            out.emit({"file": file, "error": str(e)}, f"{file}: {e}")
            continue
        yield file, codes, round((time.perf_counter() - started) * 1000, 2)


def cmd_scan_image(station: StationService, args: argparse.Namespace, out: Output) -> int:
    full_name = bool(station.setting("greeting.full_name"))
    decoded = 0
    for file, codes, _ms in _decode_files(args.files, out):
        decoded += 1
        if not codes:
            out.emit(
                {
                    "file": file,
                    "outcome": Outcome.REFUSED.value,
                    "reason": "no_code",
                    "message": "没有识别到二维码，请把工牌对准摄像头",
                    "person_id": None,
                    "visit_id": None,
                },
                f"{file}: no QR code found",
            )
        for code in codes:
            result = station.scan(code, Method.CAMERA)
            record = {"file": file, **scan_record(result, full_name)}
            out.emit(record, f"{file}: {result.outcome.value}: {record['message']}")
    return 0 if decoded == len(args.files) else 1


def cmd_decode(station: StationService | None, args: argparse.Namespace, out: Output) -> int:
    decoded = 0
    for file, codes, ms in _decode_files(args.files, out):
        decoded += 1
        out.emit(
            {"file": file, "codes": codes, "ms": ms},
            f"{file}: {len(codes)} code(s) in {ms} ms" + "".join(f"\n  {c}" for c in codes),
        )
    return 0 if decoded == len(args.files) else 1


def cmd_visits(station: StationService, args: argparse.Namespace, out: Output) -> int:
    day = _date(args.date, station)
    station.close_stale_visits()
    tz = ZoneInfo(station.setting("station.timezone"))

    def hhmm(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime("%H:%M") if moment else "--:--"

    for v in station.visits(day):
        record = {
            "visit_id": v.id,
            "person_id": v.person_id,
            "trade": v.trade,
            "method": v.method,
            "checked_in_at": v.checked_in_at,
            "checked_out_at": v.checked_out_at,
            "auto_closed": v.auto_closed,
            "unverified": v.unverified,
            "verification": v.verification,
        }
        flags = " auto-closed" * v.auto_closed + " unverified" * v.unverified
        if v.verification and v.verification != "pending":
            flags += f" {v.verification}"
        out.emit(
            record,
            f"{hhmm(v.checked_in_at)}-{hhmm(v.checked_out_at)}  {v.trade or ''}  {v.method}  "
            f"{v.person_id or ('(badge not checked)' if v.badge_token else '(anonymous)')}"
            f"{flags}",
        )
    return 0


def cmd_stats(station: StationService, args: argparse.Namespace, out: Output) -> int:
    if getattr(args, "month", None):
        return _month_stats(station, args.month, out)
    day = _date(args.date, station)
    station.close_stale_visits()
    fig = station.figures(day)
    by_trade = "  ".join(f"{k} {v}" for k, v in sorted(fig.visits_by_trade.items()))
    out.emit(
        asdict(fig),
        f"{fig.date}: {fig.visits} 人次, {fig.distinct_people} people, "
        f"{fig.rest_hours} rest hours; {by_trade}"
        + (f"; {fig.unverified_visits} unverified" if fig.unverified_visits else "")
        + (
            f"; {fig.rejected_visits} left out (badge forged or revoked)"
            if fig.rejected_visits
            else ""
        ),
    )
    return 0


def _month_stats(station: StationService, month: str, out: Output) -> int:
    from kiosk.core.keeper import month_days

    try:
        first, last = month_days(month)
    except ValueError as e:
        raise UsageError(str(e)) from None
    station.close_stale_visits()
    fig = station.period_figures(first, last)
    by_trade = "  ".join(f"{k} {v}" for k, v in sorted(fig.visits_by_trade.items()))
    out.emit(
        asdict(fig),
        f"{first}..{last}: {fig.visits} 人次, {fig.distinct_people} people, "
        f"{fig.rest_hours} rest hours, {fig.study_hours} study hours, "
        f"{fig.quiz_passes} quiz passes; {by_trade}",
    )
    return 0


def cmd_config(station: StationService, args: argparse.Namespace, out: Output) -> int:
    if args.config_command == "set":
        value = station.set_setting(args.key, args.value)
        out.emit({"key": args.key, "value": value}, f"{args.key} = {value}")
    elif args.key:
        value = station.setting(args.key)
        out.emit({"key": args.key, "value": value}, f"{value}")
    else:
        for key, value in station.all_settings().items():
            out.emit({"key": key, "value": value}, f"{key} = {value}")
    return 0


def cmd_admin(station: StationService, args: argparse.Namespace, out: Output) -> int:
    """Set the PIN from a prompt (never an argument: it would sit in the shell history)."""
    import getpass
    import sys

    from kiosk.core.admin_pin import PinError, PinStore

    if sys.stdin.isatty():
        pin = getpass.getpass("new admin PIN (4-12 digits): ")
        if getpass.getpass("again: ") != pin:
            raise UsageError("the two PINs differ; nothing changed")
    else:
        pin = sys.stdin.readline().strip()
    try:
        PinStore.in_dir(station.paths.data_dir).set(pin)
    except PinError as e:
        raise UsageError(str(e)) from None
    log.info("admin PIN changed")
    out.emit({"admin_pin": "set"}, "admin PIN set")
    return 0


HANDLERS: dict[str, Handler] = {
    "admin": cmd_admin,
    "init": cmd_init,
    "person": cmd_person,
    **BADGE_HANDLERS,
    "scan": cmd_scan,
    "scan-image": cmd_scan_image,
    "visits": cmd_visits,
    "stats": cmd_stats,
    "config": cmd_config,
    **SYNC_HANDLERS,
    **MATERIALS_HANDLERS,
    **ACTIVITY_HANDLERS,
}

__all__ = ["HANDLERS", "StationError", "cmd_decode", "scan_record"]
