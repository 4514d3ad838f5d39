"""Guest links, 志愿服务证明, and each attendance's newest decision kept beside it (issue 14,
the console's side; the copy makes the year's report one pass over the attendance).

Revision ID: 0009_i14_console
Revises: 0008_i14
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_i14_console"
down_revision = "0008_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_hub_visits_in_verification", "hub_visits", ["checked_in_at", "verification"]
    )
    op.add_column("hub_attendances", sa.Column("decision", sa.String(length=10), nullable=True))
    op.add_column(
        "hub_attendances",
        sa.Column("decided_minutes", sa.Integer(), server_default="0", nullable=False),
    )
    newest = (
        "(SELECT d.{} FROM hub_hours_decisions d WHERE d.attendance_pk = hub_attendances.id "
        "ORDER BY d.id DESC LIMIT 1)"
    )
    op.execute(
        f"UPDATE hub_attendances SET decision = {newest.format('decision')}, "
        f"decided_minutes = COALESCE({newest.format('minutes')}, 0) "
        "WHERE id IN (SELECT attendance_pk FROM hub_hours_decisions)"
    )
    op.create_table(
        "hub_guest_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attendance_pk", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("linked_by", sa.String(length=50), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attendance_pk"],
            ["hub_attendances.id"],
            name=op.f("fk_hub_guest_links_attendance_pk_hub_attendances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_guest_links")),
        sa.UniqueConstraint("attendance_pk", name=op.f("uq_hub_guest_links_attendance_pk")),
    )
    op.create_table(
        "hub_certificates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("check_code", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("person_name", sa.String(length=50), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("issuer_unit", sa.String(length=100), nullable=False),
        sa.Column("handler", sa.String(length=50), nullable=False),
        sa.Column("contact", sa.String(length=50), nullable=False),
        sa.Column("issued_by", sa.String(length=50), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_hub_certificates_number")),
        sa.UniqueConstraint("check_code", name=op.f("uq_hub_certificates_check_code")),
    )


def downgrade() -> None:
    op.drop_index("ix_hub_visits_in_verification", table_name="hub_visits")
    op.drop_table("hub_certificates")
    op.drop_table("hub_guest_links")
    op.drop_column("hub_attendances", "decided_minutes")
    op.drop_column("hub_attendances", "decision")
