from __future__ import annotations

import gc

import pytest

from tests.ui.qt_guard import demo_station, qt_leak_guard  # noqa: F401


@pytest.fixture(autouse=True)
def _no_qt_leaks(qt_leak_guard):  # noqa: F811
    yield


@pytest.fixture(autouse=True)
def _garbage_collected_on_this_thread():
    """As ``kiosk.ui.launch.GuiThreadGc`` in the app: no cyclic collection on a worker thread
    during a UI test (a worker collecting a window's garbage deadlocked PySide against the GUI
    thread), and the test's garbage collected here at its end."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture
def timing():
    from kiosk.ui.window import Timing

    return Timing(
        idle_ms=400, greeting_ms=250, refusal_ms=400, clock_ms=1000, idle_from_settings=False
    )


@pytest.fixture
def window(qtbot, demo_station, timing):  # noqa: F811
    """The real window on the demo station, silent, 1280×800, no camera."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.ui.launch import build_window

    win = build_window(demo_station, lang="zh", timing=timing)
    win.apply_scale(1280, 800)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.bridge.pending == 0 and bool(win.settings))
    yield win
    win.shutdown()
    win.close()
    qtbot.waitUntil(lambda: win.bridge.pending == 0)
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
