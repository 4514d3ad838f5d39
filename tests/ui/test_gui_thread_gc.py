"""GuiThreadGc: cyclic garbage is collected by the GUI thread's timer, never by a worker."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from kiosk.ui.gui_gc import GuiThreadGc


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_workers_do_not_collect_and_the_timer_does(qtbot, monkeypatch):
    monkeypatch.setattr(gc, "get_threshold", lambda: (10, 10, 10))
    gc.enable()  # as in the app, where nothing else turned it off
    owner = QObject()
    guard = GuiThreadGc(owner, interval_ms=10)
    try:
        assert not gc.isenabled()
        cycle = _Cycle()
        dead = weakref.ref(cycle)
        del cycle

        def allocate() -> None:  # a worker allocating a lot: would trigger gc if enabled
            _ = [_Cycle() for _ in range(5000)]

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert dead() is not None  # nobody collected on the worker thread
        qtbot.waitUntil(lambda: dead() is None, timeout=2000)  # the timer did, here
    finally:
        guard.stop()
        owner.deleteLater()
    assert gc.isenabled()  # as it was before
