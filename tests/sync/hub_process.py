"""The hub as a real child process (``kiosk-hub serve``), so a test can SIGKILL it.

The in-process ``HubServer`` (tests/hub/harness.py) cannot die half-way through a
transaction; this one can. ``stall_at_seq`` makes the hub's insert of one event stop dead
inside its transaction, so "killed mid-batch before committing" is not a matter of timing.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from kiosk.hub import stations
from kiosk.hub.db import HubDatabase, open_hub_database
from tests.hub.harness import wait_for

START_TIMEOUT = 30.0
STALL_TRIGGER = "test_stall_insert"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command() -> list[str]:
    script = Path(sys.executable).with_name("kiosk-hub")  # the installed entry point
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiosk.hub.cli"]


class HubProcess:
    """``kiosk-hub --db URL serve`` on 127.0.0.1; the same port across restarts."""

    def __init__(self, db_file: Path, port: int | None = None) -> None:
        self.db_file = db_file
        self.db_url = f"sqlite:///{db_file}"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> HubProcess:
        if not self.db_file.exists():
            # What `kiosk-hub station add` before the first `serve` does; here in-process,
            # which saves the child's first start two seconds of migrations.
            open_hub_database(self.db_url).close()
        cmd = [*_command(), "--db", self.db_url, "serve", "--host", "127.0.0.1"]
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._healthy, START_TIMEOUT)
        return self

    def _healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"the hub exited with status {self.proc.returncode}")
        try:
            return httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def add_station(self, name: str) -> tuple[str, str]:
        """A new station on the hub: ``(station id, one-time code)``, as ``station add``."""
        db = self.database()
        try:
            with db.write() as s:
                station, code = stations.add_station(s, name, datetime.now(UTC))
            return station.id, code
        finally:
            db.close()

    def database(self) -> HubDatabase:
        """The hub's database opened from the test (close it when done)."""
        return HubDatabase(self.db_url)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback, whatever the hub was doing."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None


def _connect(db_file: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_file, timeout=10, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def stall_at_seq(db_file: Path, seq: int) -> None:
    """Make the hub's transaction that inserts the event with ``seq`` spin without end.

    A trigger on ``hub_events`` runs a four-way cross join of a 1,000-row table (10^12
    rows) right after that row is inserted: the hub has stored part of the batch in its
    open transaction and will not reach COMMIT before it is killed.
    """
    conn = _connect(db_file)
    try:
        conn.execute("CREATE TABLE test_stall (x INTEGER)")
        conn.executemany("INSERT INTO test_stall VALUES (?)", [(i,) for i in range(1000)])
        conn.execute(
            f"CREATE TRIGGER {STALL_TRIGGER} AFTER INSERT ON hub_events WHEN NEW.seq = {seq} "
            "BEGIN SELECT count(*) FROM test_stall a, test_stall b, test_stall c, test_stall d; "
            "END"
        )
    finally:
        conn.close()


def remove_stall(db_file: Path) -> None:
    conn = _connect(db_file)
    try:
        conn.execute(f"DROP TRIGGER IF EXISTS {STALL_TRIGGER}")
        conn.execute("DROP TABLE IF EXISTS test_stall")
    finally:
        conn.close()


def write_lock_held(db_file: Path) -> bool:
    """True while another connection (the hub) holds the database's write lock."""
    conn = sqlite3.connect(db_file, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as e:
        if "locked" not in str(e) and "busy" not in str(e):
            raise
        return True
    finally:
        conn.close()


def integrity(db_file: Path) -> str:
    conn = _connect(db_file)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
