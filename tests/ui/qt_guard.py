"""Shared fixtures for Qt tests: an offscreen platform, a demo station, and a leak guard.

The guard (napari's conftest idea) fails a test that leaves a QThread running, an active
QTimer alive, or a top-level widget undeleted, so one test cannot poison the next.
"""

from __future__ import annotations

import gc
import os
import weakref

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests/conftest.py does it too

import pytest


@pytest.fixture
def demo_station(station):
    """The shared ``station`` with the demo roster; ``station.badges`` maps name → token."""
    from kiosk.core.demo import ensure_demo_station

    issued = ensure_demo_station(station)
    station.badges = {b.name: b.token for b in issued}
    return station


@pytest.fixture
def qt_leak_guard(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication, QEvent, QThread, QTimer
    from shiboken6 import isValid

    threads: list[weakref.ref] = []
    timers: list[weakref.ref] = []
    real_thread_start = QThread.start
    real_timer_start = QTimer.start

    def thread_start(self, *args):
        threads.append(weakref.ref(self))
        return real_thread_start(self, *args)

    def timer_start(self, *args):
        timers.append(weakref.ref(self))
        return real_timer_start(self, *args)

    monkeypatch.setattr(QThread, "start", thread_start)
    monkeypatch.setattr(QTimer, "start", timer_start)
    before = {id(w) for w in qapp.topLevelWidgets()}
    yield
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qapp.processEvents()
    problems = []
    for ref in threads:
        t = ref()
        if t is not None and isValid(t) and t.isRunning():
            problems.append(f"QThread still running: {t.objectName() or t!r}")
            t.requestInterruption()
            t.wait(2000)
    for ref in timers:
        t = ref()
        if t is not None and isValid(t) and t.isActive():
            owner = t.parent()
            problems.append(f"active QTimer owned by {type(owner).__name__ if owner else None}")
            t.stop()
    leaked = [w for w in qapp.topLevelWidgets() if id(w) not in before and isValid(w)]
    for w in leaked:
        problems.append(f"top-level widget alive: {type(w).__name__} {w.objectName()!r}")
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if problems:
        pytest.fail("Qt leak guard:\n  " + "\n  ".join(problems))


@pytest.fixture
def gc_on_this_thread():
    """As ``kiosk.ui.gui_gc.GuiThreadGc`` in the app: no cyclic collection on a worker thread
    during a Qt test (a worker collecting a window's garbage deadlocked PySide against the GUI
    thread), and the test's garbage collected here at its end."""
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()
