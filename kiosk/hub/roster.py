"""The bureau's roster on the hub: CSV import, lookup, badge revocation by person.

Imports read the same CSV as ``kiosk person import`` (``kiosk.core.roster``). A row whose
name and phone match a person already on the hub updates that person instead of adding
a second one, so importing the month's list again is safe. Every change reaches every
station through the change feed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.roster import RosterError, read_roster_csv
from kiosk.core.trades import Trade
from kiosk.hub import projections
from kiosk.hub.models import HubPerson
from kiosk.sync.protocol import PersonInfo


class HubRosterError(Exception):
    """Bad input for a roster command; the message says which."""


@dataclass(frozen=True)
class Imported:
    person_id: str
    name: str
    trade: str
    created: bool


def read_csv(path: Path) -> list[dict[str, object]]:
    try:
        return read_roster_csv(path)
    except RosterError as e:
        raise HubRosterError(str(e)) from None


def _match(session: Session, name: str, phone: str | None) -> HubPerson | None:
    if not phone:
        return None
    return session.scalar(
        select(HubPerson).where(HubPerson.name == name, HubPerson.phone == phone).limit(1)
    )


def import_people(session: Session, rows: list[dict[str, object]], now: datetime) -> list[Imported]:
    """All rows in the caller's transaction (all or none)."""
    done: list[Imported] = []
    for row in rows:
        trade = row["trade"]
        name, phone = str(row["name"]), (str(row["phone"]) if row.get("phone") else None)
        existing = _match(session, name, phone)
        info = PersonInfo(
            person_id=existing.id if existing else str(uuid.uuid4()),
            name=name,
            trade=trade.value if isinstance(trade, Trade) else str(trade),
            team=str(row["team"]) if row.get("team") else None,
            party_member=bool(row.get("party_member")),
            phone=phone,
            active=True,
            updated_at=now,
        )
        projections.upsert_person(session, info, None, now)
        done.append(Imported(info.person_id, info.name, info.trade, existing is None))
    return done


def resolve_person(session: Session, text: str) -> HubPerson:
    """A full person id, or a unique prefix of at least 4 characters."""
    text = text.strip().lower()
    person = session.get(HubPerson, text)
    if person is not None:
        return person
    found = (
        list(session.scalars(select(HubPerson).where(HubPerson.id.startswith(text)).limit(2)))
        if len(text) >= 4
        else []
    )
    if len(found) != 1:
        raise HubRosterError(f"no single person with id {text!r}")
    return found[0]


def list_people(session: Session) -> list[HubPerson]:
    return list(session.scalars(select(HubPerson).order_by(HubPerson.name, HubPerson.id)))
