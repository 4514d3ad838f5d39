"""IdleWatcher, WedgeFilter and the recovery guard."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.qtglue.idle import IdleWatcher
from kiosk.qtglue.recovery import install_ui_recovery
from kiosk.qtglue.wedge import WedgeFilter


def test_idle_fires_and_touch_restarts(qtbot):
    watcher = IdleWatcher(200)
    QApplication.instance().installEventFilter(watcher)
    widget = QWidget()
    qtbot.addWidget(widget)
    try:
        watcher.arm()
        with qtbot.waitSignal(watcher.idle_timeout, timeout=2000):
            pass
        assert not watcher.is_armed()
        watcher.arm(10_000)
        press = QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(1, 1),
            QPointF(1, 1),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, press)
        assert watcher.is_armed()
        watcher.disarm()
    finally:
        QApplication.instance().removeEventFilter(watcher)


def test_wedge_burst_never_reaches_the_focused_widget(qtbot):
    widget = QWidget()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    qtbot.addWidget(widget)
    typed = []
    widget.keyPressEvent = lambda e: typed.append(e.text())
    wedge = WedgeFilter()
    wedge.install()
    try:
        with qtbot.waitSignal(wedge.code_scanned) as got:
            QTest.keyClicks(widget, "YZ1:ABCDEF")
            QTest.keyClick(widget, Qt.Key.Key_Return)
        assert got.args[0] == "YZ1:ABCDEF"
        assert typed == []
    finally:
        wedge.uninstall()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_recovery_from_a_worker_thread(qtbot):
    recovered = []
    with qtbot.captureExceptions():
        guard, uninstall = install_ui_recovery(lambda: recovered.append(True))
        try:
            t = threading.Thread(target=lambda: 1 / 0)
            t.start()
            t.join()
            qtbot.waitUntil(lambda: recovered == [True])
        finally:
            uninstall()
            guard.deleteLater()
