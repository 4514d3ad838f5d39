"""Activities, attendance, hours review and 补录 (issue 14); a person's category.

Revision ID: 0008_i14
Revises: 0007_i13
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_i14"
down_revision = "0007_i13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_activities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("host_unit", sa.String(length=100), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("signin_opens_at", sa.DateTime(), nullable=False),
        sa.Column("service_hours", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=10), nullable=False),
        sa.Column("origin_station_id", sa.String(length=36), nullable=True),
        sa.Column("station_ids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_activities")),
    )
    op.create_index("ix_hub_activities_start_at", "hub_activities", ["start_at"], unique=False)
    op.create_table(
        "hub_attendances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("attendance_id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("guest_name", sa.String(length=50), nullable=True),
        sa.Column("guest_unit", sa.String(length=100), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=12), nullable=True),
        sa.Column("credited_minutes", sa.Integer(), nullable=False),
        sa.Column("station_state", sa.String(length=12), nullable=False),
        sa.Column("review_reason", sa.String(length=20), nullable=True),
        sa.Column("clock_offset_seconds", sa.Float(), nullable=True),
        sa.Column("overlap", sa.Boolean(), nullable=False),
        sa.Column("first_at_activity", sa.Boolean(), nullable=False),
        sa.Column("during_visit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_attendances_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_attendances")),
        sa.UniqueConstraint("attendance_id", name=op.f("uq_hub_attendances_attendance_id")),
    )
    op.create_index("ix_hub_attendances_activity", "hub_attendances", ["activity_id"], unique=False)
    op.create_index(
        "ix_hub_attendances_person_in",
        "hub_attendances",
        ["person_id", "signed_in_at"],
        unique=False,
    )
    op.create_table(
        "hub_backfills",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("requested_by", sa.String(length=50), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by", sa.String(length=50), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["hub_activities.id"],
            name=op.f("fk_hub_backfills_activity_id_hub_activities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_backfills")),
        sa.UniqueConstraint("activity_id", "person_id", name=op.f("uq_hub_backfills_activity_id")),
    )
    op.create_table(
        "hub_hours_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attendance_pk", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("decided_by", sa.String(length=50), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_pk"],
            ["hub_attendances.id"],
            name=op.f("fk_hub_hours_decisions_attendance_pk_hub_attendances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_hours_decisions")),
    )
    op.create_index(
        "ix_hub_hours_decisions_attendance", "hub_hours_decisions", ["attendance_pk"], unique=False
    )
    with op.batch_alter_table("hub_people") as batch:
        batch.add_column(sa.Column("category", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_people") as batch:
        batch.drop_column("category")
    op.drop_index("ix_hub_hours_decisions_attendance", table_name="hub_hours_decisions")
    op.drop_table("hub_hours_decisions")
    op.drop_table("hub_backfills")
    op.drop_index("ix_hub_attendances_person_in", table_name="hub_attendances")
    op.drop_index("ix_hub_attendances_activity", table_name="hub_attendances")
    op.drop_table("hub_attendances")
    op.drop_index("ix_hub_activities_start_at", table_name="hub_activities")
    op.drop_table("hub_activities")
