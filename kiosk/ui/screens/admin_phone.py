"""管理 · 设置 → 站长电话: the keeper's phone typed on big keys, no system keyboard.

``pad_key`` makes the big keys of both admin pads: this one and the PIN pad (``admin.py``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets import ResponsiveGrid, label

MAX_PHONE = 20


def pad_key(text: str, name: str, slot) -> QPushButton:
    """One big key of a digit pad, stretching with its grid; ``name`` is its QSS objectName."""
    key = QPushButton(text)
    key.setObjectName(name)
    key.setProperty("role", "key")
    key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    key.clicked.connect(slot)
    return key


class PhonePad(QWidget):
    """The keeper's phone on big keys (digits and "-"), then 保存 or 取消."""

    phone_entered = Signal(str)
    """保存 was pressed with this number (empty: no phone shown)."""
    cancelled = Signal()
    """取消: leave the number as it was."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("PhonePad")
        self.text = ""
        self.prompt = label(self.tr("站长电话"), role="h2")
        self.display = label("", name="PhoneDisplay")
        self.display.setWordWrap(False)
        self.keys: dict[str, QPushButton] = {}
        for text in "123456789-0":
            self.keys[text] = pad_key(text, f"Phone_{text}", lambda _=False, t=text: self.type(t))
        backspace = pad_key(self.tr("退格"), "Phone_Backspace", self.backspace)
        clear = pad_key(self.tr("清空"), "Phone_Clear", lambda: self.start(""))
        self.cancel = pad_key(self.tr("取消"), "Phone_Cancel", self.cancelled)
        self.save = pad_key(self.tr("保存"), "Phone_Save", self._save)
        self.save.setProperty("role", None)
        self.save.setProperty("tone", "primary")
        self.pad = ResponsiveGrid([*self.keys.values(), backspace, clear, self.cancel, self.save])
        info = QVBoxLayout()
        info.addStretch(1)
        info.addWidget(self.prompt)
        info.addWidget(self.display)
        info.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.body.addLayout(info, 1)
        self.body.addWidget(self.pad, 1)

    def start(self, phone: str) -> None:
        self.text = phone[:MAX_PHONE]
        self._show()

    def type(self, key: str) -> None:
        if len(self.text) < MAX_PHONE:
            self.text += key
            self._show()

    def backspace(self) -> None:
        self.text = self.text[:-1]
        self._show()

    def _save(self) -> None:
        self.phone_entered.emit(self.text.strip("-"))

    def _show(self) -> None:
        self.display.setText(self.text or self.tr("（未设置）"))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.pad.set_spacing(round(12 * scale))
        self.pad.set_columns(3)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
