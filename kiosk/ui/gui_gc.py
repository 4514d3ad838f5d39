"""Python's garbage collection on the GUI thread only (why: :class:`GuiThreadGc`)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGc(QObject):
    """Python's cyclic garbage collection, on the GUI thread only, while the window is up.

    The collector runs in whichever thread allocates. When a worker (the database thread, the
    scanner) collects a window's garbage, PySide disconnects signals from that thread inside
    Qt's connection lock and then waits for the GIL, while the GUI thread holds the GIL and
    waits for that lock: a deadlock (seen in tests/ui). So automatic collection is off and
    this timer collects by the same thresholds (as calibre's GarbageCollector does).
    """

    def __init__(self, parent: QObject, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """Collect the generations whose thresholds were passed, as automatic gc would."""
        count, threshold = gc.get_count(), gc.get_threshold()
        if count[0] <= threshold[0]:
            return
        generation = 0
        if count[1] > threshold[1]:
            generation = 2 if count[2] > threshold[2] else 1
        gc.collect(generation)

    def freeze(self, *_args: object) -> None:
        """Start-up is over: what lives now (modules, windows, the station) is never garbage,
        so leave it out of later collections and keep the full ones on this thread short."""
        gc.collect()
        gc.freeze()

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
