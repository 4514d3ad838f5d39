"""The station's roster: adding, importing, listing and finding people by pinyin."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.pinyin import normalize_query, search_keys
from kiosk.core.trades import Trade, parse_trade
from kiosk.events.schema import AS_STORED, PersonUpserted
from kiosk.store.models import Person
from kiosk.store.outbox import append_event

CSV_COLUMNS = ("name", "trade", "team", "party_member", "phone")
MAX_NAME_LENGTH = 20


class RosterError(ValueError):
    pass


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise RosterError("a name is required")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise RosterError(f"name longer than {MAX_NAME_LENGTH} characters: {cleaned!r}")
    return cleaned


def _person_upserted(p: Person) -> PersonUpserted:
    fields = {
        "person_id": p.id,
        "name": p.name,
        "trade": p.trade,
        "team": p.team,
        "party_member": p.party_member,
        "phone": p.phone,
        "active": p.active,
        "updated_at": p.updated_at,
    }
    # The station's roster does not limit every length the hub's does; the hub stores such
    # an event and leaves it out of its roster, as it always has.
    return PersonUpserted.model_validate(fields, context=AS_STORED)


def add_person(
    session: Session,
    now: datetime,
    *,
    name: str,
    trade: Trade | str,
    team: str | None = None,
    party_member: bool = False,
    phone: str | None = None,
) -> Person:
    cleaned = _clean_name(name)
    try:
        trade_value = trade if isinstance(trade, Trade) else parse_trade(trade)
    except ValueError as e:
        raise RosterError(str(e)) from None
    person = Person(
        id=str(uuid.uuid4()),
        name=cleaned,
        pinyin_keys=" ".join(search_keys(cleaned)),
        trade=trade_value.value,
        team=(team or "").strip() or None,
        party_member=party_member,
        phone=(phone or "").strip() or None,
        active=True,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    session.flush()
    append_event(session, _person_upserted(person), now)
    return person


def set_active(session: Session, person: Person, active: bool, now: datetime) -> None:
    person.active = active
    person.updated_at = now
    append_event(session, _person_upserted(person), now)


_TRUE = {"1", "true", "yes", "y", "是", "党员", "x", "✓"}


@dataclass(frozen=True)
class RosterRow:
    """One row of a roster CSV: its line, and its fields for :func:`add_person`, or why not."""

    line: int
    name: str
    fields: dict[str, object] | None = None
    reason: str | None = None


def check_roster_csv(text: str) -> list[RosterRow]:
    """Every non-empty row of a roster CSV, each either parsed or refused with its reason.

    Raises :class:`RosterError` only when the file as a whole is wrong (missing columns).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    if "name" not in header or "trade" not in header:
        raise RosterError(f"CSV needs columns {', '.join(CSV_COLUMNS)}; found {header}")
    rows: list[RosterRow] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        name = row.get("name", "")
        try:
            fields = {
                "name": _clean_name(name),
                "trade": parse_trade(row.get("trade", "")),
                "team": row.get("team") or None,
                "party_member": row.get("party_member", "").lower() in _TRUE,
                "phone": row.get("phone") or None,
            }
        except ValueError as e:
            rows.append(RosterRow(line_no, name, reason=str(e)))
        else:
            rows.append(RosterRow(line_no, str(fields["name"]), fields))
    return rows


def parse_roster_csv(text: str) -> list[dict[str, object]]:
    """Rows of a roster CSV as keyword arguments for :func:`add_person`.

    Raises :class:`RosterError` naming the first bad line, so nothing is half-imported.
    """
    rows = check_roster_csv(text)
    for row in rows:
        if row.fields is None:
            raise RosterError(f"line {row.line}: {row.reason}")
    return [row.fields for row in rows if row.fields is not None]


def _decode_csv(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RosterError(f"cannot read {path}: {e.strerror}") from None
    for encoding in ("utf-8", "gb18030"):  # Excel in China saves GB18030 by default
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"{path} is neither UTF-8 nor GB18030 text")


def read_roster_csv(path: Path) -> list[dict[str, object]]:
    return parse_roster_csv(_decode_csv(path))


def check_roster_file(path: Path) -> list[RosterRow]:
    """:func:`check_roster_csv` on a UTF-8 or GB18030 file."""
    return check_roster_csv(_decode_csv(path))


# -- importing ------------------------------------------------------------------------------------

Action = Literal["added", "updated", "unchanged", "refused"]
ACTIONS: tuple[Action, ...] = ("added", "updated", "unchanged", "refused")


@dataclass(frozen=True)
class RowOutcome:
    line: int
    name: str
    action: Action
    person_id: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ImportSummary:
    """What an import did, row by row; ``imported`` is False when a refused row stopped it."""

    rows: list[RowOutcome]
    imported: bool

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def refused(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.action == "refused"]


def import_rows(session: Session, rows: list[RosterRow], now: datetime) -> ImportSummary:
    """All rows in the caller's transaction, or none if any row is refused.

    As on the hub (``kiosk.hub.roster``), a row whose name and phone match a person already
    here updates that person (or leaves them unchanged) instead of adding a second one, so
    importing the month's list again is safe. A row without a phone always adds a person.
    """
    refused = [
        RowOutcome(r.line, r.name, "refused", reason=r.reason) for r in rows if r.fields is None
    ]
    if refused:
        return ImportSummary(refused, imported=False)
    known = _known_by_name_phone(session, rows)
    outcomes: list[RowOutcome] = []
    for row in rows:
        assert row.fields is not None
        fields = row.fields
        phone = fields["phone"]
        person = known.get((str(fields["name"]), str(phone))) if phone else None
        if person is None:
            person = add_person(session, now, **fields)  # type: ignore[arg-type]
            action: Action = "added"
            if phone:  # a later row with the same name and phone updates this person
                known[(person.name, str(phone))] = person
        else:
            action = "updated" if _update(session, person, fields, now) else "unchanged"
        outcomes.append(RowOutcome(row.line, person.name, action, person.id))
    return ImportSummary(outcomes, imported=True)


def _known_by_name_phone(session: Session, rows: list[RosterRow]) -> dict[tuple[str, str], Person]:
    """People here (also inactive ones) whose name and phone a row may match; oldest first."""
    names = sorted({str(r.fields["name"]) for r in rows if r.fields and r.fields["phone"]})
    known: dict[tuple[str, str], Person] = {}
    for start in range(0, len(names), 500):  # well under SQLite's bound-value cap
        query = (
            select(Person)
            .where(Person.name.in_(names[start : start + 500]), Person.phone.is_not(None))
            .order_by(Person.created_at, Person.id)
        )
        for person in session.scalars(query):
            known.setdefault((person.name, str(person.phone)), person)
    return known


def _update(session: Session, person: Person, fields: dict[str, object], now: datetime) -> bool:
    """Apply a row to a matched person; False when nothing changed (no event then)."""
    trade = fields["trade"]
    wanted = {
        "trade": trade.value if isinstance(trade, Trade) else str(trade),
        "team": fields["team"],
        "party_member": bool(fields["party_member"]),
        "active": True,
    }
    if all(getattr(person, key) == value for key, value in wanted.items()):
        return False
    for key, value in wanted.items():
        setattr(person, key, value)
    person.updated_at = now
    append_event(session, _person_upserted(person), now)
    return True


def list_people(session: Session, include_inactive: bool = False) -> list[Person]:
    query = select(Person).order_by(Person.pinyin_keys, Person.name)
    if not include_inactive:
        query = query.where(Person.active.is_(True))
    return list(session.scalars(query))


def _rank(person: Person, q: str) -> int | None:
    """Lower is better; None means no match."""
    name = person.name.lower()
    if name == q:
        return 0
    if name.startswith(q):
        return 1
    keys = person.pinyin_keys.split()
    if q in keys:
        return 2 if len(q) <= len(person.name) else 3  # exact initials, then exact full
    if any(k.startswith(q) for k in keys):
        return 4
    if q in name:
        return 5
    return None


def find_people(session: Session, query: str, limit: int = 12) -> list[Person]:
    """Active people matching characters, pinyin initials or full pinyin, best first."""
    q = normalize_query(query)
    if not q:
        return []
    ranked = [(r, p) for p in list_people(session) if (r := _rank(p, q)) is not None]
    ranked.sort(key=lambda rp: (rp[0], len(rp[1].name), rp[1].pinyin_keys))
    return [p for _, p in ranked[:limit]]
