"""讲习所: a placeholder until the study corner arrives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.ui import icons
from kiosk.ui.screens.base import Page, Screen
from kiosk.ui.widgets import TitleBar, label


class StudyPage(Page):
    screen = Screen.STUDY

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.bar = TitleBar(self.tr("讲习所"))
        self.bar.back_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self.pic = QLabel()
        self.pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = label(self.tr("讲习所即将开放"), name="SoonTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sub = label(self.tr("政策学习、安全知识、每日一题，敬请期待"), role="body")
        sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        outer.addStretch(1)
        outer.addWidget(self.pic)
        outer.addWidget(title)
        outer.addWidget(sub)
        outer.addStretch(2)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.pic.setPixmap(icons.pixmap("study", "#1E6F3E", round(160 * scale)))
