"""没带工牌: tap your trade for an anonymous visit, or find your name by pinyin initials."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout

from kiosk.core.trades import Trade
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, Tile, label

TRADE_ICONS = {
    Trade.SANITATION: "trade_sanitation",
    Trade.MUNICIPAL: "trade_municipal",
    Trade.GREENING: "trade_greening",
    Trade.RIVER: "trade_river",
    Trade.PARKING: "trade_parking",
    Trade.ENFORCEMENT: "trade_enforcement",
    Trade.TRAFFIC_POLICE: "trade_traffic",
    Trade.DELIVERY: "trade_delivery",
    Trade.OTHER: "trade_other",
}


class TradesPage(TitledPage):
    screen = Screen.TRADES

    trade_chosen = Signal(object)
    """A worker without a badge tapped their trade (a Trade)."""

    def __init__(self, parent=None) -> None:
        from PySide6.QtCore import QCoreApplication

        super().__init__(self.tr("没带工牌"), parent)
        self.prompt = label(self.tr("请点您的工种签到"), role="h2")
        self.search = QPushButton(self.tr("按姓名拼音首字母查找 ›"))
        self.search.setObjectName("SearchByName")
        self.search.setProperty("tone", "accent")
        self.search.clicked.connect(lambda: self.navigate_requested.emit(Screen.SEARCH))
        self.buttons: dict[Trade, Tile] = {}
        for trade in Trade:
            tile = Tile(trade.label(QCoreApplication.translate), TRADE_ICONS[trade], "primary")
            tile.setObjectName(f"Trade_{trade.name}")
            tile.clicked.connect(lambda _=False, t=trade: self.trade_chosen.emit(t))
            self.buttons[trade] = tile
        self.grid = ResponsiveGrid(list(self.buttons.values()), columns=5)
        self.body = QVBoxLayout()
        self.body.addWidget(self.prompt)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.search)
        self.set_body(self.body)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        for tile in self.buttons.values():
            tile.set_icon_size(round(64 * scale))
        self.grid.set_columns(3 if portrait else 5)
        spacing = round(16 * scale)
        self.grid.set_spacing(spacing)
        m = round(24 * scale)
        self.body.setContentsMargins(m, round(12 * scale), m, m)
        self.body.setSpacing(spacing)
