"""The console's person search in SQL: a piece of the name (any letter case), or the start of
a pinyin key.

``hub_person_keys`` holds, for every person, the pinyin search keys of the name
(``kiosk.core.pinyin.search_keys``: full pinyin and initials for every reading, plain
lowercase letters) and every piece of the name (lower-cased, up to ``PIECE`` characters,
stored after a ``=`` so the two never mix). A query is then one or two index lookups, never a
scan of the roster:

* ``=`` and the query, lower-cased, equals a stored piece (``=王``, ``=秀英``, ``=wei``);
* a query of Latin letters is also a range on the keys (``zs`` ≤ key < ``zt``). The bounds
  are plain lowercase letters, whose order is the same under SQLite's byte order and under
  any PostgreSQL collation; the first letters are compared again, so a collation that skips
  punctuation cannot let ``z-s`` in.

A query longer than ``PIECE`` characters falls back to scanning the names. At 100,000 people
a search is about a millisecond on SQLite; the figures are in docs/console.md.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, true
from sqlalchemy.orm import Session

from kiosk.core.pinyin import normalize_query, search_keys
from kiosk.hub.models import HubPerson, HubPersonKey

PIECE = 12  # the longest piece of a name stored for substring search


def keys_of(name: str) -> set[str]:
    """Every search key and every piece (≤ ``PIECE`` characters, after ``=``) of ``name``."""
    lower = name.lower()
    pieces = {
        "=" + lower[i:j]
        for i in range(len(lower))
        for j in range(i + 1, min(len(lower), i + PIECE) + 1)
    }
    return pieces | set(search_keys(name))


def set_keys(session: Session, person_id: str, name: str) -> None:
    """Replace a person's search keys with those of ``name``."""
    session.execute(delete(HubPersonKey).where(HubPersonKey.person_id == person_id))
    session.add_all(HubPersonKey(key=k, person_id=person_id) for k in keys_of(name))


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
    if len(query) > PIECE:
        return HubPerson.name.icontains(query, autoescape=True)
    found: list[ColumnElement[bool]] = [HubPersonKey.key == "=" + query.lower()]
    q = normalize_query(query)
    if q.isascii() and q.isalpha():
        in_range = [HubPersonKey.key >= q, func.substr(HubPersonKey.key, 1, len(q)) == q]
        upper = _after(q)
        if upper is not None:
            in_range.append(HubPersonKey.key < upper)
        found.append(and_(*in_range))
    return HubPerson.id.in_(select(HubPersonKey.person_id).where(or_(*found)))


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
