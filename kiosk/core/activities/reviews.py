"""The hub's review decisions as the station shows them: an attendance whose hours the hub
confirmed or rejected reads as 已确认 (with the confirmed minutes) or 已驳回, from the
newest ``attendance_reviews`` row (received through the feed, ``sync/apply_content.py``).
The attendance row itself keeps what the station recorded."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import AttendanceState
from kiosk.core.activities.views import AttendanceView
from kiosk.store.models import AttendanceReview


def newest(session: Session, attendance_ids: Collection[str]) -> dict[str, AttendanceReview]:
    """The newest decision of each attendance that has one."""
    if not attendance_ids:
        return {}
    found: dict[str, AttendanceReview] = {}
    rows = session.scalars(
        select(AttendanceReview)
        .where(AttendanceReview.attendance_id.in_(list(attendance_ids)))
        .order_by(AttendanceReview.decided_at, AttendanceReview.id)
    )
    for row in rows:
        found[row.attendance_id] = row  # later rows replace earlier ones
    return found


def as_reviewed(view: AttendanceView, review: AttendanceReview | None) -> AttendanceView:
    if review is None:
        return view
    state = AttendanceState(review.decision)
    return replace(view, state=state, credited_minutes=review.minutes)
