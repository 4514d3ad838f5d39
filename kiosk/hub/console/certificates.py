"""志愿服务证明: issue one for a person and a period (only confirmed hours; a keeper only
from his stations' records), download its PDF, and the public 核验 page, which says
whether a check code names a certificate the hub issued and shows what the certificate
itself prints in summary (number, name, period, hours, issuer, date) — nothing more."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from kiosk.hub.activities import certificate, review
from kiosk.hub.activities.certificate_pdf import certificate_pdf
from kiosk.hub.console import audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of, person_stations, public
from kiosk.hub.console.web import TZ, back, page, templates
from kiosk.hub.models import HubCertificate

router = APIRouter()
VERIFY_PATH = "/console/verify"


def verify_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + VERIFY_PATH


@router.get("/certificates")
def certificate_list(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    today = now_of(request).astimezone(TZ).date()
    with request.app.state.db.read() as s:
        rows = list(s.scalars(select(HubCertificate).order_by(HubCertificate.id.desc()).limit(500)))
        if me.stations is not None:
            rows = [r for r in rows if person_stations(s, r.person_id) & me.stations]
    return page(
        request, "certificates.html", "activities", rows=rows[:100], hours=certificate.hours,
        start=today.replace(month=1, day=1), end=today,
    )  # fmt: skip


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Forbidden(f"{what}格式不对。") from None


@router.post("/certificates")
def certificate_issue(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    person_id: Annotated[str, Form(max_length=36)],
    start: Annotated[str, Form(max_length=10)],
    end: Annotated[str, Form(max_length=10)],
    unit: Annotated[str, Form(max_length=200)] = "",
    handler: Annotated[str, Form(max_length=100)] = "",
    contact: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            if me.stations is not None and not person_stations(s, person_id.strip()) & me.stations:
                raise Forbidden("您只能为自己驿站的人员出具证明。")
            row = certificate.issue(
                s, person_id, _day(start, "开始日期"), _day(end, "结束日期"), TZ,
                issuer_unit=unit, handler=handler, contact=contact, by=me.username, now=now,
                scope=me.stations,
            )  # fmt: skip
            audit.record(s, me.actor, "certificate.issue", now, row.number, row.person_id)
            number = row.number
    except review.ReviewError as e:
        raise Forbidden(e.chinese) from None
    return back(f"/console/certificates/{number}")


def _mine(session, number: str, me: Principal) -> HubCertificate:  # type: ignore[no-untyped-def]
    row = session.scalar(select(HubCertificate).where(HubCertificate.number == number))
    if row is None or (
        me.stations is not None and not person_stations(session, row.person_id) & me.stations
    ):
        raise Forbidden("没有这份证明。")
    return row


@router.get("/certificates/{number}")
def certificate_page(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    number: Annotated[str, Path(max_length=24)],
) -> Response:
    with request.app.state.db.read() as s:
        row = _mine(s, number, me)
    return page(
        request, "certificate.html", "activities", c=row, hours=certificate.hours,
        verify=verify_url(request),
    )  # fmt: skip


@router.get("/certificates/{number}/pdf")
def certificate_download(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    number: Annotated[str, Path(max_length=24)],
) -> Response:
    with request.app.state.db.read() as s:
        row = _mine(s, number, me)
        data = certificate_pdf(row, TZ, verify_url(request))
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{row.number}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/verify", dependencies=[Depends(public())])
def verify(request: Request, code: Annotated[str, Query(max_length=40)] = "") -> Response:
    found = None
    if code.strip():
        with request.app.state.db.read() as s:
            found = certificate.find(s, code)
    response = templates.TemplateResponse(
        request,
        "verify.html",
        {
            "me": None, "code": code.strip(), "c": found, "hours": certificate.hours,
            "tried": bool(code.strip()),
        },
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
