"""SQLite's durable connection settings and the read/write session factory over an engine.

The station's file (:mod:`kiosk.store.db`) and the hub's database (:mod:`kiosk.hub.db`) both
use them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker


def _switch_to_wal(cur: sqlite3.Cursor, timeout_ms: int) -> None:
    """``PRAGMA journal_mode=WAL``, retried while another process holds the file's lock.

    SQLite may answer the journal-mode switch with "database is locked" at once instead of
    waiting in the busy handler (seen in CI when three hub processes opened one fresh file
    together), so this waits here, up to the busy timeout.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def tune_sqlite(engine: Engine, busy_timeout_ms: int) -> Engine:
    """Durable settings on every connection; transactions start as the session asks.

    A session bound to ``engine.execution_options(sqlite_begin="IMMEDIATE")`` takes the write
    lock at ``BEGIN``. Shared by the station and the hub's embedded SQLite.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below decide how transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # The busy timeout first: switching a fresh file to WAL needs its lock, and a second
        # process opening it at the same moment must wait, not fail with "database is locked".
        cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        _switch_to_wal(cur, busy_timeout_ms)
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Sessions:
    """Sessions over one engine: ``write()`` for changes, ``read()`` for queries.

    On SQLite a write session starts with ``BEGIN IMMEDIATE``; elsewhere the option is ignored.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writes = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        self._reads = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction, committed (and on the station fsynced) when the block ends."""
        with self._writes() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()
