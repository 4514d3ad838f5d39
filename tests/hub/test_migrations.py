"""The hub schema comes from its own alembic revisions and matches its models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kiosk.hub.db import HubDatabase, current_revision, head_revision, upgrade
from kiosk.hub.models import HubBase


def test_hub_migrations_match_the_models(tmp_path) -> None:
    db = HubDatabase(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    upgrade(db.engine)
    upgrade(db.engine)  # idempotent
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "hub_alembic_version"})
        assert compare_metadata(context, HubBase.metadata) == []
    db.close()
