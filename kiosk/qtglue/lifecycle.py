"""The touchscreen's life under a service manager: stop signals and systemd's notify protocol.

SIGTERM (systemd stop, shutdown) and SIGINT end the Qt event loop like 管理 → 退出 does, so
the launcher closes everything in order (camera, database queue, database) and exits 0.
Python runs signal handlers only when the interpreter gets control, and Qt's event loop
may sit in C++ for ever: the handler's wake-up byte goes through a pipe that a
``QSocketNotifier`` watches (``signal.set_wakeup_fd``), which wakes the GUI thread.

With ``NOTIFY_SOCKET`` set (``Type=notify``), ``READY=1`` follows the first paint,
``WATCHDOG=1`` comes from a GUI-thread timer at half of ``WATCHDOG_USEC`` (a frozen UI thread
stops it, and systemd restarts the kiosk) and ``STOPPING=1`` precedes the shutdown.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from kiosk.core.sd_notify import SystemdNotifier

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals(QObject):
    """Turns SIGTERM/SIGINT into ``stop_requested`` on the GUI thread."""

    stop_requested = Signal(int)
    """A stop signal arrived (its number); emitted on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        os.set_blocking(self._write_fd, False)
        self._previous_fd = signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, self._note) for sig in STOP_SIGNALS}
        self._notifier = QSocketNotifier(self._read_fd, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    @staticmethod
    def _note(_signum: int, _frame: FrameType | None) -> None:
        """The Python-level handler: nothing to do, the wake-up fd carries the number."""

    def _drain(self) -> None:
        try:
            data = os.read(self._read_fd, 64)
        except BlockingIOError:
            return
        for signum in data:
            if signum in STOP_SIGNALS:
                log.info("%s received: closing in order", signal.Signals(signum).name)
                self.stop_requested.emit(signum)
                return

    def uninstall(self) -> None:
        """Restore the previous handlers and close the pipe (at the end of ``main``)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        for fd in (self._read_fd, self._write_fd):
            os.close(fd)


class ServiceNotifier(QObject):
    """``READY``, the watchdog keep-alive from a GUI-thread timer, and ``STOPPING``."""

    def __init__(self, notifier: SystemdNotifier | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.notifier = notifier or SystemdNotifier()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.notifier.watchdog)
        self.is_ready = False
        self.is_stopping = False

    def ready(self) -> None:
        """The first paint happened: tell systemd, and start the watchdog timer if asked."""
        if self.is_ready or not self.notifier.enabled:
            return
        self.is_ready = True
        self.notifier.ready("驿站终端 running")
        usec = self.notifier.watchdog_usec
        if usec:
            self.timer.start(max(100, usec // 2000))  # half the interval, in ms
            self.notifier.watchdog()
        log.info("systemd notified: ready (watchdog every %d ms)", self.timer.interval())

    def stopping(self) -> None:
        """``STOPPING=1`` once; the watchdog stops with it."""
        self.timer.stop()
        if self.notifier.enabled and not self.is_stopping:
            self.notifier.stopping()
        self.is_stopping = True

    def close(self) -> None:
        self.timer.stop()
        self.notifier.close()


class Lifecycle(QObject):
    """Both, wired to the app: a stop signal calls ``quit`` after ``STOPPING=1``."""

    def __init__(self, quit_app: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        # POSIX only: on Windows set_wakeup_fd wants a socket, and no service manager sends
        # SIGTERM (Shell Launcher restarts the program itself; docs/deployment.md).
        self.signals = StopSignals(self) if os.name == "posix" else None
        self.service = ServiceNotifier(parent=self)
        self.stop_signal: int | None = None
        self._quit = quit_app
        if self.signals is not None:
            self.signals.stop_requested.connect(self._on_stop)

    def _on_stop(self, signum: int) -> None:
        self.stop_signal = signum
        self.service.stopping()
        self._quit()

    def close(self) -> None:
        self.service.stopping()
        self.service.close()
        if self.signals is not None:
            self.signals.uninstall()
