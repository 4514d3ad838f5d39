"""The hub's schema: its own metadata, separate from the station database's.

SQL stays portable (no SQLite-only types) so PostgreSQL can run the same revisions.
Instants are stored as naive UTC through the station's :class:`UtcDateTime`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.store.models import NAMING, UtcDateTime


class HubBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HubMeta(HubBase):
    """Hub-wide values: ``epoch`` (changes when the feed restarts), ``feed_floor``."""

    __tablename__ = "hub_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class HubStation(HubBase):
    """A station the bureau created; enrolled once its code was exchanged for a token."""

    __tablename__ = "hub_stations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # sha256 hex of the one-time enrolment code; cleared once used.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # sha256 hex of the API token: the token itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    key_id: Mapped[str | None] = mapped_column(String(16), unique=True)
    public_key: Mapped[str | None] = mapped_column(String(64))
    local_station_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clock_offset_seconds: Mapped[float | None] = mapped_column(Float)
    clock_flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class HubEvent(HubBase):
    """One station event, stored exactly once (unique ``event_id``)."""

    __tablename__ = "hub_events"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40), index=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    device_time: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    clock_offset_seconds: Mapped[float] = mapped_column(Float)
    clock_flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class HubChange(HubBase):
    """The change feed stations pull; ``id`` orders it and is what a cursor points past."""

    __tablename__ = "hub_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    origin_station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
