"""管理 → 在站人员: who is in the station now, big enough for an emergency roll call.

The count on top, everyone checked in and not out below (newest first, name, trade, team,
check-in time). Tap a row, then 签退 to check that person out; 全部签退 closes every open
visit (forgotten check-outs at the end of the day) after a confirmation that says how many.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label


def _button(text: str, name: str, tone: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    if tone:
        button.setProperty("tone", tone)
    return button


class KeeperPresentPage(TitledPage):
    screen = Screen.KEEPER_PRESENT
    back_to = Screen.KEEPER

    refresh_requested = Signal()
    check_out_requested = Signal(str)
    """The keeper confirmed checking this visit out (its id)."""
    close_all_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("在站人员"), parent)
        self.tz: tzinfo | None = None
        self.visits: list[Any] = []
        self._row_height = 88
        self.count = label("", role="h1", name="PresentCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list = QListWidget()
        self.list.setObjectName("PresentList")
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setUniformItemSizes(True)
        QScroller.grabGesture(
            self.list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture
        )
        self.list.currentRowChanged.connect(self._selected)
        self.empty = label(self.tr("现在没有人在站"), role="h2")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.check_out = _button(self.tr("签退"), "PresentCheckOut", "primary")
        self.check_out.clicked.connect(self._check_out)
        self.close_all = _button(self.tr("全部签退"), "PresentCloseAll", "danger")
        self.close_all.clicked.connect(self._ask_close_all)
        actions = QWidget()
        row = QHBoxLayout(actions)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check_out, 2)
        row.addWidget(self.close_all, 1)

        self.confirm_text = label("", role="body", name="PresentConfirm")
        self.confirm_yes = _button(self.tr("确定全部签退"), "PresentConfirmYes", "danger")
        self.confirm_yes.clicked.connect(self._close_all)
        self.confirm_no = _button(self.tr("取消"), "PresentConfirmNo", "plain")
        self.confirm_no.clicked.connect(self._cancel)
        confirm = QWidget()
        crow = QHBoxLayout(confirm)
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(self.confirm_text, 2)
        crow.addWidget(self.confirm_no, 1)
        crow.addWidget(self.confirm_yes, 1)
        self.footer = QStackedWidget()
        self.footer.addWidget(actions)
        self.footer.addWidget(confirm)
        self.notice = label("", role="muted", name="PresentNotice")

        self.body = QVBoxLayout()
        self.body.addWidget(self.count)
        self.body.addWidget(self.list, 1)
        self.body.addWidget(self.empty, 1)
        self.body.addWidget(self.notice)
        self.body.addWidget(self.footer)
        self.set_body(self.body)
        self.show_present([])

    # -- showing ----------------------------------------------------------------------------

    def show_present(self, visits: list[Any]) -> None:
        self.visits = list(visits)
        self.count.setText(self.tr("在站 {n} 人").format(n=len(self.visits)))
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        size = QSize(0, self._row_height)
        for v in self.visits:
            when = v.checked_in_at.astimezone(self.tz) if self.tz else v.checked_in_at
            name = v.name or self.tr("（未核验工牌）")
            detail = " · ".join(x for x in (v.trade, v.team) if x)
            text = self.tr("{name}　{detail}　{time} 签到").format(
                name=name, detail=detail, time=when.strftime("%H:%M")
            )
            item = QListWidgetItem(text)
            item.setSizeHint(size)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        self.list.setVisible(bool(self.visits))
        self.empty.setVisible(not self.visits)
        self.close_all.setEnabled(bool(self.visits))
        self.footer.setCurrentIndex(0)
        self._selected(-1)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)

    def _selected(self, row: int) -> None:
        ok = 0 <= row < len(self.visits) and self.list.currentItem() is not None
        self.check_out.setEnabled(ok)
        if ok:
            name = self.visits[row].name or self.tr("未核验工牌")
            self.check_out.setText(self.tr("签退 {name}").format(name=name))
        else:
            self.check_out.setText(self.tr("签退（先点选一人）"))

    # -- intents ----------------------------------------------------------------------------

    def _check_out(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.visits):
            self.check_out_requested.emit(self.visits[row].visit_id)

    def _ask_close_all(self) -> None:
        self.confirm_text.setText(
            self.tr("将把在站的 {n} 人全部签退，记为站长关闭。确定吗？").format(n=len(self.visits))
        )
        self.footer.setCurrentIndex(1)

    def _cancel(self) -> None:
        self.footer.setCurrentIndex(0)

    def _close_all(self) -> None:
        self.footer.setCurrentIndex(0)
        self.close_all_requested.emit()

    def enter(self, payload: Any = None) -> None:
        self.notice.setText("")
        self.footer.setCurrentIndex(0)
        self.refresh_requested.emit()

    def leave(self) -> None:
        self.footer.setCurrentIndex(0)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(16 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(10 * scale))
        self._row_height = max(72, round(88 * scale))
        for i in range(self.list.count()):
            self.list.item(i).setSizeHint(QSize(0, self._row_height))
