"""The touchscreen under a service manager: systemd's notify protocol and an orderly stop.

Both run ``kiosk run`` in a child process on the offscreen platform, as systemd would start
it: a fake ``NOTIFY_SOCKET`` (a Unix datagram socket this test binds) and real signals.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import qrcode

from kiosk.core.sd_notify import SystemdNotifier
from kiosk.core.station import StationService
from kiosk.paths import StationPaths


@pytest.fixture
def notify_socket() -> Iterator[socket.socket]:
    """A bound datagram socket, in a short path (``sun_path`` holds 108 bytes)."""
    folder = tempfile.mkdtemp(prefix="kn-")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(os.path.join(folder, "notify"))
    sock.settimeout(60)
    yield sock
    sock.close()
    os.unlink(os.path.join(folder, "notify"))
    os.rmdir(folder)


def _env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", KIOSK_LOG_DIR=str(data / "logs"))
    env.update(extra)
    return env


def test_notifier_is_silent_without_a_socket() -> None:
    notifier = SystemdNotifier({})
    assert not notifier.enabled
    assert notifier.ready() is False


def test_watchdog_interval_is_only_for_the_named_process() -> None:
    mine = {"NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "5000000", "WATCHDOG_PID": str(os.getpid())}
    assert SystemdNotifier(mine).watchdog_usec == 5_000_000
    under_cage = {**mine, "WATCHDOG_PID": str(os.getppid())}  # the compositor is the main pid
    assert SystemdNotifier(under_cage).watchdog_usec == 5_000_000
    assert SystemdNotifier({**mine, "WATCHDOG_PID": "999999999"}).watchdog_usec == 0
    assert SystemdNotifier({**mine, "WATCHDOG_USEC": "soon"}).watchdog_usec == 0
    assert SystemdNotifier(mine).address == "\0x"  # abstract namespace


@pytest.mark.slow
def test_ready_then_repeated_watchdog_then_stopping_and_exit_0(
    tmp_path: Path, notify_socket: socket.socket
) -> None:
    data = tmp_path / "station"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "--data-dir",
            str(data),
            "run",
            "--demo",
            "--windowed",
            "--camera",
            str(data / "no-camera"),
        ],
        env=_env(data, NOTIFY_SOCKET=notify_socket.getsockname(), WATCHDOG_USEC="200000"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = notify_socket.recv(4096).decode()
        assert first.splitlines()[0] == "READY=1"
        pings = [notify_socket.recv(4096).decode() for _ in range(4)]
        assert pings == ["WATCHDOG=1"] * 4
        child.send_signal(signal.SIGTERM)
        rest = []
        while "STOPPING=1" not in rest:
            rest.append(notify_socket.recv(4096).decode())
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err[-2000:]


# The kiosk with a probe: every result the screen shows is printed, as a worker would see it.
_PROBE = textwrap.dedent(
    """
    import sys
    from kiosk.ui.window import MainWindow

    shown = MainWindow.show_result

    def show_result(self, result):
        print("ACK", result.outcome.value, result.visit_id, flush=True)
        return shown(self, result)

    MainWindow.show_result = show_result
    from kiosk.app import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.slow
def test_sigterm_during_a_stream_of_scans_exits_0_and_keeps_every_checkin(
    tmp_path: Path,
) -> None:
    data = tmp_path / "station"
    cards = tmp_path / "cards"
    cards.mkdir()
    setup = StationService(StationPaths(data))
    setup.init("信号测试站")
    for i in range(40):
        person = setup.add_person(name=f"工人{i}", trade="环卫")
        qrcode.make(setup.issue_badge(person.id).token, box_size=6).save(cards / f"{i:03}.png")
    setup.close()

    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _PROBE,
            "--data-dir",
            str(data),
            "run",
            "--windowed",
            "--camera",
            str(cards),
        ],
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acked: list[str] = []
    try:
        for line in child.stdout:
            kind, outcome, visit_id = line.split()
            assert (kind, outcome) == ("ACK", "checked_in"), line
            acked.append(visit_id)
            if len(acked) == 5:
                child.send_signal(signal.SIGTERM)  # the camera is still reading cards
                break
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err[-2000:]
    assert len(acked) == 5

    with sqlite3.connect(data / "station.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in db.execute("SELECT id FROM visits")}
    assert set(acked) <= stored
    assert len(stored) < 40  # stopped mid-stream, not after the last card
