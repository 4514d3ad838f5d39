"""The highest event seq the hub has answered for, per station.

A station compares it with its own delivery mark: a hub restored from an older backup
reports a lower number, and the station sends again what the hub lost. Filled from the
events the hub already holds.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_stations") as batch:
        batch.add_column(sa.Column("answered_seq", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE hub_stations SET answered_seq = "
        "(SELECT max(seq) FROM hub_events WHERE hub_events.station_id = hub_stations.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("hub_stations") as batch:
        batch.drop_column("answered_seq")
