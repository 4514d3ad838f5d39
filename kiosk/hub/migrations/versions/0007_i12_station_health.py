"""Each station's last health report: app version, free disk, camera, last backup.

Revision ID: 0007_i12
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_i12"
down_revision = "0007_i10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_stations") as batch:
        batch.add_column(sa.Column("app_version", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("health", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("health_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_stations") as batch:
        batch.drop_column("health_at")
        batch.drop_column("health")
        batch.drop_column("app_version")
