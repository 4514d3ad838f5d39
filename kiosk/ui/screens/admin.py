"""管理: a PIN pad, then a small settings page (until the admin issue) and the way out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.base import Page, Screen
from kiosk.ui.widgets import ResponsiveGrid, TitleBar, label

MAX_PIN = 12
IDLE_STEPS = (15, 30, 45, 60, 90, 120, 180, 300)
CAMERA_CHOICES = ("0", "1", "2")


class PinPage(Page):
    screen = Screen.PIN

    pin_submitted = Signal(str)
    """The keeper pressed 确定 with these digits."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._pin = ""
        self.bar = TitleBar(self.tr("管理"))
        self.bar.back_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
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
        self.backspace = self._key(self.tr("退格"), "Pin_Backspace", self.backspace_digit)
        keys.append(self.backspace)
        keys.append(self._digit("0"))
        self.ok = self._key(self.tr("确定"), "Pin_OK", self.submit)
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
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        outer.addLayout(self.body, 1)
        self._show()

    def _key(self, text: str, name: str, slot) -> QPushButton:
        key = QPushButton(text)
        key.setObjectName(name)
        key.setProperty("role", "key")
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        key.clicked.connect(slot)
        return key

    def _digit(self, digit: str) -> QPushButton:
        key = self._key(digit, f"Pin_{digit}", lambda: self.type_digit(digit))
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


class _Row(QFrame):
    def __init__(self, name: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingRow")
        self.row = QHBoxLayout(self)
        self.name = label(name, name="SettingName")
        self.name.setWordWrap(True)
        self.row.addWidget(self.name, 1)


class SyncPanel(_Row):
    """Sync for the keeper: state and 立即同步 in a row, the details in one wrapped line."""

    sync_now_requested = Signal()
    """The keeper pressed 立即同步."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("数据同步"), parent)
        self.name.setWordWrap(False)
        self.state = label("", name="SettingValue")
        self.sync_now = QPushButton(self.tr("立即同步"))
        self.sync_now.setObjectName("SyncNow")
        self.sync_now.setProperty("role", "choice")
        self.sync_now.clicked.connect(self.sync_now_requested)
        self.row.addWidget(self.state, 1)
        self.row.addWidget(self.sync_now)
        self.details = label("", name="SyncDetails")
        self.values: dict[str, str] = {}

    def show_details(self, rows: list[tuple[str, str]]) -> None:
        """``rows[0]`` is the state (shown in the row), the rest in the details line."""
        if not rows:
            return
        self.state.setText(rows[0][1])
        self.values = dict(rows[1:])
        pair = self.tr("{name}：{value}")
        self.details.setText(
            "   ·   ".join(pair.format(name=name, value=value) for name, value in rows[1:])
        )


class SettingsPage(Page):
    screen = Screen.SETTINGS

    setting_change_requested = Signal(str, object)
    """The keeper changed a setting: (key, new value)."""
    exit_requested = Signal()
    """The keeper (PIN verified) wants to close the kiosk program."""
    sync_now_requested = Signal()
    """The keeper asked to sync with the hub now."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.settings: dict[str, Any] = {}
        self.bar = TitleBar(self.tr("管理 · 设置"))
        self.bar.back_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))

        station = _Row(self.tr("驿站名称"))
        self.station_name = label("", name="SettingValue")
        station.row.addWidget(self.station_name, 2)

        idle = _Row(self.tr("无人操作返回欢迎页"))
        self.idle_less = self._button("−", "Idle_Less", lambda: self._step_idle(-1))
        self.idle_value = label("", name="SettingValue")
        self.idle_value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.idle_value.setWordWrap(False)
        self.idle_more = self._button("+", "Idle_More", lambda: self._step_idle(+1))
        idle.row.addWidget(self.idle_less)
        idle.row.addWidget(self.idle_value)
        idle.row.addWidget(self.idle_more)

        camera = _Row(self.tr("摄像头"))
        camera.name.setWordWrap(True)
        self.camera_group = QButtonGroup(self)
        self.camera_buttons: dict[str, QPushButton] = {}
        for value in CAMERA_CHOICES:
            button = self._button(
                self.tr("{n} 号").format(n=int(value) + 1), f"Camera_{value}", None
            )
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.clicked.connect(
                lambda _=False, v=value: self.setting_change_requested.emit("camera.source", v)
            )
            self.camera_group.addButton(button)
            self.camera_buttons[value] = button
            camera.row.addWidget(button)

        self.toggles: dict[str, QPushButton] = {}
        toggle_rows = []
        for key, text in (
            ("ui.camera_preview", self.tr("显示摄像头画面")),
            ("greeting.full_name", self.tr("问候时显示全名")),
            ("speech.enabled", self.tr("语音播报问候")),
        ):
            row = _Row(text)
            button = self._button("", f"Toggle_{key}", None)
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.clicked.connect(
                lambda checked, k=key: self.setting_change_requested.emit(k, checked)
            )
            row.row.addWidget(button)
            self.toggles[key] = button
            toggle_rows.append(row)

        self.exit_button = QPushButton(self.tr("退出驿站终端程序"))
        self.exit_button.setObjectName("ExitApp")
        self.exit_button.setProperty("tone", "danger")
        self.exit_button.clicked.connect(self.exit_requested)

        self.sync = SyncPanel()
        self.sync.sync_now_requested.connect(self.sync_now_requested)

        self.rows = ResponsiveGrid([idle, camera, *toggle_rows, self.sync], columns=2)
        content = QWidget()
        content.setObjectName("SettingsBody")
        self.body = QVBoxLayout(content)
        self.body.addWidget(station)
        self.body.addWidget(self.rows)
        self.body.addWidget(self.sync.details)
        self.body.addStretch(1)
        self.body.addWidget(self.exit_button)
        # The admin page grows with every issue: it scrolls (by finger) rather than clip.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("SettingsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        QScroller.grabGesture(
            self.scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        outer.addWidget(self.scroll, 1)

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def _step_idle(self, direction: int) -> None:
        current = int(self.settings.get("ui.idle_seconds", 30))
        steps = [s for s in IDLE_STEPS if (s > current if direction > 0 else s < current)]
        if steps:
            value = steps[0] if direction > 0 else steps[-1]
            self.setting_change_requested.emit("ui.idle_seconds", value)

    def set_station_name(self, name: str) -> None:
        self.station_name.setText(name)

    def show_settings(self, settings: dict[str, Any]) -> None:
        self.settings = dict(settings)
        self.idle_value.setText(self.tr("{n} 秒").format(n=settings.get("ui.idle_seconds", 30)))
        source = str(settings.get("camera.source", "0"))
        for value, button in self.camera_buttons.items():
            button.setChecked(value == source)
        for key, button in self.toggles.items():
            on = bool(settings.get(key, False))
            button.setChecked(on)
            button.setText(self.tr("开") if on else self.tr("关"))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(12 * scale))
        self.rows.set_spacing(round(12 * scale))
        self.rows.set_columns(1 if portrait else 2)
        self.idle_value.setMinimumWidth(round(140 * scale))
        for b in (*self.toggles.values(), *self.camera_buttons.values()):
            b.setMinimumWidth(round(120 * scale))
