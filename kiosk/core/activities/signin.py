"""Signing in and out of an activity: badge scans, name picks, guests, the keeper's sign-out.

Each function works in the caller's write transaction (see :mod:`kiosk.core.activities.rows`).
Badge rules are check-in's: ``core/badges.check_badge``, then revocations, then an inactive
person; a badge under a key this station has not learned names nobody, so it signs nobody in.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import (
    MAX_NAME,
    MAX_UNIT,
    ActivityError,
    ActivityState,
    AttendanceState,
    Category,
    EndedBy,
    clean_phone_tail,
    clean_text,
    credited_minutes,
)
from kiosk.core.activities.rows import emit, open_activity, rules, schedule_of
from kiosk.core.activities.views import SignInOutcome, SignInRefusal, SignInResult
from kiosk.core.badges import BadgeError, BadgeProblem, check_badge
from kiosk.events.schema import AttendanceSignedIn, AttendanceSignedOut, GuestInfo
from kiosk.store.models import Activity, Attendance, Badge, KeyringEntry, Person, SyncState


def scan(
    session: Session,
    activity_id: str,
    text: str,
    method: str,
    now: datetime,
    keyring: Mapping[str, bytes],
) -> SignInResult:
    """A badge shown at an activity: sign in, acknowledge, or sign out (second scan)."""
    activity = open_activity(session, activity_id)
    step, _lead, guard, tz = rules(session)
    try:
        check = check_badge(text, keyring, now.astimezone(tz).date())
    except BadgeError as e:
        return _refused(activity, e.problem.value)
    token = check.token
    badge = session.scalar(
        select(Badge).where(Badge.key_id == token.key_id, Badge.serial == token.serial)
    )
    key = session.get(KeyringEntry, token.key_id)
    if (badge and badge.revoked_at) or (key and key.revoked_at):
        return _refused(activity, BadgeProblem.REVOKED.value)
    person = session.get(Person, token.person_id)
    if person is not None and not person.active:
        return _refused(activity, BadgeProblem.PERSON_INACTIVE.value)
    if not check.key_known:
        # Unchecked: anyone can print a token under an unknown key id. It names nobody, and
        # an attendance of nobody is worth nothing, so the keeper signs them in by name.
        return _refused(activity, SignInRefusal.UNVERIFIED.value)
    return _toggle(
        session,
        activity,
        now,
        person_id=token.person_id,
        person=person,
        method=method,
        badge=(token.key_id, token.serial),
        step=step,
        guard=guard,
    )


def sign_in_person(
    session: Session, activity_id: str, person_id: str, now: datetime
) -> SignInResult:
    """A known person picked by name search (the keeper's or their own tap)."""
    activity = open_activity(session, activity_id)
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise ActivityError(f"no active person with id {person_id}")
    step, _lead, guard, _tz = rules(session)
    return _toggle(
        session,
        activity,
        now,
        person_id=person.id,
        person=person,
        method="manual",
        badge=None,
        step=step,
        guard=guard,
    )


def sign_in_guest(
    session: Session,
    activity_id: str,
    now: datetime,
    *,
    name: str,
    category: Category,
    unit: str | None = None,
    phone_tail: str | None = None,
) -> SignInResult:
    """A walk-in guest: name, category, unit, optional last 4 phone digits. One 人次, no hours."""
    activity = open_activity(session, activity_id)
    guest = GuestInfo(
        name=clean_text(name, "the name", MAX_NAME, required=True) or "",
        unit=clean_text(unit, "the unit", MAX_UNIT, required=False),
        phone_tail=clean_phone_tail(phone_tail),
    )
    category = Category(category)
    refusal = _window_refusal(activity, now)
    if refusal is not None:
        raise ActivityError(
            "sign-in is not open yet" if refusal is SignInRefusal.NOT_OPEN else "sign-in has closed"
        )
    att = Attendance(
        id=str(uuid.uuid4()),
        activity_id=activity.id,
        person_id=None,
        guest_name=guest.name,
        guest_unit=guest.unit,
        phone_tail=guest.phone_tail,
        category=category.value,
        method="guest",
        signed_in_at=now,
        credited_minutes=0,
        state=AttendanceState.SIGNED_IN.value,
        clock_offset_seconds=_clock_offset(session),
    )
    session.add(att)
    _signed_in_event(session, att, now, guest)
    _mark_in_progress(activity, now)
    return SignInResult(
        SignInOutcome.SIGNED_IN,
        person_name=guest.name,
        attendance_id=att.id,
        activity_title=activity.title,
    )


def sign_out_by_keeper(session: Session, attendance_id: str, now: datetime) -> SignInResult:
    """The keeper signs one person (or guest) out now, e.g. someone who had to leave early."""
    att = session.get(Attendance, attendance_id)
    if att is None:
        raise ActivityError(f"no attendance with id {attendance_id!r}")
    activity = open_activity(session, att.activity_id)
    if att.signed_out_at is not None:
        raise ActivityError("already signed out")
    step, *_ = rules(session)
    sign_out(session, activity, att, min(max(now, att.signed_in_at), activity.end_at), now,
              step, EndedBy.KEEPER)  # fmt: skip
    return SignInResult(
        SignInOutcome.SIGNED_OUT,
        person_id=att.person_id,
        person_name=att.guest_name,
        attendance_id=att.id,
        activity_title=activity.title,
        credited_minutes=att.credited_minutes,
    )


def _refused(activity: Activity, reason: str, opens_at: datetime | None = None) -> SignInResult:
    return SignInResult(
        SignInOutcome.REFUSED, reason=reason, activity_title=activity.title, opens_at=opens_at
    )


def _window_refusal(activity: Activity, now: datetime) -> SignInRefusal | None:
    if now < activity.signin_opens_at:
        return SignInRefusal.NOT_OPEN
    if now > activity.end_at:
        return SignInRefusal.CLOSED
    return None


def _mark_in_progress(activity: Activity, now: datetime) -> None:
    # Derived, not an event: 进行中 follows from the start time (model.state_at); the row
    # only remembers it so lists need no clock. The keeper's explicit start is an event.
    if activity.state == ActivityState.SCHEDULED.value and now >= activity.start_at:
        activity.state = ActivityState.IN_PROGRESS.value
        activity.updated_at = now


def _toggle(
    session: Session,
    activity: Activity,
    now: datetime,
    *,
    person_id: str,
    person: Person | None,
    method: str,
    badge: tuple[str, int] | None,
    step: int,
    guard: timedelta,
) -> SignInResult:
    name = person.name if person is not None else None
    latest = session.scalar(
        select(Attendance)
        .where(Attendance.activity_id == activity.id, Attendance.person_id == person_id)
        .order_by(Attendance.signed_out_at.is_(None).desc(), Attendance.signed_in_at.desc())
        .limit(1)
    )
    base = SignInResult(
        SignInOutcome.SIGNED_IN,
        person_id=person_id,
        person_name=name,
        activity_title=activity.title,
    )
    if latest is not None and latest.signed_out_at is None:
        if abs(now - latest.signed_in_at) < guard:
            return _with(base, SignInOutcome.ALREADY_SIGNED_IN, latest)
        if now > activity.end_at:
            return _refused(activity, SignInRefusal.CLOSED.value)
        sign_out(session, activity, latest, max(now, latest.signed_in_at), now, step, EndedBy.SELF)
        return _with(base, SignInOutcome.SIGNED_OUT, latest)
    if (
        latest is not None
        and latest.signed_out_at is not None
        and abs(now - latest.signed_out_at) < guard
    ):
        return _with(base, SignInOutcome.SIGNED_OUT, latest)  # the same scan again: no new record
    refusal = _window_refusal(activity, now)
    if refusal is not None:
        return _refused(activity, refusal.value, activity.signin_opens_at)
    att = Attendance(
        id=str(uuid.uuid4()),
        activity_id=activity.id,
        person_id=person_id,
        category=person.category if person is not None else None,
        method=method,
        badge_key_id=badge[0] if badge else None,
        badge_serial=badge[1] if badge else None,
        signed_in_at=now,
        credited_minutes=0,
        state=AttendanceState.SIGNED_IN.value,
        clock_offset_seconds=_clock_offset(session),
    )
    session.add(att)
    _signed_in_event(session, att, now, None)
    _mark_in_progress(activity, now)
    return _with(base, SignInOutcome.SIGNED_IN, att)


def _with(base: SignInResult, outcome: SignInOutcome, att: Attendance) -> SignInResult:
    return replace(
        base, outcome=outcome, attendance_id=att.id, credited_minutes=att.credited_minutes
    )


def sign_out(
    session: Session,
    activity: Activity,
    att: Attendance,
    at: datetime,
    now: datetime,
    step: int,
    ended_by: EndedBy,
    *,
    forgotten: bool = False,
) -> None:
    """The attendance's one sign-out, with its credited minutes and state."""
    att.signed_out_at = at
    att.ended_by = ended_by.value
    earns = activity.service_hours and att.person_id is not None
    if forgotten and earns:
        att.credited_minutes = 0
        att.state = AttendanceState.PENDING.value
        att.review_reason = "no_sign_out"
    elif earns:
        att.credited_minutes = credited_minutes(att.signed_in_at, at, schedule_of(activity), step)
        att.state = AttendanceState.PENDING.value
    else:
        att.credited_minutes = 0
        att.state = AttendanceState.SIGNED_OUT.value
    emit(
        session,
        AttendanceSignedOut(
            attendance_id=att.id,
            activity_id=activity.id,
            person_id=att.person_id,
            signed_out_at=at,
            ended_by=att.ended_by,  # type: ignore[arg-type]
            credited_minutes=att.credited_minutes,
            state=att.state,  # type: ignore[arg-type]
            review_reason=att.review_reason,  # type: ignore[arg-type]
        ),
        now,
    )


def _signed_in_event(
    session: Session, att: Attendance, now: datetime, guest: GuestInfo | None
) -> None:
    emit(
        session,
        AttendanceSignedIn(
            attendance_id=att.id,
            activity_id=att.activity_id,
            person_id=att.person_id,
            guest=guest,
            category=att.category,  # type: ignore[arg-type]
            method=att.method,  # type: ignore[arg-type]
            badge_key_id=att.badge_key_id,
            badge_serial=att.badge_serial,
            signed_in_at=att.signed_in_at,
            clock_offset_seconds=att.clock_offset_seconds,
        ),
        now,
    )


def _clock_offset(session: Session) -> float | None:
    state = session.get(SyncState, 1)
    return None if state is None else state.clock_offset_seconds
