"""``kiosk enroll``, ``kiosk sync --once``, ``kiosk sync-status`` against a real hub."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.app import main
from kiosk.sync.token import TOKEN_FILENAME
from tests.hub.harness import FlakyProxy, HubServer


def kiosk(data_dir: Path, capsys: pytest.CaptureFixture[str], *argv: str, expect: int = 0):
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "--json", *argv])
    captured = capsys.readouterr()
    assert code == expect, captured.err
    return [json.loads(line) for line in captured.out.splitlines() if line.strip()]


def test_enroll_sync_and_status(
    hub: HubServer, proxy: FlakyProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "station"
    kiosk(data, capsys, "init", "--station-name", "命令行站")
    [status] = kiosk(data, capsys, "sync-status")
    initial = status["pending"]  # station.initialized, and whatever else init records
    assert status["enrolled"] is False and initial >= 1

    hub_id, code = hub.add_station("命令行站")
    [enrolled] = kiosk(data, capsys, "enroll", proxy.url, code)
    assert enrolled["hub_station_id"] == hub_id
    token_file = data / "keys" / TOKEN_FILENAME
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    token = token_file.read_text()
    [url] = kiosk(data, capsys, "config", "get", "sync.hub_url")
    assert url["value"] == proxy.url

    kiosk(data, capsys, "enroll", proxy.url, code, expect=2)  # already enrolled

    proxy.plan = ["500"]
    [failed] = kiosk(data, capsys, "sync", "--once", expect=1)
    assert failed["outcome"] == "failed" and "500" in failed["error"]
    [status] = kiosk(data, capsys, "sync-status")
    assert status["pending"] == initial + 1 and "500" in status["last_error"]

    [synced] = kiosk(data, capsys, "sync", "--once")
    assert synced["outcome"] == "synced" and synced["push"]["accepted"] == initial + 1
    [status] = kiosk(data, capsys, "sync-status")
    assert status["pending"] == 0 and status["quarantined"] == 0
    assert status["last_error"] is None and status["last_success_at"] and status["cursor"]
    assert status["clock_offset_seconds"] is not None
    assert kiosk(data, capsys, "sync-quarantine") == []

    logs = "".join(p.read_text() for p in (tmp_path / "logs").glob("*.log*"))
    db_bytes = (data / "station.sqlite3").read_bytes()
    assert token not in logs and token.encode() not in db_bytes


def test_sync_needs_enrolment(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "station"
    kiosk(data, capsys, "init", "--station-name", "未入网站")
    capsys.readouterr()
    assert main(["--data-dir", str(data), "sync", "--once"]) == 2
    assert "kiosk enroll" in capsys.readouterr().err
