"""人员: search by name, pinyin or initials; add and edit; import a roster (XLSX or CSV)
with a preview of every row's problems, then all or nothing; export to XLSX.

Keepers see and change only the people of their stations (:func:`auth.people_scope`); a
person they add or import gets the station they choose (one of theirs) as home station.
"""

from __future__ import annotations

import io
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.trades import Trade
from kiosk.events.schema import PersonUpserted
from kiosk.hub import person_search, projections, roster
from kiosk.hub.bureau_badges import bureau_keys
from kiosk.hub.console import audit, roster_import, sheets
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import (
    Forbidden,
    Principal,
    need,
    now_of,
    people_scope,
    person_stations,
)
from kiosk.hub.console.web import back, page
from kiosk.hub.models import ConsolePersonStation, HubBadge, HubPerson, HubStation, HubVisit

router = APIRouter()
PAGE = 50
PersonId = Annotated[str, Path(max_length=36)]
EXPORT_HEADER = ("姓名", "工种", "班组", "党员", "电话", "状态", "人员编号")


def _people(session: Session, me: Principal) -> list[HubPerson]:
    query = select(HubPerson).order_by(HubPerson.name, HubPerson.id)
    if me.stations is not None:
        query = query.where(people_scope(me.stations))
    return list(session.scalars(query))


def stations_for(session: Session, me: Principal) -> list[HubStation]:
    rows = session.scalars(
        select(HubStation).where(HubStation.revoked_at.is_(None)).order_by(HubStation.name)
    )
    return [st for st in rows if me.sees(st.id)]


def _home(me: Principal, station: str) -> str | None:
    """The home station chosen on a form: a keeper must pick one of theirs."""
    if station and me.sees(station):
        return station
    if me.stations is not None:
        raise Forbidden("请选择您负责的驿站。")
    return None


def _set_home(session: Session, person_id: str, station: str | None) -> None:
    if station and session.get(ConsolePersonStation, (person_id, station)) is None:
        session.add(ConsolePersonStation(person_id=person_id, station_id=station))


@router.get("/people")
def people_list(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    q: Annotated[str, Query(max_length=40)] = "",
    p: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    query = q.strip()
    with request.app.state.db.read() as s:
        scope = people_scope(me.stations) if me.stations is not None else None
        total, shown = person_search.search(s, query, scope, (p - 1) * PAGE, PAGE)
    return page(
        request,
        "people.html",
        "people",
        people=shown,
        total=total,
        q=query,
        p=p,
        pages=max(1, -(-total // PAGE)),
    )


@router.get("/people/export")
def people_export(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    with request.app.state.db.read() as s:
        rows = [
            (
                x.name,
                x.trade,
                x.team or "",
                "是" if x.party_member else "否",
                x.phone or "",
                "在册" if x.active else "停用",
                x.id,
            )
            for x in _people(s, me)
        ]
    out = io.BytesIO()
    sheets.write_xlsx(out, "人员", EXPORT_HEADER, rows)
    with request.app.state.db.write() as s:
        audit.record(s, me.actor, "people.export", now_of(request), detail=f"{len(rows)} rows")
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": 'attachment; filename="people.xlsx"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/people/new")
def person_new(request: Request, me: Annotated[Principal, Depends(need(Role.KEEPER))]) -> Response:
    with request.app.state.db.read() as s:
        choices = stations_for(s, me)
    return page(
        request,
        "person_form.html",
        "people",
        person=None,
        trades=list(Trade),
        stations=choices,
        problems=[],
    )


def _form_row(name: str, trade: str, team: str, party: str, phone: str) -> roster_import.Row:
    return roster_import.check_row(
        0, {"name": name, "trade": trade, "team": team, "party_member": party, "phone": phone}
    )


@router.post("/people")
def person_add(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    name: Annotated[str, Form(max_length=100)],
    trade: Annotated[str, Form(max_length=20)],
    team: Annotated[str, Form(max_length=200)] = "",
    party_member: Annotated[str, Form(max_length=5)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    station: Annotated[str, Form(max_length=36)] = "",
) -> Response:
    home = _home(me, station)
    row = _form_row(name, trade, team, "是" if party_member else "否", phone)
    now = now_of(request)
    db = request.app.state.db
    if not row.problems:
        with db.read() as s:
            check = roster_import.preview(
                s, [["姓名", "工种", "电话"], [row.name, row.trade, row.phone]], me.stations
            )
        row.problems += [p for r in check.rows for p in r.problems]
    if row.problems:
        with db.read() as s:
            choices = stations_for(s, me)
        return page(
            request,
            "person_form.html",
            "people",
            status_code=400,
            person=None,
            form=row,
            trades=list(Trade),
            stations=choices,
            problems=row.problems,
        )
    with db.write() as s:
        done = roster.import_people(s, [row.values()], now)[0]
        _set_home(s, done.person_id, home)
        audit.record(s, me.actor, "person.add", now, done.person_id, row.name)
    return back(f"/console/people/{done.person_id}", "added")


@router.get("/people/import")
def import_form(request: Request, me: Annotated[Principal, Depends(need(Role.KEEPER))]) -> Response:
    with request.app.state.db.read() as s:
        choices = stations_for(s, me)
    return page(request, "import.html", "people", stations=choices, preview=None, error=None)


@router.post("/people/import/preview")
async def import_preview(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    file: UploadFile,
    station: Annotated[str, Form(max_length=36)] = "",
) -> Response:
    home = _home(me, station)
    data = await file.read(sheets.MAX_BYTES + 1)
    db = request.app.state.db
    with db.read() as s:
        choices = stations_for(s, me)
        try:
            table = sheets.read_table(file.filename or "", data)
        except sheets.SheetError as e:
            return page(
                request,
                "import.html",
                "people",
                status_code=400,
                stations=choices,
                preview=None,
                error=str(e),
            )
        checked = roster_import.preview(s, table, me.stations)
    payload = (
        json.dumps(
            [
                {
                    "name": r.name,
                    "trade": r.trade,
                    "team": r.team,
                    "party_member": r.party_member,
                    "phone": r.phone,
                }
                for r in checked.rows
            ],
            ensure_ascii=False,
        )
        if checked.ok
        else ""
    )
    return page(
        request,
        "import.html",
        "people",
        status_code=200 if checked.ok else 400,
        stations=choices,
        preview=checked,
        error=None,
        payload=payload,
        station=home or "",
        filename=file.filename,
    )


@router.post("/people/import")
def import_commit(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    rows: Annotated[str, Form(max_length=4 * 1024 * 1024)],
    station: Annotated[str, Form(max_length=36)] = "",
) -> Response:
    """The rows the preview showed, checked again (a form can be edited), then all at once."""
    home = _home(me, station)
    try:
        raw = json.loads(rows)
        assert isinstance(raw, list) and len(raw) <= sheets.MAX_ROWS
        table = [["姓名", "工种", "班组", "党员", "电话"]] + [
            [
                str(r["name"]),
                str(r["trade"]),
                str(r["team"]),
                "是" if r["party_member"] is True else "否",
                str(r["phone"]),
            ]
            for r in raw
        ]
    except (ValueError, AssertionError, KeyError, TypeError):
        raise Forbidden("导入数据有误，请重新上传文件。") from None
    now = now_of(request)
    db = request.app.state.db
    with db.write() as s:
        checked = roster_import.preview(s, table, me.stations)
        if not checked.ok:
            raise Forbidden("数据已变化或有误，请重新上传文件预览。")
        done = roster.import_people(s, [r.values() for r in checked.rows], now)
        for person in done:
            _set_home(s, person.person_id, home)
        added = sum(p.created for p in done)
        audit.record(
            s, me.actor, "people.import", now, home, f"{added} added, {len(done) - added} updated"
        )
    return back("/console/people", "imported")


@router.get("/people/{person_id}")
def person_page(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER, person_param="person_id"))],
    person_id: PersonId,
) -> Response:
    with request.app.state.db.read() as s:
        person = s.get(HubPerson, person_id)
        if person is None:
            raise Forbidden("没有这个人。")
        names = dict(s.execute(select(HubStation.id, HubStation.name)).all())
        visits_q = select(HubVisit).where(HubVisit.person_id == person_id)
        if me.stations is not None:
            visits_q = visits_q.where(HubVisit.station_id.in_(me.stations))
        visits = list(s.scalars(visits_q.order_by(HubVisit.checked_in_at.desc()).limit(20)))
        homes = sorted(names.get(h, h) for h in person_stations(s, person_id))
        badges = list(
            s.scalars(select(HubBadge).where(HubBadge.person_id == person_id).order_by(HubBadge.id))
        )
        names_by_key = dict(s.execute(select(HubStation.key_id, HubStation.name)).all())
        bureau = {k.key_id for k in bureau_keys(s)}
    return page(
        request,
        "person.html",
        "people",
        person=person,
        visits=visits,
        names=names,
        homes=homes,
        badges=badges,
        names_by_key=names_by_key,
        bureau_keys=bureau,
        trades=list(Trade),
        problems=[],
    )


@router.post("/people/{person_id}")
def person_edit(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER, person_param="person_id"))],
    person_id: PersonId,
    name: Annotated[str, Form(max_length=100)],
    trade: Annotated[str, Form(max_length=20)],
    team: Annotated[str, Form(max_length=200)] = "",
    party_member: Annotated[str, Form(max_length=5)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    row = _form_row(name, trade, team, "是" if party_member else "否", phone)
    if row.problems:
        raise Forbidden("无法保存：" + "；".join(row.problems))
    now = now_of(request)
    with request.app.state.db.write() as s:
        person = s.get(HubPerson, person_id)
        if person is None:
            raise Forbidden("没有这个人。")
        # The station that sent the record keeps seeing them after the hub's edit.
        _set_home(s, person_id, person.origin_station_id)
        info = PersonUpserted(
            person_id=person_id,
            name=row.name,
            trade=row.trade,
            team=row.team or None,
            party_member=row.party_member,
            phone=row.phone or None,
            active=active == "1",
            updated_at=max(now, person.updated_at),
        )
        projections.upsert_person(s, info, None, now)
        audit.record(s, me.actor, "person.edit", now, person_id, row.name)
    return back(f"/console/people/{person_id}", "saved")
