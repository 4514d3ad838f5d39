"""The hub's own check of badges stations could not verify: the token, the verdict, and
what the station said later. Visits an older station recorded as unverified carry no token
and can never be checked: they become ``unverifiable`` (left out of the figures).

Revision ID: 0007_i10
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_i10"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_visits") as batch:
        batch.add_column(sa.Column("badge_key_id", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("badge_token", sa.String(length=160), nullable=True))
        batch.add_column(
            sa.Column(
                "verification",
                sa.String(length=12),
                nullable=False,
                server_default=sa.text("'station'"),
            )
        )
        batch.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("station_verdict", sa.String(length=12), nullable=True))
        batch.create_index(
            "ix_hub_visits_verification_key", ["verification", "badge_key_id"], unique=False
        )
    hub_visits = sa.table(
        "hub_visits", sa.column("unverified", sa.Boolean()), sa.column("verification", sa.String())
    )
    op.execute(
        hub_visits.update()
        .where(hub_visits.c.unverified.is_(True))
        .values(verification="unverifiable")
    )
    with op.batch_alter_table("hub_visits") as batch:
        batch.alter_column("verification", server_default=None, existing_type=sa.String(12))


def downgrade() -> None:
    with op.batch_alter_table("hub_visits") as batch:
        batch.drop_index("ix_hub_visits_verification_key")
        batch.drop_column("station_verdict")
        batch.drop_column("verified_at")
        batch.drop_column("verification")
        batch.drop_column("badge_token")
        batch.drop_column("badge_key_id")
