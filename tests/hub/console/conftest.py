"""A real hub on 127.0.0.1 with the console, stations that pushed real visits, accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.sync.client import SyncClient
from tests.hub.console.helpers import HUB_NOW, Console, SteppingClock, add_user
from tests.hub.harness import HubServer
from tests.hub.test_materials import _quiz, _study
from tests.sync.conftest import make_station  # noqa: F401 — shared fixture

MakeStation = Callable[..., StationService]


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(HUB_NOW)


@pytest.fixture
def hub(hub_url_db: str, clock: SteppingClock) -> Iterator[HubServer]:
    server = HubServer(hub_url_db, clock=clock).start()
    yield server
    server.stop()


@dataclass
class City:
    hub: HubServer
    db_url: str
    east: StationService
    west: StationService
    east_id: str
    west_id: str
    zhang_id: str  # visited east only
    li_id: str  # visited west only


@pytest.fixture
def city(hub: HubServer, hub_url_db: str, make_station: MakeStation) -> City:  # noqa: F811
    """东站 and 西站 pushed visits on 2026-11-02 and 11-03 (the hub's today is 11-03), and
    东站 a study session and a quiz."""
    east_clock = ManualClock(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    east = make_station("东站", hub, clock=east_clock)
    zhang = east.add_person(name="张三", trade=Trade.SANITATION)
    badge = east.issue_badge(zhang.id).token
    east.scan(badge)
    east_clock.advance(hours=2)
    east.scan(badge)
    east.trade_visit(Trade.MUNICIPAL)
    east_clock.advance(hours=24)
    east.scan(badge)
    east_clock.advance(minutes=30)
    east.scan(badge)
    _study(east, "heat-cold", 90, zhang.id)  # 1.5 study hours on 11-03, and a passed quiz
    _quiz(east, "heat-cold", True, zhang.id)

    west_clock = ManualClock(datetime(2026, 11, 3, 2, 0, tzinfo=UTC))
    west = make_station("西站", hub, clock=west_clock)
    li = west.add_person(name="李四", trade=Trade.GREENING)
    li_badge = west.issue_badge(li.id).token
    west.scan(li_badge)
    west_clock.advance(hours=1)
    west.scan(li_badge)
    for station in (east, west):
        client = SyncClient(station)
        client.push_once()
        client.close()
    ids = {r.name: r.id for r in _stations(hub)}
    return City(hub, hub_url_db, east, west, ids["东站"], ids["西站"], zhang.id, li.id)


def _stations(hub: HubServer):  # type: ignore[no-untyped-def]
    from kiosk.hub import stations

    with hub.db.read() as s:
        return stations.list_stations(s)


@pytest.fixture
def console(hub: HubServer) -> Iterator[Callable[..., Console]]:
    opened: list[Console] = []

    def make(**headers: str) -> Console:
        c = Console(hub.url, **headers)
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.close()


@pytest.fixture
def admin(hub: HubServer, hub_url_db: str, console: Callable[..., Console]) -> Console:
    assert add_user(hub_url_db, "admin", "admin") == 0
    c = console()
    assert c.login("admin").status_code == 200
    return c
