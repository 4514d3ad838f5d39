"""Stations on real SQLite files talking to a real hub on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.core.station import StationService
from kiosk.paths import StationPaths
from kiosk.sync.enrolment import enroll
from tests.hub.fixtures import hub  # noqa: F401 — shared fixture
from tests.hub.harness import FlakyProxy, HubServer

MakeStation = Callable[..., StationService]


@pytest.fixture
def hub_url_db(tmp_path: Path) -> str:
    """The station scenarios run against a hub on SQLite (tests/hub covers PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def make_station(tmp_path: Path) -> Iterator[MakeStation]:
    """``make_station(name, hub=None, url=None)``: an initialised station, enrolled with the
    hub if one is given (through ``url`` when set, e.g. a proxy)."""
    opened: list[StationService] = []

    def make(
        name: str, on: HubServer | None = None, url: str | None = None, **kw: object
    ) -> StationService:
        service = StationService(StationPaths(tmp_path / name), **kw)  # type: ignore[arg-type]
        opened.append(service)
        service.init(name)
        if on is not None:
            _, code = on.add_station(name)
            enroll(service, url or on.url, code)
        return service

    yield make
    for service in opened:
        service.close()


@pytest.fixture
def proxy(hub: HubServer) -> Iterator[FlakyProxy]:  # noqa: F811
    p = FlakyProxy(hub.port)
    yield p
    p.close()
