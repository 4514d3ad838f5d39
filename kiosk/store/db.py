"""The station's SQLite database: durable settings on every connection.

WAL with ``synchronous=FULL`` makes every committed transaction survive power loss;
writes start with ``BEGIN IMMEDIATE`` so a writer takes the lock up front instead of
failing half-way with "database is locked". Use :class:`kiosk.store.worker.DbWorker`
to run all work on one thread.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine

from kiosk.db.sessions import Sessions, tune_sqlite

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_station_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tune_sqlite(
        create_engine(
            sqlite_url(path),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        ),
        BUSY_TIMEOUT_MS,
    )


class Database(Sessions):
    """The station's database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(create_station_engine(path))

    def integrity_check(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())
