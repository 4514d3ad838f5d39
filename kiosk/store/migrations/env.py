"""Alembic environment: runs on the connection handed over by ``kiosk.store.migrate``."""

from __future__ import annotations

from alembic import context

from kiosk.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
)
with context.begin_transaction():
    context.run_migrations()
