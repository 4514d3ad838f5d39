"""The bureau's roster on the hub: CSV import, lookup, badge revocation by person.

Imports read the same CSV as ``kiosk person import`` (``kiosk.core.roster``). A row whose
name and phone match a person already on the hub updates that person instead of adding
a second one, so importing the month's list again is safe. Every change reaches every
station through the change feed. The people a file may match are read once per import
(index ``ix_hub_people_name_phone``), not with one query per row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, String, and_, bindparam, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from kiosk.core.trades import Trade
from kiosk.events.schema import PersonUpserted
from kiosk.hub import projections
from kiosk.hub.models import HubPerson

LOOKUP_CHUNK = 500  # SQLite: names per query, well under its limit of bound parameters


class HubRosterError(Exception):
    """Bad input for a roster command; the message says which."""


@dataclass(frozen=True)
class Imported:
    person_id: str
    name: str
    trade: str
    created: bool


def read_csv(path: Path) -> list[dict[str, object]]:
    from kiosk.core.roster import RosterError, read_roster_csv  # pypinyin: only when importing

    try:
        return read_roster_csv(path)
    except RosterError as e:
        raise HubRosterError(str(e)) from None


def _known(session: Session, rows: list[dict[str, object]]) -> dict[tuple[str, str], HubPerson]:
    """People already on the hub whose name and phone a row may match, keyed by both.

    Read as entities and kept by the caller, so projecting a matched row finds its person in
    the session instead of reading it again.
    """
    pairs = sorted({(str(r["name"]), str(r["phone"])) for r in rows if r.get("phone")})
    postgres = session.get_bind().dialect.name == "postgresql"
    chunk = max(len(pairs), 1) if postgres else LOOKUP_CHUNK
    known: dict[tuple[str, str], HubPerson] = {}
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        query = _by_pairs(part) if postgres else _by_names(part)
        for person in session.scalars(query.order_by(HubPerson.id)):
            assert person.phone is not None
            known.setdefault((person.name, person.phone), person)
    return known


def _by_names(pairs: list[tuple[str, str]]) -> Select[tuple[HubPerson]]:
    """SQLite: each name looked up in ``ix_hub_people_name_phone``; phones compared after."""
    names = sorted({name for name, _ in pairs})
    return select(HubPerson).where(HubPerson.name.in_(names), HubPerson.phone.is_not(None))


def _by_pairs(pairs: list[tuple[str, str]]) -> Select[tuple[HubPerson]]:
    """PostgreSQL: all pairs in one statement, joined as two arrays (two parameters, whatever
    their length). An ``IN`` list of names would be planned once, when psycopg prepares the
    repeated statement, and then compared name by name with every row if the table grew."""
    wanted = (
        func.unnest(
            cast(bindparam("names", [name for name, _ in pairs]), ARRAY(String)),
            cast(bindparam("phones", [phone for _, phone in pairs]), ARRAY(String)),
        )
        .table_valued("name", "phone")
        .render_derived(name="wanted")
    )
    return select(HubPerson).join(
        wanted, and_(HubPerson.name == wanted.c.name, HubPerson.phone == wanted.c.phone)
    )


def import_people(session: Session, rows: list[dict[str, object]], now: datetime) -> list[Imported]:
    """All rows in the caller's transaction (all or none)."""
    known = _known(session, rows)
    matched = {key: person.id for key, person in known.items()}
    done: list[Imported] = []
    for row in rows:
        trade = row["trade"]
        name, phone = str(row["name"]), (str(row["phone"]) if row.get("phone") else None)
        existing = matched.get((name, phone)) if phone else None
        info = PersonUpserted(
            person_id=existing or str(uuid.uuid4()),
            name=name,
            trade=trade.value if isinstance(trade, Trade) else str(trade),
            team=str(row["team"]) if row.get("team") else None,
            party_member=bool(row.get("party_member")),
            phone=phone,
            active=True,
            updated_at=now,
        )
        projections.upsert_person(session, info, None, now)
        if existing is None and phone:
            # A later row with the same name and phone updates this person, not a third one.
            matched[(name, phone)] = info.person_id
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
