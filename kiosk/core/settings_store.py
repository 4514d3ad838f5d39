"""Settings in the station database: a key that was never set reads as its declared default.

Changing a setting writes a ``setting.changed`` outbox event in the same transaction.
The declaration and the :class:`~kiosk.core.settings.Settings` type are in
:mod:`kiosk.core.settings`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.settings import SPECS, Settings, parse_value
from kiosk.store.models import Setting
from kiosk.store.outbox import EventType, append_event


def get_setting(session: Session, key: str) -> Any:
    spec = SPECS[key]
    row = session.get(Setting, key)
    return spec.default if row is None else row.value


def get_settings(session: Session, *keys: str) -> dict[str, Any]:
    """Several settings in one query (the check-in path reads three per scan)."""
    stored = {
        row.key: row.value for row in session.scalars(select(Setting).where(Setting.key.in_(keys)))
    }
    return {key: stored.get(key, SPECS[key].default) for key in keys}


def all_settings(session: Session) -> Settings:
    return Settings({row.key: row.value for row in session.scalars(select(Setting))})


def set_setting(session: Session, key: str, raw: Any, now: datetime) -> Any:
    value = parse_value(key, raw)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_at=now))
    else:
        row.value = value
        row.updated_at = now
    append_event(session, EventType.SETTING_CHANGED, {"key": key, "value": value}, now)
    return value
