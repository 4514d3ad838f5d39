"""A demo station with a few workers, for first runs, screenshots and benchmarks."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.badge_registry import IssuedBadge
from kiosk.core.station import StationService

DEMO_STATION = "城西街道城管驿站（演示）"
DEMO_WORKERS: tuple[dict[str, object], ...] = (
    {"name": "张建国", "trade": "环卫", "team": "城西环卫一班", "party_member": True},
    {"name": "李秀英", "trade": "环卫", "team": "城西环卫二班"},
    {"name": "王强", "trade": "市政", "team": "市政养护队", "party_member": True},
    {"name": "欧阳明", "trade": "绿化", "team": "园林绿化所"},
    {"name": "单立新", "trade": "快递外卖", "team": "同城配送站"},
    {"name": "曾红梅", "trade": "停车", "team": "停车管理中心"},
)


def ensure_demo_station(
    service: StationService, badge_dir: Path | None = None
) -> list[IssuedBadge]:
    """Initialise the demo station once; draw each demo worker's badge card into ``badge_dir``.

    Badges are issued on the first run only; later runs print the same cards again.
    """
    if service.info_or_none() is None:
        service.init(DEMO_STATION)
    people = {p.name: p for p in service.people()}
    for worker in DEMO_WORKERS:
        if worker["name"] not in people:
            person = service.add_person(**worker)
            people[person.name] = person
    issued: list[IssuedBadge] = []
    for index, worker in enumerate(DEMO_WORKERS, start=1):
        person = people[str(worker["name"])]
        out = badge_dir / f"{index:02d}-{person.name}.png" if badge_dir else None
        issued.append(service.reprint_badge(person.id, out))
    return issued
