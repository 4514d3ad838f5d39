"""Any uncaught exception — slot, timer, worker thread — is logged and the kiosk goes home.

``install_ui_recovery`` chains onto whatever ``sys.excepthook`` / ``threading.excepthook``
the composition root installed (they log), then asks the window, on the GUI thread, to
return to the welcome screen. It returns a function that puts the previous hooks back.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


class RecoveryGuard(QObject):
    recovery_requested = Signal(str)
    """An uncaught exception happened somewhere; the text names its type."""

    def __init__(self, recover: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._recover = recover
        self.recoveries = 0
        self._recent: list[float] = []
        self.recovery_requested.connect(self._run, Qt.ConnectionType.QueuedConnection)

    def report(self, exc_type: type[BaseException], exc: BaseException | None) -> None:
        """Safe to call from any thread."""
        log.error("uncaught %s: %s; returning to the welcome screen", exc_type.__name__, exc)
        with contextlib.suppress(RuntimeError):  # guard already deleted (shutting down)
            self.recovery_requested.emit(exc_type.__name__)

    def _run(self, _name: str) -> None:
        now = time.monotonic()
        self._recent = [t for t in self._recent if now - t < 10] + [now]
        if len(self._recent) > 20:  # a crash loop: stop trying, keep the process alive
            log.critical("more than 20 recoveries in 10 s; not recovering again")
            return
        self.recoveries += 1
        try:
            self._recover()
        except Exception:
            log.exception("recovery itself failed")


def install_ui_recovery(
    recover: Callable[[], None], parent: QObject | None = None
) -> tuple[RecoveryGuard, Callable[[], None]]:
    """Chain onto the current hooks; returns the guard and an ``uninstall`` function."""
    guard = RecoveryGuard(recover, parent)
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous_hook(exc_type, exc, tb)
        if not issubclass(exc_type, KeyboardInterrupt):
            guard.report(exc_type, exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        previous_thread_hook(args)
        guard.report(args.exc_type, args.exc_value)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def uninstall() -> None:
        if sys.excepthook is hook:
            sys.excepthook = previous_hook
        if threading.excepthook is thread_hook:
            threading.excepthook = previous_thread_hook

    return guard, uninstall
