"""Bring a station database to the current schema at start-up, in place.

Uses alembic programmatically; no ``alembic.ini`` is needed at run time. To add a
revision during development: ``python -m kiosk.store.migrate revision "message"``.

The runner (alembic is loaded only when a migration is due):
:class:`kiosk.db.migrations.MigrationSet`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kiosk.db.migrations import MigrationSet

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

STATION_MIGRATIONS = MigrationSet(MIGRATIONS_DIR)


def _config() -> Config:
    return STATION_MIGRATIONS.config()


def head_revision() -> str:
    return STATION_MIGRATIONS.head()


def current_revision(engine: Engine) -> str | None:
    return STATION_MIGRATIONS.current(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    STATION_MIGRATIONS.upgrade(engine, revision)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "revision":
        import tempfile

        from sqlalchemy import create_engine

        with tempfile.TemporaryDirectory() as tmp:
            engine = create_engine(f"sqlite:///{tmp}/scratch.sqlite3")
            upgrade(engine)
            from alembic import command

            cfg = _config()
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.revision(cfg, message=argv[1], autogenerate=True)
        return 0
    print("usage: python -m kiosk.store.migrate revision MESSAGE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
