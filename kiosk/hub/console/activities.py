"""活动: the schedule (the bureau's and the stations' activities), schedule one for one,
some or all stations, an activity's page with its attendance, cancel, and link a guest's
attendance to a person. Keepers schedule and cancel only for their own stations, see the
activities at their stations and only their stations' attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from kiosk.core.activities.model import (
    CATEGORY_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ActivityError,
    ActivityKind,
)
from kiosk.hub.activities import review, schedule
from kiosk.hub.console import audit
from kiosk.hub.console.accounts import Role
from kiosk.hub.console.auth import Forbidden, Principal, need, now_of, person_stations
from kiosk.hub.console.web import TZ, back, page
from kiosk.hub.models import HubActivity, HubAttendance, HubGuestLink, HubPerson, HubStation

router = APIRouter()
ActivityId = Annotated[str, Path(max_length=36)]
LIMIT = 300
ENDED_BY = {"self": "本人", "keeper": "管理员", "activity_end": "活动结束", "automatic": "自动"}
STATION_STATES = {
    "signed_in": "已签到", "signed_out": "已签退", "pending": "待确认", "confirmed": "已确认",
    "rejected": "已驳回",
}  # fmt: skip


def _stations(session, me: Principal) -> list[HubStation]:  # type: ignore[no-untyped-def]
    rows = session.scalars(select(HubStation).order_by(HubStation.created_at))
    return [s for s in rows if me.sees(s.id)]


def _where(a: HubActivity, names: dict[str, str]) -> str:
    at = review.activity_scope(a)
    return "所有驿站" if at is None else "、".join(names.get(s, s[:8]) for s in sorted(at))


@router.get("/activities")
def activity_list(
    request: Request, me: Annotated[Principal, Depends(need(Role.VIEWER))]
) -> Response:
    with request.app.state.db.read() as s:
        stations = _stations(s, me)
        names = {st.id: st.name for st in s.scalars(select(HubStation))}
        newest = select(HubActivity).order_by(HubActivity.start_at.desc())
        if me.stations is None:
            newest = newest.limit(LIMIT)
        else:  # a station's own, or the bureau's (for some stations or all)
            newest = newest.where(
                HubActivity.origin_station_id.in_(list(me.stations))
                | (HubActivity.created_by == "hub")
            )
        rows = [a for a in s.scalars(newest) if review.visible(a, me.stations)][:LIMIT]
        count = (
            select(HubAttendance.activity_id, func.count())
            .where(HubAttendance.activity_id.in_([a.id for a in rows]))
            .group_by(HubAttendance.activity_id)
        )
        if me.stations is not None:
            count = count.where(HubAttendance.station_id.in_(list(me.stations)))
        counts = dict(s.execute(count).all())
    return page(
        request, "activities.html", "activities", rows=rows, counts=counts, stations=stations,
        where={a.id: _where(a, names) for a in rows}, kinds=KIND_LABELS, states=STATE_LABELS,
        limit=LIMIT,
    )  # fmt: skip


def _when(text: str, what: str) -> datetime:
    try:
        return datetime.strptime(text.strip().replace("T", " "), "%Y-%m-%d %H:%M").replace(
            tzinfo=TZ
        )
    except ValueError:
        raise Forbidden(f"{what}格式不对，应为 年-月-日 时:分。") from None


@router.post("/activities")
def activity_add(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    title: Annotated[str, Form(max_length=200)],
    kind: Annotated[str, Form(max_length=30)],
    start: Annotated[str, Form(max_length=20)],
    end: Annotated[str, Form(max_length=20)],
    host: Annotated[str, Form(max_length=200)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
    service_hours: Annotated[str, Form(max_length=5)] = "",
    everywhere: Annotated[str, Form(max_length=5)] = "",
    station: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = sorted({s for s in (station or []) if s})
    if everywhere:
        if me.stations is not None:
            raise Forbidden("只有管理员可以为所有驿站安排活动。")
        chosen = []
    elif not chosen:
        raise Forbidden("请至少选择一个驿站，或选择“所有驿站”。")
    if any(not me.sees(s) for s in chosen):
        raise Forbidden("您只能为自己的驿站安排活动。")
    if kind not in set(ActivityKind):
        raise Forbidden("活动类别不对。")
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            row = schedule.schedule(
                s, now, kind=ActivityKind(kind), title=title, start=_when(start, "开始时间"),
                end=_when(end, "结束时间"), station_ids=chosen, host_unit=host or None,
                place=place or None, service_hours=bool(service_hours),
            )  # fmt: skip
            audit.record(s, me.actor, "activity.schedule", now, row.id, row.title)
            activity_id = row.id
    except ActivityError as e:
        raise Forbidden(f"无法安排活动：{_chinese(str(e))}") from None
    return back(f"/console/activities/{activity_id}", "scheduled")


def _chinese(message: str) -> str:
    """The core's validation message, said in Chinese where we know it."""
    known = (
        ("the end must be after", "结束时间须晚于开始时间"),
        ("at most", "一次活动最长 24 小时"),
        ("the title is required", "请填写活动名称"),
        ("the title is longer", "活动名称太长"),
        ("the host unit", "主办单位太长"),
        ("the place", "地点太长"),
        ("no station", "没有这个驿站"),
    )
    for words, text in known:
        if words in message:
            return text + "。"
    return "输入不对，请检查。"


def _activity(session, activity_id: str, me: Principal) -> HubActivity:  # type: ignore[no-untyped-def]
    a = session.get(HubActivity, activity_id)
    if a is None or not review.visible(a, me.stations):
        raise Forbidden("没有这个活动，或不在您负责的驿站。")
    return a


@router.get("/activities/{activity_id}")
def activity_page(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.VIEWER))],
    activity_id: ActivityId,
) -> Response:
    with request.app.state.db.read() as s:
        a = _activity(s, activity_id, me)
        names = {st.id: st.name for st in s.scalars(select(HubStation))}
        query = (
            select(HubAttendance, HubPerson.name, HubGuestLink.person_id)
            .outerjoin(HubGuestLink, HubGuestLink.attendance_pk == HubAttendance.id)
            .outerjoin(
                HubPerson,
                HubPerson.id == func.coalesce(HubAttendance.person_id, HubGuestLink.person_id),
            )
            .where(HubAttendance.activity_id == a.id)
            .order_by(HubAttendance.signed_in_at, HubAttendance.id)
        )
        if me.stations is not None:
            query = query.where(HubAttendance.station_id.in_(list(me.stations)))
        rows = list(s.execute(query).all())
    by_category: dict[str, int] = {}
    people = 0
    for att, _name, _link in rows:
        if att.person_id is None or att.first_at_activity:
            people += 1
            key = CATEGORY_LABELS.get(att.category, "未分类")  # type: ignore[call-overload]
            by_category[key] = by_category.get(key, 0) + 1
    return page(
        request, "activity.html", "activities", a=a, rows=rows,
        where=_where(a, names), names=names, kinds=KIND_LABELS, states=STATE_LABELS,
        categories=CATEGORY_LABELS, station_states=STATION_STATES, ended_by=ENDED_BY,
        people=people, by_category=by_category,
        can_cancel=me.can_change and a.created_by == "hub" and review.in_scope(a, me.stations)
        and a.state not in ("cancelled", "ended", "archived"),
    )  # fmt: skip


@router.post("/activities/{activity_id}/cancel")
def activity_cancel(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    activity_id: ActivityId,
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            a = _activity(s, activity_id, me)
            if not review.in_scope(a, me.stations):
                raise Forbidden("这个活动也在其他驿站举行，只有管理员可以取消。")
            schedule.cancel(s, a.id, now)
            audit.record(s, me.actor, "activity.cancel", now, a.id, a.title)
    except ActivityError:
        raise Forbidden("只能取消后台安排、尚未结束的活动。") from None
    return back(f"/console/activities/{activity_id}", "cancelled")


@router.post("/activities/{activity_id}/link")
def guest_link(
    request: Request,
    me: Annotated[Principal, Depends(need(Role.KEEPER))],
    activity_id: ActivityId,
    attendance_id: Annotated[str, Form(max_length=36)],
    person_id: Annotated[str, Form(max_length=36)],
) -> Response:
    now = now_of(request)
    try:
        with request.app.state.db.write() as s:
            _activity(s, activity_id, me)
            if me.stations is not None and not person_stations(s, person_id.strip()) & me.stations:
                raise Forbidden("您只能关联自己驿站的人员。")
            link = review.link_guest(s, attendance_id, person_id, me.username, now, me.stations)
            audit.record(s, me.actor, "attendance.link", now, attendance_id, link.person_id)
    except review.ReviewError as e:
        raise Forbidden(e.chinese) from None
    return back(f"/console/activities/{activity_id}", "linked")
