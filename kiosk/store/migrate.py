"""Bring a station database to the current schema at start-up, in place.

Uses alembic programmatically; no ``alembic.ini`` is needed at run time. To add a
revision during development: ``python -m kiosk.store.migrate revision "message"``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class MigrationSet:
    """One alembic script folder and its version table: the station's, or the hub's."""

    def __init__(self, script_location: Path, version_table: str = "alembic_version") -> None:
        self.script_location = script_location
        self.version_table = version_table

    def config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(self.script_location))
        return cfg

    def head(self) -> str:
        head = ScriptDirectory.from_config(self.config()).get_current_head()
        assert head is not None
        return head

    def current(self, engine: Engine) -> str | None:
        with engine.connect() as conn:
            opts = {"version_table": self.version_table}
            return MigrationContext.configure(conn, opts=opts).get_current_revision()

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        """Apply pending migrations; a no-op (one cheap query) on an up-to-date database."""
        if revision == "head" and self.current(engine) == self.head():
            return
        cfg = self.config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


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
            cfg = _config()
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.revision(cfg, message=argv[1], autogenerate=True)
        return 0
    print("usage: python -m kiosk.store.migrate revision MESSAGE", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
