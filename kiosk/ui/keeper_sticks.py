"""A USB stick inserted behind the PIN is offered for export at once (issue 15).

While a screen behind the 管理 PIN is up (管理 itself and every keeper screen) the mounted
removable volumes are looked at every 1.5 s (``QStorageInfo`` reads ``/proc/self/mountinfo``;
nothing runs on the welcome screen). On 导出到U盘 the list of sticks follows what is plugged in;
anywhere else a stick that was not there before brings up a bar at the bottom of the window:
"发现U盘 … 导出记录？" with 导出 (to the export screen) and 不用了.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.widgets import label

POLL_MS = 1500
BEHIND_PIN = frozenset({Screen.SETTINGS} | {s for s in Screen if s.value.startswith("keeper")})


class StickOffer(QFrame):
    """The bar that offers a newly inserted stick for export."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("StickOffer")
        self.text = label("", role="h2", name="StickOfferText")
        self.go = QPushButton(self.tr("导出记录"))
        self.go.setObjectName("StickOfferGo")
        self.go.setProperty("tone", "primary")
        self.dismiss = QPushButton(self.tr("不用了"))
        self.dismiss.setObjectName("StickOfferDismiss")
        self.dismiss.setProperty("tone", "plain")
        self.dismiss.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.go)
        row.addWidget(self.dismiss)
        self.hide()
        parent.installEventFilter(self)  # follow the window's size

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.place()
        return False

    def offer(self, name: str) -> None:
        self.text.setText(self.tr("发现U盘“{name}”，要导出记录吗？").format(name=name))
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        window = self.parentWidget()
        height = max(self.sizeHint().height(), round(window.height() * 0.14))
        self.setGeometry(0, window.height() - height, window.width(), height)


class StickWatch(QTimer):
    """Polls the removable volumes while a screen behind the PIN is up."""

    def __init__(self, window: Any, find: Callable[[], list[tuple[str, Path]]]) -> None:
        super().__init__(window)
        self.window = window
        self.find = find
        self.known: set[Path] = set()
        self.offer = StickOffer(window)
        self.offer.go.clicked.connect(self._go)
        self.setInterval(POLL_MS)
        self.timeout.connect(self.check)
        window.screen_changed.connect(self._screen_changed)

    def _screen_changed(self, screen: Screen) -> None:
        if screen not in BEHIND_PIN:
            self.offer.hide()
            self.stop()
            return
        if screen is Screen.KEEPER_EXPORT:
            self.offer.hide()
        if not self.isActive():
            self.known = {path for _name, path in self.find()}  # already there: not "inserted"
            self.start()

    def check(self) -> None:
        volumes = self.find()
        paths = {path for _name, path in volumes}
        if paths == self.known:
            return
        new = [(name, path) for name, path in volumes if path not in self.known]
        self.known = paths
        if self.window.current is Screen.KEEPER_EXPORT:
            self.window.keeper.export.refresh()  # the list follows the sticks plugged in
        elif new:
            self.offer.offer(new[0][0])
        elif self.offer.isVisible():
            self.offer.hide()  # the stick offered was pulled out

    def _go(self) -> None:
        self.offer.hide()
        self.window.show_screen(Screen.KEEPER_EXPORT)
