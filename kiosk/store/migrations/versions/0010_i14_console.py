"""The hub's review decisions on attendance hours, received through the change feed.

Revision ID: 0010_i14_console
Revises: 0009_i15
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_i14_console"
down_revision = "0009_i15"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attendance_id", sa.String(length=36), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_id"],
            ["attendances.id"],
            name=op.f("fk_attendance_reviews_attendance_id_attendances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_reviews")),
        sa.UniqueConstraint(
            "attendance_id",
            "decided_at",
            "decision",
            name=op.f("uq_attendance_reviews_attendance_id"),
        ),
    )
    op.create_index(
        "ix_attendance_reviews_attendance",
        "attendance_reviews",
        ["attendance_id", "decided_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_attendance_reviews_attendance", table_name="attendance_reviews")
    op.drop_table("attendance_reviews")
