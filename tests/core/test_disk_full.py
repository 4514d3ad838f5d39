"""A filling disk: the kiosk keeps recording, its log stops first, the database never breaks.

The real test runs on a small tmpfs mounted for it (needs root and permission to mount, as
in CI's container); elsewhere it is skipped and the edge is tested with an injected
free-space function.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.health import MB, disk_status
from kiosk.core.station import StationService
from kiosk.logs import DiskReserveFilter
from kiosk.paths import StationPaths


def _record() -> logging.LogRecord:
    return logging.LogRecord("kiosk", logging.INFO, __file__, 1, "a line", None, None)


def test_the_log_filter_stops_below_the_reserve_and_resumes_above(tmp_path: Path):
    free = {"bytes": 300 * MB}
    guard = DiskReserveFilter(tmp_path, reserve_mb=200, free=lambda _p: free["bytes"])
    assert guard.filter(_record())
    free["bytes"] = 200 * MB - 1  # one byte under the edge
    assert guard.filter(_record())  # not looked at again yet (every CHECK_SECONDS)
    guard.recheck()
    assert not guard.filter(_record())
    assert guard.paused and guard.dropped == 1
    free["bytes"] = 200 * MB  # exactly the reserve is enough
    guard.recheck()
    assert guard.filter(_record())
    assert not guard.paused


def test_disk_status_at_the_edge():
    assert disk_status(Path("/"), 1, lambda _p: MB - 1).low
    assert not disk_status(Path("/"), 1, lambda _p: MB).low
    assert disk_status(Path("/"), 0, lambda _p: 0).as_dict() == {
        "disk_free_mb": 0,
        "disk_reserve_mb": 0,
        "disk_low": False,
    }


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB tmpfs of its own, or a skip where this machine cannot mount one."""
    mount_point = tmp_path / "fs"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the edge is covered with injected free space")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(path: Path, leave: int) -> None:
    """Write ``path`` until the file system is full, then give back ``leave`` bytes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for chunk in (b"\0" * 65536, b"\0" * 4096, b"\0" * 512):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, chunk)
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    os.truncate(path, max(0, size - leave))


def test_on_a_filling_tmpfs_checkins_go_on_the_log_stops_and_nothing_breaks(small_fs: Path):
    paths = StationPaths(small_fs / "station")
    station = StationService(paths)
    station.init("满盘测试站")
    tokens = []
    for i in range(60):
        person = station.add_person(name=f"工人{i}", trade="环卫")
        tokens.append(station.issue_badge(person.id).token)
    filler = small_fs / "filler"
    # 1.5 MB left, under the 2 MB reserve: room for the WAL of 20 check-ins (each writes
    # the visit, its indexes and its outbox row: ~8 pages), as a real reserve leaves room.
    _fill(filler, leave=1536 * 1024)

    # Below the reserve: the keeper is warned, the log file stops, check-ins still go in.
    assert disk_status(paths.data_dir, 2).low
    guard = DiskReserveFilter(paths.data_dir, reserve_mb=2)
    assert not guard.filter(_record())
    acked: list[str] = []
    for token in tokens[:20]:
        result = station.scan(token)
        assert result.outcome.value == "checked_in"
        acked.append(str(result.visit_id))

    # Truly full: a check-in fails whole (an error, not a crash), the ones before stay.
    _fill(filler, leave=0)
    failures = 0
    for token in tokens[20:]:
        try:
            result = station.scan(token)
        except Exception as e:  # SQLITE_FULL surfaces through SQLAlchemy
            assert "full" in str(e).lower() or getattr(e, "errno", None) == errno.ENOSPC, e
            failures += 1
        else:
            acked.append(str(result.visit_id))
    assert failures > 0
    station.close()

    filler.unlink()  # the technician frees space
    with sqlite3.connect(paths.database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in db.execute("SELECT id FROM visits")}
    assert set(acked) <= stored
    reopened = StationService(paths)
    try:
        assert reopened.scan(tokens[-1]).outcome.value in ("checked_in", "checked_out")
    finally:
        reopened.close()


def test_sync_status_reports_the_disk_against_the_reserve(tmp_path: Path, capsys):
    import json

    from kiosk.app import main

    data = ["--data-dir", str(tmp_path / "station"), "--json"]
    assert main([*data, "init", "--station-name", "盘站"]) == 0
    capsys.readouterr()
    assert main([*data, "sync-status"]) == 0
    fine = json.loads(capsys.readouterr().out)
    assert fine["disk_low"] is False and fine["disk_reserve_mb"] == 200
    assert main([*data, "config", "set", "disk.reserve_mb", str(10**9)]) == 0  # a petabyte
    capsys.readouterr()
    assert main([*data, "sync-status"]) == 0
    low = json.loads(capsys.readouterr().out)
    assert low["disk_low"] is True and low["disk_free_mb"] < 10**9
    assert main(["--data-dir", str(tmp_path / "station"), "sync-status"]) == 0
    assert "LOW — check-ins go on" in capsys.readouterr().out
