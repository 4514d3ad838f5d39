"""管理: the PIN pad that guards it; the settings page behind it is ``admin_settings.py``.

The 管理 modules: ``admin.py`` (this, the PIN), ``admin_settings.py`` (the settings list and
its sync row), ``admin_phone.py`` (the keeper's phone on a digit pad) and
``admin_services.py`` (the services picker). ``SettingsPage`` is re-exported here so the
window imports both 管理 screens from one place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.screens.admin_phone import pad_key
from kiosk.ui.screens.admin_settings import SettingsPage
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, label

__all__ = ["MAX_PIN", "PinPage", "SettingsPage"]

MAX_PIN = 12


class PinPage(TitledPage):
    screen = Screen.PIN

    pin_submitted = Signal(str)
    """The keeper pressed 确定 with these digits."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("管理"), parent)
        self._pin = ""
        self.prompt = label(self.tr("请输入管理密码"), role="h2")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = label("", name="PinDots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = label("", name="PinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keys: list[QWidget] = []
        self.digit_keys: dict[str, QPushButton] = {}
        for text in "123456789":
            keys.append(self._digit(text))
        self.backspace = pad_key(self.tr("退格"), "Pin_Backspace", self.backspace_digit)
        keys.append(self.backspace)
        keys.append(self._digit("0"))
        self.ok = pad_key(self.tr("确定"), "Pin_OK", self.submit)
        self.ok.setProperty("tone", "primary")
        self.ok.setProperty("role", None)
        keys.append(self.ok)
        self.pad = ResponsiveGrid(keys, columns=3)
        info = QWidget()
        info_col = QVBoxLayout(info)
        info_col.addStretch(1)
        info_col.addWidget(self.prompt)
        info_col.addWidget(self.dots)
        info_col.addWidget(self.message)
        info_col.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addWidget(info, 1)
        self.body.addWidget(self.pad, 1)
        self.set_body(self.body)
        self._show()

    def _digit(self, digit: str) -> QPushButton:
        key = pad_key(digit, f"Pin_{digit}", lambda: self.type_digit(digit))
        self.digit_keys[digit] = key
        return key

    def type_digit(self, digit: str) -> None:
        if len(self._pin) < MAX_PIN:
            self._pin += digit
            self.message.setText("")
            self._show()

    def backspace_digit(self) -> None:
        self._pin = self._pin[:-1]
        self._show()

    def submit(self) -> None:
        pin, self._pin = self._pin, ""
        self._show()
        if pin:
            self.pin_submitted.emit(pin)

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def _show(self) -> None:
        self.dots.setText("●" * len(self._pin) or " ")

    def enter(self, payload: Any = None) -> None:
        self._pin = ""
        self.message.setText("")
        self._show()

    def leave(self) -> None:
        self._pin = ""
        self._show()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        spacing = round(14 * scale)
        self.pad.set_spacing(spacing)
        self.body.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
