"""The hub's own check of badges the stations could not verify.

A station that does not know a badge's key records a visit of nobody with the token
(``visit.checked_in`` with ``unverified`` and ``badge_token``). The hub has every enrolled
station's key, so it checks the token itself: at ingest, and again when a key it did not
have arrives (a station enrolled late). Its verdict, not the station's, decides whether the
visit counts; a station's own later verdict (``visit.verified`` / ``visit.forged``) is kept
beside it as information.

Only visits whose verification is ``station`` or ``hub`` enter any figure. The rest stay
stored, flagged with why (:func:`excluded_reason`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.badges import BadgeError, parse_token, verify_signature
from kiosk.hub.models import HubBadge, HubStation

# A visit whose key has not arrived within this long is unverifiable for good: a month's
# figures settle instead of changing whenever a long-lost station enrols.
WINDOW = timedelta(days=30)


class Verification(StrEnum):
    STATION = "station"  # verified by the station at the scan, or no badge (manual, trade)
    HUB = "hub"  # the station could not check it; the hub did, and it verifies
    PENDING = "pending"  # signed by a key the hub does not have (yet)
    FORGED = "forged"  # the signature does not verify, or the token does not parse
    REVOKED = "revoked"  # signed by a key, or a badge, revoked before the visit
    UNVERIFIABLE = "unverifiable"  # nothing to check (an older station sent no token)


COUNTED = frozenset({Verification.STATION.value, Verification.HUB.value})
# Why a visit is left out of the figures, as ``kiosk-hub stats`` says it.
REASONS = {
    Verification.FORGED: "badge signature does not verify",
    Verification.REVOKED: "badge or its key revoked before the visit",
    Verification.UNVERIFIABLE: "badge could not be checked within 30 days",
    Verification.PENDING: "waiting for the key of the station that issued the badge",
}


@dataclass(frozen=True)
class HubKey:
    public: bytes
    revoked_at: datetime | None


def keyring(session: Session) -> dict[str, HubKey]:
    """The keys of enrolled stations. Only a key given at enrolment is trusted: a key in an
    event's payload could be anything the pushing station chose."""
    rows = session.execute(
        select(HubStation.key_id, HubStation.public_key, HubStation.key_revoked_at).where(
            HubStation.key_id.is_not(None), HubStation.public_key.is_not(None)
        )
    )
    return {kid: HubKey(bytes.fromhex(pub), revoked) for kid, pub, revoked in rows}


@dataclass(frozen=True)
class Verdict:
    verification: Verification
    person_id: str | None = None  # the badge's holder, when it verifies


def judge(
    session: Session,
    token_text: str | None,
    claimed_key_id: str | None,
    checked_in_at: datetime | None,
    ring: dict[str, HubKey],
) -> Verdict:
    """Check one unverified visit's token against the hub's keyring."""
    if not token_text:
        return Verdict(Verification.UNVERIFIABLE)
    try:
        token = parse_token(token_text)
    except BadgeError:
        return Verdict(Verification.FORGED)
    if claimed_key_id and claimed_key_id != token.key_id:
        return Verdict(Verification.FORGED)
    key = ring.get(token.key_id)
    if key is None:
        return Verdict(Verification.PENDING)
    try:
        verify_signature(token, key.public)
    except BadgeError:
        return Verdict(Verification.FORGED)
    when = checked_in_at
    if key.revoked_at is not None and (when is None or key.revoked_at <= when):
        return Verdict(Verification.REVOKED)
    badge = session.scalar(
        select(HubBadge.revoked_at).where(
            HubBadge.key_id == token.key_id, HubBadge.serial == token.serial
        )
    )
    if badge is not None and (when is None or badge <= when):
        return Verdict(Verification.REVOKED)
    return Verdict(Verification.HUB, token.person_id)


def token_person(token_text: str | None) -> str | None:
    """The person a token claims to be (for locking before the check); None if unreadable."""
    if not token_text:
        return None
    try:
        return parse_token(token_text).person_id
    except BadgeError:
        return None


def excluded_reason(verification: str, checked_in_at: datetime | None, now: datetime) -> str | None:
    """Why a visit is left out of every figure; None when it counts."""
    if verification in COUNTED:
        return None
    if verification == Verification.PENDING and (
        checked_in_at is None or checked_in_at < now - WINDOW
    ):
        return Verification.UNVERIFIABLE.value
    return str(verification)
