"""A USB stick inserted behind the PIN is offered for export without pressing 重新查找.

One test plugs in temporary folders through the export page's ``find_volumes`` seam (as the
export tests do); one mounts a real tmpfs under ``/run/media`` and lets ``QStorageInfo``
find it (skipped where this machine cannot mount).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from kiosk.screen_names import Screen
from kiosk.ui.screens.keeper_export import removable_volumes
from tests.ui.test_keeper_screens import open_keeper, tap


@pytest.fixture
def timing():
    from kiosk.ui.window import Timing

    return Timing(
        idle_ms=60_000, greeting_ms=250, refusal_ms=400, clock_ms=1000, idle_from_settings=False
    )


def test_a_stick_plugged_in_behind_the_pin_is_offered(qtbot, window, tmp_path):
    plugged: list[tuple[str, Path]] = []
    window.keeper.export.find_volumes = lambda: list(plugged)
    open_keeper(qtbot, window, Screen.KEEPER_EXPORT)
    page = window.keeper.export
    assert page.none.isVisible() and not page.stick_buttons
    plugged.append(("甲U盘", tmp_path))  # plugged in while the export screen is up
    qtbot.waitUntil(lambda: len(page.stick_buttons) == 1)
    assert "甲U盘" in page.stick_buttons[0].text() and not page.none.isVisible()
    plugged.clear()  # pulled out: its button goes
    qtbot.waitUntil(lambda: not page.stick_buttons and page.none.isVisible())

    tap(qtbot, page.bar.back)  # elsewhere behind the PIN: the keeper's menu
    assert window.current is Screen.KEEPER
    offer = window.keeper.sticks.offer
    plugged.append(("乙U盘", tmp_path))
    qtbot.waitUntil(offer.isVisible)
    assert "乙U盘" in offer.text.text() and offer.geometry().bottom() == window.height() - 1
    tap(qtbot, offer.go)
    assert window.current is Screen.KEEPER_EXPORT and not offer.isVisible()
    assert len(page.stick_buttons) == 1

    tap(qtbot, page.bar.back)
    plugged.append(("丙U盘", tmp_path / "x"))
    qtbot.waitUntil(offer.isVisible)
    tap(qtbot, offer.dismiss)
    assert not offer.isVisible() and window.current is Screen.KEEPER
    window.show_screen(Screen.WELCOME)  # not behind the PIN: nobody looks
    assert not window.keeper.sticks.isActive()


@contextlib.contextmanager
def mounted_stick():
    """A real tmpfs where udisks mounts sticks, named by its folder (mounted when entered,
    so after the export screen is up: plugged in)."""
    path = Path("/run/media") / f"kiosk-test-{uuid.uuid4().hex[:8]}"
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting needs root")
    path.mkdir(parents=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)], capture_output=True
    )
    if done.returncode != 0:
        path.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    yield path
    subprocess.run(["umount", str(path)], check=False, capture_output=True)
    path.rmdir()


def test_a_real_mount_is_found_without_refresh(qtbot, window, tmp_path):
    open_keeper(qtbot, window, Screen.KEEPER_EXPORT)
    page = window.keeper.export
    before = len(page.stick_buttons)
    with mounted_stick() as path:
        qtbot.waitUntil(lambda: len(page.stick_buttons) == before + 1)
        assert (path.name, path) in removable_volumes()
        assert any(path.name in b.text() for b in page.stick_buttons)
    qtbot.waitUntil(lambda: len(page.stick_buttons) == before)
