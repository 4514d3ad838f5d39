"""Activities and attendance at the station: every change in the caller's write transaction.

Each function takes an open write session and the current instant, changes rows and appends
the outbox event (declared in ``kiosk/events/schema.py``) in the same transaction; the caller
commits, and only then may anyone be told the outcome (``StationService`` does both on the
DB thread).
Badge rules are check-in's: ``core/badges.check_badge``, then revocations, then an inactive
person; a badge under a key this station has not learned names nobody, so it signs nobody in.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities import reviews
from kiosk.core.activities.model import (
    MAX_NAME,
    MAX_TITLE,
    MAX_UNIT,
    OPEN_STATES,
    ActivityError,
    ActivityKind,
    ActivityState,
    AttendanceState,
    Category,
    EndedBy,
    Schedule,
    clean_phone_tail,
    clean_text,
    credited_minutes,
)
from kiosk.core.activities.views import (
    ActivityDetail,
    ActivityView,
    AttendanceView,
    SignInOutcome,
    SignInRefusal,
    SignInResult,
)
from kiosk.core.badges import BadgeError, BadgeProblem, check_badge
from kiosk.core.settings_store import get_settings
from kiosk.events.schema import (
    ActivityCancelled,
    ActivityEnded,
    ActivityScheduled,
    ActivityStarted,
    AttendanceSignedIn,
    AttendanceSignedOut,
    GuestInfo,
    Payload,
)
from kiosk.store.models import Activity, Attendance, Badge, KeyringEntry, Person, SyncState
from kiosk.store.outbox import append_event

END_GRACE = timedelta(minutes=15)
"""A keeper ending an activity this long after its end still signs out the room as present."""
UNSET = "unset"  # the by-category key of attendees with no category


def _emit(session: Session, event: Payload, now: datetime) -> None:
    session.flush()
    append_event(session, event, now)


def _rules(session: Session) -> tuple[int, int, timedelta, ZoneInfo]:
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


def _schedule(a: Activity) -> Schedule:
    return Schedule(a.start_at, a.end_at, a.start_at - a.signin_opens_at)


# -- activities -------------------------------------------------------------------------------


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
    _step, lead, _guard, _tz = _rules(session)
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
    _emit(
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


def _open_activity(session: Session, activity_id: str) -> Activity:
    activity = get_activity(session, activity_id)
    if ActivityState(activity.state) not in OPEN_STATES:
        label = ActivityState(activity.state).label
        raise ActivityError(f"activity {activity.id} is {activity.state} ({label})")
    return activity


def start_now(session: Session, activity_id: str, now: datetime) -> ActivityView:
    """The keeper starts it now: a start still ahead moves to now (the window with it)."""
    activity = _open_activity(session, activity_id)
    if now >= activity.end_at:
        raise ActivityError("the activity's scheduled end has passed; end it instead")
    if now < activity.start_at:
        lead = activity.start_at - activity.signin_opens_at
        activity.start_at, activity.signin_opens_at = now, now - lead
    activity.state = ActivityState.IN_PROGRESS.value
    activity.updated_at = now
    _emit(
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
    activity = _open_activity(session, activity_id)
    if session.scalar(select(Attendance.id).where(Attendance.activity_id == activity.id)):
        raise ActivityError("people have signed in to this activity; end it instead")
    activity.state = ActivityState.CANCELLED.value
    activity.cancel_reason = clean_text(reason, "the reason", 200, required=False)
    activity.updated_at = now
    _emit(
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
    activity = _open_activity(session, activity_id)
    step, *_ = _rules(session)
    ended_at = min(now, activity.end_at)
    forgotten = by is EndedBy.AUTOMATIC or now > activity.end_at + END_GRACE
    how = EndedBy.AUTOMATIC if by is EndedBy.AUTOMATIC else EndedBy.ACTIVITY_END
    still_in = session.scalars(
        select(Attendance).where(
            Attendance.activity_id == activity.id, Attendance.signed_out_at.is_(None)
        )
    ).all()
    for att in still_in:
        _sign_out(session, activity, att, ended_at, now, step, how, forgotten=forgotten)
    to_review = sum(1 for att in still_in if att.review_reason is not None)
    signed_out = len(still_in)
    activity.state = ActivityState.ENDED.value
    activity.ended_at = ended_at
    activity.ended_by = "automatic" if by is EndedBy.AUTOMATIC else "keeper"
    activity.updated_at = now
    _emit(
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


# -- sign-in ----------------------------------------------------------------------------------


def scan(
    session: Session,
    activity_id: str,
    text: str,
    method: str,
    now: datetime,
    keyring: Mapping[str, bytes],
) -> SignInResult:
    """A badge shown at an activity: sign in, acknowledge, or sign out (second scan)."""
    activity = _open_activity(session, activity_id)
    step, _lead, guard, tz = _rules(session)
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
    activity = _open_activity(session, activity_id)
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise ActivityError(f"no active person with id {person_id}")
    step, _lead, guard, _tz = _rules(session)
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
    activity = _open_activity(session, activity_id)
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
    activity = _open_activity(session, att.activity_id)
    if att.signed_out_at is not None:
        raise ActivityError("already signed out")
    step, *_ = _rules(session)
    _sign_out(session, activity, att, min(max(now, att.signed_in_at), activity.end_at), now,
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
        _sign_out(session, activity, latest, max(now, latest.signed_in_at), now, step, EndedBy.SELF)
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


def _sign_out(
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
        att.credited_minutes = credited_minutes(att.signed_in_at, at, _schedule(activity), step)
        att.state = AttendanceState.PENDING.value
    else:
        att.credited_minutes = 0
        att.state = AttendanceState.SIGNED_OUT.value
    _emit(
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
    _emit(
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


# -- reading ----------------------------------------------------------------------------------


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
    decided = reviews.newest(session, [r.id for r in rows])
    for r in rows:
        person = people.get(r.person_id or "")
        views.append(
            reviews.as_reviewed(
                AttendanceView(
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
                ),
                decided.get(r.id),
            )
        )
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for v in views:  # 人次 by category: a person once, each guest sign-in once
        if v.person_id is not None:
            if v.person_id in seen:
                continue
            seen.add(v.person_id)
        counts[v.category.value if v.category else UNSET] += 1
    return ActivityDetail(view_of(activity), views, dict(counts))
