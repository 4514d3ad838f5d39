"""Announcements from the bureau, as the welcome screen shows them.

They arrive through sync (``kiosk.sync.apply``); here they are only read. One is shown from
when it arrives up to and including its ``until`` day (in the station's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.store.models import Announcement


@dataclass(frozen=True)
class AnnouncementView:
    id: str
    text: str
    until: date | None
    created_at: datetime


def current_announcements(session: Session, today: date) -> list[AnnouncementView]:
    """Announcements still to be shown today, newest first."""
    rows = session.scalars(
        select(Announcement)
        .where(or_(Announcement.until.is_(None), Announcement.until >= today))
        .order_by(Announcement.created_at.desc(), Announcement.id)
    )
    return [AnnouncementView(a.id, a.text, a.until, a.created_at) for a in rows]
