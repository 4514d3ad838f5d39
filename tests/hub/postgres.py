"""A fresh PostgreSQL database per test, on the server ``KIOSK_TEST_POSTGRES_URL`` names.

``.ci/run`` starts a throwaway server and sets the variable; without it the PostgreSQL
variants of the hub tests are skipped (with that reason), so ``./dev test`` passes anywhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ENV = "KIOSK_TEST_POSTGRES_URL"
SKIP_REASON = f"no PostgreSQL for the hub tests: set {POSTGRES_ENV} (.ci/run does)"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards (skips without a server)."""
    base = postgres_url()
    if base is None:
        pytest.skip(SKIP_REASON)
    name = f"kiosk_hub_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
