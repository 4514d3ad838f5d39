"""驿站服务: what the station offers, its hours, emergency numbers and the keeper's phone.

Which services show is the ``station.services`` setting (names as the keeper writes them);
a known name gets its icon and usual hours, any other name a generic icon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.settings import DEFAULT_SERVICES, Settings
from kiosk.screen_names import Screen
from kiosk.ui import icons
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, label

_CTX = "Services"


@dataclass(frozen=True)
class Service:
    name: str  # the Chinese source text; shown through tr()
    icon: str
    hours: str = ""  # a Chinese source text too, or empty


_ALL_DAY = QT_TRANSLATE_NOOP("Services", "全天")
# The services we have icons for: the nine of ``station.services``' default, in its order.
CATALOGUE: tuple[Service, ...] = (
    Service(QT_TRANSLATE_NOOP("Services", "热水"), "water", _ALL_DAY),
    Service(QT_TRANSLATE_NOOP("Services", "微波炉"), "microwave", _ALL_DAY),
    Service(QT_TRANSLATE_NOOP("Services", "充电"), "charging", _ALL_DAY),
    Service(QT_TRANSLATE_NOOP("Services", "药箱"), "medkit", _ALL_DAY),
    Service(
        QT_TRANSLATE_NOOP("Services", "空调"), "aircon", QT_TRANSLATE_NOOP("Services", "夏冬季")
    ),
    Service(QT_TRANSLATE_NOOP("Services", "卫生间"), "toilet", _ALL_DAY),
    Service(
        QT_TRANSLATE_NOOP("Services", "雨具"), "umbrella", QT_TRANSLATE_NOOP("Services", "雨天借用")
    ),
    Service(QT_TRANSLATE_NOOP("Services", "图书"), "books", _ALL_DAY),
    Service(QT_TRANSLATE_NOOP("Services", "Wi-Fi"), "wifi", _ALL_DAY),
)
_BY_NAME = {s.name: s for s in CATALOGUE} | {s.icon: s for s in CATALOGUE}  # 热水 or water
EMERGENCY = (
    ("120", QT_TRANSLATE_NOOP("Services", "急救")),
    ("110", QT_TRANSLATE_NOOP("Services", "报警")),
    ("119", QT_TRANSLATE_NOOP("Services", "火警")),
)


def service_for(name: str) -> Service:
    """The catalogue entry for a configured name; unknown names get the generic icon."""
    return (
        _BY_NAME.get(name.strip())
        or _BY_NAME.get(name.strip().lower())
        or Service(name.strip(), "services")
    )


def services_from(names: Sequence[str] | None) -> list[Service]:
    if names is None:
        names = DEFAULT_SERVICES
    return [service_for(n) for n in names if str(n).strip()]


def service_name(service: Service) -> str:
    return QCoreApplication.translate(_CTX, service.name)


class ServicesPage(TitledPage):
    screen = Screen.SERVICES

    def __init__(self, parent=None) -> None:
        from PySide6.QtCore import Qt  # not at import: see kiosk.ui.widgets

        super().__init__(self.tr("驿站服务"), parent)
        self.setObjectName("ServicesScreen")
        self._cards: list[tuple[QLabel, str]] = []
        self._services: list[Service] = []
        self._scale, self._portrait = 1.0, False
        self.grid = ResponsiveGrid([], columns=3)

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
        self.set_body(body)
        self.set_services(None)

    def names(self) -> list[str]:
        return [service_name(s) for s in self._services]

    def set_services(self, names: Sequence[str] | None) -> None:
        services = services_from(names)
        if services == self._services and self._cards:
            return
        self._services = services
        self._cards = []
        cards = []
        for service in services:
            card = QFrame()
            card.setObjectName("ServiceCard")
            row = QHBoxLayout(card)
            pic = QLabel()
            text = QVBoxLayout()
            name = QLabel(service_name(service))
            name.setObjectName("ServiceName")
            name.setWordWrap(True)
            text.addWidget(name)
            if service.hours:
                when = QLabel(QCoreApplication.translate(_CTX, service.hours))
                when.setObjectName("ServiceHours")
                text.addWidget(when)
            row.addWidget(pic)
            row.addLayout(text, 1)
            self._cards.append((pic, service.icon))
            cards.append(card)
        self.grid.set_widgets(cards)
        self._layout_cards()

    def show_settings(self, settings: Settings) -> None:
        self.set_keeper(str(settings["station.keeper_phone"] or ""))
        self.set_services(settings["station.services"])

    def set_keeper(self, phone: str) -> None:
        self.keeper.setText(
            self.tr("站长电话：{phone}").format(phone=phone)
            if phone
            else self.tr("有事请找站长（站长电话张贴在门口）")
        )

    def _layout_cards(self) -> None:
        n = len(self._cards)
        fits = 8 if self._portrait else 9  # more than this: one more column
        columns = (2 if self._portrait else 3) + (n > fits)
        self.grid.set_columns(columns)
        side = round((56 if columns <= 3 else 44) * self._scale)
        for pic, icon in self._cards:
            pic.setPixmap(icons.pixmap(icon, "#0B4F8A", side))
            pic.setFixedSize(side + 8, side + 8)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._scale, self._portrait = scale, portrait
        self._layout_cards()
        spacing = round(16 * scale)
        self.grid.set_spacing(spacing)
        self.emergency.set_spacing(spacing)
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(spacing)
