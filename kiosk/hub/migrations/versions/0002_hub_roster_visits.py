"""Roster, badges, announcements and visits projected on the hub; hub-made feed changes.

``hub_changes.origin_station_id`` becomes nullable (changes the hub itself makes reach every
station). A hub that already holds events gets ``hub_meta.projection = pending``: at start
the hub replays those events into the new tables (``kiosk.hub.projections.catch_up``).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_changes") as batch:
        batch.alter_column("origin_station_id", existing_type=sa.String(length=36), nullable=True)
    with op.batch_alter_table("hub_stations") as batch:
        batch.add_column(sa.Column("key_revoked_at", sa.DateTime(), nullable=True))
    op.create_table(
        "hub_people",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("trade", sa.String(length=10), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("party_member", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("origin_station_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_people")),
    )
    op.create_table(
        "hub_badges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_badges")),
        sa.UniqueConstraint("key_id", "serial", name=op.f("uq_hub_badges_key_id")),
    )
    op.create_index("ix_hub_badges_person_id", "hub_badges", ["person_id"])
    op.create_table(
        "hub_announcements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_announcements")),
    )
    op.create_table(
        "hub_visits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("trade", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=20), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("checked_out_at", sa.DateTime(), nullable=True),
        sa.Column("rest_seconds", sa.Integer(), nullable=True),
        sa.Column("auto_closed", sa.Boolean(), nullable=False),
        sa.Column("unverified", sa.Boolean(), nullable=False),
        sa.Column("overlap", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["hub_stations.id"], name=op.f("fk_hub_visits_station_id_hub_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_visits")),
        sa.UniqueConstraint("station_id", "visit_id", name=op.f("uq_hub_visits_station_id")),
    )
    op.create_index("ix_hub_visits_person_in", "hub_visits", ["person_id", "checked_in_at"])
    op.create_index("ix_hub_visits_checked_in_at", "hub_visits", ["checked_in_at"])
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM hub_events LIMIT 1")).first() is not None:
        conn.execute(sa.text("INSERT INTO hub_meta (key, value) VALUES ('projection', 'pending')"))


def downgrade() -> None:
    op.drop_index("ix_hub_visits_checked_in_at", "hub_visits")
    op.drop_index("ix_hub_visits_person_in", "hub_visits")
    op.drop_table("hub_visits")
    op.drop_table("hub_announcements")
    op.drop_index("ix_hub_badges_person_id", "hub_badges")
    op.drop_table("hub_badges")
    op.drop_table("hub_people")
    with op.batch_alter_table("hub_stations") as batch:
        batch.drop_column("key_revoked_at")
    op.execute("DELETE FROM hub_changes WHERE origin_station_id IS NULL")
    with op.batch_alter_table("hub_changes") as batch:
        batch.alter_column("origin_station_id", existing_type=sa.String(length=36), nullable=False)
