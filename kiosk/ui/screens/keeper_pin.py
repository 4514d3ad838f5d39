"""管理 → 修改管理密码: old PIN, new PIN, new PIN again, on the big digit pad."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.screens.admin import MAX_PIN
from kiosk.ui.screens.admin_phone import pad_key
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, label


class KeeperPinPage(TitledPage):
    screen = Screen.KEEPER_PIN
    back_to = Screen.KEEPER

    change_requested = Signal(str, str, str)
    """(old, new, new again): the keeper finished the three entries."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("修改管理密码"), parent)
        self.entries: list[str] = []
        self.typed = ""
        self.prompts = (
            self.tr("请输入原密码"),
            self.tr("请输入新密码（4 到 12 位数字）"),
            self.tr("请再输入一次新密码"),
        )
        self.prompt = label("", role="h2", name="KeeperPinPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = label("", name="PinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("", name="PinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_keys: dict[str, QPushButton] = {}
        keys: list[QWidget] = []
        for d in "123456789":
            keys.append(self._digit(d))
        keys.append(pad_key(self.tr("退格"), "KeeperPin_Backspace", self._backspace))
        keys.append(self._digit("0"))
        self.ok = pad_key(self.tr("下一步"), "KeeperPin_OK", self._next)
        self.ok.setProperty("tone", "primary")
        self.ok.setProperty("role", None)
        keys.append(self.ok)
        self.pad = ResponsiveGrid(keys, columns=3)
        info = QWidget()
        col = QVBoxLayout(info)
        col.addStretch(1)
        col.addWidget(self.prompt)
        col.addWidget(self.dots)
        col.addWidget(self.message)
        col.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addWidget(info, 1)
        self.body.addWidget(self.pad, 1)
        self.set_body(self.body)
        self.start()

    def _digit(self, d: str) -> QPushButton:
        key = pad_key(d, f"KeeperPin_{d}", lambda: self._type(d))
        self.digit_keys[d] = key
        return key

    def _type(self, d: str) -> None:
        if len(self.typed) < MAX_PIN:
            self.typed += d
            self._show()

    def _backspace(self) -> None:
        self.typed = self.typed[:-1]
        self._show()

    def _next(self) -> None:
        if not self.typed:
            return
        self.entries.append(self.typed)
        self.typed = ""
        if len(self.entries) == 3:
            old, new, again = self.entries
            self.entries = []
            self.change_requested.emit(old, new, again)
        self._show()

    def start(self, message: str = "") -> None:
        self.entries, self.typed = [], ""
        self._show()
        self.message.setText(message)

    def show_result(self, text: str, done: bool) -> None:
        self.start(text)
        if done:
            self.prompt.setText(self.tr("密码已修改"))

    def _show(self) -> None:
        step = min(len(self.entries), 2)
        self.prompt.setText(self.prompts[step])
        self.ok.setText(self.tr("确定") if step == 2 else self.tr("下一步"))
        self.dots.setText("●" * len(self.typed) or " ")
        self.message.setText("")

    def enter(self, payload: Any = None) -> None:
        self.start()

    def leave(self) -> None:
        self.start()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.pad.set_spacing(round(14 * scale))
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
