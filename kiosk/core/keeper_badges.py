"""工牌 behind the PIN (issue 15), Qt-free: what a person's badge is, print it again, or
revoke a lost card and issue its replacement in one transaction; and 摄像头检查, reading a
badge the way a check-in would without recording anything (:func:`read_badge`).

The badge records and their ``badge.issued``/``badge.revoked`` events are
``core/badge_registry.py``'s; every keeper step here also leaves a ``keeper.action`` event
(``badge.issued``, ``badge.replaced``, ``badge.printed``). The card itself is drawn by
``core/badge_card.py`` (the printer) or ``core/badge_sheet.py`` (a PDF on a USB stick).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core import badge_registry
from kiosk.core.badge_card import CardSpec
from kiosk.core.badges import BadgeError, check_badge
from kiosk.core.keeper import Action, keeper_event
from kiosk.core.results import BadgeProblem
from kiosk.store.models import Badge, KeyringEntry, Person


class CardRefused(Exception):
    """The person cannot get a card (gone from the roster, or made inactive)."""


@dataclass(frozen=True)
class BadgeView:
    """What the 工牌 screen shows of a person: their live badge, if any."""

    person_id: str
    name: str
    trade: str
    active: bool
    serial: int | None  # the newest live badge under this station's key
    issued_on: date | None
    revoked: int  # how many of their badges are revoked


@dataclass(frozen=True)
class CardToPrint:
    """A card ready to draw: the token is the badge's own (same fields, same signature)."""

    person_id: str
    serial: int
    spec: CardSpec
    revoked_serials: tuple[int, ...] = ()

    def pdf_name(self) -> str:
        """The file a card saved to a stick is called: ``工牌_张建国_7.pdf``."""
        safe = "".join(c for c in self.spec.name if c not in '/\\:*?"<>|').strip() or "人员"
        return f"工牌_{safe}_{self.serial}.pdf"


def badge_view(session: Session, person_id: str, key_id: str, today: date) -> BadgeView | None:
    person = session.get(Person, person_id)
    if person is None:
        return None
    badges = list(session.scalars(select(Badge).where(Badge.person_id == person_id)))
    live = [
        b
        for b in badges
        if b.key_id == key_id
        and b.revoked_at is None
        and (b.expires_on is None or b.expires_on >= today)
    ]
    newest = max(live, key=lambda b: b.serial, default=None)
    return BadgeView(
        person.id,
        person.name,
        person.trade,
        person.active,
        newest.serial if newest else None,
        newest.issued_on if newest else None,
        sum(b.revoked_at is not None for b in badges),
    )


def _person(session: Session, person_id: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise CardRefused(person_id)
    return person


def card_for(
    session: Session,
    key: Ed25519PrivateKey,
    key_id: str,
    person_id: str,
    station: str,
    today: date,
    now: datetime,
) -> CardToPrint:
    """The person's live card to print again, or a new badge when none is live."""
    person = _person(session, person_id)
    issued = badge_registry.live_badge(session, key, key_id, person, today)
    if issued is None:
        issued = badge_registry.issue_badge(session, key, key_id, person, today, now)
        keeper_event(session, Action.BADGE_ISSUED, now, person_id=person.id, serial=issued.serial)
    spec = CardSpec(issued.token, issued.name, issued.trade, station, person.team)
    return CardToPrint(person.id, issued.serial, spec)


def replace_lost(
    session: Session,
    key: Ed25519PrivateKey,
    key_id: str,
    person_id: str,
    station: str,
    today: date,
    now: datetime,
) -> CardToPrint:
    """A lost card: revoke every live badge of the person and issue the next one, together."""
    person = _person(session, person_id)
    revoked = tuple(b.serial for b in badge_registry.revoke_badges(session, person.id, now))
    issued = badge_registry.issue_badge(session, key, key_id, person, today, now)
    keeper_event(
        session,
        Action.BADGE_REPLACED,
        now,
        person_id=person.id,
        revoked=list(revoked),
        serial=issued.serial,
    )
    spec = CardSpec(issued.token, issued.name, issued.trade, station, person.team)
    return CardToPrint(person.id, issued.serial, spec, revoked)


def printed(session: Session, card: CardToPrint, where: str, now: datetime) -> None:
    """Audit a printed card: ``where`` is ``printer`` or ``pdf`` (saved to a stick)."""
    keeper_event(
        session, Action.BADGE_PRINTED, now, person_id=card.person_id, serial=card.serial, to=where
    )


def save_pdf(card: CardToPrint, folder: Path) -> Path:
    """The card on an A4 page with cut marks, written atomically into ``folder`` (a stick).

    Raises ``ExportError`` (full, read-only, pulled out) and leaves no half-written file.
    """
    from kiosk.core.badge_sheet import SheetError, write_badge_sheet
    from kiosk.core.export import ExportError, ExportProblem, classify

    out = folder / card.pdf_name()
    try:
        write_badge_sheet([card.spec], out, title=card.spec.station)
    except SheetError as e:
        cause = e.__cause__ or e.__context__
        problem = classify(cause) if isinstance(cause, OSError) else ExportProblem.OTHER
        raise ExportError(problem, str(e)) from None
    except OSError as e:
        raise ExportError(classify(e), e.strerror or "") from None
    return out


# -- 摄像头检查: read, never record ---------------------------------------------------------------


@dataclass(frozen=True)
class BadgeReading:
    """What a check-in would make of a code, without checking anyone in.

    ``name`` only when the signature verified under a known key (never name anyone before);
    ``problem`` a ``BadgeProblem`` a check-in would refuse with; ``key_known`` False for a
    well-formed badge under a key this station has not learned yet.
    """

    name: str | None
    problem: str | None
    key_known: bool = True


def read_badge(session: Session, text: str, today: date, keyring: dict[str, bytes]) -> BadgeReading:
    """The checks of ``checkin.record_badge_scan`` in the same order; writes nothing."""
    try:
        check = check_badge(text, keyring, today)
    except BadgeError as e:
        return BadgeReading(None, e.problem)
    token = check.token
    badge = session.scalar(
        select(Badge).where(Badge.key_id == token.key_id, Badge.serial == token.serial)
    )
    key = session.get(KeyringEntry, token.key_id)
    if (badge and badge.revoked_at) or (key and key.revoked_at):
        return BadgeReading(None, BadgeProblem.REVOKED)
    person = session.get(Person, token.person_id)
    if person is not None and not person.active:
        return BadgeReading(None, BadgeProblem.PERSON_INACTIVE)
    if not check.key_known:
        return BadgeReading(None, None, key_known=False)
    return BadgeReading(person.name if person is not None else None, None)
