"""The one declaration of settings and the frozen Settings object built from it."""

from __future__ import annotations

import pytest

from kiosk.core.settings import SPECS, Settings


def test_every_declared_key_reads_its_default_until_stored() -> None:
    settings = Settings({"ui.idle_seconds": 45, "retired.key": 1})
    assert list(settings) == list(SPECS)
    assert settings["ui.idle_seconds"] == 45
    assert settings["speech.enabled"] is True
    assert "retired.key" not in settings
    with pytest.raises(KeyError):
        settings["no.such.key"]


def test_settings_are_frozen_and_replace_makes_a_copy() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        settings["ui.idle_seconds"] = 5  # type: ignore[index]
    changed = settings.replace("ui.idle_seconds", 60)
    assert (settings["ui.idle_seconds"], changed["ui.idle_seconds"]) == (30, 60)
    with pytest.raises(KeyError):
        settings.replace("no.such.key", 1)


def test_the_station_hands_out_settings(station) -> None:
    station.set_setting("greeting.full_name", "yes")
    settings = station.all_settings()
    assert isinstance(settings, Settings)
    assert settings["greeting.full_name"] is True
    assert settings["checkin.guard_seconds"] == SPECS["checkin.guard_seconds"].default
