"""A hub for the benchmarks: ``kiosk-hub serve`` as a child process on a fresh database,
stations created on it and enrolled over HTTP (used by ``hub.py`` and ``hub_backlog.py``)."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.bench import stop_process


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hub_process(db_url: str) -> Iterator[str]:
    """``kiosk-hub serve`` as a child process on a free port; yields its URL."""
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "kiosk.hub.cli", "--db", db_url, "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"hub exited: {err[-2000:]}")
            try:
                if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("hub did not start in 60 s")
            time.sleep(0.1)
        yield url
    finally:
        stop_process(proc)


@contextmanager
def fresh_database(kind: str, pg_url: str | None, folder: Path) -> Iterator[str]:
    """An empty hub database: an SQLite file in ``folder`` or a new PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'hub-{secrets.token_hex(4)}.sqlite3'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert pg_url is not None
    name = f"kiosk_bench_{secrets.token_hex(5)}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def add_stations(db_url: str, count: int) -> list[str]:
    """Create stations on the hub (as ``kiosk-hub station add`` does); their one-time codes."""
    from kiosk.hub import stations
    from kiosk.hub.db import open_hub_database

    db = open_hub_database(db_url)
    try:
        with db.write() as s:
            return [
                stations.add_station(s, f"基准站{i}", datetime.now(UTC))[1] for i in range(count)
            ]
    finally:
        db.close()


@dataclass
class Enrolled:
    station_id: str
    token: str
    key_id: str


def enroll_over_http(url: str, code: str) -> Enrolled:
    import httpx
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.core.keys import key_id_of, public_raw

    raw = public_raw(Ed25519PrivateKey.generate())
    body = {"code": code, "key_id": key_id_of(raw), "public_key": raw.hex()}
    answer = httpx.post(f"{url}/v1/enroll", json=body, timeout=30)
    answer.raise_for_status()
    data = answer.json()
    return Enrolled(data["station_id"], data["token"], key_id_of(raw))
