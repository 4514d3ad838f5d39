"""What the activity records give out, from the command line (issue 14):
``kiosk-hub report period``, ``kiosk-hub export attendance``, ``kiosk-hub certificate
issue|verify`` and ``kiosk-hub hours link``. A refusal is one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import csv
import os
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli.output import Output
from kiosk.hub.cli.common import Refused, parse_zone

if TYPE_CHECKING:
    from kiosk.hub.db import HubDatabase

MAX_PERIOD_DAYS = 3 * 366


def add_parsers(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    rsub: argparse._SubParsersAction,  # type: ignore[type-arg]
    hsub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    parser_class: type[argparse.ArgumentParser],
) -> None:
    period = rsub.add_parser("period", help="any period, by station, kind and category",
                             parents=[common])  # fmt: skip
    period.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    period.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    period.add_argument("--station", metavar="STATION_ID")
    period.add_argument("--kind", help="organization-life lecture volunteer meeting other")
    period.add_argument("--category", help="a member category (code or Chinese name)")
    period.add_argument("--tz", default="Asia/Shanghai")
    period.add_argument("--xlsx", metavar="FILE.xlsx", help="also write the table as a workbook")

    link = hsub.add_parser("link", help="link a guest's attendance to a person",
                           parents=[common])  # fmt: skip
    link.add_argument("attendance_id", metavar="ATTENDANCE_ID")
    link.add_argument("person_id", metavar="PERSON_ID")
    link.add_argument("--by", required=True, metavar="NAME")

    cert = sub.add_parser("certificate", help="志愿服务证明: issue one, check a code",
                          parents=[common])  # fmt: skip
    csub = cert.add_subparsers(
        dest="certificate_command", required=True, parser_class=parser_class, metavar="ACTION"
    )
    issue = csub.add_parser("issue", help="for a person and a period (confirmed hours only)",
                            parents=[common])  # fmt: skip
    issue.add_argument("person_id", metavar="PERSON_ID")
    issue.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    issue.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    issue.add_argument("--unit", required=True, help="the issuing unit")
    issue.add_argument("--handler", required=True, help="the person who handles it")
    issue.add_argument("--contact", required=True, help="the handler's phone")
    issue.add_argument("--by", required=True, metavar="NAME", help="who issues it (logged)")
    issue.add_argument("--out", required=True, metavar="FILE.pdf")
    issue.add_argument(
        "--verify-url", required=True, metavar="URL",
        help="the hub's check page, e.g. https://hub.example/console/verify",
    )  # fmt: skip
    issue.add_argument("--tz", default="Asia/Shanghai")
    verify = csub.add_parser("verify", help="is this a certificate we issued?", parents=[common])
    verify.add_argument("code", metavar="CODE")


def add_export_parser(
    export_what: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    att = export_what.add_parser(
        "attendance", help="one row per activity attendance (CSV, or XLSX for a .xlsx name)",
        parents=[common],
    )  # fmt: skip
    att.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", required=True)
    att.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", required=True)
    att.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")
    att.add_argument("--tz", default="Asia/Shanghai", help="where a day begins")


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(f"{what} must be YYYY-MM-DD, got {text!r}") from None


def _days(args: argparse.Namespace) -> tuple[date, date]:
    first, last = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    if last < first:
        raise Refused("--to is before --from")
    if (last - first).days > MAX_PERIOD_DAYS:
        raise Refused("a period is at most three years")
    return first, last


def run_period(db: HubDatabase, args: argparse.Namespace, out: Output) -> int:
    from kiosk.core.activities.model import ActivityError, parse_category, parse_kind
    from kiosk.hub.activities import report

    first, last = _days(args)
    tz = parse_zone(args.tz)
    try:
        kind = parse_kind(args.kind).value if args.kind else None
        category = parse_category(args.category).value if args.category else None
    except ActivityError as e:
        raise Refused(str(e)) from None
    span = report.Period(
        datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz)
    )
    with db.read() as s:
        rows = report.breakdown(s, span, station=args.station, kind=kind, category=category)
    if args.xlsx:
        _write_table(Path(args.xlsx), rows)
    for r in rows:
        cells = report.breakdown_cells(r)
        out.emit({"from": first, "to": last, **r}, "  ".join(str(c) for c in cells))
    if not rows and not out.as_json:
        out.emit({}, f"no attendance from {first} to {last}")
    return 0


def _write_table(path: Path, rows: list[dict[str, object]]) -> None:
    from kiosk.hub.activities import report

    if path.suffix.lower() != ".xlsx":
        raise Refused(f"--xlsx must name a .xlsx file, got {path}")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    from kiosk.hub.console.sheets import write_xlsx

    try:
        with tmp.open("wb") as f:
            write_xlsx(f, "活动报表", report.BREAKDOWN_HEADER,
                       (report.breakdown_cells(r) for r in rows))  # fmt: skip
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise Refused(f"cannot write {path}: {e.strerror or e}") from None


def export_attendance(db: HubDatabase, args: argparse.Namespace, out: Output) -> int:
    """``kiosk-hub export attendance``: CSV (UTF-8 with BOM) or, for a .xlsx name, XLSX."""
    from kiosk.hub.activities.export import HEADER, attendance_rows

    first, last = _days(args)
    tz = parse_zone(args.tz)
    target = Path(args.out)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    count = 0

    def counted(rows):  # type: ignore[no-untyped-def]
        nonlocal count
        for row in rows:
            count += 1
            yield row

    try:
        with db.read() as s:
            rows = counted(attendance_rows(s, first, last, tz))
            if target.suffix.lower() == ".xlsx":
                from kiosk.hub.console.sheets import write_xlsx

                with tmp.open("wb") as f:
                    write_xlsx(f, "活动签到", HEADER, rows)
            else:
                with tmp.open("w", encoding="utf-8-sig", newline="") as text:
                    writer = csv.writer(text)
                    writer.writerow(HEADER)
                    writer.writerows(rows)
        os.replace(tmp, target)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise Refused(f"cannot write {target}: {e.strerror or e}") from None
    out.emit({"file": str(target), "attendances": count},
             f"{count} attendance(s) written to {target}")  # fmt: skip
    return 0


def run_certificate(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.core.pdf import PdfError, write_atomically
    from kiosk.hub.activities import certificate, review
    from kiosk.hub.activities.certificate_pdf import certificate_pdf

    if args.certificate_command == "verify":
        with db.read() as s:
            row = certificate.find(s, args.code)
            if row is None:
                raise Refused("no certificate with that check code")
            record = {"number": row.number, "name": row.person_name,
                      "from": row.period_from, "to": row.period_to,
                      "hours": certificate.hours(row.minutes), "issuer": row.issuer_unit,
                      "issued_at": row.issued_at}  # fmt: skip
        out.emit(record, f"{record['number']}: {record['name']} {record['hours']} h, "
                         f"{record['from']}..{record['to']}, {record['issuer']}")  # fmt: skip
        return 0
    first, last = _days(args)
    tz = parse_zone(args.tz)
    target = Path(args.out)
    if target.suffix.lower() != ".pdf":
        raise Refused(f"--out must name a .pdf file, got {target}")
    try:
        with db.write() as s:
            row = certificate.issue(
                s, args.person_id, first, last, tz, issuer_unit=args.unit,
                handler=args.handler, contact=args.contact, by=args.by, now=now,
            )  # fmt: skip
            data = certificate_pdf(row, tz, args.verify_url.rstrip("/"))
            write_atomically(target, data)  # inside: no PDF, no certificate on record
            record = {"number": row.number, "check_code": row.check_code,
                      "hours": certificate.hours(row.minutes), "file": str(target)}  # fmt: skip
    except review.ReviewError as e:
        raise Refused(str(e)) from None
    except PdfError as e:
        raise Refused(str(e)) from None
    out.emit(record, f"{record['number']} ({record['hours']} h), check code "
                     f"{record['check_code']}, written to {target}")  # fmt: skip
    return 0


def run_link(db: HubDatabase, args: argparse.Namespace, out: Output, now: datetime) -> int:
    from kiosk.hub.activities import review

    try:
        with db.write() as s:
            link = review.link_guest(s, args.attendance_id, args.person_id, args.by, now)
            record = {"attendance_id": args.attendance_id, "person_id": link.person_id}
    except review.ReviewError as e:
        raise Refused(str(e)) from None
    out.emit(record, f"{record['attendance_id']} linked to {record['person_id']}")
    return 0
