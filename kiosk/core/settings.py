"""Every station setting, declared once with its type, default and meaning (``SPECS``).

:class:`Settings` is what the rest of the program sees: a frozen mapping holding every
declared key, the stored value or else the declared default, so no caller restates a default.
Cheap to import (the touchscreen reads it before the first paint); values are parsed, read
from and written to the ``settings`` table by :mod:`kiosk.core.settings_store`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from kiosk.core.health import DEFAULT_RESERVE_MB


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
        SettingSpec("station.keeper_phone", str, "", "The keeper's phone, shown on 驿站服务."),
        SettingSpec(
            "disk.reserve_mb",
            int,
            DEFAULT_RESERVE_MB,
            "Below this much free disk (MB) the log file stops and the keeper is warned.",
            0,
        ),
        SettingSpec(
            "station.services",
            list,
            DEFAULT_SERVICES,
            "Services shown on the touchscreen: a JSON list or comma-separated names.",
        ),
    )
}


class Settings(Mapping[str, Any]):
    """Every declared setting's value: the stored one, else its default. Immutable.

    ``settings["ui.idle_seconds"]`` never needs a fallback; a key that is not declared in
    ``SPECS`` raises ``KeyError``. Stored rows of keys no longer declared are left out.
    """

    __slots__ = ("_values",)

    def __init__(self, stored: Mapping[str, Any] | None = None) -> None:
        stored = stored or {}
        values = {key: stored.get(key, spec.default) for key, spec in SPECS.items()}
        object.__setattr__(self, "_values", MappingProxyType(values))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Settings are frozen; use replace()")

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Settings({dict(self._values)!r})"

    def replace(self, key: str, value: Any) -> Settings:
        """A copy with one value changed (already parsed: ``settings_store.parse_value``)."""
        if key not in SPECS:
            raise KeyError(key)
        return Settings({**self._values, key: value})
