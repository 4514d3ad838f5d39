"""The keeper's station (issue 15), Qt-free: who is here, closing visits, a person's page,
the periods of 统计, and the audit event every keeper action leaves in the outbox.

Functions take an open session (and, when they write, the current instant); the caller
(:class:`kiosk.core.station.StationService`) commits. A visit the keeper closes is marked
``closed_by = "keeper"`` and its ``visit.checked_out`` event says so; every keeper action
also appends one ``keeper.action`` event: who (the keeper role), what, when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kiosk.core.checkin import Rules, checked_out_event
from kiosk.events.schema import KeeperAction
from kiosk.store.models import Badge, Person, QuizAttempt, StudySession, Visit
from kiosk.store.outbox import append_event

KEEPER = "keeper"
"""The role every keeper action is recorded under (the kiosk has one keeper PIN)."""


class Action(StrEnum):
    CHECK_OUT = "visit.check_out"
    CLOSE_FORGOTTEN = "visits.close_forgotten"
    PIN_CHANGED = "pin.changed"
    PIN_LOCKED = "pin.locked"
    EXPORTED = "records.exported"
    BADGE_ISSUED = "badge.issued"
    BADGE_REPLACED = "badge.replaced"
    BADGE_PRINTED = "badge.printed"


def keeper_event(session: Session, action: Action, now: datetime, **details: Any) -> None:
    """Append the audit event of one keeper action (in the caller's transaction)."""
    # The details are extra fields, written after ``at`` in the order given.
    append_event(session, KeeperAction(role=KEEPER, action=action.value, at=now, **details), now)


# -- 在站人员 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresentVisit:
    visit_id: str
    person_id: str | None
    name: str | None  # None: a badge not checked yet, or a person not in the roster
    trade: str | None
    team: str | None
    phone: str | None
    checked_in_at: datetime


def _open_visits():
    return select(Visit).where(
        Visit.checked_out_at.is_(None),
        or_(Visit.person_id.is_not(None), Visit.badge_token.is_not(None)),
    )


def present(session: Session) -> list[PresentVisit]:
    """Everyone checked in and not out, newest first (trade taps are never open)."""
    rows = session.execute(
        select(Visit, Person)
        .outerjoin(Person, Person.id == Visit.person_id)
        .where(
            Visit.checked_out_at.is_(None),
            or_(Visit.person_id.is_not(None), Visit.badge_token.is_not(None)),
        )
        .order_by(Visit.checked_in_at.desc())
    )
    return [
        PresentVisit(
            v.id,
            v.person_id,
            p.name if p is not None else None,
            (p.trade if p is not None else None) or v.trade,
            p.team if p is not None else None,
            p.phone if p is not None else None,
            v.checked_in_at,
        )
        for v, p in rows
    ]


def _close(session: Session, visit: Visit, now: datetime, rules: Rules) -> None:
    # Never negative (a clock set back), never more rest than the cap.
    visit.checked_out_at = min(max(now, visit.checked_in_at), visit.checked_in_at + rules.max_visit)
    visit.closed_by = KEEPER
    checked_out_event(session, visit, now)


def check_out(session: Session, visit_id: str, now: datetime) -> bool:
    """Close one open visit for its owner; False when it was no longer open."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.checked_out_at is not None:
        return False
    _close(session, visit, now, Rules.load(session))
    keeper_event(session, Action.CHECK_OUT, now, visit_id=visit.id, person_id=visit.person_id)
    return True


def close_forgotten(session: Session, now: datetime) -> int:
    """Close every open visit (the end of the day); returns how many."""
    rules = Rules.load(session)
    visits = list(session.scalars(_open_visits()))
    for visit in visits:
        _close(session, visit, now, rules)
    if visits:
        keeper_event(
            session,
            Action.CLOSE_FORGOTTEN,
            now,
            count=len(visits),
            visit_ids=[v.id for v in visits],
        )
    return len(visits)


# -- a person's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeRow:
    key_id: str
    serial: int
    issued_on: date
    expires_on: date | None
    revoked: bool


@dataclass(frozen=True)
class PersonPage:
    person_id: str
    name: str
    trade: str
    team: str | None
    phone: str | None
    party_member: bool
    active: bool
    month_visits: int
    month_rest_hours: float
    last_visit_at: datetime | None
    study_minutes_month: int
    study_sessions_month: int
    quiz_passes_month: int
    badges: list[BadgeRow]


def person_page(session: Session, person_id: str, now: datetime) -> PersonPage | None:
    person = session.get(Person, person_id)
    if person is None:
        return None
    rules = Rules.load(session)
    month = rules.month_start(now)
    visits = list(
        session.scalars(
            select(Visit).where(Visit.person_id == person_id, Visit.checked_in_at >= month)
        )
    )
    rest = sum(
        (
            min(v.checked_out_at - v.checked_in_at, rules.max_visit)
            for v in visits
            if v.checked_out_at is not None
        ),
        timedelta(),
    )
    last = session.scalar(select(func.max(Visit.checked_in_at)).where(Visit.person_id == person_id))
    seconds, sessions = session.execute(
        select(func.coalesce(func.sum(StudySession.seconds), 0), func.count(StudySession.id)).where(
            StudySession.person_id == person_id, StudySession.started_at >= month
        )
    ).one()
    passes = session.scalar(
        select(func.count(QuizAttempt.id)).where(
            QuizAttempt.person_id == person_id,
            QuizAttempt.passed.is_(True),
            QuizAttempt.attempted_at >= month,
        )
    )
    badges = [
        BadgeRow(b.key_id, b.serial, b.issued_on, b.expires_on, b.revoked_at is not None)
        for b in session.scalars(
            select(Badge).where(Badge.person_id == person_id).order_by(Badge.serial.desc())
        )
    ]
    return PersonPage(
        person.id,
        person.name,
        person.trade,
        person.team,
        person.phone,
        person.party_member,
        person.active,
        len(visits),
        round(rest.total_seconds() / 3600, 2),
        last,
        int(seconds) // 60,
        int(sessions),
        int(passes or 0),
        badges,
    )


# -- the periods of 统计 -------------------------------------------------------------------------


class Period(StrEnum):
    TODAY = "today"
    WEEK = "week"
    MONTH = "month"


def period_days(period: Period | str, today: date) -> tuple[date, date]:
    """``(first, last)`` inclusive: today, this week (from Monday), this month (to today)."""
    period = Period(period)
    if period is Period.TODAY:
        return today, today
    if period is Period.WEEK:
        return today - timedelta(days=today.weekday()), today
    return today.replace(day=1), today


def month_days(month: str | date) -> tuple[date, date]:
    """A whole month ``YYYY-MM`` (or the month of a date): ``(first, last)``."""
    if isinstance(month, str):
        try:
            year, mon = (int(x) for x in month.split("-"))
            first = date(year, mon, 1)
        except ValueError:
            raise ValueError(f"not a month: {month!r} (YYYY-MM)") from None
    else:
        first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)
