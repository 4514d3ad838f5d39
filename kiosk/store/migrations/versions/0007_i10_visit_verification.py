"""Visits under a key the station had not learned: the scanned token and its later check.

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
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("badge_token", sa.String(length=160), nullable=True))
        batch.add_column(sa.Column("verification", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("rechecked_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_visits_badge_token", ["badge_token"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_index("ix_visits_badge_token")
        batch.drop_column("rechecked_at")
        batch.drop_column("verification")
        batch.drop_column("badge_token")
