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


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply pending migrations; a no-op (one cheap query) on an up-to-date database."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


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
