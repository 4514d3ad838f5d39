"""Settings in the station database: parsed and checked on the way in; a key that was never
set reads as its declared default.

Changing a setting writes a ``setting.changed`` outbox event in the same transaction.
The declaration and the :class:`~kiosk.core.settings.Settings` type are in
:mod:`kiosk.core.settings`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.settings import MAX_LIST_ITEMS, SPECS, Settings
from kiosk.events.schema import SettingChanged
from kiosk.store.models import Setting
from kiosk.store.outbox import append_event


class SettingError(ValueError):
    pass


def parse_value(key: str, raw: Any) -> Any:
    """Convert ``raw`` (a CLI string or a Python value) to the setting's type, or raise."""
    spec = SPECS.get(key)
    if spec is None:
        raise SettingError(f"unknown setting {key!r}; known: {', '.join(sorted(SPECS))}")
    try:
        if spec.type is list:
            value: Any = _parse_list(raw)
        elif spec.type is bool and isinstance(raw, str):
            lowered = raw.strip().lower()
            if lowered not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            value = lowered in {"true", "1", "yes", "on"}
        else:
            value = spec.type(raw)
    except (TypeError, ValueError):
        raise SettingError(f"{key} needs a {spec.type.__name__}, got {raw!r}") from None
    if spec.minimum is not None and value < spec.minimum:
        raise SettingError(f"{key} must be at least {spec.minimum}")
    if key == "station.timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingError(f"unknown time zone {value!r}") from None
    return value


def _parse_list(raw: Any) -> list[str]:
    """A list of short names from a list, JSON text, or text separated by commas or 、."""
    if isinstance(raw, str):
        text = raw.strip()
        # a JSONDecodeError is a ValueError, reported like any bad value
        raw = json.loads(text) if text.startswith("[") else re.split(r"[,，、\n]", text)
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise TypeError(raw)
    items = [item.strip() for item in raw if item.strip()]
    if len(items) > MAX_LIST_ITEMS or any(len(item) > 20 for item in items):
        raise ValueError(raw)
    return items


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
    append_event(session, SettingChanged(key=key, value=value), now)
    return value
