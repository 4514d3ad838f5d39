"""管理 → 设备状态: one row per part, a coloured dot each (green, amber, red)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label

DOT = {"green": "#1E6F3E", "amber": "#C98A00", "red": "#B3121F", "none": "#9A9385"}


class KeeperDevicePage(TitledPage):
    screen = Screen.KEEPER_DEVICE
    back_to = Screen.KEEPER

    refresh_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("设备状态"), parent)
        self.grid = QGridLayout()
        self.rows: dict[str, tuple[Any, Any, Any]] = {}
        self.levels: dict[str, str] = {}
        self.again = QPushButton(self.tr("刷新"))
        self.again.setObjectName("DeviceRefresh")
        self.again.setProperty("tone", "plain")
        self.again.clicked.connect(self.refresh_requested)
        self.camera_check = QPushButton(self.tr("摄像头检查"))
        self.camera_check.setObjectName("DeviceCameraCheck")
        self.camera_check.setProperty("tone", "primary")
        self.camera_check.clicked.connect(
            lambda: self.navigate_requested.emit(Screen.KEEPER_CAMERA)
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.camera_check, 1)
        buttons.addWidget(self.again, 1)
        self.body = QVBoxLayout()
        self.body.addLayout(self.grid)
        self.body.addStretch(1)
        self.body.addLayout(buttons)
        self.set_body(self.body)
        self._dot_px = 36

    def show_rows(self, rows: list[Any]) -> None:
        """``StatusRow``s (``core/device_status.py``), labels already translated."""
        for i, row in enumerate(rows):
            if row.key not in self.rows:
                dot = label("●", name=f"DeviceDot_{row.key}")
                name = label("", role="body")
                value = label("", role="body", name=f"DeviceValue_{row.key}")
                self.grid.addWidget(dot, i, 0)
                self.grid.addWidget(name, i, 1)
                self.grid.addWidget(value, i, 2)
                self.grid.setColumnStretch(2, 1)
                self.rows[row.key] = (dot, name, value)
            dot, name, value = self.rows[row.key]
            level = str(row.level)
            self.levels[row.key] = level
            dot.setStyleSheet(f"color: {DOT[level]}; font-size: {self._dot_px}px;")
            name.setText(row.label)
            value.setText(row.value)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def enter(self, payload: Any = None) -> None:
        self.refresh_requested.emit()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.grid.setHorizontalSpacing(round(20 * scale))
        self.grid.setVerticalSpacing(round(6 * scale))  # ten rows fit 800 px with the buttons
        self._dot_px = round(36 * scale)
