"""Attendance rows for the console's 导出 page and ``kiosk-hub export attendance``: one row
per attendance over some days (by sign-in, local time), what the station recorded beside
the hub's newest review decision and a guest's link."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import ATTENDANCE_LABELS, CATEGORY_LABELS, KIND_LABELS
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubGuestLink,
    HubHoursDecision,
    HubPerson,
    HubStation,
)

HEADER = (
    "驿站", "活动", "活动类别", "活动开始", "签到编号", "人员编号", "姓名", "来宾", "单位",
    "人员类别", "方式", "签到时间", "签退时间", "结束方式", "站点记录分钟", "站点状态",
    "审核结果", "确认分钟", "审核人", "同时段多站",
)  # fmt: skip
DECISIONS = {"confirmed": "已确认", "rejected": "已驳回"}


def attendance_rows(
    session: Session, start: date, end: date, tz: ZoneInfo, scope: Collection[str] | None = None
) -> Iterator[list[object]]:
    since = datetime.combine(start, time(), tz)
    until = datetime.combine(end + timedelta(days=1), time(), tz)
    newest = (
        select(
            HubHoursDecision.attendance_pk.label("pk"), func.max(HubHoursDecision.id).label("id")
        )
        .group_by(HubHoursDecision.attendance_pk)
        .subquery()
    )
    person = func.coalesce(HubAttendance.person_id, HubGuestLink.person_id)
    query = (
        select(
            HubAttendance,
            HubActivity,
            HubStation.name,
            HubPerson.name,
            HubHoursDecision,
            HubGuestLink.person_id,
        )
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .join(HubStation, HubStation.id == HubAttendance.station_id)
        .outerjoin(HubGuestLink, HubGuestLink.attendance_pk == HubAttendance.id)
        .outerjoin(HubPerson, HubPerson.id == person)
        .outerjoin(newest, newest.c.pk == HubAttendance.id)
        .outerjoin(HubHoursDecision, HubHoursDecision.id == newest.c.id)
        .where(HubAttendance.signed_in_at >= since, HubAttendance.signed_in_at < until)
        .order_by(HubAttendance.signed_in_at, HubAttendance.id)
        .execution_options(yield_per=1000)
    )
    if scope is not None:
        query = query.where(HubAttendance.station_id.in_(list(scope)))

    def local(t: datetime | None) -> str:
        return t.astimezone(tz).strftime("%Y-%m-%d %H:%M") if t else ""

    for att, act, station, name, decision, linked in session.execute(query):
        guest = att.person_id is None
        yield [
            station, act.title, KIND_LABELS.get(act.kind, act.kind), local(act.start_at),  # type: ignore[call-overload]
            att.attendance_id, att.person_id or linked or "",
            name or att.guest_name or "", "是" if guest else "", att.guest_unit or "",
            CATEGORY_LABELS.get(att.category, ""), att.method, local(att.signed_in_at),  # type: ignore[call-overload]
            local(att.signed_out_at), att.ended_by or "", att.credited_minutes,
            ATTENDANCE_LABELS.get(att.station_state, att.station_state),  # type: ignore[call-overload]
            DECISIONS.get(decision.decision, "") if decision else "",
            decision.minutes if decision else "", decision.decided_by if decision else "",
            "是" if att.overlap else "",
        ]  # fmt: skip
