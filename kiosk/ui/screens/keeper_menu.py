"""管理 → 站长工作: the keeper's tiles (issue 15). Each tile opens one keeper screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, Tile


class KeeperMenuPage(TitledPage):
    screen = Screen.KEEPER
    back_to = Screen.SETTINGS

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("管理 · 站长工作"), parent)
        self.tiles: dict[Screen, Tile] = {}
        for screen, text, icon, tone in (
            (Screen.KEEPER_PRESENT, self.tr("在站人员"), "people", "primary"),
            (Screen.KEEPER_BADGE, self.tr("工牌"), "scan", "accent"),
            (Screen.KEEPER_STATS, self.tr("统计"), "star", "green"),
            (Screen.KEEPER_ACTIVITIES, self.tr("活动"), "study", "accent"),
            (Screen.KEEPER_EXPORT, self.tr("导出到U盘"), "books", "accent"),
            (Screen.KEEPER_DEVICE, self.tr("设备状态"), "signal", "primary"),
            (Screen.KEEPER_PIN, self.tr("修改管理密码"), "admin", "plain"),
        ):
            tile = Tile(text, icon, tone)
            tile.setObjectName(f"KeeperTile_{screen.value}")
            tile.clicked.connect(lambda _=False, s=screen: self.navigate_requested.emit(s))
            self.tiles[screen] = tile
        self.grid = ResponsiveGrid(list(self.tiles.values()), columns=3)
        self.body = QVBoxLayout()
        self.body.addWidget(self.grid, 1)
        self.set_body(self.body)

    def enter(self, payload: Any = None) -> None:
        pass

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.grid.set_spacing(round(16 * scale))
        self.grid.set_columns(2 if portrait else 3)
        for tile in self.tiles.values():
            tile.set_icon_size(round(72 * scale))
