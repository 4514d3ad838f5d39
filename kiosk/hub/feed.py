"""The change feed stations pull, with cursors the hub can refuse (410 → full resync).

A cursor is ``<epoch>.<last change id>.<tag>``; the tag is a short hash of that change's
kind and time. The epoch is fixed when the hub database is created; a cursor from another
epoch, below the compaction floor, ahead of the feed, or whose change is not the one it was
made from (a hub restored from an older backup that has since written new changes under
the same ids) is no longer served. Cursors without a tag (older hubs) are still read.

Change ids must become visible in id order, or a station could move its cursor past a change
still being committed. SQLite serialises writers anyway; on PostgreSQL every transaction
that appends takes one advisory lock first (:func:`lock_feed`), so ids are handed out in
commit order.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kiosk.hub.models import HubChange, HubMeta
from kiosk.sync.protocol import (
    ActivityChange,
    AnnouncementChange,
    BadgeChange,
    Change,
    ChangesPage,
    KeyChange,
    MaterialChange,
    PersonChange,
    ReviewChange,
)

log = logging.getLogger(__name__)
PAGE_SIZE = 500
FEED_LOCK = 7_310_001  # pg_advisory_xact_lock key of the feed
PERSON_LOCK_CLASS = 7_310_002  # with hashtext(person_id): one person's visits at a time
_FEED_LOCKED = "kiosk.hub.feed.locked_in"  # session.info: the transaction holding FEED_LOCK
_CHANGE_TYPES: dict[str, Any] = {
    "key": lambda d: KeyChange(key=d),
    "person": lambda d: PersonChange(person=d),
    "badge": lambda d: BadgeChange(badge=d),
    "announcement": lambda d: AnnouncementChange(announcement=d),
    "material": lambda d: MaterialChange(material=d),
    "activity": lambda d: ActivityChange(activity=d),
    "review": lambda d: ReviewChange(review=d),
}


class CursorGone(Exception):
    """The hub no longer serves this cursor; the station must resync from the start."""


def meta(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(HubMeta, key)
    return default if row is None else row.value


def ensure_epoch(session: Session) -> str:
    epoch = meta(session, "epoch")
    if epoch is None:
        epoch = secrets.token_hex(4)
        session.add(HubMeta(key="epoch", value=epoch))
    return epoch


def lock_feed(session: Session) -> None:
    """Serialise feed writers on PostgreSQL until the transaction ends (no-op on SQLite).

    Taken once per transaction: a roster import or a batch of events calls this for every
    person and badge, and the lock is already held after the first call.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_FEED_LOCKED) is transaction:
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK})
    if not session.in_nested_transaction():  # a savepoint rolled back would release it
        session.info[_FEED_LOCKED] = session.get_transaction()


def append(
    session: Session, kind: str, origin: str | None, data: dict[str, Any], now: datetime
) -> None:
    """Add a change to the feed; ``origin`` (a station id) does not get it back."""
    lock_feed(session)
    session.add(HubChange(kind=kind, origin_station_id=origin, data=data, created_at=now))


def _change(row: HubChange) -> Change | None:
    make = _CHANGE_TYPES.get(row.kind)
    if make is None:
        return None
    try:
        return make(row.data)
    except ValidationError:
        log.error("feed change %d (%s) is unreadable; skipped", row.id, row.kind)
        return None


def _addressed_to(row: HubChange, station_id: str) -> bool:
    """A review decision goes only to the station that recorded the attendance."""
    return row.kind != "review" or (row.data or {}).get("station_id") == station_id


def _tag(row: HubChange) -> str:
    """Which change a cursor was made at: another change under that id means a restore."""
    made = f"{row.id}|{row.kind}|{row.created_at.isoformat()}"
    return hashlib.sha256(made.encode()).hexdigest()[:8]


def _parse(session: Session, cursor: str | None, epoch: str) -> int:
    if not cursor:
        return 0
    cursor_epoch, _, rest = cursor.partition(".")
    position, _, tag = rest.partition(".")
    if cursor_epoch != epoch or not position.isdigit():
        raise CursorGone(cursor)
    after = int(position)
    if tag and after:
        row = session.get(HubChange, after)
        if row is None or _tag(row) != tag:
            raise CursorGone(cursor)
    return after


def changes_page(
    session: Session,
    station_id: str,
    cursor: str | None,
    now: datetime,
    limit: int | None = None,
) -> ChangesPage:
    limit = limit or PAGE_SIZE
    epoch = meta(session, "epoch")
    if epoch is None:
        raise CursorGone("hub has no feed yet")
    after = _parse(session, cursor, epoch)
    floor = int(meta(session, "feed_floor", "0") or 0)
    newest = session.scalar(select(func.max(HubChange.id))) or 0
    if (after and after < floor) or after > newest:
        raise CursorGone(cursor)
    rows = list(
        session.scalars(
            select(HubChange).where(HubChange.id > after).order_by(HubChange.id).limit(limit + 1)
        )
    )
    page, more = rows[:limit], len(rows) > limit
    changes = [
        change
        for r in page
        if r.origin_station_id != station_id
        and _addressed_to(r, station_id)
        and (change := _change(r)) is not None
    ]
    if page:
        cursor = f"{epoch}.{page[-1].id}.{_tag(page[-1])}"
    elif after:
        last = session.get(HubChange, after)
        cursor = f"{epoch}.{after}.{_tag(last)}" if last is not None else f"{epoch}.{after}"
    else:
        cursor = f"{epoch}.0"
    return ChangesPage(changes=changes, cursor=cursor, more=more, server_time=now)
