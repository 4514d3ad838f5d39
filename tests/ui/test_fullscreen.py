"""Kiosk mode covers the whole screen on an X server without a window manager.

``showFullScreen()`` alone leaves the window at its own size there (a 634×526 window in the
corner of a 1280×800 screen was seen). A real Xvfb, no window manager, a real ``kiosk run``;
the X server itself (``xwininfo``) says where the window is.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

needs_xvfb = pytest.mark.skipif(
    not shutil.which("Xvfb") or not shutil.which("xwininfo"), reason="no Xvfb"
)

# After the first paint and a moment for the X server: the window's X id, then exit.
_PROBE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    import kiosk.ui.boot as boot

    started = boot.start_touchscreen

    def start_touchscreen(*args, **kwargs):
        touchscreen = started(*args, **kwargs)
        window = touchscreen.window
        QTimer.singleShot(1500, lambda: print("WINDOW", int(window.winId()), flush=True))
        return touchscreen

    boot.start_touchscreen = start_touchscreen
    from kiosk.app import main
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.fixture
def xvfb(request: pytest.FixtureRequest) -> Iterator[tuple[str, int, int]]:
    """An X server of the size the test asks for, and no window manager at all."""
    size = request.param
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    width, height = (int(n) for n in size.split("x"))
    yield display, width, height
    server.terminate()
    server.wait(timeout=30)


def _xwininfo(display: str, window_id: int) -> dict[str, int]:
    text = subprocess.run(
        ["xwininfo", "-id", str(window_id)],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = {
        "Absolute upper-left X": "x",
        "Absolute upper-left Y": "y",
        "Width": "w",
        "Height": "h",
    }
    found = {}
    for label, key in fields.items():
        match = re.search(rf"{label}:\s+(-?\d+)", text)
        assert match, text
        found[key] = int(match.group(1))
    return found


@pytest.mark.slow
@needs_xvfb
@pytest.mark.parametrize(
    "xvfb", ["1280x800", "800x1280"], indirect=True, ids=["landscape", "portrait"]
)
def test_kiosk_window_covers_the_screen_without_a_window_manager(
    tmp_path: Path, xvfb: tuple[str, int, int]
) -> None:
    display, width, height = xvfb
    data = tmp_path / "station"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(
        DISPLAY=display, QT_QPA_PLATFORM="xcb", LANG="C.UTF-8", KIOSK_LOG_DIR=str(tmp_path / "logs")
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _PROBE,
            "--data-dir",
            str(data),
            "run",
            "--demo",
            "--camera",
            str(tmp_path / "no-camera"),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        line = child.stdout.readline()
        assert line.startswith("WINDOW"), child.stderr.read()[-2000:] if child.stderr else line
        geometry = _xwininfo(display, int(line.split()[1]))
        child.send_signal(signal.SIGTERM)
        _out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert geometry == {"x": 0, "y": 0, "w": width, "h": height}
    assert child.returncode == 0, err[-2000:]


def test_the_window_follows_the_screen_when_it_changes(qtbot):
    """A mode change or rotation arrives as ``QScreen.geometryChanged`` (a monitor swap as
    ``primaryScreenChanged``): the window takes the screen's geometry again. Emitted here
    by hand; the offscreen screen itself cannot change size."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QWidget

    from kiosk.ui.fullscreen import KioskGeometry

    widget = QWidget()
    qtbot.addWidget(widget)
    fit = KioskGeometry(widget)
    fit.show()
    screen = QGuiApplication.primaryScreen()
    assert widget.geometry() == screen.geometry()
    widget.setGeometry(10, 10, 300, 200)  # e.g. the old mode's size after a rotation
    screen.geometryChanged.emit(screen.geometry())
    assert widget.geometry() == screen.geometry()
    widget.setGeometry(10, 10, 300, 200)
    QGuiApplication.instance().primaryScreenChanged.emit(screen)
    assert widget.geometry() == screen.geometry()
    assert fit.screen is screen
