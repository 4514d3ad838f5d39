"""The hours review: confirm or reject an attendance's hours, 补录 (two people)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    DEFAULT_CREDIT_STEP_MINUTES,
    ActivityError,
    Schedule,
    backfill_limit,
    clean_text,
    credited_minutes,
)
from kiosk.hub.activities.projection import end_of
from kiosk.hub.models import HubActivity, HubAttendance, HubBackfill, HubHoursDecision, HubPerson

CONFIRMED, REJECTED = "confirmed", "rejected"
MAX_REVIEWER = 50


class ReviewError(ValueError):
    """The review cannot do what was asked; the message says why."""


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
    until = activity.end_at if row.review_reason == "no_sign_out" else end_of(row)
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
