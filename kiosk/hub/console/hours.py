"""时长审核: the review queue (as ``kiosk-hub hours``): confirm or reject the hours of an
attendance waiting for a decision, ask for a 补录 and approve one — never one's own (the
reviewer is the console account). Keepers see and decide only their stations'."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy import select

from kiosk.core.activities.model import CATEGORY_LABELS
from kiosk.hub.activities import review
from kiosk.hub.console import audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of
from kiosk.hub.console.web import back, page
from kiosk.hub.models import HubActivity, HubPerson, HubStation

router = APIRouter()
AttendanceId = Annotated[str, Path(max_length=36)]
REASONS = {"no_sign_out": "未签退（按活动结束时间计）"}


@router.get("/hours")
def queue(request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]) -> Response:
    with request.app.state.db.read() as s:
        waiting = review.pending(s, me.stations)
        backfills = review.pending_backfills(s, me.stations)
        names = dict(s.execute(select(HubStation.id, HubStation.name)).all())
        wanted = {att.person_id for att, _ in waiting} | {b.person_id for b in backfills}
        wanted |= {p for att, _ in waiting if (p := review.person_of(s, att))}
        people = dict(
            s.execute(select(HubPerson.id, HubPerson.name).where(HubPerson.id.in_(wanted))).all()
        )
        linked = {att.id: review.person_of(s, att) for att, _ in waiting}
        most = {att.id: review.earnable(att, act) for att, act in waiting}
        titles = {
            b.activity_id: s.get(HubActivity, b.activity_id).title  # type: ignore[union-attr]
            for b in backfills
        }
        activities = [
            a
            for a in s.scalars(
                select(HubActivity)
                .where(HubActivity.service_hours.is_(True), HubActivity.state != "cancelled")
                .order_by(HubActivity.start_at.desc())
                .limit(200)
            )
            if review.in_scope(a, me.stations)
        ]
    return page(
        request, "hours.html", "activities", waiting=waiting, backfills=backfills, names=names,
        people=people, linked=linked, most=most, titles=titles, activities=activities,
        reasons=REASONS, categories=CATEGORY_LABELS,
    )  # fmt: skip


def _refused(e: review.ReviewError) -> Forbidden:
    return Forbidden(e.chinese)


@router.post("/hours/{attendance_id}/confirm")
def confirm(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    attendance_id: AttendanceId,
    minutes: Annotated[str, Form(max_length=6)] = "",
) -> Response:
    given = None
    if minutes.strip():
        if not minutes.strip().isdigit():
            raise Forbidden("分钟数须为整数。")
        given = int(minutes)
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            d = review.confirm(s, attendance_id, me.username, now, given, me.stations)
            audit.record(s, me.actor, "hours.confirm", now, attendance_id, f"{d.minutes} min")
    except review.ReviewError as e:
        raise _refused(e) from None
    return back("/console/hours", "confirmed")


@router.post("/hours/{attendance_id}/reject")
def reject(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    attendance_id: AttendanceId,
    reason: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            review.reject(s, attendance_id, me.username, reason, now, me.stations)
            audit.record(s, me.actor, "hours.reject", now, attendance_id, reason[:200])
    except review.ReviewError as e:
        raise _refused(e) from None
    return back("/console/hours", "rejected")


@router.post("/hours/backfills")
def backfill_request(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    activity_id: Annotated[str, Form(max_length=36)],
    person_id: Annotated[str, Form(max_length=36)],
    minutes: Annotated[int, Form(ge=0, le=100_000)],
    reason: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            b = review.request_backfill(
                s, activity_id, person_id, minutes, reason, me.username, now, me.stations
            )
            audit.record(s, me.actor, "hours.backfill", now, str(b.id), f"{minutes} min")
    except review.ReviewError as e:
        raise _refused(e) from None
    return back("/console/hours", "requested")


@router.post("/hours/backfills/{backfill_id}/approve")
def backfill_approve(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    backfill_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            review.approve_backfill(s, backfill_id, me.username, now, me.stations)
            audit.record(s, me.actor, "hours.approve", now, str(backfill_id))
    except review.ReviewError as e:
        raise _refused(e) from None
    return back("/console/hours", "approved")
