"""People's search keys (pinyin keys and pieces of the name), so the console searches the
roster by index. The keys are computed as ``kiosk.hub.person_search.keys_of`` computes them.

Revision ID: 0010_search
Revises: 0009_i14_console
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kiosk.hub.person_search import keys_of

revision = "0010_search"
down_revision = "0009_i14_console"
branch_labels = None
depends_on = None

_BATCH = 5_000


def upgrade() -> None:
    op.create_table(
        "hub_person_keys",
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("key", "person_id", name=op.f("pk_hub_person_keys")),
    )
    op.create_index(
        op.f("ix_hub_person_keys_person_id"), "hub_person_keys", ["person_id"], unique=False
    )
    keys = sa.table("hub_person_keys", sa.column("key"), sa.column("person_id"))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM hub_people")).all()
    for start in range(0, len(rows), _BATCH):
        batch = [
            {"key": k, "person_id": pid}
            for pid, name in rows[start : start + _BATCH]
            for k in keys_of(name)
        ]
        if batch:
            conn.execute(keys.insert(), batch)


def downgrade() -> None:
    op.drop_index(op.f("ix_hub_person_keys_person_id"), table_name="hub_person_keys")
    op.drop_table("hub_person_keys")
