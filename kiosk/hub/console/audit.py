"""The audit log: who did what, when and from where. Written in the same transaction as the
change it describes, so a change without its line (or a line without its change) cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.hub.models import ConsoleAudit

MAX_DETAIL = 2000


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    address: str


CLI = Actor(None, "(命令行)", "localhost")


def record(
    session: Session,
    actor: Actor,
    action: str,
    now: datetime,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        ConsoleAudit(
            at=now,
            user_id=actor.user_id,
            username=actor.username[:40],
            address=actor.address[:64],
            action=action,
            target=None if target is None else target[:100],
            detail=None if detail is None else detail[:MAX_DETAIL],
        )
    )


def recent(session: Session, limit: int, offset: int = 0) -> tuple[list[ConsoleAudit], int]:
    total = session.scalar(select(func.count()).select_from(ConsoleAudit)) or 0
    rows = session.scalars(
        select(ConsoleAudit).order_by(ConsoleAudit.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total
