"""The change feed stations pull, with cursors the hub can refuse (410 → full resync).

A cursor is ``<epoch>.<last change id>``. The epoch is fixed when the hub database is
created; a cursor from another epoch, below the compaction floor, or ahead of the feed
(a hub restored from an older backup) is no longer served.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.hub.models import HubChange, HubMeta
from kiosk.sync.protocol import ChangesPage, KeyChange, KeyInfo

PAGE_SIZE = 200


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


def _parse(cursor: str | None, epoch: str) -> int:
    if not cursor:
        return 0
    cursor_epoch, _, position = cursor.partition(".")
    if cursor_epoch != epoch or not position.isdigit():
        raise CursorGone(cursor)
    return int(position)


def changes_page(
    session: Session, station_id: str, cursor: str | None, now: datetime, limit: int = PAGE_SIZE
) -> ChangesPage:
    epoch = meta(session, "epoch")
    if epoch is None:
        raise CursorGone("hub has no feed yet")
    after = _parse(cursor, epoch)
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
        KeyChange(key=KeyInfo.model_validate(r.data))
        for r in page
        if r.kind == "key" and r.origin_station_id != station_id
    ]
    last = page[-1].id if page else after
    return ChangesPage(changes=changes, cursor=f"{epoch}.{last}", more=more, server_time=now)
