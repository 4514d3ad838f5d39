"""欢迎回家: the attract screen. Touch anywhere → home; a badge scan works from here too.

It is the only screen drawn before the first paint, so it avoids PySide's ``Qt`` namespace
(creating its ~90 enum classes costs ~25 ms): alignments are ``qproperty-alignment`` in the
stylesheet and the gradient is drawn by a ``QFrame`` (``tests/ui/test_cold_start.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.core.results import DayFigures
from kiosk.screen_names import Screen
from kiosk.ui import icons
from kiosk.ui.screens.base import Page
from kiosk.ui.screens.services import Service, service_name, services_from
from kiosk.ui.widgets import label, set_role

if TYPE_CHECKING:
    from kiosk.core.settings import Settings
    from kiosk.qtglue.sync import SyncView


class WelcomePage(Page):
    screen = Screen.WELCOME

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("WelcomeScreen")
        self._preview_enabled = True
        self._camera_ok = True
        # The gradient background: a QFrame gets it from the stylesheet by itself, a QWidget
        # subclass would need WA_StyledBackground (the Qt namespace).
        self.surface = QFrame()
        self.surface.setObjectName("WelcomeSurface")
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.surface)

        self.station_name = label("", name="StationName")
        self.sync = QLabel("● " + self.tr("未连接"))
        self.sync.setObjectName("SyncIndicator")
        self.sync.setProperty("tone", "off")  # set_role() needs the Qt namespace
        self.sync.setToolTip(self.tr("数据保存在本机，联网后自动上传"))
        sync_column = QVBoxLayout()  # top-aligned beside a name that may wrap
        sync_column.addWidget(self.sync)
        sync_column.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.station_name, 1)
        top.addLayout(sync_column)

        self.title = QLabel(self.tr("欢迎回家"))
        self.title.setObjectName("WelcomeTitle")
        self.title.setWordWrap(True)  # "Welcome home" at hero size is wider than a tablet
        self.clock_time = QLabel()
        self.clock_time.setObjectName("ClockTime")
        self.clock_date = QLabel()
        self.clock_date.setObjectName("ClockDate")

        # The hint card: what to do, with the small live preview beside it.
        self.hint_card = QFrame()
        self.hint_card.setObjectName("HintCard")
        hint_row = QHBoxLayout(self.hint_card)
        self.preview = QLabel(self.tr("摄像头"))
        self.preview.setObjectName("CameraPreview")
        self.preview.setFixedSize(192, 144)
        hint_text = QVBoxLayout()
        self.hint = label(self.tr("请出示工牌二维码"), name="HintText")
        self.hint_sub = label(self.tr("没带工牌？点屏幕任意处签到"), name="HintSub")
        self.camera_notice = label("", name="CameraNotice")
        self.camera_notice.hide()
        self.starting = label(self.tr("正在启动，请稍候…"), name="StartingNotice")
        self.starting.hide()
        hint_text.addWidget(self.hint)
        hint_text.addWidget(self.hint_sub)
        hint_text.addWidget(self.starting)
        hint_text.addWidget(self.camera_notice)
        hint_row.addWidget(self.preview)
        hint_row.addLayout(hint_text, 1)

        self.count_card = QFrame()
        self.count_card.setObjectName("CountCard")
        count = QVBoxLayout(self.count_card)
        self.count_value = QLabel("0")
        self.count_value.setObjectName("CountValue")
        count_label = QLabel(self.tr("今日到站人次"))
        count_label.setObjectName("CountLabel")
        count.addWidget(self.count_value)
        count.addWidget(count_label)

        self.activity_card = QFrame()
        self.activity_card.setObjectName("ActivityCard")
        activity = QVBoxLayout(self.activity_card)
        self.activity = label(self.tr("近期活动：敬请关注"), name="ActivityText")
        activity.addWidget(self.activity)

        self.cards = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.cards.addWidget(self.hint_card, 3)
        self.cards.addWidget(self.count_card, 1)

        self.service_grid = QGridLayout()
        self._services: list[Service] = []
        self._service_cells: list[tuple[QLabel, QLabel, str]] = []
        self._scale = 1.0

        self.main = QVBoxLayout(self.surface)
        self.main.addLayout(top)
        self.main.addStretch(1)
        self.main.addWidget(self.title)
        self.main.addWidget(self.clock_time)
        self.main.addWidget(self.clock_date)
        self.main.addStretch(1)
        self.main.addLayout(self.cards)
        self.main.addWidget(self.activity_card)
        self.main.addStretch(1)
        self.main.addLayout(self.service_grid)
        self._portrait = False
        self.set_services(None)

    # -- state in ---------------------------------------------------------------------------

    def set_station_name(self, name: str) -> None:
        self.station_name.setText(name)

    def show_settings(self, settings: Settings) -> None:
        self.set_preview_enabled(bool(settings["ui.camera_preview"]))
        self.set_services(settings["station.services"])

    def show_sync(self, view: SyncView, tz: tzinfo) -> None:
        from kiosk.ui import sync_text  # it imports the sync worker: not before the first paint

        self.set_sync_text(*sync_text.indicator(view, tz))

    def set_starting(self, starting: bool) -> None:
        """While the station opens: scans are queued, the hint says 请稍候."""
        self.starting.setVisible(starting)

    def set_sync_text(self, text: str, tone: str) -> None:
        self.sync.setText(f"● {text}")
        set_role(self.sync, tone=tone)

    def set_services(self, names: Sequence[str] | None) -> None:
        services = services_from(names)
        if services == self._services and self._service_cells:
            return
        self._services = services
        for pic, name, _icon in self._service_cells:
            self.service_grid.removeWidget(pic)
            self.service_grid.removeWidget(name)
            pic.deleteLater()
            name.deleteLater()
        self._service_cells = []
        for service in services:
            pic = QLabel()
            pic.setObjectName("ServicePicture")
            name = QLabel(service_name(service))
            name.setObjectName("ServiceIcon")
            self._service_cells.append((pic, name, service.icon))
        self._draw_services()

    def service_names(self) -> list[str]:
        return [name.text() for _pic, name, _icon in self._service_cells]

    def set_figures(self, figures: DayFigures) -> None:
        self.count_value.setText(str(figures.visits))

    def set_time(self, now: datetime, locale: QLocale) -> None:
        """``now`` already in the station's time zone."""
        self.clock_time.setText(f"{now:%H:%M}")
        day = QDate(now.year, now.month, now.day)
        self.clock_date.setText(locale.toString(day, self.tr("yyyy年M月d日 dddd")))

    def set_preview_enabled(self, enabled: bool) -> None:
        self._preview_enabled = enabled
        self.preview.setVisible(enabled and self._camera_ok)

    def set_camera_status(self, ok: bool, message: str) -> None:
        self._camera_ok = ok
        self.preview.setVisible(self._preview_enabled and ok)
        self.camera_notice.setText(message)
        self.camera_notice.setVisible(not ok and bool(message))

    def show_frame(self, image: QImage) -> None:
        if not self.preview.isVisible():
            return
        from PySide6.QtCore import Qt  # frames come after the first paint

        pm = QPixmap.fromImage(image).scaled(
            self.preview.size(),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.FastTransformation,
        )
        self.preview.setPixmap(pm)

    # -- layout -----------------------------------------------------------------------------

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._portrait = portrait
        self.cards.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self.preview.setFixedSize(round(160 * scale), round(120 * scale))
        self._scale = scale
        self._draw_services()
        m = round(28 * scale)
        self.main.setContentsMargins(m, round(m * 0.6), m, round(m * 0.6))
        self.main.setSpacing(round(8 * scale))
        self.cards.setSpacing(round(20 * scale))

    def _draw_services(self) -> None:
        """All in one row (landscape) or rows of 5–6 (portrait); at most 12 are configured."""
        n = len(self._service_cells)
        columns = (5 if n <= 10 else 6) if self._portrait else max(1, n)
        side = round(48 * self._scale)
        for pic, name, _icon in self._service_cells:
            self.service_grid.removeWidget(pic)
            self.service_grid.removeWidget(name)
        for i, (pic, name, icon) in enumerate(self._service_cells):
            pic.setPixmap(icons.pixmap(icon, "#FFFFFF", side))
            row, col = divmod(i, columns)
            self.service_grid.addWidget(pic, row * 2, col)
            self.service_grid.addWidget(name, row * 2 + 1, col)

    # -- intents ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.navigate_requested.emit(Screen.HOME)
        event.accept()
