"""Visit lookup indexes; keyring keys can be revoked by the hub.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("keyring") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
    op.create_index("ix_visits_checked_in_at", "visits", ["checked_in_at"])
    op.create_index("ix_visits_person_open", "visits", ["person_id", "checked_out_at"])


def downgrade() -> None:
    op.drop_index("ix_visits_person_open", "visits")
    op.drop_index("ix_visits_checked_in_at", "visits")
    with op.batch_alter_table("keyring") as batch:
        batch.drop_column("revoked_at")
