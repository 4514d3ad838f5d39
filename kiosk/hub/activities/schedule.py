"""The bureau's schedule: activities for some stations (or all), sent through the feed."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    MAX_TITLE,
    MAX_UNIT,
    ActivityError,
    ActivityKind,
    Schedule,
    clean_text,
)
from kiosk.hub import feed
from kiosk.hub.models import HubActivity, HubStation
from kiosk.sync.protocol import ActivityInfo


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
