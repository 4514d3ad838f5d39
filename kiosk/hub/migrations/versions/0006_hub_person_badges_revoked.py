"""When the bureau last revoked a person's badges: badges issued before it (by the issuing
station's clock, corrected by its offset) that reach the hub only later are revoked too.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_people") as batch:
        batch.add_column(sa.Column("badges_revoked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_people") as batch:
        batch.drop_column("badges_revoked_at")
