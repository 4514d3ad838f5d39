"""Every station setting, declared once with its type, default and meaning.

Values live in the ``settings`` table; a key that was never set reads as its default.
Changing a setting writes a ``setting.changed`` outbox event in the same transaction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.store.models import Setting
from kiosk.store.outbox import EventType, append_event


@dataclass(frozen=True)
class SettingSpec:
    key: str
    type: type
    default: Any
    help: str
    minimum: float | None = None


DEFAULT_SERVICES = ("热水", "微波炉", "充电", "药箱", "空调", "卫生间", "雨具", "图书", "Wi-Fi")
MAX_LIST_ITEMS = 12  # what the services screen can show without scrolling

SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in (
        SettingSpec(
            "checkin.guard_seconds",
            int,
            60,
            "A second scan within this many seconds only acknowledges.",
            0,
        ),
        SettingSpec(
            "checkin.max_visit_hours",
            float,
            12.0,
            "Open visits close automatically after this many hours.",
            0.5,
        ),
        SettingSpec(
            "station.timezone",
            str,
            "Asia/Shanghai",
            "IANA time zone that decides where a day begins.",
        ),
        SettingSpec(
            "greeting.full_name", bool, False, "Greet with the full name instead of surname + 师傅."
        ),
        SettingSpec("ui.idle_seconds", int, 30, "Return to the welcome screen after idling.", 5),
        SettingSpec("ui.camera_preview", bool, True, "Show the small live camera preview."),
        SettingSpec("camera.source", str, "0", "Camera index, video file or image folder."),
        SettingSpec("speech.enabled", bool, True, "Speak greetings if a Chinese voice exists."),
        SettingSpec("sync.hub_url", str, "", "Address of the bureau's hub."),
        SettingSpec("sync.interval_seconds", int, 300, "Seconds between periodic syncs.", 10),
        SettingSpec("study.pass_percent", int, 60, "A quiz passes at this score (percent).", 1),
        SettingSpec("study.points_per_quiz", int, 10, "Points for passing a material's quiz.", 0),
        SettingSpec(
            "study.points_daily_cap", int, 30, "Most study points a person earns a day.", 0
        ),
        SettingSpec(
            "activities.credit_step_minutes",
            int,
            5,
            "Service hours are credited in whole steps of this many minutes (rounded down).",
            1,
        ),
        SettingSpec(
            "activities.signin_lead_minutes",
            int,
            60,
            "Sign-in to an activity opens this many minutes before its start.",
            0,
        ),
        SettingSpec("station.keeper_phone", str, "", "The keeper's phone, shown on 驿站服务."),
        SettingSpec(
            "station.services",
            list,
            DEFAULT_SERVICES,
            "Services shown on the touchscreen: a JSON list or comma-separated names.",
        ),
    )
}


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


def all_settings(session: Session) -> dict[str, Any]:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {key: stored.get(key, spec.default) for key, spec in SPECS.items()}


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
