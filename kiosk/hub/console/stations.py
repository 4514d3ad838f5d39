"""驿站: every station with its state, last sync and clock; add one (its one-time code shown
once), revoke one; a station's own page with its figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from kiosk.hub import stations as hub_stations
from kiosk.hub.console import audit, charts, figures
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import TZ, back, page
from kiosk.hub.models import HubEvent, HubStation

router = APIRouter()
STATE_LABELS = {"enrolled": "已注册", "waiting": "等待注册", "revoked": "已撤销"}
StationId = Annotated[str, Path(max_length=36)]


def _received(session, ids: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = session.execute(
        select(HubEvent.station_id, func.count())
        .where(HubEvent.station_id.in_(ids))
        .group_by(HubEvent.station_id)
    )
    return {sid: n for sid, n in rows}


@router.get("/stations")
def station_list(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    with request.app.state.db.read() as s:
        rows = [r for r in hub_stations.list_stations(s) if me.sees(r.id)]
        received = _received(s, [r.id for r in rows])
    return page(
        request,
        "stations.html",
        "stations",
        rows=rows,
        received=received,
        states=STATE_LABELS,
    )


@router.post("/stations")
def station_add(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN))],
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    name = " ".join(name.split())
    if not name:
        raise Forbidden("驿站名称不能为空。")
    now = now_of(request)
    with request.app.state.db.write() as s:
        station, code = hub_stations.add_station(s, name, now)
        audit.record(s, me.actor, "station.add", now, station.id, name)
        expires = station.code_expires_at
        station_id = station.id
    # Shown once, in this response only: the code is stored as a hash.
    return page(
        request,
        "station_added.html",
        "stations",
        name=name,
        station_id=station_id,
        code=code,
        expires=expires,
    )


@router.post("/stations/{station_id}/revoke")
def station_revoke(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.ADMIN, station_param="station_id"))],
    station_id: StationId,
    key: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    now = now_of(request)
    with request.app.state.db.write() as s:
        station = hub_stations.revoke_station(s, station_id, now, key == "1")
        if station is None:
            raise Forbidden("没有这个驿站。")
        audit.record(
            s, me.actor, "station.revoke", now, station_id, "with badge key" if key == "1" else None
        )
    return back(f"/console/stations/{station_id}", "revoked")


@router.get("/stations/{station_id}")
def station_page(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER, station_param="station_id"))],
    station_id: StationId,
) -> Response:
    today = now_of(request).astimezone(TZ).date()
    only = frozenset({station_id})
    with request.app.state.db.read() as s:
        row = s.get(HubStation, station_id)
        if row is None:
            raise Forbidden("没有这个驿站。")
        info = hub_stations.StationRow.of(row)
        received = _received(s, [station_id]).get(station_id, 0)
        spans = figures.periods(today)
        summaries, days = figures.overview(s, today, 30, only)
        _, by_trade = figures.breakdown(s, spans[2], only)
    return page(
        request,
        "station.html",
        "stations",
        info=info,
        received=received,
        states=STATE_LABELS,
        summaries=summaries,
        by_trade=by_trade,
        day_chart=charts.columns([(d.strftime("%m-%d"), n) for d, n in days]),
        trade_chart=charts.rows([(b.key, b.visits) for b in by_trade]),
    )
