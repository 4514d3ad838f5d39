"""管理: a PIN pad, then a small settings page (until the admin issue) and the way out.

The settings page edits by touch what a keeper changes on site: idle time, camera, toggles,
the services shown and the keeper's phone (typed on a digit pad, no system keyboard).
"""

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
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens.base import Page, Screen
from kiosk.ui.screens.services import CATALOGUE, DEFAULT_NAMES, service_for, service_name
from kiosk.ui.widgets import ResponsiveGrid, TitleBar, label

MAX_PIN = 12
MAX_PHONE = 20
MAX_SERVICES = 12  # kiosk.core.settings.MAX_LIST_ITEMS (not imported: it pulls in SQLAlchemy)
IDLE_STEPS = (15, 30, 45, 60, 90, 120, 180, 300)
CAMERA_CHOICES = ("0", "1", "2")


def _pad_key(text: str, name: str, slot) -> QPushButton:
    key = QPushButton(text)
    key.setObjectName(name)
    key.setProperty("role", "key")
    key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    key.clicked.connect(slot)
    return key


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
        self.backspace = _pad_key(self.tr("退格"), "Pin_Backspace", self.backspace_digit)
        keys.append(self.backspace)
        keys.append(self._digit("0"))
        self.ok = _pad_key(self.tr("确定"), "Pin_OK", self.submit)
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

    def _digit(self, digit: str) -> QPushButton:
        key = _pad_key(digit, f"Pin_{digit}", lambda: self.type_digit(digit))
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
        self.row.setContentsMargins(12, 6, 8, 6)
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


class ServicesPanel(QWidget):
    """驿站服务: one big toggle per known service; names set with the CLI are kept as they are."""

    services_changed = Signal(list)
    """The keeper toggled a service: the new ``station.services`` list."""
    done = Signal()
    """完成: back to the settings list."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ServicesPanel")
        self.names: list[str] = list(DEFAULT_NAMES)
        self.prompt = label(
            self.tr("点选驿站提供的服务（欢迎页和“驿站服务”显示，最多 {n} 项）").format(
                n=MAX_SERVICES
            ),
            role="h2",
        )
        self.buttons: dict[str, QPushButton] = {}
        for service in CATALOGUE:
            button = QPushButton(service_name(service))
            button.setObjectName(f"Service_{service.icon}")
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda checked, n=service.name: self._toggle(n, checked))
            self.buttons[service.name] = button
        self.grid = ResponsiveGrid(list(self.buttons.values()), columns=3)
        self.finish = QPushButton(self.tr("完成"))
        self.finish.setObjectName("Services_Done")
        self.finish.setProperty("tone", "primary")
        self.finish.clicked.connect(self.done)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.prompt)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.finish)

    def show_services(self, names: list[str] | None) -> None:
        self.names = [str(n) for n in (DEFAULT_NAMES if names is None else names)]
        shown = {service_for(n).name for n in self.names}
        full = len(self.names) >= MAX_SERVICES
        for name, button in self.buttons.items():
            button.setChecked(name in shown)
            button.setEnabled(name in shown or not full)

    def _toggle(self, name: str, on: bool) -> None:
        if on:
            names = [*self.names, name]  # a new one goes last; the keeper's order stays
        else:
            names = [n for n in self.names if service_for(n).name != name]
        self.services_changed.emit(names)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.grid.set_columns(3)
        self.grid.set_spacing(round(14 * scale))
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(14 * scale))


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
            self.keys[text] = _pad_key(text, f"Phone_{text}", lambda _=False, t=text: self.type(t))
        backspace = _pad_key(self.tr("退格"), "Phone_Backspace", self.backspace)
        clear = _pad_key(self.tr("清空"), "Phone_Clear", lambda: self.start(""))
        self.cancel = _pad_key(self.tr("取消"), "Phone_Cancel", self.cancelled)
        self.save = _pad_key(self.tr("保存"), "Phone_Save", self._save)
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
        self.bar.back_requested.connect(self._back)
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))

        station = _Row(self.tr("驿站名称"))
        self.station_name = label("", name="SettingValue")
        station.row.addWidget(self.station_name, 2)

        keeper = _Row(self.tr("站长电话"))
        self.keeper_phone = label("", name="SettingValue")
        self.edit_phone = self._button(self.tr("修改"), "EditPhone", self._open_phone_pad)
        self.edit_phone.setProperty("role", "choice")
        keeper.row.addWidget(self.keeper_phone, 1)
        keeper.row.addWidget(self.edit_phone)
        services = _Row(self.tr("驿站服务"))
        self.services_count = label("", name="SettingValue")
        self.edit_services = self._button(self.tr("修改"), "EditServices", self._open_services)
        self.edit_services.setProperty("role", "choice")
        services.row.addWidget(self.services_count, 1)
        services.row.addWidget(self.edit_services)

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

        self.rows = ResponsiveGrid(
            [idle, camera, *toggle_rows, self.sync, keeper, services], columns=2
        )
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
        # The phone pad and the service toggles open in place of the list (返回 closes them).
        self.phone_pad = PhonePad()
        self.phone_pad.phone_entered.connect(self._phone_entered)
        self.phone_pad.cancelled.connect(self._show_list)
        self.services = ServicesPanel()
        self.services.services_changed.connect(
            lambda names: self.setting_change_requested.emit("station.services", names)
        )
        self.services.done.connect(self._show_list)
        self.views = QStackedWidget()
        for view in (self.scroll, self.phone_pad, self.services):
            self.views.addWidget(view)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        outer.addWidget(self.views, 1)

    def _open_phone_pad(self) -> None:
        self.phone_pad.start(str(self.settings.get("station.keeper_phone", "") or ""))
        self.views.setCurrentWidget(self.phone_pad)

    def _open_services(self) -> None:
        self.views.setCurrentWidget(self.services)

    def _show_list(self) -> None:
        self.views.setCurrentWidget(self.scroll)

    def _phone_entered(self, phone: str) -> None:
        self._show_list()
        self.setting_change_requested.emit("station.keeper_phone", phone)

    def _back(self) -> None:
        if self.views.currentWidget() is not self.scroll:
            self._show_list()
        else:
            self.navigate_requested.emit(Screen.HOME)

    def leave(self) -> None:
        self._show_list()

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
        phone = str(settings.get("station.keeper_phone", "") or "")
        self.keeper_phone.setText(phone or self.tr("未设置"))
        self.services.show_services(settings.get("station.services"))
        self.services_count.setText(self.tr("{n} 项").format(n=len(self.services.names)))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(16 * scale)  # everything fits at 1280×800 without scrolling
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(8 * scale))
        self.rows.set_spacing(round(8 * scale))
        self.rows.set_columns(1 if portrait else 2)
        self.services.apply_layout(scale, portrait)
        self.phone_pad.apply_layout(scale, portrait)
        self.idle_value.setMinimumWidth(round(110 * scale))
        for b in (*self.toggles.values(), *self.camera_buttons.values()):
            b.setMinimumWidth(round(120 * scale))
