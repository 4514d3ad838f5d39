"""设备状态 → 摄像头检查: hold up a badge and see it read, with nobody checked in (issue 15).

While this page is current the window hands codes to it instead of checking in
(``inspects_codes``); the flow reads each code the way a check-in would
(``StationService.read_badge``) and the page shows the name only when the badge verified. The
camera's state, resolution and frames per second are polled once a second.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label


class KeeperCameraPage(TitledPage):
    screen = Screen.KEEPER_CAMERA
    back_to = Screen.KEEPER_DEVICE
    inspects_codes = True
    """The window hands codes seen on this page to it; nobody is checked in."""

    poll_requested = Signal()
    """Once a second while shown: read the camera's state again."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("摄像头检查"), parent)
        self.hint = label(
            self.tr("把工牌举到摄像头前：这里只读卡，不签到"), role="body", name="CameraHint"
        )
        self.preview = QLabel(self.tr("没有画面"))
        self.preview.setObjectName("ScanPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(160, 120)
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        for row, (key, text) in enumerate(
            (
                ("state", self.tr("状态")),
                ("size", self.tr("分辨率")),
                ("fps", self.tr("每秒帧数")),
                ("last", self.tr("最近读到")),
            )
        ):
            grid.addWidget(label(text, role="muted"), row, 0)
            value = label("-", role="body", name=f"Camera_{key}")
            self.values[key] = value
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        self.reading = label("", role="h1", name="CameraReading")
        self.reading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.addLayout(grid)
        side_col.addWidget(self.reading, 1)
        self.content = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.content.addWidget(self.preview, 1)
        self.content.addWidget(side, 1)
        self.body = QVBoxLayout()
        self.body.addWidget(self.hint)
        self.body.addLayout(self.content, 1)
        self.set_body(self.body)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.poll_requested)

    # -- showing ----------------------------------------------------------------------------

    def show_camera(self, state: tuple[bool, str] | None, reading: Any) -> None:
        """The camera's state (as 设备状态 has it) and a ``CameraReading`` (or None)."""
        if state is None:
            self.values["state"].setText(self.tr("未连接"))
        else:
            ok, message = state
            self.values["state"].setText(self.tr("正常") if ok else (message or self.tr("未连接")))
        if reading is None:
            self.values["size"].setText("-")
            self.values["fps"].setText("-")
            return
        self.values["size"].setText(f"{reading.width} × {reading.height}")
        self.values["fps"].setText(f"{reading.fps:.1f}")

    def show_reading(self, when: str, text: str, ok: bool) -> None:
        """A code was read: ``text`` is the name, or why a check-in would refuse it."""
        self.values["last"].setText(when)
        self.reading.setText(text)
        self.reading.setProperty("tone", "ok" if ok else "warn")
        self.reading.style().unpolish(self.reading)
        self.reading.style().polish(self.reading)

    def show_frame(self, image: QImage) -> None:
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    # -- page -------------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        self.reading.setText(self.tr("请出示工牌"))
        self.values["last"].setText("-")
        self.poll_requested.emit()
        self.timer.start()

    def leave(self) -> None:
        self.timer.stop()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(14 * scale))
        self.content.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
