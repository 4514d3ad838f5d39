"""The station's roster: adding, importing, listing and finding people by pinyin."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.pinyin import normalize_query, search_keys
from kiosk.core.trades import Trade, parse_trade
from kiosk.store.models import Person
from kiosk.store.outbox import EventType, append_event, iso

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


def _person_payload(p: Person) -> dict[str, object]:
    return {
        "person_id": p.id,
        "name": p.name,
        "trade": p.trade,
        "team": p.team,
        "party_member": p.party_member,
        "phone": p.phone,
        "active": p.active,
        "updated_at": iso(p.updated_at),
    }


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
    append_event(session, EventType.PERSON_UPSERTED, _person_payload(person), now)
    return person


def set_active(session: Session, person: Person, active: bool, now: datetime) -> None:
    person.active = active
    person.updated_at = now
    append_event(session, EventType.PERSON_UPSERTED, _person_payload(person), now)


_TRUE = {"1", "true", "yes", "y", "是", "党员", "x", "✓"}


def parse_roster_csv(text: str) -> list[dict[str, object]]:
    """Rows of a roster CSV as keyword arguments for :func:`add_person`.

    Raises :class:`RosterError` naming the first bad line, so nothing is half-imported.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    if "name" not in header or "trade" not in header:
        raise RosterError(f"CSV needs columns {', '.join(CSV_COLUMNS)}; found {header}")
    rows: list[dict[str, object]] = []
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            rows.append(
                {
                    "name": _clean_name(row.get("name", "")),
                    "trade": parse_trade(row.get("trade", "")),
                    "team": row.get("team") or None,
                    "party_member": row.get("party_member", "").lower() in _TRUE,
                    "phone": row.get("phone") or None,
                }
            )
        except ValueError as e:
            raise RosterError(f"line {line_no}: {e}") from None
    return rows


def read_roster_csv(path: Path) -> list[dict[str, object]]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RosterError(f"cannot read {path}: {e.strerror}") from None
    for encoding in ("utf-8", "gb18030"):  # Excel in China saves GB18030 by default
        try:
            return parse_roster_csv(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise RosterError(f"{path} is neither UTF-8 nor GB18030 text")


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
