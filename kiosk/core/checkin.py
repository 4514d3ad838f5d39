"""Check-in rules: a scan becomes a visit, a second scan a check-out.

All functions take an open write session and the current instant; the caller commits, and
only after the commit may anyone be told the outcome. Rules:

* first valid scan → check in;
* the same person again within ``checkin.guard_seconds`` → acknowledgement only;
* after the guard window → check out with the rest duration (none when the clock was set
  back behind the check-in: it is never negative);
* an open visit older than ``checkin.max_visit_hours`` is closed automatically at the cap
  and marked ``auto_closed``, so it never counts more rest than the cap;
* a badge under a key this station has not learned names nobody: its visit has no person,
  the generic greeting, and keeps the token so it can be checked once the key is known
  (``core/verification.py``); the same token again toggles that visit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from kiosk.core.badges import BadgeError, check_badge
from kiosk.core.results import (
    BadgeProblem,
    Greeting,
    Method,
    Outcome,
    PersonView,
    ScanResult,
    refused,
)
from kiosk.core.settings_store import get_settings
from kiosk.core.trades import Trade
from kiosk.events.schema import VisitCheckedIn, VisitCheckedOut
from kiosk.store.models import Badge, KeyringEntry, Person, Visit
from kiosk.store.outbox import append_event


@dataclass(frozen=True)
class Rules:
    guard: timedelta
    max_visit: timedelta
    tz: ZoneInfo

    @classmethod
    def load(cls, session: Session) -> Rules:
        values = get_settings(
            session, "checkin.guard_seconds", "checkin.max_visit_hours", "station.timezone"
        )
        return cls(
            guard=timedelta(seconds=values["checkin.guard_seconds"]),
            max_visit=timedelta(hours=values["checkin.max_visit_hours"]),
            tz=ZoneInfo(values["station.timezone"]),
        )

    def month_start(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz)
        return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def record_badge_scan(
    session: Session, text: str, method: Method, now: datetime, keyring: Mapping[str, bytes]
) -> ScanResult:
    rules = Rules.load(session)
    try:
        check = check_badge(text, keyring, now.astimezone(rules.tz).date())
    except BadgeError as e:
        return refused(e.problem)
    token = check.token
    badge = session.scalar(
        select(Badge).where(Badge.key_id == token.key_id, Badge.serial == token.serial)
    )
    key = session.get(KeyringEntry, token.key_id)
    if (badge and badge.revoked_at) or (key and key.revoked_at):
        return refused(BadgeProblem.REVOKED)
    person = session.get(Person, token.person_id)
    if person is not None and not person.active:
        return refused(BadgeProblem.PERSON_INACTIVE)  # names nobody: safe unverified too
    if not check.key_known:
        # Anyone can print a token under a key id nobody has: until its signature has been
        # checked it is nobody's visit. No name, no person id, no count of the month.
        return _toggle_visit(
            session,
            rules,
            now,
            person_id=None,
            person=None,
            method=method,
            greeting=Greeting.UNVERIFIED,
            badge=(token.key_id, token.serial),
            token=token.text,
        )
    return _toggle_visit(
        session,
        rules,
        now,
        person_id=token.person_id,
        person=person,
        method=method,
        greeting=Greeting.PERSON if person is not None else Greeting.UNKNOWN_PERSON,
        badge=(token.key_id, token.serial),
    )


def record_manual_checkin(session: Session, person_id: str, now: datetime) -> ScanResult:
    """A worker picked their own name from the search results."""
    person = session.get(Person, person_id)
    if person is None or not person.active:
        return refused(BadgeProblem.PERSON_INACTIVE)
    return _toggle_visit(
        session,
        Rules.load(session),
        now,
        person_id=person.id,
        person=person,
        method=Method.MANUAL,
        greeting=Greeting.PERSON,
        badge=None,
    )


def record_trade_visit(session: Session, trade: Trade, now: datetime) -> ScanResult:
    """A badge-less worker tapped their trade: one anonymous 人次, never checked out."""
    visit = Visit(
        id=str(uuid.uuid4()),
        person_id=None,
        trade=trade.value,
        method=Method.TRADE.value,
        checked_in_at=now,
        auto_closed=False,
        unverified=False,
    )
    session.add(visit)
    _checked_in_event(session, visit, now)
    return ScanResult(
        Outcome.CHECKED_IN,
        Greeting.ANONYMOUS,
        visit_id=visit.id,
        trade=trade.value,
        checked_in_at=now,
    )


def close_stale_visits(
    session: Session,
    now: datetime,
    rules: Rules | None = None,
    *,
    owner: ColumnElement[bool] | None = None,
) -> int:
    """Auto-close open visits older than the cap (all, or ``owner``'s: a condition naming
    one person's or one unverified token's); returns how many. Trade visits are never open."""
    rules = rules or Rules.load(session)
    query = select(Visit).where(
        Visit.checked_out_at.is_(None),
        or_(Visit.person_id.is_not(None), Visit.badge_token.is_not(None)),
        Visit.checked_in_at <= now - rules.max_visit,
    )
    if owner is not None:
        query = query.where(owner)
    stale = list(session.scalars(query))
    for visit in stale:
        visit.checked_out_at = visit.checked_in_at + rules.max_visit
        visit.auto_closed = True
        checked_out_event(session, visit, now)
    return len(stale)


def _toggle_visit(
    session: Session,
    rules: Rules,
    now: datetime,
    *,
    person_id: str | None,
    person: Person | None,
    method: Method,
    greeting: Greeting,
    badge: tuple[str, int] | None,
    token: str | None = None,
) -> ScanResult:
    """Check in, acknowledge or check out the visits of one person, or (``token`` given,
    no person) of one unverified token."""
    owner = Visit.person_id == person_id if token is None else Visit.badge_token == token
    close_stale_visits(session, now, rules=rules, owner=owner)
    view = PersonView.of(person) if person is not None else None
    base = ScanResult(
        Outcome.CHECKED_IN,
        greeting,
        reason=None if greeting is Greeting.PERSON else greeting.value,
        person_id=person_id,
        person=view,
        trade=person.trade if person is not None else None,
    )
    # The open visit first: after the clock went back, a newer visit can carry an earlier
    # check-in time than an older, closed one.
    latest = session.scalar(
        select(Visit)
        .where(owner)
        .order_by(Visit.checked_out_at.is_(None).desc(), Visit.checked_in_at.desc())
        .limit(1)
    )
    # The guard counts both ways: a clock set back by hours must not stop a check-out (or
    # the next check-in) until it has caught up again.
    if latest is not None and latest.checked_out_at is None:
        if abs(now - latest.checked_in_at) < rules.guard:
            return _with_visit(base, Outcome.ALREADY_IN, latest)
        # A clock behind the check-in: the rest time is unknown, counted as none.
        latest.checked_out_at = max(now, latest.checked_in_at)
        checked_out_event(session, latest, now)
        return _with_visit(base, Outcome.CHECKED_OUT, latest)
    if (
        latest is not None
        and not latest.auto_closed
        and latest.checked_out_at is not None
        and abs(now - latest.checked_out_at) < rules.guard
    ):
        return _with_visit(base, Outcome.ALREADY_OUT, latest)

    visit = Visit(
        id=str(uuid.uuid4()),
        person_id=person_id,
        trade=base.trade,
        method=method.value,
        badge_key_id=badge[0] if badge else None,
        badge_serial=badge[1] if badge else None,
        checked_in_at=now,
        auto_closed=False,
        unverified=token is not None,
        badge_token=token,
        verification="pending" if token is not None else None,
    )
    session.add(visit)
    _checked_in_event(session, visit, now)
    checked_in = _with_visit(base, Outcome.CHECKED_IN, visit)
    if person_id is None:
        return checked_in
    month_visits = session.scalar(
        select(func.count(Visit.id)).where(
            Visit.person_id == person_id, Visit.checked_in_at >= rules.month_start(now)
        )
    )
    return replace(checked_in, month_visits=month_visits)


def _with_visit(base: ScanResult, outcome: Outcome, visit: Visit) -> ScanResult:
    rest = None
    if visit.checked_out_at is not None:
        rest = int((visit.checked_out_at - visit.checked_in_at).total_seconds())
    return replace(
        base,
        outcome=outcome,
        visit_id=visit.id,
        checked_in_at=visit.checked_in_at,
        checked_out_at=visit.checked_out_at,
        rest_seconds=rest,
    )


def _checked_in_event(session: Session, visit: Visit, now: datetime) -> None:
    session.flush()
    append_event(
        session,
        VisitCheckedIn(
            visit_id=visit.id,
            person_id=visit.person_id,
            trade=visit.trade,
            method=visit.method,
            badge_key_id=visit.badge_key_id,
            badge_serial=visit.badge_serial,
            checked_in_at=visit.checked_in_at,
            unverified=visit.unverified,
            # Only for a badge under an unknown key: the hub checks it (never shown here).
            badge_token=visit.badge_token or None,
        ),
        now,
    )


def checked_out_event(session: Session, visit: Visit, now: datetime) -> None:
    """The outbox event of a closed visit (the keeper's 在站人员 closes visits too)."""
    assert visit.checked_out_at is not None
    append_event(
        session,
        VisitCheckedOut(
            visit_id=visit.id,
            person_id=visit.person_id,
            checked_out_at=visit.checked_out_at,
            rest_seconds=int((visit.checked_out_at - visit.checked_in_at).total_seconds()),
            auto_closed=visit.auto_closed,
            # Only when someone else closed it: "keeper" (a check-out by touch, 在站人员).
            closed_by=visit.closed_by,
        ),
        now,
    )
