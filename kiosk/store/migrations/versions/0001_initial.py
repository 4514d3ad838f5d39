"""Initial station schema.

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
        "station",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_station"),
    )
    op.create_table(
        "keyring",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(32), nullable=False),
        sa.Column("station_id", sa.String(36), nullable=True),
        sa.Column("station_name", sa.String(100), nullable=True),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name="pk_keyring"),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("pinyin_keys", sa.Text(), nullable=False),
        sa.Column("trade", sa.String(10), nullable=False),
        sa.Column("team", sa.String(100), nullable=True),
        sa.Column("party_member", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(30), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
    )
    op.create_table(
        "badges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_badges_person_id_people"),
        sa.PrimaryKeyConstraint("id", name="pk_badges"),
        sa.UniqueConstraint("key_id", "serial", name="uq_badges_key_id"),
    )
    op.create_index("ix_badges_person_id", "badges", ["person_id"])
    op.create_table(
        "visits",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=True),
        sa.Column("trade", sa.String(10), nullable=True),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("badge_key_id", sa.String(16), nullable=True),
        sa.Column("badge_serial", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=False),
        sa.Column("checked_out_at", sa.DateTime(), nullable=True),
        sa.Column("auto_closed", sa.Boolean(), nullable=False),
        sa.Column("unverified", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("device_time", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("id", name="uq_outbox_id"),
    )


def downgrade() -> None:
    for table in ("outbox", "settings", "visits", "badges", "people", "keyring", "station"):
        op.drop_table(table)
