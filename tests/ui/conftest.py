from __future__ import annotations

import pytest

from tests.ui.qt_guard import demo_station, gc_on_this_thread, qt_leak_guard  # noqa: F401


@pytest.fixture(autouse=True)
def _no_qt_leaks(qt_leak_guard):  # noqa: F811
    yield


@pytest.fixture(autouse=True)
def _garbage_collected_on_this_thread(gc_on_this_thread):  # noqa: F811
    yield


@pytest.fixture
def timing():
    from kiosk.ui.timing import Timing

    return Timing(
        idle_ms=400, greeting_ms=250, refusal_ms=400, clock_ms=1000, idle_from_settings=False
    )


@pytest.fixture
def window(qtbot, demo_station, timing):  # noqa: F811
    """The real window on the demo station, silent, 1280×800, no camera."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.ui.app_setup import build_window

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
