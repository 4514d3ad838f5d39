"""Back to the welcome screen when nobody has touched the kiosk for a while."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class IdleWatcher(QObject):
    """An application-wide event filter: any touch or key restarts a single-shot timer."""

    idle_timeout = Signal()
    """Nobody touched the screen for ``interval_ms``."""

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.idle_timeout)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def is_armed(self) -> bool:
        return self._timer.isActive()

    def arm(self, interval_ms: int | None = None) -> None:
        """(Re)start the countdown, optionally with a new length."""
        if interval_ms is not None:
            self._timer.setInterval(interval_ms)
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    def watch(self, on: bool) -> None:
        """Filter every event of the app (on), or stop and disarm (off). The window turns it
        on only while a screen other than the welcome one is up (less work at idle and
        before the first paint)."""
        app = QCoreApplication.instance()
        if on and app is not None:
            app.installEventFilter(self)  # installing twice keeps one
        else:
            self.disarm()
            if app is not None:
                app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
