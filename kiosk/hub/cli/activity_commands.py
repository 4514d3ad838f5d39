"""``kiosk-hub activity add|list|cancel``, ``hours pending|confirm|reject|backfill|approve``
and ``report year YYYY`` (issue 14). A refusal is one line on stderr and exit 2."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from kiosk.cli.output import Output
from kiosk.hub.cli.activity_outputs import run_certificate
from kiosk.hub.cli.common import Refused, with_database

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    activity = sub.add_parser(
        "activity", help="schedule activities for stations", parents=[common]
    ).add_subparsers(
        dest="activity_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    add = activity.add_parser("add", help="schedule one for stations (all by default)",
                              parents=[common])  # fmt: skip
    add.add_argument("--title", required=True)
    add.add_argument(
        "--kind", required=True, help="organization-life lecture volunteer meeting other"
    )
    add.add_argument("--start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    add.add_argument("--end", required=True, metavar='"YYYY-MM-DD HH:MM"')
    add.add_argument("--host", metavar="UNIT")
    add.add_argument("--place")
    add.add_argument("--service-hours", action="store_true")
    add.add_argument("--station", action="append", default=[], metavar="STATION_ID",
                     help="a station (repeat for several; none: every station)")  # fmt: skip
    add.add_argument("--tz", default="Asia/Shanghai")
    lst = activity.add_parser("list", help="activities and their attendance", parents=[common])
    lst.add_argument("--tz", default="Asia/Shanghai")
    cancel = activity.add_parser("cancel", help="cancel a hub-scheduled one", parents=[common])
    cancel.add_argument("activity_id", metavar="ID")

    hours = sub.add_parser("hours", help="the service-hours review", parents=[common])
    hsub = hours.add_subparsers(
        dest="hours_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    hsub.add_parser("pending", help="attendances and 补录 waiting for a decision",
                    parents=[common])  # fmt: skip
    confirm = hsub.add_parser("confirm", help="confirm an attendance's hours", parents=[common])
    confirm.add_argument("attendance_id", metavar="ATTENDANCE_ID")
    confirm.add_argument("--by", required=True, metavar="NAME")
    confirm.add_argument("--minutes", type=int, help="less than the earned time")
    reject = hsub.add_parser("reject", help="reject an attendance's hours", parents=[common])
    reject.add_argument("attendance_id", metavar="ATTENDANCE_ID")
    reject.add_argument("--by", required=True, metavar="NAME")
    reject.add_argument("--reason", required=True)
    backfill = hsub.add_parser("backfill", help="ask for a 补录 (another person approves it)",
                               parents=[common])  # fmt: skip
    backfill.add_argument("activity_id", metavar="ACTIVITY_ID")
    backfill.add_argument("person_id", metavar="PERSON_ID")
    backfill.add_argument("--minutes", type=int, required=True)
    backfill.add_argument("--reason", required=True)
    backfill.add_argument("--by", required=True, metavar="NAME")
    approve = hsub.add_parser("approve", help="approve a 补录 (not your own)", parents=[common])
    approve.add_argument("backfill_id", type=int, metavar="BACKFILL_ID")
    approve.add_argument("--by", required=True, metavar="NAME")

    report = sub.add_parser("report", help="the bureau's yearly figures", parents=[common])
    rsub = report.add_subparsers(
        dest="report_command", required=True, parser_class=parser_class, metavar="PERIOD"
    )
    year = rsub.add_parser("year", help="one calendar year", parents=[common])
    year.add_argument("year", type=int, metavar="YYYY")
    year.add_argument("--tz", default="Asia/Shanghai")
    year.add_argument("--xlsx", metavar="FILE.xlsx", help="also write the table as a workbook")
    from kiosk.hub.cli import activity_outputs

    activity_outputs.add_parsers(sub, rsub, hsub, common, parser_class)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Refused(f"unknown time zone {name!r}") from None


def _when(text: str, tz: ZoneInfo, what: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=tz)
    except ValueError:
        raise Refused(f"{what} must be YYYY-MM-DD HH:MM, got {text!r}") from None


def run_activity(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.core.activities.model import ActivityError, parse_kind
    from kiosk.hub.activities import schedule as activities
    from kiosk.hub.models import HubActivity, HubAttendance

    try:
        match args.activity_command:
            case "add":
                tz = _zone(args.tz)
                with db.write() as s:
                    row = activities.schedule(
                        s, now, kind=parse_kind(args.kind), title=args.title,
                        start=_when(args.start, tz, "--start"), end=_when(args.end, tz, "--end"),
                        station_ids=args.station, host_unit=args.host, place=args.place,
                        service_hours=args.service_hours,
                    )  # fmt: skip
                    record = {"id": row.id, "station_ids": row.station_ids}
                where = ", ".join(args.station) or "every station"
                out.emit(record, f"{record['id']} scheduled for {where}")
            case "list":
                tz = _zone(args.tz)
                with db.read() as s:
                    for a in s.scalars(select(HubActivity).order_by(HubActivity.start_at)):
                        n = len(s.scalars(select(HubAttendance.id).where(
                            HubAttendance.activity_id == a.id)).all())  # fmt: skip
                        out.emit(
                            {"id": a.id, "kind": a.kind, "title": a.title, "start_at": a.start_at,
                             "end_at": a.end_at, "state": a.state, "created_by": a.created_by,
                             "station_ids": a.station_ids, "attendances": n},
                            f"{a.id[:8]}  {a.start_at.astimezone(tz):%Y-%m-%d %H:%M}  {a.kind}"
                            f"  {a.title}  {a.state}  {n} attendance(s)",
                        )  # fmt: skip
            case "cancel":
                with db.write() as s:
                    row = activities.cancel(s, args.activity_id, now)
                    record = {"id": row.id, "state": row.state}
                out.emit(record, f"{record['id']} cancelled")
    except ActivityError as e:
        raise Refused(str(e)) from None
    return 0


def run_hours(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.activities import review as activities

    if args.hours_command == "link":
        from kiosk.hub.cli.activity_outputs import run_link

        return run_link(db, args, out, now)
    try:
        match args.hours_command:
            case "pending":
                with db.read() as s:
                    for att, act in activities.pending(s):
                        out.emit(_pending_record(att, act), _pending_line(att, act))
                    for b in activities.pending_backfills(s):
                        out.emit(
                            {"backfill_id": b.id, "activity_id": b.activity_id,
                             "person_id": b.person_id, "minutes": b.minutes, "reason": b.reason,
                             "requested_by": b.requested_by},
                            f"补录 {b.id}: {b.person_id} {b.minutes} min ({b.reason}) "
                            f"asked by {b.requested_by}",
                        )  # fmt: skip
            case "confirm":
                with db.write() as s:
                    d = activities.confirm(s, args.attendance_id, args.by, now, args.minutes)
                    record = {"attendance_id": args.attendance_id, "decision": d.decision,
                              "minutes": d.minutes}  # fmt: skip
                out.emit(record, f"confirmed {record['minutes']} minute(s)")
            case "reject":
                with db.write() as s:
                    d = activities.reject(s, args.attendance_id, args.by, args.reason, now)
                    record = {"attendance_id": args.attendance_id, "decision": d.decision}
                out.emit(record, "rejected")
            case "backfill":
                with db.write() as s:
                    b = activities.request_backfill(
                        s, args.activity_id, args.person_id, args.minutes, args.reason,
                        args.by, now,
                    )  # fmt: skip
                    record = {"backfill_id": b.id, "minutes": b.minutes, "approved": False}
                out.emit(
                    record, f"补录 {record['backfill_id']} waits for another person's approval"
                )
            case "approve":
                with db.write() as s:
                    b = activities.approve_backfill(s, args.backfill_id, args.by, now)
                    record = {"backfill_id": b.id, "approved_by": b.approved_by}
                out.emit(record, f"补录 {b.id} approved")
    except activities.ReviewError as e:
        raise Refused(str(e)) from None
    return 0


def _pending_record(att: Any, act: Any) -> dict[str, object]:
    return {
        "attendance_id": att.attendance_id, "station_id": att.station_id,
        "activity_id": act.id, "title": act.title, "person_id": att.person_id,
        "signed_in_at": att.signed_in_at, "signed_out_at": att.signed_out_at,
        "credited_minutes": att.credited_minutes, "review_reason": att.review_reason,
        "overlap": att.overlap,
    }  # fmt: skip


def _pending_line(att: Any, act: Any) -> str:
    why = f" ({att.review_reason})" if att.review_reason else ""
    flag = " OVERLAP" if att.overlap else ""
    return (
        f"{att.attendance_id}  {act.title}  {att.person_id}  {att.credited_minutes} min{why}{flag}"
    )


REPORT_LABELS = {
    "activities": "场次",
    "attendance": "人次",
    "distinct_people": "人数",
    "volunteers_registered": "志愿者注册人数",
    "volunteer_activities": "志愿活动次数",
    "volunteer_attendance": "志愿者人次",
    "service_hours": "服务时间（小时，已确认）",
    "verified_hours": "其中核验时长",
    "backfilled_hours": "其中补录时长",
    "pending_hours": "待确认时长（小时）",
    "to_review": "待审核",
    "rest_visits": "休息人次",
    "service_visits": "累计服务人次",
    "overlaps": "同时段多站签到",
}


def run_report(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.activities import report as activities

    if args.report_command == "period":
        from kiosk.hub.cli.activity_outputs import run_period

        return run_period(db, args, out)
    if not 2000 <= args.year <= 2100:
        raise Refused(f"not a year: {args.year}")
    period = activities.Period.year(args.year, _zone(args.tz))
    with db.read() as s:
        figures = activities.report(s, period)
    rows = report_rows(figures)
    if args.xlsx:
        _write_xlsx(Path(args.xlsx), f"{args.year} 年度报表", rows)
    if out.as_json:
        out.emit({"year": args.year, **figures})
        return 0
    lines = [f"{args.year} 年度报表 ({args.tz})"] + [f"{label}  {value}" for label, value in rows]
    out.emit({}, "\n".join(lines))
    return 0


def report_rows(figures: dict[str, Any]) -> list[tuple[str, object]]:
    """The report as (label, value) rows: the one table the text, JSON and XLSX share."""
    from kiosk.core.activities.model import KIND_LABELS, Category

    org = figures["organization_life"]
    rows: list[tuple[str, object]] = [
        ("开放式组织生活 场次", org["sessions"]),
        ("开放式组织生活 人次", org["attendance"]),
    ]
    rows += [(f"  其中 {c.label}", org["by_category"][c.value]) for c in Category]
    if org["by_category"]["unset"]:
        rows.append(("  其中 未分类", org["by_category"]["unset"]))
    for kind, label in KIND_LABELS.items():
        rows.append((f"{label} 场次", figures["activities"][kind.value]))
        rows.append((f"{label} 人次", figures["attendance"][kind.value]))
    rows += [
        (label, figures[key])
        for key, label in REPORT_LABELS.items()
        if key not in ("activities", "attendance")
    ]
    return rows


def _write_xlsx(path: Path, title: str, rows: list[tuple[str, object]]) -> None:
    """One sheet: a title row, then label | value; written beside ``path``, then renamed."""
    import os
    import uuid

    from openpyxl import Workbook

    if path.suffix.lower() != ".xlsx":
        raise Refused(f"--xlsx must name a .xlsx file, got {path}")
    book = Workbook()
    sheet = book.active
    sheet.title = "年度报表"
    sheet.append([title])
    sheet.append(["项目", "数值"])
    for label, value in rows:
        sheet.append([label, value])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 14
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        book.save(tmp)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise Refused(f"cannot write {path}: {e.strerror or e}") from None


HANDLERS = {
    "activity": with_database(run_activity),
    "hours": with_database(run_hours),
    "report": with_database(run_report),
    "certificate": with_database(run_certificate),
}
