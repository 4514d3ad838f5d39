"""Appending to the outbox, the append-only log the sync engine ships upstream.

Event types and their payloads are documented in ``docs/events.md``. Bump an event's
schema version when its payload changes shape; the hub keeps reading old versions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.store.models import OutboxEvent


class EventType(StrEnum):
    STATION_INITIALIZED = "station.initialized"
    PERSON_UPSERTED = "person.upserted"
    BADGE_ISSUED = "badge.issued"
    BADGE_REVOKED = "badge.revoked"
    VISIT_CHECKED_IN = "visit.checked_in"
    VISIT_CHECKED_OUT = "visit.checked_out"
    VISIT_VERIFIED = "visit.verified"  # a pending visit's badge verified once its key was learned
    VISIT_FORGED = "visit.forged"  # ... or did not (forged, or signed after a revocation)
    SETTING_CHANGED = "setting.changed"
    MATERIAL_INSTALLED = "material.installed"
    MATERIAL_REMOVED = "material.removed"
    STUDY_SESSION_RECORDED = "study.session_recorded"
    QUIZ_ATTEMPTED = "quiz.attempted"
    KEEPER_ACTION = "keeper.action"  # who (the keeper role), what, when: core/keeper.py


SCHEMA_VERSIONS: dict[EventType, int] = {t: 1 for t in EventType}


def append_event(
    session: Session, type_: EventType, payload: dict[str, Any], device_time: datetime
) -> OutboxEvent:
    """Add an event in the caller's transaction; the caller must hold the write lock."""
    last = session.scalar(select(func.max(OutboxEvent.seq)))
    event = OutboxEvent(
        seq=(last or 0) + 1,
        id=str(uuid.uuid4()),
        type=type_.value,
        schema_version=SCHEMA_VERSIONS[type_],
        payload=payload,
        device_time=device_time,
    )
    session.add(event)
    return event


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
