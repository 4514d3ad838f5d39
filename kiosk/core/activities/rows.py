"""Activity rows at the station: the helpers every activity write shares.

Each write function in :mod:`lifecycle` and :mod:`signin` takes an open write session and the
current instant, changes rows and appends the outbox event (declared in
``kiosk/events/schema.py``) in the same transaction; the caller commits, and only then may
anyone be told the outcome (``StationService`` does both on the DB thread).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    OPEN_STATES,
    ActivityError,
    ActivityKind,
    ActivityState,
    Schedule,
)
from kiosk.core.activities.views import ActivityView
from kiosk.core.settings_store import get_settings
from kiosk.events.schema import Payload
from kiosk.store.models import Activity
from kiosk.store.outbox import append_event


def emit(session: Session, event: Payload, now: datetime) -> None:
    session.flush()
    append_event(session, event, now)


def rules(session: Session) -> tuple[int, int, timedelta, ZoneInfo]:
    values = get_settings(
        session,
        "activities.credit_step_minutes",
        "activities.signin_lead_minutes",
        "checkin.guard_seconds",
        "station.timezone",
    )
    return (
        int(values["activities.credit_step_minutes"]),
        int(values["activities.signin_lead_minutes"]),
        timedelta(seconds=values["checkin.guard_seconds"]),
        ZoneInfo(values["station.timezone"]),
    )


def view_of(a: Activity) -> ActivityView:
    return ActivityView(
        id=a.id,
        kind=ActivityKind(a.kind),
        title=a.title,
        host_unit=a.host_unit,
        place=a.place,
        start_at=a.start_at,
        end_at=a.end_at,
        signin_opens_at=a.signin_opens_at,
        service_hours=a.service_hours,
        source=a.source,
        stored_state=ActivityState(a.state),
        ended_at=a.ended_at,
    )


def schedule_of(a: Activity) -> Schedule:
    return Schedule(a.start_at, a.end_at, a.start_at - a.signin_opens_at)


def get_activity(session: Session, activity_id: str) -> Activity:
    """The activity with this id, or a unique prefix of at least 4 characters."""
    text = (activity_id or "").strip().lower()
    activity = session.get(Activity, text)
    if activity is None and len(text) >= 4:
        found = list(session.scalars(select(Activity).where(Activity.id.startswith(text)).limit(2)))
        activity = found[0] if len(found) == 1 else None
    if activity is None:
        raise ActivityError(f"no activity with id {activity_id!r}")
    return activity


def open_activity(session: Session, activity_id: str) -> Activity:
    activity = get_activity(session, activity_id)
    if ActivityState(activity.state) not in OPEN_STATES:
        label = ActivityState(activity.state).label
        raise ActivityError(f"activity {activity.id} is {activity.state} ({label})")
    return activity
