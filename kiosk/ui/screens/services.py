"""驿站服务: what the station offers, its hours, emergency numbers and the keeper's phone."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui import icons
from kiosk.ui.screens.base import Page, Screen
from kiosk.ui.widgets import ResponsiveGrid, TitleBar, label

_CTX = "Services"
# (icon/key, hours). The list is fixed until stations can configure it (see docs).
SERVICES: tuple[tuple[str, str], ...] = (
    ("water", "全天"),
    ("microwave", "全天"),
    ("charging", "全天"),
    ("medkit", "全天"),
    ("aircon", "夏冬季"),
    ("toilet", "全天"),
    ("umbrella", "雨天借用"),
    ("books", "全天"),
    ("wifi", "全天"),
)
_NAMES = {
    "water": QT_TRANSLATE_NOOP("Services", "热水"),
    "microwave": QT_TRANSLATE_NOOP("Services", "微波炉"),
    "charging": QT_TRANSLATE_NOOP("Services", "充电"),
    "medkit": QT_TRANSLATE_NOOP("Services", "药箱"),
    "aircon": QT_TRANSLATE_NOOP("Services", "空调"),
    "toilet": QT_TRANSLATE_NOOP("Services", "卫生间"),
    "umbrella": QT_TRANSLATE_NOOP("Services", "雨具"),
    "books": QT_TRANSLATE_NOOP("Services", "图书"),
    "wifi": QT_TRANSLATE_NOOP("Services", "Wi-Fi"),
}
_HOURS = {
    "全天": QT_TRANSLATE_NOOP("Services", "全天"),
    "夏冬季": QT_TRANSLATE_NOOP("Services", "夏冬季"),
    "雨天借用": QT_TRANSLATE_NOOP("Services", "雨天借用"),
}
EMERGENCY = (
    ("120", QT_TRANSLATE_NOOP("Services", "急救")),
    ("110", QT_TRANSLATE_NOOP("Services", "报警")),
    ("119", QT_TRANSLATE_NOOP("Services", "火警")),
)


def service_name(key: str) -> str:
    return QCoreApplication.translate(_CTX, _NAMES[key])


class ServicesPage(Page):
    screen = Screen.SERVICES

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.bar = TitleBar(self.tr("驿站服务"))
        self.bar.back_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))
        self._cards: list[tuple[QLabel, str]] = []
        cards = []
        for key, hours in SERVICES:
            card = QFrame()
            card.setObjectName("ServiceCard")
            row = QHBoxLayout(card)
            pic = QLabel()
            text = QVBoxLayout()
            name = QLabel(service_name(key))
            name.setObjectName("ServiceName")
            when = QLabel(QCoreApplication.translate(_CTX, _HOURS[hours]))
            when.setObjectName("ServiceHours")
            text.addWidget(name)
            text.addWidget(when)
            row.addWidget(pic)
            row.addLayout(text, 1)
            self._cards.append((pic, key))
            cards.append(card)
        self.grid = ResponsiveGrid(cards, columns=3)

        emergencies = []
        for number, what in EMERGENCY:
            card = QFrame()
            card.setObjectName("EmergencyCard")
            col = QVBoxLayout(card)
            num = QLabel(number)
            num.setObjectName("EmergencyNumber")
            num.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name = QLabel(QCoreApplication.translate(_CTX, what))
            name.setObjectName("EmergencyName")
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            col.addWidget(num)
            col.addWidget(name)
            emergencies.append(card)
        self.emergency = ResponsiveGrid(emergencies, columns=3)

        self.keeper = label("", name="KeeperPhone")
        self.set_keeper("")
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.addWidget(self.grid, 3)
        self.body.addWidget(self.emergency, 1)
        self.body.addWidget(self.keeper)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        outer.addWidget(body, 1)

    def set_keeper(self, phone: str) -> None:
        self.keeper.setText(
            self.tr("站长电话：{phone}").format(phone=phone)
            if phone
            else self.tr("有事请找站长（站长电话张贴在门口）")
        )

    def apply_layout(self, scale: float, portrait: bool) -> None:
        side = round(56 * scale)
        for pic, key in self._cards:
            pic.setPixmap(icons.pixmap(key, "#0B4F8A", side))
            pic.setFixedSize(side + 8, side + 8)
        self.grid.set_columns(2 if portrait else 3)
        spacing = round(16 * scale)
        self.grid.set_spacing(spacing)
        self.emergency.set_spacing(spacing)
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(spacing)
