"""导出: visits (and activity attendance, :mod:`kiosk.hub.activities.export`) for a period
as CSV or XLSX, from :func:`kiosk.hub.stats.visit_rows` (what
``kiosk-hub export visits`` writes). CSV is streamed row by row; XLSX is written in
openpyxl's write-only mode to a temporary file, then streamed, so a long period is never
held in memory whole."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from kiosk.hub.activities.export import HEADER as ATTENDANCE_HEADER
from kiosk.hub.activities.export import attendance_rows
from kiosk.hub.console import audit, sheets
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import TZ, page
from kiosk.hub.db import HubDatabase
from kiosk.hub.stats import EXPORT_COLUMNS, visit_rows

router = APIRouter()
MAX_DAYS = 400
HEADER = (
    "驿站",
    "驿站编号",
    "来访编号",
    "人员编号",
    "姓名",
    "工种",
    "方式",
    "进站时间",
    "离站时间",
    "休息分钟",
    "自动离站",
    "未验证",
    "重叠",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """CSV: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _span(request: Request, start: date | None, end: date | None) -> tuple[date, date]:
    today = now_of(request).astimezone(TZ).date()
    end = end or today
    start = start or end.replace(day=1)
    if end < start:
        raise Forbidden("结束日期早于开始日期。")
    if (end - start).days >= MAX_DAYS:
        raise Forbidden(f"一次最多导出 {MAX_DAYS} 天。")
    return start, end


def _rows(
    db: HubDatabase, start: date, end: date, stations: frozenset[str] | None
) -> Iterator[list[object]]:
    with db.read() as s:
        for row in visit_rows(s, start, end, TZ, stations=stations):
            yield [row[c] for c in EXPORT_COLUMNS]


@router.get("/exports")
def exports_page(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    start, end = _span(request, None, None)
    return page(request, "exports.html", "exports", start=start, end=end, max_days=MAX_DAYS)


DateFrom = Annotated[date | None, Query(alias="from")]
DateTo = Annotated[date | None, Query(alias="to")]


def _csv(header: tuple[str, ...], rows: Iterator[list[object]], filename: str) -> Response:
    def lines() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        yield ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel reads the names as UTF-8
        for row in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([_cell(v) for v in row])
            yield buffer.getvalue().encode()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _xlsx(
    title: str, header: tuple[str, ...], rows: Iterator[list[object]], filename: str
) -> Response:
    spool = tempfile.TemporaryFile(prefix="kiosk-export-")  # noqa: SIM115 — closed by chunks()
    try:
        sheets.write_xlsx(spool, title, header, rows)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while piece := spool.read(256 * 1024):
                yield piece

    return StreamingResponse(
        chunks(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(size),
            "Cache-Control": "no-store",
        },
    )


@router.get("/exports/visits.csv")
def visits_csv(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: DateFrom = None,
    end: DateTo = None,
) -> Response:
    start, end = _span(request, start, end)
    db = request.app.state.db
    with db.write() as s:
        audit.record(s, me.actor, "export.visits", now_of(request), "csv", f"{start}..{end}")
    return _csv(HEADER, _rows(db, start, end, me.stations), f"visits-{start}-{end}.csv")


@router.get("/exports/visits.xlsx")
def visits_xlsx(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: DateFrom = None,
    end: DateTo = None,
) -> Response:
    start, end = _span(request, start, end)
    db = request.app.state.db
    rows = _rows(db, start, end, me.stations)
    response = _xlsx("来访", HEADER, rows, f"visits-{start}-{end}.xlsx")
    with db.write() as s:
        audit.record(s, me.actor, "export.visits", now_of(request), "xlsx", f"{start}..{end}")
    return response


def _attendance(
    db: HubDatabase, start: date, end: date, stations: frozenset[str] | None
) -> Iterator[list[object]]:
    with db.read() as s:
        yield from attendance_rows(s, start, end, TZ, stations)


@router.get("/exports/attendance.csv")
def attendance_csv(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: DateFrom = None,
    end: DateTo = None,
) -> Response:
    start, end = _span(request, start, end)
    db = request.app.state.db
    with db.write() as s:
        audit.record(s, me.actor, "export.attendance", now_of(request), "csv", f"{start}..{end}")
    rows = _attendance(db, start, end, me.stations)
    return _csv(ATTENDANCE_HEADER, rows, f"attendance-{start}-{end}.csv")


@router.get("/exports/attendance.xlsx")
def attendance_xlsx(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: DateFrom = None,
    end: DateTo = None,
) -> Response:
    start, end = _span(request, start, end)
    db = request.app.state.db
    rows = _attendance(db, start, end, me.stations)
    response = _xlsx("活动签到", ATTENDANCE_HEADER, rows, f"attendance-{start}-{end}.xlsx")
    with db.write() as s:
        audit.record(s, me.actor, "export.attendance", now_of(request), "xlsx", f"{start}..{end}")
    return response
