"""The bureau's figures over a period (by the activity's start)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import CATEGORY_LABELS, KIND_LABELS, ActivityKind, Category
from kiosk.hub.activities.review import CONFIRMED
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubBackfill,
    HubPerson,
    HubStation,
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
    # One pass over the period's attendance (the flags were decided at projection), with
    # each attendance's newest review decision: 人次 (a person once however often they
    # signed in, each guest once), those inside a rest visit, confirmed and waiting hours,
    # overlaps (cancelled activities included, as the flags are).
    once = HubAttendance.person_id.is_(None) | HubAttendance.first_at_activity.is_(True)
    waiting = live & (HubAttendance.station_state == "pending") & HubAttendance.decision.is_(None)

    def total(condition: Any, value: Any = 1) -> Any:
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    one_pass = (
        select(
            HubActivity.kind,
            HubAttendance.category,
            total(live & once),
            total(live & once & HubAttendance.during_visit.is_(True)),
            total(live & (HubAttendance.decision == CONFIRMED), HubAttendance.decided_minutes),
            total(waiting),
            total(waiting, HubAttendance.credited_minutes),
            total(HubAttendance.overlap.is_(True)),
        )
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(in_period)
        .group_by(HubActivity.kind, HubAttendance.category)
    )
    attendance: Counter[str] = Counter()
    org_by_category: Counter[str] = Counter()
    resting = verified = waiting_count = waiting_minutes = overlaps = 0
    for kind, category, n, inside, ok, wait_n, wait_min, overlap in session.execute(one_pass):
        attendance[kind] += n
        resting += inside
        verified += ok
        waiting_count += wait_n
        waiting_minutes += wait_min
        overlaps += overlap
        if kind == ActivityKind.ORGANIZATION_LIFE.value and n:
            org_by_category[category or "unset"] += n
    people = (  # a hash aggregate: count(DISTINCT …) sorts all the rows on PostgreSQL
        select(HubAttendance.person_id)
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(in_period, live, HubAttendance.person_id.is_not(None))
        .group_by(HubAttendance.person_id)
        .subquery()
    )
    distinct_people = session.scalar(select(func.count()).select_from(people))
    backfilled = session.scalar(
        select(func.coalesce(func.sum(HubBackfill.minutes), 0))
        .join(HubActivity, HubActivity.id == HubBackfill.activity_id)
        .where(in_period, live, HubBackfill.approved_at.is_not(None))
    )
    visits = session.scalar(
        select(func.count()).where(
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
        "overlaps": overlaps,
    }


BREAKDOWN_HEADER = (
    "驿站", "活动类别", "人员类别", "场次", "人次", "人数", "已确认时长（小时）",
    "待确认时长（小时）", "志愿者人次",
)  # fmt: skip


def breakdown(
    session: Session,
    period: Period,
    *,
    scope: Collection[str] | None = None,
    station: str | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> list[dict[str, Any]]:
    """The period's attendance by station, kind and member category (one row each that
    has any): 场次 (activities with attendance there), 人次 (as in :func:`report`), distinct
    people, confirmed and pending hours, volunteer 人次. Guests count as 人次, not people."""
    once = HubAttendance.person_id.is_(None) | HubAttendance.first_at_activity.is_(True)
    confirmed = case((HubAttendance.decision == CONFIRMED, HubAttendance.decided_minutes), else_=0)
    waiting = case(
        (
            (HubAttendance.station_state == "pending") & HubAttendance.decision.is_(None),
            HubAttendance.credited_minutes,
        ),
        else_=0,
    )
    volunteer = case(((HubAttendance.category == Category.VOLUNTEER.value) & once, 1), else_=0)
    query = (
        select(
            HubAttendance.station_id,
            HubActivity.kind,
            HubAttendance.category,
            func.count(func.distinct(HubActivity.id)),
            func.sum(case((once, 1), else_=0)),
            func.count(func.distinct(HubAttendance.person_id)),
            func.coalesce(func.sum(confirmed), 0),
            func.coalesce(func.sum(waiting), 0),
            func.sum(volunteer),
        )
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(
            HubActivity.start_at >= period.start,
            HubActivity.start_at < period.end,
            HubActivity.state != "cancelled",
        )
        .group_by(HubAttendance.station_id, HubActivity.kind, HubAttendance.category)
    )
    if scope is not None:
        query = query.where(HubAttendance.station_id.in_(list(scope)))
    if station:
        query = query.where(HubAttendance.station_id == station)
    if kind:
        query = query.where(HubActivity.kind == kind)
    if category:
        query = query.where(HubAttendance.category == category)
    names = dict(session.execute(select(HubStation.id, HubStation.name)).all())
    rows = []
    for sid, k, cat, sessions, attendance, people, ok, wait, vol in session.execute(query):
        rows.append(
            {
                "station_id": sid, "station": names.get(sid, sid), "kind": k,
                "category": cat or "unset", "sessions": sessions, "attendance": attendance or 0,
                "people": people, "confirmed_hours": round(ok / 60, 2),
                "pending_hours": round(wait / 60, 2), "volunteer_attendance": vol or 0,
            }
        )  # fmt: skip
    rows.sort(key=lambda r: (r["station"], r["kind"], r["category"]))
    return rows


def breakdown_cells(row: dict[str, Any]) -> list[object]:
    """One breakdown row as the table's cells (Chinese names for the codes)."""
    kind = KIND_LABELS.get(row["kind"], row["kind"])  # type: ignore[call-overload]
    category = CATEGORY_LABELS.get(row["category"], "未分类")  # type: ignore[call-overload]
    return [
        row["station"], kind, category, row["sessions"], row["attendance"], row["people"],
        row["confirmed_hours"], row["pending_hours"], row["volunteer_attendance"],
    ]  # fmt: skip
