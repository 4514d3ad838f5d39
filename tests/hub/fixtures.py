"""Hub fixtures shared by tests/hub and tests/sync: a real hub on 127.0.0.1.

``hub`` runs on whatever ``hub_url_db`` the test's directory provides: tests/hub gives
SQLite and PostgreSQL, tests/sync SQLite (the station scenarios do not depend on it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hub.harness import HubServer


@pytest.fixture
def hub(hub_url_db: str) -> Iterator[HubServer]:
    server = HubServer(hub_url_db).start()
    yield server
    server.stop()
