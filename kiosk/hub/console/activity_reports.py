"""活动报表: the activity figures over any period, by station, kind and member category
(what ``kiosk-hub report period`` prints), on the page and as XLSX; for admins also the
bureau's summary table (``kiosk-hub report year``'s rows) for the same period."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from kiosk.core.activities.model import CATEGORY_LABELS, KIND_LABELS
from kiosk.hub.activities import report
from kiosk.hub.cli.activity_commands import report_rows
from kiosk.hub.console import audit, sheets
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import TZ, page
from kiosk.hub.models import HubStation

router = APIRouter()
MAX_DAYS = 3 * 366
Text = Annotated[str, Query(max_length=40)]


def _period(request: Request, start: str, end: str) -> tuple[date, date, report.Period]:
    today = now_of(request).astimezone(TZ).date()
    try:
        first = date.fromisoformat(start) if start else today.replace(month=1, day=1)
        last = date.fromisoformat(end) if end else today
    except ValueError:
        raise Forbidden("日期格式不对。") from None
    if last < first:
        raise Forbidden("结束日期早于开始日期。")
    if (last - first).days > MAX_DAYS:
        raise Forbidden("一次最多统计三年。")
    span = report.Period(
        datetime.combine(first, time(), TZ), datetime.combine(last + timedelta(days=1), time(), TZ)
    )
    return first, last, span


Summary = list[tuple[str, object]] | None


def _rows(
    request: Request, me: Principal, span: report.Period, station: str, kind: str, category: str
) -> tuple[list[dict[str, object]], Summary]:
    if station and not me.sees(station):
        raise Forbidden("您只能查看自己驿站的信息。")
    with request.app.state.db.read() as s:
        rows = report.breakdown(
            s, span, scope=me.stations, station=station or None, kind=kind or None,
            category=category or None,
        )  # fmt: skip
        summary = report_rows(report.report(s, span)) if me.stations is None else None
    return rows, summary


@router.get("/activities/report")
def report_page(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    station: Text = "",
    kind: Text = "",
    category: Text = "",
) -> Response:
    first, last, span = _period(request, start, end)
    rows, summary = _rows(request, me, span, station, kind, category)
    with request.app.state.db.read() as s:
        stations = [
            st for st in s.scalars(select(HubStation).order_by(HubStation.name)) if me.sees(st.id)
        ]
    totals = {
        key: round(sum(r[key] for r in rows), 2)  # type: ignore[misc]
        for key in ("attendance", "confirmed_hours", "pending_hours", "volunteer_attendance")
    }
    return page(
        request, "activity_report.html", "activities", rows=rows, summary=summary,
        cells=[report.breakdown_cells(r) for r in rows], header=report.BREAKDOWN_HEADER,
        start=first, end=last, station=station, kind=kind, category=category,
        stations=stations, kinds=KIND_LABELS, categories=CATEGORY_LABELS, totals=totals,
    )  # fmt: skip


@router.get("/activities/report.xlsx")
def report_xlsx(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
    station: Text = "",
    kind: Text = "",
    category: Text = "",
) -> Response:
    first, last, span = _period(request, start, end)
    rows, _summary = _rows(request, me, span, station, kind, category)
    out = io.BytesIO()
    sheets.write_xlsx(
        out, "活动报表", report.BREAKDOWN_HEADER, (report.breakdown_cells(r) for r in rows)
    )
    with request.app.state.db.write() as s:
        audit.record(s, me.actor, "export.activity_report", now_of(request), "xlsx",
                     f"{first}..{last}")  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="activities-{first}-{last}.xlsx"',
            "Cache-Control": "no-store",
        },
    )
