"""The feed's PostgreSQL lock: taken once per transaction, held until it ends, taken again by
the next one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from kiosk.hub import feed
from kiosk.hub.db import open_hub_database
from tests.hub.postgres import SKIP_REASON, fresh_database, postgres_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """PostgreSQL only: on SQLite ``lock_feed`` does nothing (SQLite has one writer)."""
    if postgres_url() is None:
        pytest.skip(SKIP_REASON)
    with fresh_database() as url:
        yield url


def test_the_feed_lock_is_held_for_the_whole_transaction_and_taken_again(pg_url: str):
    db = open_hub_database(pg_url)
    other = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    statements: list[str] = []
    event.listen(
        db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]), named=False
    )

    def free_elsewhere() -> bool:
        with other.connect() as conn:
            got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": feed.FEED_LOCK})
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": feed.FEED_LOCK})
            return bool(got)

    def lock_calls() -> int:
        return sum("pg_advisory_xact_lock" in s for s in statements)

    try:
        for _ in range(2):  # a second transaction on the same session must lock again
            with db.write() as s:
                for _ in range(3):
                    feed.lock_feed(s)
                assert not free_elsewhere()
            assert free_elsewhere()
        assert lock_calls() == 2
        with Session(db.engine) as s:  # one session, two transactions
            feed.lock_feed(s)
            s.commit()
            assert free_elsewhere()
            feed.lock_feed(s)
            assert not free_elsewhere()
            s.rollback()
            assert free_elsewhere()
        assert lock_calls() == 4
    finally:
        other.dispose()
        db.close()
