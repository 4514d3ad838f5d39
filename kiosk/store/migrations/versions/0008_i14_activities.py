"""Activities and attendance (issue 14); a person's attendance-report category.

Revision ID: 0008_i14
Revises: 0007_i10
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_i14"
down_revision = "0007_i10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("category", sa.String(length=20), nullable=True))
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("host_unit", sa.String(length=100), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("signin_opens_at", sa.DateTime(), nullable=False),
        sa.Column("service_hours", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=12), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index("ix_activities_start_at", "activities", ["start_at"], unique=False)
    op.create_table(
        "attendances",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("guest_name", sa.String(length=50), nullable=True),
        sa.Column("guest_unit", sa.String(length=100), nullable=True),
        sa.Column("phone_tail", sa.String(length=4), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("badge_key_id", sa.String(length=16), nullable=True),
        sa.Column("badge_serial", sa.Integer(), nullable=True),
        sa.Column("signed_in_at", sa.DateTime(), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=12), nullable=True),
        sa.Column("credited_minutes", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("review_reason", sa.String(length=20), nullable=True),
        sa.Column("clock_offset_seconds", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_attendances_activity_id_activities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendances")),
    )
    op.create_index("ix_attendances_activity", "attendances", ["activity_id"], unique=False)
    op.create_index(
        "ix_attendances_person", "attendances", ["person_id", "activity_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_attendances_person", table_name="attendances")
    op.drop_index("ix_attendances_activity", table_name="attendances")
    op.drop_table("attendances")
    op.drop_index("ix_activities_start_at", table_name="activities")
    op.drop_table("activities")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("category")
