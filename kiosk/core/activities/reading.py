"""Reading activities at the station: a day's list, the 近期活动, one activity's attendance."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.core.activities import reviews
from kiosk.core.activities.model import OPEN_STATES, AttendanceState, Category
from kiosk.core.activities.rows import get_activity, view_of
from kiosk.core.activities.views import ActivityDetail, ActivityView, AttendanceView
from kiosk.store.models import Activity, Attendance, OutboxEvent, Person, SyncState

UNSET = "unset"  # the by-category key of attendees with no category


def list_activities(session: Session, day: date | None, tz: ZoneInfo) -> list[ActivityView]:
    """The activities of one local day (by start), or all, in start order."""
    query = select(Activity).order_by(Activity.start_at, Activity.id)
    if day is not None:
        start = datetime.combine(day, time(), tz)
        query = query.where(
            Activity.start_at >= start, Activity.start_at < start + timedelta(days=1)
        )
    return [view_of(a) for a in session.scalars(query)]


def next_activity(session: Session, now: datetime) -> ActivityView | None:
    """The current activity at this station, else the next one (for the 近期活动 line)."""
    found = session.scalar(
        select(Activity)
        .where(Activity.state.in_([s.value for s in OPEN_STATES]), Activity.end_at > now)
        .order_by(Activity.start_at)
        .limit(1)
    )
    return None if found is None else view_of(found)


def detail(session: Session, activity_id: str) -> ActivityDetail:
    activity = get_activity(session, activity_id)
    rows = session.scalars(
        select(Attendance)
        .where(Attendance.activity_id == activity.id)
        .order_by(Attendance.signed_in_at, Attendance.id)
    ).all()
    person_ids = {r.person_id for r in rows if r.person_id}
    people = (
        {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))}
        if person_ids
        else {}
    )
    views = []
    decided = reviews.newest(session, [r.id for r in rows])  # the hub's word, once it came
    for r in rows:
        person = people.get(r.person_id or "")
        recorded = AttendanceView(
            id=r.id,
            person_id=r.person_id,
            name=r.guest_name or (person.name if person else ""),
            unit=r.guest_unit if r.person_id is None else (person.team if person else None),
            category=Category(r.category) if r.category else None,
            guest=r.person_id is None,
            method=r.method,
            signed_in_at=r.signed_in_at,
            signed_out_at=r.signed_out_at,
            ended_by=r.ended_by,
            credited_minutes=r.credited_minutes,
            state=AttendanceState(r.state),
            review_reason=r.review_reason,
        )
        views.append(reviews.as_reviewed(recorded, decided.get(r.id)))
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for v in views:  # 人次 by category: a person once, each guest sign-in once
        if v.person_id is not None:
            if v.person_id in seen:
                continue
            seen.add(v.person_id)
        counts[v.category.value if v.category else UNSET] += 1
    return ActivityDetail(view_of(activity), views, dict(counts))


def unsent_records(session: Session) -> int:
    """Activity and attendance events not yet accepted by the hub (the keeper's 未上传)."""
    state = session.get(SyncState, 1)
    mark = state.delivered_seq if state is not None else 0
    query = select(func.count()).where(
        OutboxEvent.seq > mark,
        or_(OutboxEvent.type.startswith("activity."), OutboxEvent.type.startswith("attendance.")),
    )
    return session.scalar(query) or 0
