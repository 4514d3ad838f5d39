"""The hub's first schema: stations, events (unique event id), change feed, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_hub_meta")),
    )
    op.create_table(
        "hub_stations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("public_key", sa.String(length=64), nullable=True),
        sa.Column("local_station_id", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=True),
        sa.Column("clock_flagged", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_stations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_hub_stations_code_hash")),
        sa.UniqueConstraint("key_id", name=op.f("uq_hub_stations_key_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hub_stations_token_hash")),
    )
    op.create_table(
        "hub_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("origin_station_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["origin_station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_changes_origin_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_changes")),
    )
    op.create_table(
        "hub_events",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("device_time", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=False),
        sa.Column("clock_flagged", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_events_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_hub_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_hub_events_event_id")),
    )
    op.create_index("ix_hub_events_station_id", "hub_events", ["station_id"])
    op.create_index("ix_hub_events_type", "hub_events", ["type"])


def downgrade() -> None:
    op.drop_index("ix_hub_events_type", "hub_events")
    op.drop_index("ix_hub_events_station_id", "hub_events")
    op.drop_table("hub_events")
    op.drop_table("hub_changes")
    op.drop_table("hub_stations")
    op.drop_table("hub_meta")
