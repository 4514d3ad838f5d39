"""An index on the roster's name and phone: ``kiosk-hub person import`` matches rows on them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_hub_people_name_phone", "hub_people", ["name", "phone"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hub_people_name_phone", table_name="hub_people")
