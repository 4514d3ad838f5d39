"""Issuing and revoking badges in the station database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.badges import issue_token
from kiosk.events.schema import BadgeIssued, BadgeRevoked
from kiosk.store.models import Badge, Person
from kiosk.store.outbox import append_event


@dataclass(frozen=True)
class IssuedBadge:
    person_id: str
    name: str
    trade: str
    serial: int
    token: str
    file: Path | None = None


def issue_badge(
    session: Session,
    private_key: Ed25519PrivateKey,
    key_id: str,
    person: Person,
    today: date,
    now: datetime,
    expires_on: date | None = None,
) -> IssuedBadge:
    """A new badge with the next serial under this station's key."""
    last = session.scalar(select(func.max(Badge.serial)).where(Badge.key_id == key_id))
    serial = (last or 0) + 1
    token = issue_token(private_key, key_id, person.id, serial, today, expires_on)
    session.add(
        Badge(
            person_id=person.id,
            key_id=key_id,
            serial=serial,
            issued_on=today,
            expires_on=expires_on,
        )
    )
    append_event(
        session,
        BadgeIssued(
            person_id=person.id,
            key_id=key_id,
            serial=serial,
            issued_on=today,
            expires_on=expires_on,
        ),
        now,
    )
    return IssuedBadge(person.id, person.name, person.trade, serial, token)


def live_badge(
    session: Session,
    private_key: Ed25519PrivateKey,
    key_id: str,
    person: Person,
    today: date,
) -> IssuedBadge | None:
    """The person's newest live badge under this key, its token rebuilt (not reissued).

    Ed25519 signatures are deterministic, so the same fields give the same token: a lost
    card file can be printed again without a new serial.
    """
    badge = session.scalar(
        select(Badge)
        .where(Badge.person_id == person.id, Badge.key_id == key_id, Badge.revoked_at.is_(None))
        .order_by(Badge.serial.desc())
        .limit(1)
    )
    if badge is None or (badge.expires_on is not None and badge.expires_on < today):
        return None
    token = issue_token(
        private_key, key_id, person.id, badge.serial, badge.issued_on, badge.expires_on
    )
    return IssuedBadge(person.id, person.name, person.trade, badge.serial, token)


def revoke_badges(session: Session, person_id: str, now: datetime) -> list[Badge]:
    """Revoke every live badge of a person (a lost card); returns the badges revoked."""
    live = list(
        session.scalars(
            select(Badge).where(Badge.person_id == person_id, Badge.revoked_at.is_(None))
        )
    )
    for badge in live:
        badge.revoked_at = now
        append_event(
            session,
            BadgeRevoked(
                person_id=person_id, key_id=badge.key_id, serial=badge.serial, revoked_at=now
            ),
            now,
        )
    return live
