"""``kiosk activity add|list|show|scan|guest|start|end|cancel|sheet`` (issue 14, section 4).

Bad input (unknown id, an ended activity, a bad kind or category, an empty or overlong name,
a window that ends before it starts) is a one-line error and exit 2, with nothing recorded:
each command is one transaction in ``StationService`` and a refusal rolls it back.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.cli.output import Output
from kiosk.cli.parser import UsageError
from kiosk.core.activities.model import ActivityError, parse_category, parse_kind
from kiosk.core.activities.views import ActivityDetail
from kiosk.core.checkin import Method
from kiosk.core.messages import describe_signin
from kiosk.core.station import StationService


def _when(text: str, tz: ZoneInfo, what: str) -> datetime:
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise UsageError(f"{what} must be YYYY-MM-DD HH:MM, got {text!r}") from None
    return moment.replace(tzinfo=tz)


def _tz(station: StationService) -> ZoneInfo:
    return ZoneInfo(station.setting("station.timezone"))


def _hhmm(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%m-%d %H:%M") if moment else "--:--"


def cmd_activity(station: StationService, args: argparse.Namespace, out: Output) -> int:
    try:
        return ACTIONS[args.activity_command](station, args, out)
    except ActivityError as e:  # raised while reading arguments (kind, category)
        raise UsageError(f"kiosk activity {args.activity_command}: {e}") from None


def _add(station: StationService, args: argparse.Namespace, out: Output) -> int:
    tz = _tz(station)
    view = station.add_activity(
        kind=parse_kind(args.kind),
        title=args.title,
        start=_when(args.start, tz, "--start"),
        end=_when(args.end, tz, "--end"),
        host_unit=args.host,
        place=args.place,
        service_hours=args.service_hours,
    )
    out.emit({"id": view.id}, view.id)
    return 0


def _list(station: StationService, args: argparse.Namespace, out: Output) -> int:
    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"not a date (YYYY-MM-DD): {args.date!r}") from None
    tz, now = _tz(station), station.clock.now()
    for view in station.activities(day):
        record = view.record(now)
        out.emit(
            record,
            f"{view.id[:8]}  {_hhmm(view.start_at, tz)}-{view.end_at.astimezone(tz):%H:%M}  "
            f"{view.kind.label}  {view.title}  {record['state_name']}",
        )
    return 0


def _show(station: StationService, args: argparse.Namespace, out: Output) -> int:
    detail = station.activity(args.activity_id)
    tz, now = _tz(station), station.clock.now()
    out.emit(_detail_record(detail, now), _detail_text(detail, tz, now))
    return 0


def _detail_record(detail: ActivityDetail, now: datetime) -> dict[str, object]:
    return {
        **detail.activity.record(now),
        "people": detail.people,
        "still_in": detail.still_in,
        "credited_minutes": detail.credited_minutes,
        "by_category": detail.by_category,
        "attendance": [a.record() for a in detail.attendances],
    }


def _detail_text(detail: ActivityDetail, tz: ZoneInfo, now: datetime) -> str:
    a = detail.activity
    lines = [
        f"{a.title} ({a.kind.label}, {a.state(now).label}) "
        f"{_hhmm(a.start_at, tz)}-{a.end_at.astimezone(tz):%H:%M} {a.host_unit or ''}".rstrip(),
        f"{detail.people} 人次, {detail.still_in} still in, "
        f"{detail.credited_minutes} minutes credited; "
        + ", ".join(f"{k} {v}" for k, v in sorted(detail.by_category.items())),
    ]
    for att in detail.attendances:
        category = att.category.label if att.category else "-"
        lines.append(
            f"  {_hhmm(att.signed_in_at, tz)} → {_hhmm(att.signed_out_at, tz)}  "
            f"{att.name or att.person_id}  {category}  {att.state.label}"
            + (f" ({att.review_reason})" if att.review_reason else "")
        )
    return "\n".join(lines)


def _scan(station: StationService, args: argparse.Namespace, out: Output) -> int:
    full_name = bool(station.setting("greeting.full_name"))
    tz = _tz(station)
    station.activity(args.activity_id)  # an unknown id fails before the first text
    for text in args.texts:
        result = station.activity_scan(args.activity_id, text, Method.SCANNER)
        message = describe_signin(
            result, full_name=full_name, local_time=lambda t: t.astimezone(tz).strftime("%H:%M")
        )
        out.emit(
            {
                "outcome": result.outcome.value,
                "reason": result.reason,
                "message": message,
                "person_id": result.person_id,
                "attendance_id": result.attendance_id,
            },
            f"{result.outcome.value}: {message}",
        )
    return 0


def _guest(station: StationService, args: argparse.Namespace, out: Output) -> int:
    result = station.activity_guest(
        args.activity_id,
        name=args.name,
        category=parse_category(args.category),
        unit=args.unit,
        phone_tail=args.phone_tail,
    )
    out.emit({"attendance_id": result.attendance_id}, result.attendance_id or "")
    return 0


def _start(station: StationService, args: argparse.Namespace, out: Output) -> int:
    view = station.start_activity(args.activity_id)
    out.emit({"id": view.id, "start_at": view.start_at}, f"{view.title}: started")
    return 0


def _end(station: StationService, args: argparse.Namespace, out: Output) -> int:
    signed_out, to_review = station.end_activity(args.activity_id)
    out.emit(
        {"signed_out": signed_out, "to_review": to_review},
        f"ended: {signed_out} signed out, {to_review} to review",
    )
    return 0


def _cancel(station: StationService, args: argparse.Namespace, out: Output) -> int:
    view = station.cancel_activity(args.activity_id, args.reason)
    out.emit({"id": view.id, "state": view.stored_state.value}, f"{view.title}: cancelled")
    return 0


def _sheet(station: StationService, args: argparse.Namespace, out: Output) -> int:
    path = Path(args.out)
    if path.suffix.lower() != ".pdf":
        raise UsageError(f"--out must name a .pdf file, got {args.out!r}")
    pages = station.write_activity_sheet(args.activity_id, path)
    out.emit({"file": path, "pages": pages}, f"{path}: {pages} page(s)")
    return 0


ACTIONS = {
    "add": _add,
    "list": _list,
    "show": _show,
    "scan": _scan,
    "guest": _guest,
    "start": _start,
    "end": _end,
    "cancel": _cancel,
    "sheet": _sheet,
}


ACTIVITY_HANDLERS = {"activity": cmd_activity}
