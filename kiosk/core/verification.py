"""Checking, once a key is learned, the visits made with badges under that key.

A badge under a key this station had not learned was recorded as nobody's visit with its
token kept (``verification = "pending"``). When sync brings the key, the station's pending
visits of the last 30 days under it are checked once, in the transaction that learned the
key (on the database thread):

* the signature verifies → the visit becomes that person's (``verified``), event
  ``visit.verified``;
* it does not → ``forged``; signed by a key revoked before the visit, or a badge revoked
  before it → ``revoked``; event ``visit.forged`` with the reason.

Nothing is deleted. Older pending visits are left for the hub, which checks every one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.badges import BadgeError, parse_token, verify_signature
from kiosk.events.schema import VisitForged, VisitVerified
from kiosk.store.models import Badge, Person, Visit
from kiosk.store.outbox import append_event

log = logging.getLogger(__name__)
RECHECK_WINDOW = timedelta(days=30)
PENDING = "pending"
VERIFIED = "verified"
FORGED = "forged"
REVOKED = "revoked"


@dataclass
class Rechecked:
    verified: int = 0
    forged: int = 0
    revoked: int = 0


def recheck_pending(
    session: Session,
    key_id: str,
    public_key: bytes,
    key_revoked_at: datetime | None,
    now: datetime,
) -> Rechecked:
    """Check this key's pending visits of the last 30 days, in the caller's transaction."""
    done = Rechecked()
    pending = session.scalars(
        select(Visit)
        .where(
            Visit.verification == PENDING,
            Visit.badge_key_id == key_id,
            Visit.checked_in_at >= now - RECHECK_WINDOW,
        )
        .order_by(Visit.checked_in_at)
    )
    for visit in list(pending):
        verdict, reason = _judge(session, visit, public_key, key_revoked_at)
        visit.verification, visit.rechecked_at = verdict, now
        if verdict == VERIFIED:
            _link(session, visit, now)
            done.verified += 1
        else:
            _forged(session, visit, reason, now)
            if verdict == FORGED:
                done.forged += 1
            else:
                done.revoked += 1
    if done.verified or done.forged or done.revoked:
        log.info(
            "key %s learned: %d pending visit(s) verified, %d forged, %d revoked",
            key_id,
            done.verified,
            done.forged,
            done.revoked,
        )
    return done


def _judge(
    session: Session, visit: Visit, public_key: bytes, key_revoked_at: datetime | None
) -> tuple[str, str]:
    """``(verdict, reason)`` for one pending visit."""
    try:
        token = parse_token(visit.badge_token or "")
        if token.key_id != visit.badge_key_id:
            return FORGED, "bad_signature"
        verify_signature(token, public_key)
    except BadgeError as e:
        return FORGED, e.problem.value
    if key_revoked_at is not None and key_revoked_at <= visit.checked_in_at:
        return REVOKED, "key_revoked"
    badge = session.scalar(
        select(Badge).where(Badge.key_id == token.key_id, Badge.serial == token.serial)
    )
    if badge is not None and badge.revoked_at and badge.revoked_at <= visit.checked_in_at:
        return REVOKED, "badge_revoked"
    return VERIFIED, ""


def _link(session: Session, visit: Visit, now: datetime) -> None:
    token = parse_token(visit.badge_token or "")
    person = session.get(Person, token.person_id)
    visit.person_id = token.person_id
    visit.unverified = False
    if visit.trade is None and person is not None:
        visit.trade = person.trade
    append_event(
        session,
        VisitVerified(
            visit_id=visit.id,
            person_id=visit.person_id,
            trade=visit.trade,
            badge_key_id=visit.badge_key_id,
            badge_serial=visit.badge_serial,
            checked_in_at=visit.checked_in_at,
            verified_at=now,
        ),
        now,
    )


def _forged(session: Session, visit: Visit, reason: str, now: datetime) -> None:
    append_event(
        session,
        VisitForged(
            visit_id=visit.id,
            verdict=visit.verification,
            reason=reason,
            badge_key_id=visit.badge_key_id,
            badge_serial=visit.badge_serial,
            checked_in_at=visit.checked_in_at,
            checked_at=now,
        ),
        now,
    )
