"""Shared fixtures. Qt must see the offscreen platform before anything imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.paths import StationPaths


def pytest_configure(config: pytest.Config) -> None:
    """As the app does in ``make_app``: PySide (loaded by pytest-qt) stops reading the source
    of every module imported after it."""
    from kiosk.ui.app_setup import skip_pyside_source_scan

    skip_pyside_source_scan()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data or log folders."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("KIOSK_LOG_DIR", str(tmp_path / "logs"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def station_dir(tmp_path: Path) -> Path:
    return tmp_path / "station"


@pytest.fixture
def station(station_dir: Path, clock: ManualClock) -> Iterator[StationService]:
    """An initialised station on a real SQLite file, driven by a manual clock."""
    service = StationService(StationPaths(station_dir), clock=clock)
    service.init("测试驿站")
    yield service
    service.close()
