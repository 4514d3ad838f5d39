"""管理 · 设置: the settings page a keeper reaches after the PIN.

The list edits by touch what a keeper changes on site: idle time, camera, toggles, sync, the
services shown and the keeper's phone. The phone pad (``admin_phone.py``) and the services
picker (``admin_services.py``) open in place of the list; 返回 closes them.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.settings import Settings
from kiosk.screen_names import Screen
from kiosk.ui import sync_text
from kiosk.ui.screens.admin_phone import PhonePad
from kiosk.ui.screens.admin_services import ServicesPanel
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, label

if TYPE_CHECKING:
    from kiosk.qtglue.sync import SyncView

IDLE_STEPS = (15, 30, 45, 60, 90, 120, 180, 300)
CAMERA_CHOICES = ("0", "1", "2")


class _Row(QFrame):
    """One line of the settings list: the setting's name, then its controls in ``row``."""

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


class SettingsPage(TitledPage):
    screen = Screen.SETTINGS

    setting_change_requested = Signal(str, object)
    """The keeper changed a setting: (key, new value)."""
    exit_requested = Signal()
    """The keeper (PIN verified) wants to close the kiosk program."""
    sync_now_requested = Signal()
    """The keeper asked to sync with the hub now."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("管理 · 设置"), parent)
        self.settings = Settings()  # the declared defaults until the station's arrive

        station = _Row(self.tr("驿站名称"))
        self.station_name = label("", name="SettingValue")
        station.row.addWidget(self.station_name, 2)
        # Issue 15: the keeper's screens (在站人员, 统计, 导出, 设备状态, 密码).
        self.keeper_button = self._button(
            self.tr("站长工作 ›"), "OpenKeeper", lambda: self.navigate_requested.emit(Screen.KEEPER)
        )
        self.keeper_button.setProperty("tone", "primary")
        # In the title bar: always in sight, and outside the finger-scrolled list.
        self.bar.layout().insertWidget(2, self.keeper_button)

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
        self.disk_warning = label("", name="DiskWarning")  # shown while the disk is nearly full
        self.disk_warning.setWordWrap(True)
        self.disk_warning.hide()
        self.body.addWidget(self.disk_warning)
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
        self.set_body(self.views)

    def _open_phone_pad(self) -> None:
        self.phone_pad.start(str(self.settings["station.keeper_phone"] or ""))
        self.views.setCurrentWidget(self.phone_pad)

    def _open_services(self) -> None:
        self.views.setCurrentWidget(self.services)

    def _show_list(self) -> None:
        self.views.setCurrentWidget(self.scroll)

    def _phone_entered(self, phone: str) -> None:
        self._show_list()
        self.setting_change_requested.emit("station.keeper_phone", phone)

    def go_back(self) -> None:
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
        current = int(self.settings["ui.idle_seconds"])
        steps = [s for s in IDLE_STEPS if (s > current if direction > 0 else s < current)]
        if steps:
            value = steps[0] if direction > 0 else steps[-1]
            self.setting_change_requested.emit("ui.idle_seconds", value)

    def show_disk_status(self, low: bool, free_mb: int) -> None:
        """The keeper's warning while free disk is below ``disk.reserve_mb``."""
        self.disk_warning.setText(
            self.tr(
                "存储空间不足：仅剩 {mb} MB。签到照常记录，日志已暂停，请联系技术人员清理。"
            ).format(mb=free_mb)
        )
        self.disk_warning.setVisible(low)

    def set_station_name(self, name: str) -> None:
        self.station_name.setText(name)

    def show_sync(self, view: SyncView, tz: tzinfo) -> None:
        self.sync.show_details(sync_text.details(view, tz))

    def show_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.idle_value.setText(self.tr("{n} 秒").format(n=settings["ui.idle_seconds"]))
        source = str(settings["camera.source"])
        for value, button in self.camera_buttons.items():
            button.setChecked(value == source)
        for key, button in self.toggles.items():
            on = bool(settings[key])
            button.setChecked(on)
            button.setText(self.tr("开") if on else self.tr("关"))
        phone = str(settings["station.keeper_phone"] or "")
        self.keeper_phone.setText(phone or self.tr("未设置"))
        self.services.show_services(settings["station.services"])
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
