"""管理 → 工牌: find a person, then print their card again, or replace a lost one (issue 15).

:class:`KeeperBadgeFindPage` is the pinyin-initials search of 按姓名查找 with the keeper's
words; tapping a name opens :class:`KeeperBadgePage` for that person. There 打印工牌 prints
the live card again (or issues one if none is live) and 挂失补办 first says what will happen,
then revokes the old card and issues and prints the new one. Printing and saving are the
flow's (``ui/keeper_badge_flow.py``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.core.results import PersonView
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.greeting import trade_label
from kiosk.ui.screens.search import SearchPage
from kiosk.ui.widgets import label


class KeeperBadgeFindPage(SearchPage):
    screen = Screen.KEEPER_BADGE
    back_to = Screen.KEEPER

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.bar.title.setText(self.tr("工牌 · 选择人员"))

    def show_results(self, query: str, people: list[PersonView]) -> None:
        super().show_results(query, people)
        if query and people:
            self.empty.setText(self.tr("点名字，打印或补办工牌"))
        elif query:
            self.empty.setText(self.tr("没有找到，请换个字母"))


class KeeperBadgePage(TitledPage):
    screen = Screen.KEEPER_BADGE_PERSON
    back_to = Screen.KEEPER_BADGE

    view_requested = Signal(str)
    """Show this person's badge (a person id)."""
    print_requested = Signal(str)
    """Print the person's live card again, or issue one when none is live."""
    replace_requested = Signal(str)
    """A lost card, confirmed: revoke it, issue the next one and print that."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("工牌"), parent)
        self.view: Any = None
        self.person_id: str | None = None
        self.busy = False
        self.person = label("", role="h1", name="BadgePerson")
        self.card = label("", role="body", name="BadgeCard")
        self.printer = label("", role="muted", name="BadgePrinter")
        self.print_button = QPushButton(self.tr("打印工牌"))
        self.print_button.setObjectName("BadgePrint")
        self.print_button.setProperty("tone", "primary")
        self.print_button.clicked.connect(self._print)
        self.lost_button = QPushButton(self.tr("挂失补办"))
        self.lost_button.setObjectName("BadgeLost")
        self.lost_button.setProperty("tone", "accent")
        self.lost_button.clicked.connect(self._ask)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button, 1)
        buttons.addWidget(self.lost_button, 1)
        self.confirm_text = label("", role="body", name="BadgeConfirmText")
        self.confirm_yes = QPushButton(self.tr("确定挂失并补办"))
        self.confirm_yes.setObjectName("BadgeConfirmYes")
        self.confirm_yes.setProperty("tone", "danger")
        self.confirm_yes.clicked.connect(self._replace)
        self.confirm_no = QPushButton(self.tr("取消"))
        self.confirm_no.setObjectName("BadgeConfirmNo")
        self.confirm_no.setProperty("tone", "plain")
        self.confirm_no.clicked.connect(lambda: self.confirm.hide())
        self.confirm = QWidget()
        confirm_col = QVBoxLayout(self.confirm)
        confirm_col.setContentsMargins(0, 0, 0, 0)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_yes, 1)
        confirm_row.addWidget(self.confirm_no, 1)
        confirm_col.addWidget(self.confirm_text)
        confirm_col.addLayout(confirm_row)
        self.confirm.hide()
        self.result = label("", role="h2", name="BadgeResult")
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout()
        for w in (self.person, self.card, self.printer):
            self.body.addWidget(w)
        self.body.addLayout(buttons)
        self.body.addWidget(self.confirm)
        self.body.addWidget(self.result, 1)
        self.set_body(self.body)

    # -- showing ----------------------------------------------------------------------------

    def show_view(self, view: Any) -> None:
        """A ``BadgeView``: who, and their live badge."""
        self.view = view
        self.person.setText(f"{view.name}  ·  {trade_label(view.trade)}")
        if not view.active:
            self.card.setText(self.tr("此人已停用，不能发工牌"))
        elif view.serial is None:
            self.card.setText(self.tr("还没有有效的工牌"))
        else:
            self.card.setText(
                self.tr("当前工牌：第 {serial} 号，{day} 发").format(
                    serial=view.serial, day=view.issued_on.isoformat()
                )
            )
        self.print_button.setText(
            self.tr("打印工牌") if view.serial is not None else self.tr("发工牌并打印")
        )
        self._set_busy(self.busy)

    def show_printer(self, name: str | None) -> None:
        self.printer.setText(
            self.tr("打印机：{name}").format(name=name)
            if name
            else self.tr("没有打印机：工牌将存成 PDF 文件到U盘")
        )

    def show_result(self, text: str) -> None:
        self._set_busy(False)
        self.result.setText(text)

    # -- intents ----------------------------------------------------------------------------

    def _print(self) -> None:
        if self.person_id and not self.busy:
            self.confirm.hide()
            self._set_busy(True)
            self.result.setText(self.tr("正在打印…"))
            self.print_requested.emit(self.person_id)

    def _ask(self) -> None:
        view = self.view
        if view is None or self.busy:
            return
        old = (
            self.tr("现在的工牌（第 {serial} 号）马上作废，再刷会被拒绝").format(serial=view.serial)
            if view.serial is not None
            else self.tr("没有有效的旧工牌")
        )
        self.confirm_text.setText(
            self.tr("挂失补办 {name}：{old}；同时发一张新工牌并打印。").format(
                name=view.name, old=old
            )
        )
        self.confirm.show()

    def _replace(self) -> None:
        if self.person_id and not self.busy:
            self.confirm.hide()
            self._set_busy(True)
            self.result.setText(self.tr("正在挂失并补办…"))
            self.replace_requested.emit(self.person_id)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        usable = not busy and self.view is not None and self.view.active
        self.print_button.setEnabled(usable)
        self.lost_button.setEnabled(usable)

    # -- page -------------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        if payload is not None:
            self.person_id = str(payload)
            self.view = None
            self.person.setText("")
            self.card.setText("")
            self.result.setText("")
            self.confirm.hide()
            self._set_busy(False)
        if self.person_id:
            self.view_requested.emit(self.person_id)

    def leave(self) -> None:
        self.confirm.hide()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(24 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(16 * scale))
