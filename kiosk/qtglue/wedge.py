"""Keyboard-wedge scanners, application-wide: bursts become codes, people's typing passes.

An event filter on the QApplication feeds every key press to the Qt-free
:class:`~kiosk.devices.wedge.WedgeParser`. A scan is swallowed whatever has focus and emitted
as ``code_scanned``; keys the parser held back but that turned out to be a person's are
re-sent to the focused widget.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.devices.wedge import WedgeAction, WedgeParser

log = logging.getLogger(__name__)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class WedgeFilter(QObject):
    code_scanned = Signal(str)
    """A keyboard-wedge scanner typed a whole code and Enter."""

    def __init__(self, parser: WedgeParser | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parser = parser or WedgeParser()
        self._replaying = False
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(int(self.parser.max_gap_ms) + 10)
        self._flush.timeout.connect(self._release_pending)

    def install(self, app: QCoreApplication | None = None) -> None:
        (app or QCoreApplication.instance()).installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        self._flush.stop()
        target = app or QCoreApplication.instance()
        if target is not None:
            target.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget):  # the QWindow sees the same key first
            return False
        try:
            return self._on_key(event)  # type: ignore[arg-type]
        except Exception:
            log.exception("wedge filter failed; passing the key through")
            self.parser.reset()
            return False

    def _on_key(self, event: QKeyEvent) -> bool:
        char = "\r" if event.key() in _ENTER else event.text()
        stamp = event.timestamp() or int(time.monotonic() * 1000)
        verdict = self.parser.feed(char, stamp)
        if verdict.release:
            self._replay(verdict.release)
        if verdict.action is WedgeAction.CODE:
            self._flush.stop()
            log.info("wedge scanner code (%d chars)", len(verdict.code or ""))
            self.code_scanned.emit(verdict.code or "")
            return True
        if verdict.action is WedgeAction.SWALLOW:
            self._flush.start()
            return True
        return False

    def _release_pending(self) -> None:
        held = self.parser.reset()
        if held:
            self._replay(held)

    def _replay(self, text: str) -> None:
        target = QApplication.focusWidget()
        if target is None:
            return  # nothing takes typing on this screen
        self._replaying = True
        try:
            for ch in text:
                key = (
                    Qt.Key(ord(ch.upper())) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
                )
                QCoreApplication.sendEvent(
                    target,
                    QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch),
                )
        finally:
            self._replaying = False
