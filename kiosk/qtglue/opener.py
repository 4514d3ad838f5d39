"""Open the station (SQLAlchemy, migrations, keyring) off the GUI thread, after first paint.

Importing the database stack and migrating takes seconds on a small kiosk; the welcome
screen must not wait for it. ``StationOpener`` runs a factory in a plain thread and hands
the result back on the GUI thread as a signal; until then the bridge queues calls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class StationOpener(QObject):
    opened = Signal(object)
    """The station is open and migrated (the factory's result), on the GUI thread."""
    open_failed = Signal(str)
    """The factory raised; the text says why (already logged with its traceback)."""

    def __init__(self, factory: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._thread: threading.Thread | None = None
        self.result: Any = None
        self.seconds = 0.0

    @property
    def started(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._open, name="station-open", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the factory returned (shutdown); True if it did."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _open(self) -> None:
        started = time.perf_counter()
        try:
            self.result = self._factory()
        except Exception as exc:
            log.exception("opening the station failed")
            self._emit(self.open_failed, str(exc) or type(exc).__name__)
            return
        self.seconds = time.perf_counter() - started
        log.info("station opened in the background in %.2f s", self.seconds)
        self._emit(self.opened, self.result)

    def _emit(self, signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window (our parent) is gone: the app is closing
            log.debug("station opened after the window closed")
