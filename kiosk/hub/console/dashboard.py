"""总览: today, this week and this month, 人次 per day over 30 days, by station, by trade."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from kiosk.hub.console import charts, figures
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Principal, need, now_of
from kiosk.hub.console.web import TZ, page

router = APIRouter()
DAYS = 30


@router.get("/")
def dashboard(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    period: Annotated[str, Query(pattern="^(today|week|month)$")] = "month",
) -> Response:
    today = now_of(request).astimezone(TZ).date()
    spans = figures.periods(today)
    chosen = next(p for p in spans if p.key == period)
    with request.app.state.db.read() as s:
        summaries, days = figures.overview(s, today, DAYS, me.stations)
        by_station, by_trade = figures.breakdown(s, chosen, me.stations)
    return page(
        request,
        "dashboard.html",
        "dashboard",
        summaries=summaries,
        chosen=chosen,
        periods=spans,
        by_station=by_station,
        by_trade=by_trade,
        day_chart=charts.columns([(d.strftime("%m-%d"), n) for d, n in days]),
        station_chart=charts.rows([(b.key, b.visits) for b in by_station]),
        trade_chart=charts.rows([(b.key, b.visits) for b in by_trade]),
        days=DAYS,
    )
