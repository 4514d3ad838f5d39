"""Activities at the hub (issue 14): the mirror of the stations' records, the bureau's
schedule (sent to stations through the change feed), the hours review, 补录, and the year.

Projection: one ``project_*`` function per ``activity.*``/``attendance.*`` event type, run
(through ``hub/handlers.py``) in the transaction that stored the event, after the batch's
visits. The review never edits
an attendance: each decision is a new ``HubHoursDecision`` row and the newest counts; a 补录
is a ``HubBackfill`` that counts once a different person approved it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    DEFAULT_CREDIT_STEP_MINUTES,
    MAX_TITLE,
    MAX_UNIT,
    ActivityError,
    ActivityKind,
    Category,
    Schedule,
    backfill_limit,
    clean_text,
    credited_minutes,
)
from kiosk.hub import feed
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubBackfill,
    HubHoursDecision,
    HubPerson,
    HubStation,
    HubVisit,
)
from kiosk.hub.verification import COUNTED
from kiosk.sync.protocol import ActivityInfo

OPEN_HORIZON = timedelta(hours=12)  # an attendance never signed out counts as this long
OVERLAP_WINDOW = timedelta(days=2)
CONFIRMED, REJECTED = "confirmed", "rejected"
MAX_REVIEWER = 50


class ReviewError(ValueError):
    """The review cannot do what was asked; the message says why."""


def _aware(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else None


# -- projection -----------------------------------------------------------------------------------


def project_scheduled(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``activity.scheduled``: a keeper's activity enters the hub's mirror (once)."""
    if session.get(HubActivity, p["activity_id"]) is None:
        session.add(
            HubActivity(
                id=p["activity_id"],
                kind=p["kind"],
                title=p["title"],
                host_unit=p.get("host_unit"),
                place=p.get("place"),
                start_at=_aware(p["start_at"]),
                end_at=_aware(p["end_at"]),
                signin_opens_at=_aware(p["signin_opens_at"]),
                service_hours=bool(p["service_hours"]),
                created_by="keeper",
                origin_station_id=station_id,
                station_ids=[station_id],
                state="scheduled",
                updated_at=now,
            )
        )


def _own_activity(session: Session, station_id: str, p: dict[str, Any]) -> HubActivity | None:
    activity = session.get(HubActivity, p["activity_id"])
    if activity is None or activity.origin_station_id not in (None, station_id):
        return None  # another station's activity: not this station's to change
    return activity


def project_started(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.start_at = _aware(p["start_at"]) or activity.start_at
        activity.signin_opens_at = _aware(p["signin_opens_at"]) or activity.signin_opens_at
        activity.state = "in_progress"
    activity.updated_at = now


def project_ended(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.state, activity.ended_at = "ended", _aware(p["ended_at"])
    activity.updated_at = now


def project_cancelled(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.state = "cancelled"
    activity.updated_at = now


def project_signed_in(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``attendance.signed_in``: once per attendance; the 人次 flags are decided here."""
    if session.scalar(
        select(HubAttendance.id).where(HubAttendance.attendance_id == p["attendance_id"])
    ):
        return
    guest = p.get("guest") or {}
    row = HubAttendance(
        station_id=station_id,
        attendance_id=p["attendance_id"],
        activity_id=p["activity_id"],
        person_id=p.get("person_id"),
        guest_name=guest.get("name"),
        guest_unit=guest.get("unit"),
        category=p.get("category"),
        method=p["method"],
        signed_in_at=_aware(p["signed_in_at"]),
        credited_minutes=0,
        station_state="signed_in",
        clock_offset_seconds=p.get("clock_offset_seconds"),
        overlap=False,
        first_at_activity=True,
        during_visit=False,
    )
    if row.person_id:
        row.first_at_activity, row.during_visit = _first_and_resting(session, row)
    session.add(row)
    session.flush()
    if row.person_id:
        refresh_overlaps(session, row.person_id, row.signed_in_at)


def project_signed_out(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``attendance.signed_out``: the station's word on the hours (the review is beside it)."""
    row = session.scalar(
        select(HubAttendance).where(HubAttendance.attendance_id == p["attendance_id"])
    )
    if row is None or row.station_id != station_id:
        return
    row.signed_out_at = _aware(p["signed_out_at"])
    row.ended_by = p["ended_by"]
    row.credited_minutes = int(p["credited_minutes"])
    row.station_state = p["state"]
    row.review_reason = p.get("review_reason")
    session.flush()
    if row.person_id:
        refresh_overlaps(session, row.person_id, row.signed_in_at)


def _first_and_resting(session: Session, row: HubAttendance) -> tuple[bool, bool]:
    """Is this the person's first attendance at the activity; were they inside a counted
    rest visit at this station when they signed in (the station's visits come before its
    attendance in its outbox, and ``handlers.project`` projects a batch's visits first)."""
    earlier = session.scalar(
        select(HubAttendance.id)
        .where(
            HubAttendance.activity_id == row.activity_id,
            HubAttendance.person_id == row.person_id,
        )
        .limit(1)
    )
    inside = session.scalar(
        select(HubVisit.id)
        .where(
            HubVisit.person_id == row.person_id,
            HubVisit.station_id == row.station_id,
            HubVisit.verification.in_(COUNTED),
            HubVisit.checked_in_at >= row.signed_in_at - OPEN_HORIZON,
            HubVisit.checked_in_at <= row.signed_in_at,
            (HubVisit.checked_out_at.is_(None)) | (HubVisit.checked_out_at >= row.signed_in_at),
        )
        .limit(1)
    )
    return earlier is None, inside is not None


def _end(a: HubAttendance) -> datetime:
    return a.signed_out_at or a.signed_in_at + OPEN_HORIZON


def refresh_overlaps(session: Session, person_id: str, around: datetime) -> None:
    """Flag a person's attendances that overlap one at another station (both are kept)."""
    rows = list(
        session.scalars(
            select(HubAttendance).where(
                HubAttendance.person_id == person_id,
                HubAttendance.signed_in_at >= around - OVERLAP_WINDOW,
                HubAttendance.signed_in_at <= around + OVERLAP_WINDOW,
            )
        )
    )
    for a in rows:
        a.overlap = any(
            b.station_id != a.station_id and b.signed_in_at < _end(a) and a.signed_in_at < _end(b)
            for b in rows
        )


# -- the bureau's schedule ------------------------------------------------------------------------


def activity_info(a: HubActivity) -> ActivityInfo:
    return ActivityInfo(
        activity_id=a.id,
        kind=a.kind,
        title=a.title,
        host_unit=a.host_unit,
        place=a.place,
        start_at=a.start_at,
        end_at=a.end_at,
        signin_opens_at=a.signin_opens_at,
        service_hours=a.service_hours,
        station_ids=list(a.station_ids or []),
        cancelled=a.state == "cancelled",
        updated_at=a.updated_at,
    )


def schedule(
    session: Session,
    now: datetime,
    *,
    kind: ActivityKind,
    title: str,
    start: datetime,
    end: datetime,
    station_ids: list[str],
    host_unit: str | None = None,
    place: str | None = None,
    service_hours: bool = False,
    signin_lead: timedelta = timedelta(minutes=60),
) -> HubActivity:
    """An activity for some stations (or, with none named, every station); into the feed."""
    when = Schedule(start, end, signin_lead)
    known = set(session.scalars(select(HubStation.id).where(HubStation.id.in_(station_ids))))
    missing = [s for s in station_ids if s not in known]
    if missing:
        raise ActivityError(f"no station with id {missing[0]}")
    feed.lock_feed(session)
    activity = HubActivity(
        id=str(uuid.uuid4()),
        kind=ActivityKind(kind).value,
        title=clean_text(title, "the title", MAX_TITLE, required=True),
        host_unit=clean_text(host_unit, "the host unit", MAX_UNIT, required=False),
        place=clean_text(place, "the place", MAX_UNIT, required=False),
        start_at=when.start,
        end_at=when.end,
        signin_opens_at=when.signin_opens,
        service_hours=service_hours,
        created_by="hub",
        origin_station_id=None,
        station_ids=sorted(set(station_ids)),
        state="scheduled",
        updated_at=now,
    )
    session.add(activity)
    session.flush()
    feed.append(session, "activity", None, activity_info(activity).model_dump(mode="json"), now)
    return activity


def cancel(session: Session, activity_id: str, now: datetime) -> HubActivity:
    """Cancel a hub-scheduled activity; stations follow through the feed."""
    activity = session.get(HubActivity, activity_id)
    if activity is None or activity.created_by != "hub":
        raise ActivityError(f"no hub-scheduled activity with id {activity_id}")
    if activity.state in ("cancelled", "ended", "archived"):
        raise ActivityError(f"activity {activity_id} is already {activity.state}")
    feed.lock_feed(session)
    activity.state, activity.updated_at = "cancelled", now
    session.flush()
    feed.append(session, "activity", None, activity_info(activity).model_dump(mode="json"), now)
    return activity


# -- the review -----------------------------------------------------------------------------------


def pending(session: Session) -> list[Any]:
    """Attendances whose hours wait for a decision, oldest first."""
    decided = exists().where(HubHoursDecision.attendance_pk == HubAttendance.id)
    return list(
        session.execute(
            select(HubAttendance, HubActivity)
            .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
            .where(HubAttendance.station_state == "pending", ~decided)
            .order_by(HubAttendance.signed_in_at, HubAttendance.id)
        ).all()
    )


def pending_backfills(session: Session) -> list[HubBackfill]:
    return list(
        session.scalars(
            select(HubBackfill).where(HubBackfill.approved_at.is_(None)).order_by(HubBackfill.id)
        )
    )


def _reviewer(name: str | None) -> str:
    try:
        return clean_text(name, "the reviewer (--by)", MAX_REVIEWER, required=True) or ""
    except ActivityError as e:
        raise ReviewError(str(e)) from None


def _attendance(session: Session, attendance_id: str) -> tuple[HubAttendance, HubActivity]:
    row = session.scalar(
        select(HubAttendance).where(HubAttendance.attendance_id == attendance_id.strip())
    )
    activity = session.get(HubActivity, row.activity_id) if row is not None else None
    if row is None or activity is None:
        raise ReviewError(f"no attendance with id {attendance_id}")
    return row, activity


def earnable(row: HubAttendance, activity: HubActivity) -> int:
    """The most an attendance can be credited: its time inside the schedule (a forgotten
    sign-out: from sign-in to the scheduled end), in whole 5-minute steps."""
    when = Schedule(activity.start_at, activity.end_at)
    until = activity.end_at if row.review_reason == "no_sign_out" else _end(row)
    return credited_minutes(row.signed_in_at, until, when, DEFAULT_CREDIT_STEP_MINUTES)


def confirm(
    session: Session, attendance_id: str, by: str | None, now: datetime, minutes: int | None = None
) -> HubHoursDecision:
    """Confirm an attendance's hours: the station's credit, or for a forgotten sign-out the
    time from sign-in to the end (``minutes`` to give less)."""
    row, activity = _attendance(session, attendance_id)
    if row.person_id is None or not activity.service_hours:
        raise ReviewError("this attendance earns no service hours (a guest, or no hours)")
    if row.signed_out_at is None:
        raise ReviewError("still signed in: end the activity first")
    most = earnable(row, activity)
    default = most if row.review_reason == "no_sign_out" else row.credited_minutes
    given = default if minutes is None else minutes
    if not 0 <= given <= most:
        raise ReviewError(f"minutes must be between 0 and {most}")
    decision = HubHoursDecision(
        attendance_pk=row.id,
        decision=CONFIRMED,
        minutes=given,
        decided_by=_reviewer(by),
        decided_at=now,
    )
    session.add(decision)
    return decision


def reject(
    session: Session, attendance_id: str, by: str | None, reason: str | None, now: datetime
) -> HubHoursDecision:
    row, _activity = _attendance(session, attendance_id)
    try:
        why = clean_text(reason, "the reason (--reason)", 200, required=True)
    except ActivityError as e:
        raise ReviewError(str(e)) from None
    decision = HubHoursDecision(
        attendance_pk=row.id, decision=REJECTED, minutes=0, reason=why,
        decided_by=_reviewer(by), decided_at=now,
    )  # fmt: skip
    session.add(decision)
    return decision


def request_backfill(
    session: Session,
    activity_id: str,
    person_id: str,
    minutes: int,
    reason: str | None,
    by: str | None,
    now: datetime,
) -> HubBackfill:
    """Ask for a 补录: a reason, at most the activity's length, one per person per activity."""
    activity = session.get(HubActivity, activity_id)
    if activity is None:
        raise ReviewError(f"no activity with id {activity_id}")
    if not activity.service_hours:
        raise ReviewError("this activity credits no service hours")
    if session.get(HubPerson, person_id) is None:
        raise ReviewError(f"no person with id {person_id}")
    limit = backfill_limit(Schedule(activity.start_at, activity.end_at))
    if not 1 <= minutes <= limit:
        raise ReviewError(f"a 补录 is 1 to {limit} minutes (the activity's length)")
    if session.scalar(
        select(HubBackfill.id).where(
            HubBackfill.activity_id == activity_id, HubBackfill.person_id == person_id
        )
    ):
        raise ReviewError("this person already has a 补录 for this activity (one each)")
    try:
        why = clean_text(reason, "the reason (--reason)", 200, required=True) or ""
    except ActivityError as e:
        raise ReviewError(str(e)) from None
    backfill = HubBackfill(
        activity_id=activity_id, person_id=person_id, minutes=minutes, reason=why,
        requested_by=_reviewer(by), requested_at=now,
    )  # fmt: skip
    session.add(backfill)
    session.flush()
    return backfill


def approve_backfill(
    session: Session, backfill_id: int, by: str | None, now: datetime
) -> HubBackfill:
    """Approve a 补录; never by the person who asked for it (谁记录谁证明, two people)."""
    backfill = session.get(HubBackfill, backfill_id)
    if backfill is None:
        raise ReviewError(f"no 补录 with id {backfill_id}")
    if backfill.approved_at is not None:
        raise ReviewError(f"补录 {backfill_id} is already approved")
    approver = _reviewer(by)
    if approver == backfill.requested_by:
        raise ReviewError("a 补录 must be approved by someone other than the person who asked")
    backfill.approved_by, backfill.approved_at = approver, now
    return backfill


# -- the year's figures ---------------------------------------------------------------------------


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
