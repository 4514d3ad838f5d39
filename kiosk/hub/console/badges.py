"""工牌: bureau-issued badges (:mod:`kiosk.hub.bureau_badges`) printed as A4 sheets (by
station or team) or single cards; a lost card revoked and replaced in one step. Issuing
changes the hub (new serials in the feed), so every action is a POST with the CSRF token
and answers with the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.badge_card import CardSpec
from kiosk.hub import bureau_badges
from kiosk.hub.console import audit, sheet_pdf
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of, people_scope
from kiosk.hub.console.people import PersonId, stations_for
from kiosk.hub.console.web import TZ, page
from kiosk.hub.models import HubBadge, HubPerson, HubStation

router = APIRouter()
MAX_SHEET = 500


def _key(request: Request) -> bureau_badges.BureauKey:
    path = getattr(request.app.state, "badge_key_path", None) or bureau_badges.default_key_path()
    return bureau_badges.BureauKey.load_or_create(Path(path))


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def _teams(session: Session, me: Principal) -> list[str]:
    query = select(HubPerson.team).where(HubPerson.team.is_not(None), HubPerson.active).distinct()
    if me.stations is not None:
        query = query.where(people_scope(me.stations))
    return sorted(t for t in session.scalars(query) if t)


@router.get("/badges")
def badges_page(request: Request, me: Annotated[Principal, Depends(need(Role.KEEPER))]) -> Response:
    with request.app.state.db.read() as s:
        stations = stations_for(s, me)
        teams = _teams(s, me)
        issued = s.scalar(select(HubBadge.id).limit(1)) is not None
    return page(
        request,
        "badges.html",
        "badges",
        stations=stations,
        teams=teams,
        issued=issued,
        limit=MAX_SHEET,
    )


@router.post("/badges/sheet")
def badge_sheet(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    station: Annotated[str, Form(max_length=36)] = "",
    team: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Cards for every active person of a station, or of a team (within the account's
    stations), on A4 sheets."""
    if bool(station) == bool(team):
        raise Forbidden("请选择一个驿站或一个班组。")
    if station and not me.sees(station):
        raise Forbidden("您只能为自己驿站的人员签发工牌。")
    now = now_of(request)
    key = _key(request)
    with request.app.state.db.write() as s:
        query = select(HubPerson).where(HubPerson.active).order_by(HubPerson.team, HubPerson.name)
        if station:
            query = query.where(people_scope(frozenset({station})))
        else:
            query = query.where(HubPerson.team == team)
        if me.stations is not None:
            query = query.where(people_scope(me.stations))
        people = list(s.scalars(query.limit(MAX_SHEET + 1)))
        if not people:
            raise Forbidden("没有符合条件的在册人员。")
        if len(people) > MAX_SHEET:
            raise Forbidden(f"一次最多 {MAX_SHEET} 张，请按班组分批打印。")
        done = bureau_badges.issue(s, key, people, now.astimezone(TZ).date(), now)
        found = s.get(HubStation, station) if station else None
        station_name = found.name if found is not None else ""
        audit.record(s, me.actor, "badge.sheet", now, station or team, f"{len(done)} badges")
    cards = [CardSpec(d.token, d.name, d.trade, bureau_badges.BUREAU_NAME, d.team) for d in done]
    data, _pages = sheet_pdf.sheet(
        cards, f"{bureau_badges.BUREAU_NAME}工牌 · {station_name or team}"
    )
    return _pdf(data, "badges.pdf")


@router.post("/people/{person_id}/badge")
def badge_single(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER, person_param="person_id"))],
    person_id: PersonId,
    replace: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    """A new card for one person; with ``replace=1`` their other badges are revoked first
    (a lost card), at every station after its next sync."""
    now = now_of(request)
    key = _key(request)
    with request.app.state.db.write() as s:
        person = s.get(HubPerson, person_id)
        if person is None or not person.active:
            raise Forbidden("没有这个在册人员。")
        today = now.astimezone(TZ).date()
        if replace == "1":
            done = bureau_badges.replace(s, key, person, today, now)
        else:
            done = bureau_badges.issue(s, key, [person], today, now)[0]
        action = "badge.replace" if replace == "1" else "badge.issue"
        audit.record(s, me.actor, action, now, person_id, f"serial {done.serial}")
    card = CardSpec(done.token, done.name, done.trade, bureau_badges.BUREAU_NAME, done.team)
    return _pdf(sheet_pdf.single(card), "badge.pdf")
