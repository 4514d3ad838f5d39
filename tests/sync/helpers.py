"""Comparing what a station holds with what the hub stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.hub.models import HubEvent
from kiosk.store.models import OutboxEvent
from tests.hub.harness import HubServer


def outbox_ids(station: StationService) -> list[str]:
    with station.db.read() as s:
        return list(s.scalars(select(OutboxEvent.id).order_by(OutboxEvent.seq)))


def hub_ids(hub: HubServer) -> list[str]:
    with hub.db.read() as s:
        return list(s.scalars(select(HubEvent.event_id).order_by(HubEvent.pk)))


def hub_count(hub: HubServer) -> int:
    with hub.db.read() as s:
        return s.scalar(select(func.count()).select_from(HubEvent)) or 0


def visits(station: StationService, n: int) -> None:
    for _ in range(n):
        station.trade_visit(Trade("环卫"))


def raw_outbox_event(station: StationService, type_: str, payload: Any) -> str:
    """Append an event as a buggy older version might have written it."""
    with station.db.write() as s:
        last = s.scalar(select(func.max(OutboxEvent.seq))) or 0
        event_id = str(uuid.uuid4())
        s.add(
            OutboxEvent(
                seq=last + 1,
                id=event_id,
                type=type_,
                schema_version=1,
                payload=payload,
                device_time=datetime.now(UTC),
            )
        )
    return event_id
