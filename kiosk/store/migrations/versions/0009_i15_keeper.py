"""Visits the keeper closed by touch (在站人员): who closed them.

Revision ID: 0009_i15
Revises: 0007_i10
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_i15"
down_revision = "0008_i14"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.add_column(sa.Column("closed_by", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visits") as batch:
        batch.drop_column("closed_by")
