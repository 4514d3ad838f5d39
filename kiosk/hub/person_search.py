"""The console's person search in SQL: a name fragment (any letter case), or the start of a
pinyin key.

``hub_person_keys`` holds every search key of every name (``kiosk.core.pinyin.search_keys``:
full pinyin and initials for every reading). A query is matched by an index range on the key
(``zs`` ≤ key < ``zt``), never by loading the roster into Python, so a search costs the same
at 100 people and at 100,000. The bounds are plain lowercase letters, whose order is the same
under SQLite's byte order and under any PostgreSQL collation, so no ``LIKE`` and no special
index operator class is needed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, true
from sqlalchemy.orm import Session

from kiosk.core.pinyin import normalize_query, search_keys
from kiosk.hub.models import HubPerson, HubPersonKey


def set_keys(session: Session, person_id: str, name: str) -> None:
    """Replace a person's search keys with those of ``name``."""
    session.execute(delete(HubPersonKey).where(HubPersonKey.person_id == person_id))
    session.add_all(HubPersonKey(key=k, person_id=person_id) for k in search_keys(name))


def _after(prefix: str) -> str | None:
    """The smallest lowercase string greater than every string starting with ``prefix``."""
    stripped = prefix.rstrip("z")
    if not stripped:
        return None  # "zz…": every key from the prefix on
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def matching(query: str) -> ColumnElement[bool]:
    """A WHERE clause on HubPerson: ``query`` in the name, or at the start of a pinyin key."""
    if not query:
        return true()
    conditions: list[ColumnElement[bool]] = [HubPerson.name.icontains(query, autoescape=True)]
    q = normalize_query(query)
    if q.isascii() and q.isalpha():
        keys = select(HubPersonKey.person_id).where(HubPersonKey.key >= q)
        upper = _after(q)
        if upper is not None:
            keys = keys.where(HubPersonKey.key < upper)
        conditions.append(HubPerson.id.in_(keys))
    return or_(*conditions)


def search(
    session: Session, query: str, scope: ColumnElement[bool] | None, offset: int, limit: int
) -> tuple[int, list[HubPerson]]:
    """How many people match, and one page of them in name order."""
    where: list[Any] = [matching(query)]
    if scope is not None:
        where.append(scope)
    total = session.scalar(select(func.count()).select_from(HubPerson).where(*where)) or 0
    page = session.scalars(
        select(HubPerson).where(*where).order_by(HubPerson.name, HubPerson.id)
        .offset(offset).limit(limit)
    )  # fmt: skip
    return total, list(page)
