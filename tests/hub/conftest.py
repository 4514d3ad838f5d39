"""Fixtures for tests that need a real hub on 127.0.0.1 (shared with tests/sync)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.harness import HubServer


@pytest.fixture
def hub_url_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def hub(hub_url_db: str) -> Iterator[HubServer]:
    server = HubServer(hub_url_db).start()
    yield server
    server.stop()
