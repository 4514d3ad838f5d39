"""Study packages the bureau publishes: the catalogue, and the zips stations download
(stored in slices, see ``kiosk.hub.materials``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_materials",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_materials")),
    )
    op.create_table(
        "hub_material_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_offset", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "byte_offset", name=op.f("pk_hub_material_chunks")),
    )
    op.create_index(
        op.f("ix_hub_material_chunks_material_id"),
        "hub_material_chunks",
        ["material_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_hub_material_chunks_material_id"), table_name="hub_material_chunks")
    op.drop_table("hub_material_chunks")
    op.drop_table("hub_materials")
