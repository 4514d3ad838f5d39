"""签到 / 签退: a big prompt and a larger camera preview while the worker shows the badge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label


class ScanPage(TitledPage):
    screen = Screen.SCAN

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("签到 / 签退"), parent)
        self.prompt = label(self.tr("请把工牌二维码对准摄像头"), role="h1")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sub = label(self.tr("第一次扫码签到，离开时再扫一次签退"), role="muted")
        self.sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview = QLabel(self.tr("摄像头未连接，可使用扫码枪或“没带工牌”签到"))
        self.preview.setObjectName("ScanPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)
        self.no_badge = QPushButton(self.tr("没带工牌？点这里"))
        self.no_badge.setProperty("tone", "primary")
        self.no_badge.clicked.connect(lambda: self.navigate_requested.emit(Screen.TRADES))
        self.body = QVBoxLayout()
        self.body.addWidget(self.prompt)
        self.body.addWidget(self.sub)
        self.body.addWidget(self.preview, 1)
        self.body.addWidget(self.no_badge)
        self.set_body(self.body)

    def show_frame(self, image: QImage) -> None:
        if not self.isVisible():
            return
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(16 * scale))
