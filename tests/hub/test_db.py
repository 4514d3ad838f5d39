"""Opening the hub database: several processes migrating one fresh database at once, and the
connection pool's size (on SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import queue
import time
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from kiosk.hub.db import (
    MIGRATION_LOCK,
    VERSION_TABLE,
    HubDatabase,
    current_revision,
    head_revision,
    open_hub_database,
)
from kiosk.hub.models import HubBase, HubMeta
from tests.hub.harness import wait_for
from tests.hub.postgres import SKIP_REASON, fresh_database, postgres_url


def _prepare_in_child(url: str, gate: Any, results: Any) -> None:
    """A separate process: import the hub, wait for the others, then open the database."""
    from kiosk.hub.db import HubDatabase, prepare

    db = HubDatabase(url)
    try:
        gate.wait()
        results.put(("ok", prepare(db).previous))
    except BaseException as e:
        results.put(("error", repr(e)))
    finally:
        db.close()


class Processes:
    """``count`` processes that open one database together (released by a barrier)."""

    def __init__(self, url: str, count: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.results = context.Queue()
        self.gate = context.Barrier(count)  # kept: the children unpickle it after start()
        self.children = [
            context.Process(target=_prepare_in_child, args=(url, self.gate, self.results))
            for _ in range(count)
        ]
        for child in self.children:
            child.start()

    def outcomes(self) -> list[tuple[str, str | None]]:
        """Each child's ``("ok", previous revision)`` or ``("error", what it raised)``."""
        found: list[tuple[str, str | None]] = []
        deadline = time.monotonic() + 120
        while len(found) < len(self.children):
            try:
                found.append(self.results.get(timeout=1))
            except queue.Empty:
                dead = [c.exitcode for c in self.children if c.exitcode not in (None, 0)]
                if dead or time.monotonic() > deadline:
                    found.append(("error", f"children stuck or dead (exit status {dead})"))
                    break
        for child in self.children:
            child.join(10)
            if child.is_alive():
                child.kill()
        return found


def _assert_at_head_once(url: str, outcomes: list[tuple[str, str | None]]) -> None:
    assert [text for status, text in outcomes if status != "ok"] == []
    head = head_revision()
    # One of them created the schema; the others found it at head and had nothing to do.
    previous = [text for _, text in outcomes]
    assert previous.count(None) == 1 and previous.count(head) == len(outcomes) - 1
    db = HubDatabase(url)
    try:
        assert current_revision(db.engine) == head
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert compare_metadata(context, HubBase.metadata) == []
        with db.read() as s:
            assert len(list(s.scalars(select(HubMeta).where(HubMeta.key == "epoch")))) == 1
    finally:
        db.close()


def test_processes_opening_a_fresh_database_at_once_take_turns(hub_url_db: str) -> None:
    _assert_at_head_once(hub_url_db, Processes(hub_url_db, 3).outcomes())


def test_on_postgresql_the_second_process_waits_for_the_first() -> None:
    """While one process holds the migration lock, the others wait on it (seen in pg_locks)
    without touching the schema; once it is free they all finish."""
    if postgres_url() is None:
        pytest.skip(SKIP_REASON)
    with fresh_database() as url:
        holder = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with holder.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
                children = Processes(url, 2)

                def waiting() -> int:
                    return conn.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                            " AND NOT granted AND objid = :k AND database ="
                            " (SELECT oid FROM pg_database WHERE datname = current_database())"
                        ),
                        {"k": MIGRATION_LOCK},
                    )

                wait_for(lambda: waiting() == 2, 60)
                tables = conn.scalar(
                    text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                )
                assert tables == 0  # nobody migrated while the lock was held
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
                outcomes = children.outcomes()
        finally:
            holder.dispose()
        _assert_at_head_once(url, outcomes)


def test_pool_size_and_overflow_reach_the_engine(hub_url_db: str) -> None:
    db = open_hub_database(hub_url_db, pool_size=3, max_overflow=4)
    try:
        assert db.engine.pool.size() == 3
        assert db.engine.pool._max_overflow == 4  # type: ignore[attr-defined]
        with db.read() as s:
            assert s.get(HubMeta, "epoch") is not None
    finally:
        db.close()
    default = HubDatabase(hub_url_db)
    try:
        if make_url(hub_url_db).get_backend_name() == "postgresql":
            assert default.engine.pool.size() == 10
            assert default.engine.pool._max_overflow == 20  # type: ignore[attr-defined]
    finally:
        default.close()
    for bad in ({"pool_size": 0}, {"max_overflow": -1}):
        with pytest.raises(ValueError):
            HubDatabase(hub_url_db, **bad)  # type: ignore[arg-type]
