"""Alembic environment for the hub: runs on the connection handed over by ``kiosk.hub.db``."""

from __future__ import annotations

from alembic import context

from kiosk.hub.db import VERSION_TABLE
from kiosk.hub.models import HubBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=HubBase.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
