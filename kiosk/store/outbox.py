"""Appending to the outbox, the append-only log the sync engine ships upstream.

Event types and their payload models are declared in :mod:`kiosk.events.schema`
(documented in ``docs/events.md``, generated from them).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.events.schema import Payload
from kiosk.store.models import OutboxEvent


def append_event(session: Session, event: Payload, device_time: datetime) -> OutboxEvent:
    """Add an event in the caller's transaction; the caller must hold the write lock."""
    last = session.scalar(select(func.max(OutboxEvent.seq)))
    row = OutboxEvent(
        seq=(last or 0) + 1,
        id=str(uuid.uuid4()),
        type=event.TYPE.value,
        schema_version=event.VERSION,
        payload=event.wire(),
        device_time=device_time,
    )
    session.add(row)
    return row
