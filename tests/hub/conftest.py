"""Fixtures for tests that need a real hub on 127.0.0.1.

Here the hub runs once on SQLite and once on PostgreSQL (skipped without a server, see
``tests/hub/postgres.py``); tests/sync uses the SQLite hub only (``tests/hub/fixtures.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hub.fixtures import hub  # noqa: F401 — shared fixture
from tests.hub.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        return
    with fresh_database() as url:
        yield url
