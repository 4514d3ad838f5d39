"""The start-up migration runner: one alembic script folder and its version table.

Alembic (~11 MB resident, and its import time) is loaded only when a migration is due: an
up-to-date database is recognised by reading the version table with one query and the head
revision from the version files' ``revision``/``down_revision`` lines. A test checks that
this agrees with alembic's own answer. The station (:mod:`kiosk.store.migrate`) and the hub
(:mod:`kiosk.hub.db`) each have one :class:`MigrationSet`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, column, inspect, select, table

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]+)?=\s*(?:None|["']([^"']+)["'])""", re.M)


class NewerDatabaseError(RuntimeError):
    """The database was written by a newer version of the app (a revision we do not know)."""


class MigrationSet:
    """One alembic script folder and its version table: the station's, or the hub's."""

    def __init__(self, script_location: Path, version_table: str = "alembic_version") -> None:
        self.script_location = script_location
        self.version_table = version_table

    def config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(self.script_location))
        return cfg

    @functools.cached_property
    def _head(self) -> str:
        """The one revision no other revision builds on, read from the version files."""
        revisions: set[str] = set()
        bases: set[str] = set()
        for path in (self.script_location / "versions").glob("*.py"):
            text = path.read_text(encoding="utf-8")
            found, down = _REVISION.search(text), _DOWN.search(text)
            if found is None or down is None:
                return self.alembic_head()  # a file this reader does not understand
            revisions.add(found.group(1))
            if down.group(1):
                bases.add(down.group(1))
        heads = revisions - bases
        return heads.pop() if len(heads) == 1 else self.alembic_head()

    def head(self) -> str:
        return self._head

    @functools.cached_property
    def revisions(self) -> frozenset[str]:
        """Every revision this version of the code knows, read from the version files."""
        found = set()
        for path in (self.script_location / "versions").glob("*.py"):
            match = _REVISION.search(path.read_text(encoding="utf-8"))
            if match:
                found.add(match.group(1))
        return frozenset(found)

    def alembic_head(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self.config()).get_current_head()
        assert head is not None
        return head

    def current(self, engine: Engine) -> str | None:
        """The database's revision (None for an empty database), with one plain query."""
        with engine.connect() as conn:
            if not inspect(conn).has_table(self.version_table):
                return None
            versions = table(self.version_table, column("version_num"))
            found = conn.execute(select(versions.c.version_num)).scalars().all()
        if len(found) > 1:
            raise RuntimeError(f"{self.version_table} holds several heads: {found}")
        return found[0] if found else None

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        """Apply pending migrations; a no-op (one cheap query) on an up-to-date database."""
        current = self.current(engine)
        if revision == "head" and current == self.head():
            return
        if current is not None and current not in self.revisions:
            # Never migrate (or write) a schema from the future: the newer app's data would be
            # misread; install that version again, or restore a backup of this one.
            raise NewerDatabaseError(
                f"the database is at schema {current}, written by a newer version of the app "
                f"than this one (which knows up to {self.head()}); install the newer version "
                "again, or restore a backup made by this one"
            )
        from alembic import command

        cfg = self.config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
