"""The bureau's figures over a period (by the activity's start)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import ActivityKind, Category
from kiosk.hub.activities.review import CONFIRMED
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubBackfill,
    HubHoursDecision,
    HubPerson,
    HubVisit,
)
from kiosk.hub.verification import COUNTED


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @classmethod
    def year(cls, year: int, tz: ZoneInfo) -> Period:
        return cls(datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz))


def report(session: Session, period: Period) -> dict[str, Any]:
    """The bureau's figures over a period (by the activity's start), in one record."""
    in_period = and_(HubActivity.start_at >= period.start, HubActivity.start_at < period.end)
    live = HubActivity.state != "cancelled"
    by_kind = select(HubActivity.kind, func.count()).where(in_period, live)
    sessions: Counter[str] = Counter(
        {kind: n for kind, n in session.execute(by_kind.group_by(HubActivity.kind))}
    )
    # 人次 of an activity: a person once (however often they signed in), each guest once;
    # one pass over the period's attendance (the flags were decided at projection).
    once = HubAttendance.person_id.is_(None) | HubAttendance.first_at_activity.is_(True)
    counted = (
        select(
            HubActivity.kind,
            HubAttendance.category,
            func.count(),
            func.sum(case((HubAttendance.during_visit.is_(True), 1), else_=0)),
        )
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(in_period, live, once)
        .group_by(HubActivity.kind, HubAttendance.category)
    )
    attendance: Counter[str] = Counter()
    org_by_category: Counter[str] = Counter()
    resting = 0
    for kind, category, n, inside in session.execute(counted):
        attendance[kind] += n
        resting += inside or 0
        if kind == ActivityKind.ORGANIZATION_LIFE.value:
            org_by_category[category or "unset"] += n
    people = (  # a hash aggregate: count(DISTINCT …) sorts all the rows on PostgreSQL
        select(HubAttendance.person_id)
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(in_period, live, HubAttendance.person_id.is_not(None))
        .group_by(HubAttendance.person_id)
        .subquery()
    )
    distinct_people = session.scalar(select(func.count()).select_from(people))
    newest = (
        select(func.max(HubHoursDecision.id).label("id"))
        .group_by(HubHoursDecision.attendance_pk)
        .subquery()
    )
    verified = (
        session.scalar(
            select(func.coalesce(func.sum(HubHoursDecision.minutes), 0))
            .join(newest, newest.c.id == HubHoursDecision.id)
            .join(HubAttendance, HubAttendance.id == HubHoursDecision.attendance_pk)
            .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
            .where(in_period, live, HubHoursDecision.decision == CONFIRMED)
        )
        or 0
    )
    undecided = ~exists().where(HubHoursDecision.attendance_pk == HubAttendance.id)
    waiting_count, waiting_minutes = session.execute(
        select(
            func.count(HubAttendance.id), func.coalesce(func.sum(HubAttendance.credited_minutes), 0)
        )
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(in_period, live, HubAttendance.station_state == "pending", undecided)
    ).one()
    backfilled = session.scalar(
        select(func.coalesce(func.sum(HubBackfill.minutes), 0))
        .join(HubActivity, HubActivity.id == HubBackfill.activity_id)
        .where(in_period, live, HubBackfill.approved_at.is_not(None))
    )
    visits = session.scalar(
        select(func.count(HubVisit.id)).where(
            HubVisit.checked_in_at >= period.start,
            HubVisit.checked_in_at < period.end,
            HubVisit.verification.in_(COUNTED),
        )
    )
    total_attendance = sum(attendance.values())
    return {
        "from": period.start.date(),
        "to": period.end.date(),
        "activities": {k.value: sessions.get(k.value, 0) for k in ActivityKind},
        "attendance": {k.value: attendance.get(k.value, 0) for k in ActivityKind},
        "distinct_people": distinct_people,
        "organization_life": {
            "sessions": sessions.get(ActivityKind.ORGANIZATION_LIFE.value, 0),
            "attendance": attendance.get(ActivityKind.ORGANIZATION_LIFE.value, 0),
            "by_category": {c.value: org_by_category.get(c.value, 0) for c in Category}
            | {"unset": org_by_category.get("unset", 0)},
        },
        "volunteers_registered": session.scalar(
            select(func.count(HubPerson.id)).where(
                HubPerson.category == Category.VOLUNTEER.value, HubPerson.active.is_(True)
            )
        ),
        "volunteer_activities": sessions.get(ActivityKind.VOLUNTEER.value, 0),
        "volunteer_attendance": attendance.get(ActivityKind.VOLUNTEER.value, 0),
        "service_hours": round((verified + (backfilled or 0)) / 60, 2),
        "verified_hours": round(verified / 60, 2),  # 核验时长
        "backfilled_hours": round((backfilled or 0) / 60, 2),  # 补录时长
        "pending_hours": round(waiting_minutes / 60, 2),
        "to_review": waiting_count,
        "rest_visits": visits,
        # 累计服务人次: a person inside a rest visit when signing in is that visit's 人次
        "service_visits": visits + total_attendance - resting,
        "overlaps": session.scalar(
            select(func.count(HubAttendance.id))
            .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
            .where(in_period, HubAttendance.overlap.is_(True))
        ),
    }
