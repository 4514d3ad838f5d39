"""Applying what the hub publishes besides the roster: announcements, study packages,
activities the bureau scheduled, and its review decisions on this station's attendance
(issue 14). Called by ``apply.apply_changes`` in its transaction; rules in ``apply.py``'s
docstring, and for a review decision: stored beside the attendance (``attendance_reviews``)
once, only for an attendance this station recorded; the newest decision is what the
station shows (``core/activities``), the attendance row itself is never changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store.models import (
    Activity,
    Announcement,
    Attendance,
    AttendanceReview,
    MaterialDownload,
    SyncState,
)
from kiosk.sync.downloads import DownloadState
from kiosk.sync.protocol import ActivityInfo, AnnouncementInfo, MaterialInfo, ReviewInfo


def apply_announcement(s: Session, info: AnnouncementInfo, now: datetime) -> bool:
    row = s.get(Announcement, info.id)
    if info.withdrawn:
        if row is None:
            return False
        s.delete(row)
        return True
    if row is None:
        s.add(
            Announcement(
                id=info.id,
                text=info.text,
                until=info.until,
                created_at=info.created_at,
                received_at=now,
            )
        )
        return True
    if (row.text, row.until) == (info.text, info.until):
        return False
    row.text, row.until = info.text, info.until
    return True


def apply_material(s: Session, info: MaterialInfo, now: datetime) -> bool:
    """Record what the hub announced for a package; True when there is something new to do.

    A newer version (or a withdrawal) starts over: attempts and errors are forgotten.
    """
    row = s.get(MaterialDownload, info.id)
    if row is not None:
        if info.version < row.version:
            return False
        if (
            info.version == row.version
            and info.sha256 == row.sha256
            and (row.withdrawn or not info.withdrawn)
        ):
            return False  # seen before (a resync replays the feed)
    else:
        row = MaterialDownload(material_id=info.id)
        s.add(row)
    row.version, row.title = info.version, info.title
    row.sha256, row.size, row.content_sha256 = info.sha256, info.size, info.content_sha256
    row.withdrawn = info.withdrawn
    row.state = DownloadState.REMOVE if info.withdrawn else DownloadState.WANTED
    row.bytes_done, row.attempts, row.last_error = 0, 0, None
    row.announced_at, row.updated_at = info.published_at, now
    return True


def apply_activity(s: Session, info: ActivityInfo, now: datetime) -> bool:
    """A hub-scheduled activity for this station (or all): insert, follow a change or a
    cancellation. One that ended here is history and stays as it is. Not an outbox event:
    the hub wrote it; only what happens at it here (sign-ins, start, end) goes back up."""
    state = s.get(SyncState, 1)
    if info.station_ids and (state is None or state.hub_station_id not in info.station_ids):
        return False
    row = s.get(Activity, info.activity_id)
    if row is not None and row.state in ("ended", "archived"):
        return False
    if row is None:
        if info.cancelled:
            return False
        row = Activity(id=info.activity_id, source="hub", state="scheduled", created_at=now)
        s.add(row)
    elif info.cancelled:
        row.state = "cancelled"
    values = {
        "kind": info.kind,
        "title": info.title,
        "host_unit": info.host_unit,
        "place": info.place,
        "start_at": info.start_at,
        "end_at": info.end_at,
        "signin_opens_at": info.signin_opens_at,
        "service_hours": info.service_hours,
    }
    for k, v in values.items():
        setattr(row, k, v)
    row.updated_at = now
    return True


def apply_review(s: Session, info: ReviewInfo, now: datetime) -> bool:
    """Store the hub's decision on one of this station's attendances (once; a replay of the
    feed after a resync finds it already there)."""
    if s.get(Attendance, info.attendance_id) is None:
        return False  # not recorded here (or a station restored from an older backup)
    seen = s.scalar(
        select(AttendanceReview.id).where(
            AttendanceReview.attendance_id == info.attendance_id,
            AttendanceReview.decided_at == info.decided_at,
            AttendanceReview.decision == info.decision,
        )
    )
    if seen is not None:
        return False
    s.add(
        AttendanceReview(
            attendance_id=info.attendance_id, decision=info.decision, minutes=info.minutes,
            reason=info.reason, person_id=info.person_id, decided_at=info.decided_at,
            received_at=now,
        )
    )  # fmt: skip
    return True
