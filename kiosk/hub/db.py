"""The hub's engine, sessions and start-up migrations.

On SQLite: WAL, ``synchronous=FULL`` and ``BEGIN IMMEDIATE`` writes, so concurrent pushes
queue on the write lock instead of failing with "database is locked". On PostgreSQL
(``postgresql+psycopg://…``): a connection pool sized for uvicorn's worker threads, checked
before use; the SQL the hub issues is portable, and the feed's ordering is kept with
advisory locks (:mod:`kiosk.hub.feed`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from kiosk.hub.projections import catch_up
from kiosk.store.db import Sessions, tune_sqlite
from kiosk.store.migrate import MigrationSet

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "hub_alembic_version"
BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 10
POOL_OVERFLOW = 20


def create_hub_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Per hub process; several processes behind a load balancer each hold their own.
        return create_engine(
            url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    )
    return tune_sqlite(engine, BUSY_TIMEOUT_MS)


HUB_MIGRATIONS = MigrationSet(MIGRATIONS_DIR, VERSION_TABLE)


def alembic_config() -> Config:
    return HUB_MIGRATIONS.config()


def head_revision() -> str:
    return HUB_MIGRATIONS.head()


def current_revision(engine: Engine) -> str | None:
    return HUB_MIGRATIONS.current(engine)


def upgrade(engine: Engine) -> None:
    """Bring the hub database to the newest schema; cheap when it is already there."""
    HUB_MIGRATIONS.upgrade(engine)


class HubDatabase(Sessions):
    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(create_hub_engine(url))


def open_hub_database(url: str) -> HubDatabase:
    """Open, migrate, and project events an older hub stored before projections existed."""
    db = HubDatabase(url)
    upgrade(db.engine)
    with db.write() as s:
        catch_up(s, datetime.now(UTC))
    return db
