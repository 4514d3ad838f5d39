"""An activity's life at the station: created by the keeper, started, cancelled, ended.

Every function changes rows and appends its ``activity.*`` event in the caller's write
transaction (see :mod:`kiosk.core.activities.rows`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    MAX_TITLE,
    MAX_UNIT,
    OPEN_STATES,
    ActivityError,
    ActivityKind,
    ActivityState,
    EndedBy,
    Schedule,
    clean_text,
)
from kiosk.core.activities.rows import emit, open_activity, rules, view_of
from kiosk.core.activities.signin import sign_out
from kiosk.core.activities.views import ActivityView
from kiosk.events.schema import (
    ActivityCancelled,
    ActivityEnded,
    ActivityScheduled,
    ActivityStarted,
)
from kiosk.store.models import Activity, Attendance

END_GRACE = timedelta(minutes=15)
"""A keeper ending an activity this long after its end still signs out the room as present."""


def create_activity(
    session: Session,
    now: datetime,
    *,
    kind: ActivityKind,
    title: str,
    start: datetime,
    end: datetime,
    host_unit: str | None = None,
    place: str | None = None,
    service_hours: bool = False,
) -> ActivityView:
    """A keeper's activity at this station; ``activity.scheduled``. Raises ActivityError."""
    _step, lead, _guard, _tz = rules(session)
    schedule = Schedule(start, end, timedelta(minutes=lead))
    activity = Activity(
        id=str(uuid.uuid4()),
        kind=ActivityKind(kind).value,
        title=clean_text(title, "the title", MAX_TITLE, required=True),
        host_unit=clean_text(host_unit, "the host unit", MAX_UNIT, required=False),
        place=clean_text(place, "the place", MAX_UNIT, required=False),
        start_at=schedule.start,
        end_at=schedule.end,
        signin_opens_at=schedule.signin_opens,
        service_hours=service_hours,
        source="keeper",
        state=ActivityState.SCHEDULED.value,
        created_at=now,
        updated_at=now,
    )
    session.add(activity)
    emit(
        session,
        ActivityScheduled(
            activity_id=activity.id,
            kind=activity.kind,  # type: ignore[arg-type]
            title=activity.title,
            host_unit=activity.host_unit,
            place=activity.place,
            start_at=activity.start_at,
            end_at=activity.end_at,
            signin_opens_at=activity.signin_opens_at,
            service_hours=activity.service_hours,
            created_by="keeper",
            created_at=now,
        ),
        now,
    )
    return view_of(activity)


def start_now(session: Session, activity_id: str, now: datetime) -> ActivityView:
    """The keeper starts it now: a start still ahead moves to now (the window with it)."""
    activity = open_activity(session, activity_id)
    if now >= activity.end_at:
        raise ActivityError("the activity's scheduled end has passed; end it instead")
    if now < activity.start_at:
        lead = activity.start_at - activity.signin_opens_at
        activity.start_at, activity.signin_opens_at = now, now - lead
    activity.state = ActivityState.IN_PROGRESS.value
    activity.updated_at = now
    emit(
        session,
        ActivityStarted(
            activity_id=activity.id,
            start_at=activity.start_at,
            signin_opens_at=activity.signin_opens_at,
            started_at=now,
        ),
        now,
    )
    return view_of(activity)


def cancel(session: Session, activity_id: str, now: datetime, reason: str | None) -> ActivityView:
    """Cancel an activity nobody has signed in to; one with attendance must be ended."""
    activity = open_activity(session, activity_id)
    if session.scalar(select(Attendance.id).where(Attendance.activity_id == activity.id)):
        raise ActivityError("people have signed in to this activity; end it instead")
    activity.state = ActivityState.CANCELLED.value
    activity.cancel_reason = clean_text(reason, "the reason", 200, required=False)
    activity.updated_at = now
    emit(
        session,
        ActivityCancelled(activity_id=activity.id, cancelled_at=now, reason=activity.cancel_reason),
        now,
    )
    return view_of(activity)


def end_activity(
    session: Session, activity_id: str, now: datetime, by: EndedBy = EndedBy.KEEPER
) -> tuple[int, int]:
    """End it: everyone still in is signed out at once; ``(signed_out, to_review)``.

    Ended by the keeper before the scheduled end or within ``END_GRACE`` after it, those
    still in were in the room when the keeper closed it: signed out then (at most at the
    scheduled end), earning their time. Later, or ended automatically, anyone still in
    forgot to sign out: closed at the scheduled end, credited 0, sent to review.
    """
    activity = open_activity(session, activity_id)
    step, *_ = rules(session)
    ended_at = min(now, activity.end_at)
    forgotten = by is EndedBy.AUTOMATIC or now > activity.end_at + END_GRACE
    how = EndedBy.AUTOMATIC if by is EndedBy.AUTOMATIC else EndedBy.ACTIVITY_END
    still_in = session.scalars(
        select(Attendance).where(
            Attendance.activity_id == activity.id, Attendance.signed_out_at.is_(None)
        )
    ).all()
    for att in still_in:
        sign_out(session, activity, att, ended_at, now, step, how, forgotten=forgotten)
    to_review = sum(1 for att in still_in if att.review_reason is not None)
    signed_out = len(still_in)
    activity.state = ActivityState.ENDED.value
    activity.ended_at = ended_at
    activity.ended_by = "automatic" if by is EndedBy.AUTOMATIC else "keeper"
    activity.updated_at = now
    emit(
        session,
        ActivityEnded(
            activity_id=activity.id,
            ended_at=ended_at,
            ended_by=activity.ended_by,  # type: ignore[arg-type]
            signed_out=signed_out,
            to_review=to_review,
        ),
        now,
    )
    return signed_out, to_review


def close_overdue(session: Session, now: datetime) -> int:
    """End every open activity whose scheduled end has passed (``automatic``); how many."""
    overdue = session.scalars(
        select(Activity.id).where(
            Activity.state.in_([s.value for s in OPEN_STATES]),
            Activity.end_at < now - END_GRACE,
        )
    ).all()
    for activity_id in overdue:
        end_activity(session, activity_id, now, EndedBy.AUTOMATIC)
    return len(overdue)
