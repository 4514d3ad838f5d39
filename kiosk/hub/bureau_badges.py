"""Bureau-issued badges: the hub's own Ed25519 signing key, its public half in every
station's keyring (through the change feed and the enrolment answer), badges issued and
revoked on the hub.

The private key is a PEM file (mode 0600) at ``$KIOSK_HUB_BADGE_KEY`` or next to the
default database; it is never stored in the database, so a copy of the database cannot
forge badges. Every hub process must read the same file (copy it to each hub VM); a process
that finds no file creates one, and a second key published by mistake is only a second
trusted key, never a broken badge. The key is published once, in the transaction of the
first badge issued with it: a ``key`` change with station id :data:`BUREAU`, and a
``hub_meta`` row ``bureau_key:<key id>`` so stations enrolled later get it in their keyring.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.badges import issue_token
from kiosk.core.keys import generate_private_key, key_id_of, load_private_key, public_raw
from kiosk.hub import feed, projections
from kiosk.hub.models import HubBadge, HubMeta, HubPerson
from kiosk.sync.protocol import BadgeInfo, KeyInfo

KEY_ENV = "KIOSK_HUB_BADGE_KEY"
BUREAU = "bureau"
BUREAU_NAME = "城管局"
_META_PREFIX = "bureau_key:"


def default_key_path() -> Path:
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("station-kiosk-hub", appauthor=False)) / (
        "badge-signing.pem"
    )


@dataclass(frozen=True)
class BureauKey:
    private: Ed25519PrivateKey
    key_id: str
    public_hex: str

    @classmethod
    def load_or_create(cls, path: Path) -> BureauKey:
        try:
            key = load_private_key(path)
        except FileNotFoundError:
            try:
                key = generate_private_key(path)
            except FileExistsError:  # another process made it just now
                key = load_private_key(path)
        raw = public_raw(key)
        return cls(key, key_id_of(raw), raw.hex())

    def info(self) -> KeyInfo:
        return KeyInfo(
            key_id=self.key_id,
            public_key=self.public_hex,
            station_id=BUREAU,
            station_name=BUREAU_NAME,
        )


def publish_key(session: Session, key: BureauKey, now: datetime) -> bool:
    """Announce the key to every station once; True when announced now."""
    feed.lock_feed(session)
    name = _META_PREFIX + key.key_id
    if session.get(HubMeta, name) is not None:
        return False
    session.add(HubMeta(key=name, value=key.public_hex))
    feed.append(session, "key", None, key.info().model_dump(mode="json"), now)
    return True


def bureau_keys(session: Session) -> list[KeyInfo]:
    """Every bureau key published so far, for the keyring sent at enrolment."""
    rows = session.scalars(select(HubMeta).where(HubMeta.key.startswith(_META_PREFIX)))
    return [
        KeyInfo(
            key_id=r.key[len(_META_PREFIX) :],
            public_key=r.value,
            station_id=BUREAU,
            station_name=BUREAU_NAME,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Issued:
    person_id: str
    name: str
    trade: str
    serial: int
    token: str
    team: str | None = None


def issue(
    session: Session, key: BureauKey, people: list[HubPerson], today: date, now: datetime
) -> list[Issued]:
    """A new badge for each person under the bureau key, in the caller's transaction; each
    enters the feed, so stations know the serial (and later its revocation)."""
    publish_key(session, key, now)
    last = session.scalar(select(func.max(HubBadge.serial)).where(HubBadge.key_id == key.key_id))
    serial = last or 0
    done = []
    for person in people:
        serial += 1
        token = issue_token(key.private, key.key_id, person.id, serial, today)
        info = BadgeInfo(person_id=person.id, key_id=key.key_id, serial=serial, issued_on=today)
        projections.upsert_badge(session, info, None, now)
        done.append(Issued(person.id, person.name, person.trade, serial, token, person.team))
    return done


def replace(
    session: Session, key: BureauKey, person: HubPerson, today: date, now: datetime
) -> Issued:
    """Revoke every badge of the person (lost card), then issue the replacement: one step."""
    projections.revoke_person_badges(session, person.id, now)
    return issue(session, key, [person], today, now)[0]
