"""The hub's engine, sessions and start-up migrations.

On SQLite: WAL, ``synchronous=FULL`` and ``BEGIN IMMEDIATE`` writes, so concurrent pushes
queue on the write lock instead of failing with "database is locked". On PostgreSQL
(``postgresql+psycopg://…``): a connection pool sized for uvicorn's worker threads, checked
before use; the SQL the hub issues is portable, and the feed's ordering is kept with
advisory locks (:mod:`kiosk.hub.feed`).

Every process migrates the database when it opens it. Several processes starting at once
take turns: the migration runs in one transaction that first takes an advisory lock on
PostgreSQL (transaction-scoped, so pgbouncer's transaction pooling cannot strand it) or the
write lock on SQLite (``BEGIN IMMEDIATE``); whoever comes second finds the schema at head
and nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kiosk.db.migrations import MigrationSet
from kiosk.db.sessions import Sessions, tune_sqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "hub_alembic_version"
BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 10  # PostgreSQL, per process; SQLite files keep SQLAlchemy's 5 + 10
POOL_OVERFLOW = 20
# pg_advisory_xact_lock key held while a process migrates (kiosk.hub.feed uses 7_310_001/2).
MIGRATION_LOCK = 7_310_003
# SQLite: how long a process waits for another one's migration before giving up.
MIGRATION_WAIT_MS = 600_000


def create_hub_engine(
    url: str, pool_size: int | None = None, max_overflow: int | None = None
) -> Engine:
    """The hub's engine; ``pool_size`` and ``max_overflow`` bound its connections."""
    if pool_size is not None and pool_size < 1:
        raise ValueError(f"pool size must be at least 1, not {pool_size}")
    if max_overflow is not None and max_overflow < 0:
        raise ValueError(f"max overflow must be 0 or more, not {max_overflow}")
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # Per hub process; several processes behind a load balancer each hold their own.
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=POOL_SIZE if pool_size is None else pool_size,
            max_overflow=POOL_OVERFLOW if max_overflow is None else max_overflow,
        )
    pool: dict[str, int] = {}
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if pool_size is not None:
            pool["pool_size"] = pool_size
        if max_overflow is not None:
            pool["max_overflow"] = max_overflow
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **pool,
    )
    return tune_sqlite(engine, BUSY_TIMEOUT_MS)


HUB_MIGRATIONS = MigrationSet(MIGRATIONS_DIR, VERSION_TABLE)


def alembic_config() -> Config:
    return HUB_MIGRATIONS.config()


def head_revision() -> str:
    return HUB_MIGRATIONS.head()


def current_revision(engine: Engine) -> str | None:
    return HUB_MIGRATIONS.current(engine)


@contextmanager
def _one_process_at_a_time(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction during which no other hub process migrates.

    PostgreSQL: the transaction first waits for :data:`MIGRATION_LOCK`. SQLite: it begins
    ``IMMEDIATE`` (the write lock), waiting up to :data:`MIGRATION_WAIT_MS`.
    """
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                yield conn
            return
        conn.execution_options(sqlite_begin="IMMEDIATE")
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
        try:
            with conn.begin():
                yield conn
        finally:
            if not conn.invalidated:
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _upgrade_on(conn: Connection) -> str | None:
    """Migrate to head in the connection's transaction; the revision it was at before."""
    before = MigrationContext.configure(
        conn, opts={"version_table": VERSION_TABLE}
    ).get_current_revision()
    if before != head_revision():
        from alembic import command

        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return before


def upgrade(engine: Engine) -> str | None:
    """Bring the hub database to the newest schema; cheap when it is already there.

    Returns the revision it was at (None: a new database).
    """
    with _one_process_at_a_time(engine) as conn:
        return _upgrade_on(conn)


@dataclass(frozen=True)
class Prepared:
    """What opening the database did: the revision before (None: new) and now."""

    previous: str | None
    revision: str
    projected: int  # events of an older hub projected now


class HubDatabase(Sessions):
    def __init__(
        self, url: str, pool_size: int | None = None, max_overflow: int | None = None
    ) -> None:
        self.url = url
        super().__init__(create_hub_engine(url, pool_size, max_overflow))

    def ping(self) -> None:
        """One ``SELECT 1``; raises SQLAlchemy's error when the database cannot answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))


def prepare(db: HubDatabase, now: datetime | None = None) -> Prepared:
    """Migrate, project events an older hub stored before projections existed, and fix the
    feed's epoch: one transaction, one process at a time."""
    from kiosk.hub.feed import ensure_epoch
    from kiosk.hub.handlers import catch_up

    with _one_process_at_a_time(db.engine) as conn:
        previous = _upgrade_on(conn)
        with Session(bind=conn, expire_on_commit=False) as session:  # joins conn's transaction
            projected = catch_up(session, now or datetime.now(UTC))
            ensure_epoch(session)
            session.flush()
    return Prepared(previous, head_revision(), projected)


def open_hub_database(
    url: str, *, pool_size: int | None = None, max_overflow: int | None = None
) -> HubDatabase:
    """Open and :func:`prepare` the hub database."""
    db = HubDatabase(url, pool_size, max_overflow)
    try:
        prepare(db)
    except BaseException:
        db.close()
        raise
    return db
