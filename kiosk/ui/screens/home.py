"""The home menu: big tiles for everything a worker (or the keeper) can do here."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, Tile


class HomePage(TitledPage):
    screen = Screen.HOME
    back_to = Screen.WELCOME

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("请选择服务"), parent)
        self.setObjectName("HomeScreen")
        self.bar.back.setText(self.tr("‹ 欢迎页"))
        self.bar.home.hide()
        self.tiles: dict[Screen, Tile] = {}
        spec = (
            (Screen.SCAN, self.tr("签到 / 签退"), "scan", "accent"),
            (Screen.TRADES, self.tr("没带工牌"), "nobadge", "primary"),
            (Screen.STUDY, self.tr("讲习所"), "study", "green"),
            (Screen.ACTIVITY_SIGNIN, self.tr("活动签到"), "people", "accent"),
            (Screen.SERVICES, self.tr("驿站服务"), "services", "primary"),
            (Screen.PIN, self.tr("管理"), "admin", "plain"),
        )
        for screen, text, icon_name, tone in spec:
            tile = Tile(text, icon_name, tone)
            tile.setObjectName(f"Tile_{screen.value}")
            tile.clicked.connect(lambda _=False, s=screen: self.navigate_requested.emit(s))
            self.tiles[screen] = tile
        self.grid = ResponsiveGrid(list(self.tiles.values()), columns=3)
        self.body = QVBoxLayout()
        self.body.addWidget(self.grid)
        self.set_body(self.body)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        for tile in self.tiles.values():
            tile.set_icon_size(round(96 * scale))
        self.grid.set_columns(2 if portrait else 3)
        spacing = round(24 * scale)
        self.grid.set_spacing(spacing)
        self.body.setContentsMargins(spacing, spacing, spacing, spacing)
