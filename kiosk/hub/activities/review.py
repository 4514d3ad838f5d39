"""The hours review: confirm or reject an attendance's hours, 补录 (two people), and a
guest's attendance linked to a person afterwards.

Nothing is edited: a decision is a new ``HubHoursDecision`` (the newest counts), a 补录 a
``HubBackfill`` that counts once a different person approved it, a link a ``HubGuestLink``.
``scope`` (a set of station ids, ``None`` for every station) is the console keeper's: an
attendance outside it is refused as if it did not exist. A refusal is a :class:`ReviewError`
with the CLI's English line and the console's Chinese one.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    DEFAULT_CREDIT_STEP_MINUTES,
    ActivityError,
    Schedule,
    backfill_limit,
    clean_text,
    credited_minutes,
)
from kiosk.hub import feed
from kiosk.hub.activities.projection import end_of
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubBackfill,
    HubGuestLink,
    HubHoursDecision,
    HubPerson,
)
from kiosk.sync.protocol import ReviewInfo

CONFIRMED, REJECTED = "confirmed", "rejected"
MAX_REVIEWER = 50
MAX_REASON = 200
Scope = Collection[str] | None


class ReviewError(ValueError):
    """The review cannot do what was asked; ``str()`` says why, ``chinese`` for the console."""

    def __init__(self, message: str, chinese: str | None = None) -> None:
        super().__init__(message)
        self.chinese = chinese or message


def required_text(value: str | None, what: str, chinese: str, limit: int) -> str:
    try:
        return clean_text(value, what, limit, required=True) or ""
    except ActivityError as e:
        raise ReviewError(str(e), f"请填写{chinese}（最多 {limit} 字）。") from None


def _reviewer(name: str | None) -> str:
    return required_text(name, "the reviewer (--by)", "审核人", MAX_REVIEWER)


def activity_scope(activity: HubActivity) -> set[str] | None:
    """The stations an activity is at (``None``: every station)."""
    if activity.origin_station_id:
        return {activity.origin_station_id}
    return set(activity.station_ids or []) or None


def in_scope(activity: HubActivity, scope: Scope) -> bool:
    """May an account with ``scope`` act on this activity as a whole (cancel it, 补录)?"""
    if scope is None:
        return True
    at = activity_scope(activity)
    return at is not None and at <= set(scope)


def visible(activity: HubActivity, scope: Scope) -> bool:
    """May an account with ``scope`` see this activity (and its own stations' attendance)?"""
    if scope is None:
        return True
    at = activity_scope(activity)
    return at is None or bool(at & set(scope))


def pending(session: Session, scope: Scope = None) -> list[Any]:
    """Attendances whose hours wait for a decision, oldest first: the station's ``pending``
    ones and guests linked to a person at an activity with hours."""
    is_linked = exists().where(HubGuestLink.attendance_pk == HubAttendance.id)
    query = (
        select(HubAttendance, HubActivity)
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(
            or_(
                HubAttendance.station_state == "pending",
                is_linked & HubActivity.service_hours.is_(True),
            ),
            HubAttendance.decision.is_(None),
        )
        .order_by(HubAttendance.signed_in_at, HubAttendance.id)
    )
    if scope is not None:
        query = query.where(HubAttendance.station_id.in_(list(scope)))
    return list(session.execute(query).all())


def pending_backfills(session: Session, scope: Scope = None) -> list[HubBackfill]:
    rows = list(
        session.scalars(
            select(HubBackfill).where(HubBackfill.approved_at.is_(None)).order_by(HubBackfill.id)
        )
    )
    if scope is None:
        return rows
    return [b for b in rows if in_scope(session.get(HubActivity, b.activity_id), scope)]  # type: ignore[arg-type]


def _attendance(
    session: Session, attendance_id: str, scope: Scope = None
) -> tuple[HubAttendance, HubActivity]:
    row = session.scalar(
        select(HubAttendance).where(HubAttendance.attendance_id == attendance_id.strip())
    )
    activity = session.get(HubActivity, row.activity_id) if row is not None else None
    if row is None or activity is None or (scope is not None and row.station_id not in scope):
        raise ReviewError(f"no attendance with id {attendance_id}", "没有这条签到记录。")
    return row, activity


def person_of(session: Session, row: HubAttendance) -> str | None:
    """The attendance's person: the station's, or the person a guest was linked to."""
    if row.person_id:
        return row.person_id
    return session.scalar(
        select(HubGuestLink.person_id).where(HubGuestLink.attendance_pk == row.id)
    )


def earnable(row: HubAttendance, activity: HubActivity) -> int:
    """The most an attendance can be credited: its time inside the schedule (a forgotten
    sign-out: from sign-in to the scheduled end), in whole 5-minute steps."""
    when = Schedule(activity.start_at, activity.end_at)
    until = activity.end_at if row.review_reason == "no_sign_out" else end_of(row)
    return credited_minutes(row.signed_in_at, until, when, DEFAULT_CREDIT_STEP_MINUTES)


def confirm(
    session: Session,
    attendance_id: str,
    by: str | None,
    now: datetime,
    minutes: int | None = None,
    scope: Scope = None,
) -> HubHoursDecision:
    """Confirm an attendance's hours: the station's credit, or for a forgotten sign-out (or a
    linked guest) the time inside the schedule (``minutes`` to give less)."""
    row, activity = _attendance(session, attendance_id, scope)
    person = person_of(session, row)
    if person is None or not activity.service_hours:
        raise ReviewError(
            "this attendance earns no service hours (a guest, or no hours)",
            "这条签到不计服务时长（来宾未关联人员，或活动不计时长）。",
        )
    if row.signed_out_at is None:
        raise ReviewError(
            "still signed in: end the activity first", "此人仍在签到中，请先结束活动。"
        )
    most = earnable(row, activity)
    fresh = row.review_reason == "no_sign_out" or row.person_id is None
    default = most if fresh else row.credited_minutes
    given = default if minutes is None else minutes
    if not 0 <= given <= most:
        raise ReviewError(f"minutes must be between 0 and {most}", f"分钟数须在 0 到 {most} 之间。")
    decision = HubHoursDecision(
        attendance_pk=row.id,
        decision=CONFIRMED,
        minutes=given,
        decided_by=_reviewer(by),
        decided_at=now,
    )
    session.add(decision)
    row.decision, row.decided_minutes = CONFIRMED, given
    _tell_station(session, row, decision, person, now)
    session.flush()
    return decision


def reject(
    session: Session,
    attendance_id: str,
    by: str | None,
    reason: str | None,
    now: datetime,
    scope: Scope = None,
) -> HubHoursDecision:
    row, _activity = _attendance(session, attendance_id, scope)
    why = required_text(reason, "the reason (--reason)", "驳回理由", MAX_REASON)
    decision = HubHoursDecision(
        attendance_pk=row.id, decision=REJECTED, minutes=0, reason=why,
        decided_by=_reviewer(by), decided_at=now,
    )  # fmt: skip
    session.add(decision)
    row.decision, row.decided_minutes = REJECTED, 0
    _tell_station(session, row, decision, person_of(session, row), now)
    session.flush()
    return decision


def _tell_station(
    session: Session,
    row: HubAttendance,
    decision: HubHoursDecision,
    person_id: str | None,
    now: datetime,
) -> None:
    """The decision goes back to the station that recorded the attendance (the feed sends a
    ``review`` change to that station only), so its screens show the real state."""
    info = ReviewInfo(
        attendance_id=row.attendance_id,
        station_id=row.station_id,
        decision=decision.decision,  # type: ignore[arg-type]
        minutes=decision.minutes,
        reason=decision.reason,
        person_id=person_id if row.person_id is None else None,
        decided_at=now,
    )
    feed.append(session, "review", None, info.model_dump(mode="json"), now)


def link_guest(
    session: Session, attendance_id: str, person_id: str, by: str | None, now: datetime,
    scope: Scope = None,
) -> HubGuestLink:  # fmt: skip
    """Link a guest's attendance to a person: it is theirs from now on (hours included, once
    confirmed); one link per attendance, never changed."""
    row, _activity = _attendance(session, attendance_id, scope)
    if row.person_id is not None:
        raise ReviewError("not a guest's attendance", "这不是来宾的签到。")
    if session.scalar(select(HubGuestLink.id).where(HubGuestLink.attendance_pk == row.id)):
        raise ReviewError("this guest is already linked", "这位来宾已关联过人员。")
    person = session.get(HubPerson, person_id.strip())
    if person is None or not person.active:
        raise ReviewError(f"no person with id {person_id}", "没有这个人员编号。")
    link = HubGuestLink(
        attendance_pk=row.id, person_id=person.id, linked_by=_reviewer(by), linked_at=now
    )
    session.add(link)
    session.flush()
    return link


def request_backfill(
    session: Session,
    activity_id: str,
    person_id: str,
    minutes: int,
    reason: str | None,
    by: str | None,
    now: datetime,
    scope: Scope = None,
) -> HubBackfill:
    """Ask for a 补录: a reason, at most the activity's length, one per person per activity."""
    activity = session.get(HubActivity, activity_id.strip())
    if activity is None or not in_scope(activity, scope):
        raise ReviewError(f"no activity with id {activity_id}", "没有这个活动。")
    if not activity.service_hours:
        raise ReviewError("this activity credits no service hours", "这个活动不计服务时长。")
    if session.get(HubPerson, person_id.strip()) is None:
        raise ReviewError(f"no person with id {person_id}", "没有这个人员编号。")
    limit = backfill_limit(Schedule(activity.start_at, activity.end_at))
    if not 1 <= minutes <= limit:
        raise ReviewError(
            f"a 补录 is 1 to {limit} minutes (the activity's length)",
            f"补录时长须在 1 到 {limit} 分钟之间（不超过活动时长）。",
        )
    if session.scalar(
        select(HubBackfill.id).where(
            HubBackfill.activity_id == activity.id, HubBackfill.person_id == person_id.strip()
        )
    ):
        raise ReviewError(
            "this person already has a 补录 for this activity (one each)",
            "此人在这个活动已有补录（每人每活动一次）。",
        )
    why = required_text(reason, "the reason (--reason)", "补录理由", MAX_REASON)
    backfill = HubBackfill(
        activity_id=activity.id, person_id=person_id.strip(), minutes=minutes, reason=why,
        requested_by=_reviewer(by), requested_at=now,
    )  # fmt: skip
    session.add(backfill)
    session.flush()
    return backfill


def approve_backfill(
    session: Session, backfill_id: int, by: str | None, now: datetime, scope: Scope = None
) -> HubBackfill:
    """Approve a 补录; never by the person who asked for it (谁记录谁证明, two people)."""
    backfill = session.get(HubBackfill, backfill_id)
    activity = session.get(HubActivity, backfill.activity_id) if backfill else None
    if backfill is None or activity is None or not in_scope(activity, scope):
        raise ReviewError(f"no 补录 with id {backfill_id}", "没有这条补录。")
    if backfill.approved_at is not None:
        raise ReviewError(f"补录 {backfill_id} is already approved", "这条补录已经批准过。")
    approver = _reviewer(by)
    if approver == backfill.requested_by:
        raise ReviewError(
            "a 补录 must be approved by someone other than the person who asked",
            "补录须由申请人以外的另一人批准。",
        )
    backfill.approved_by, backfill.approved_at = approver, now
    return backfill
