"""The greeting after a scan: 张师傅，欢迎回家！ — or a friendly refusal with what to do next."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.core.messages import describe
from kiosk.core.results import Greeting, Outcome, ScanResult
from kiosk.core.trades import Trade
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import Page
from kiosk.ui.widgets import label, set_role

if TYPE_CHECKING:
    from kiosk.ui.scan_actions import ScanAction

_TONES = {
    Outcome.CHECKED_IN: "in",
    Outcome.ALREADY_IN: "in",
    Outcome.CHECKED_OUT: "out",
    Outcome.ALREADY_OUT: "out",
    Outcome.REFUSED: "refused",
}


def trade_label(value: str | None) -> str:
    if not value:
        return ""
    try:
        return Trade(value).label(QCoreApplication.translate)
    except ValueError:
        return value


class GreetingPage(Page):
    screen = Screen.GREETING

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("GreetingScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.full_name = False
        self.tz = ZoneInfo("Asia/Shanghai")
        self.result: ScanResult | None = None

        self.headline = label("", name="GreetingHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.trade = QLabel()
        self.trade.setObjectName("TradeChip")
        self.party = QLabel(self.tr("★ 共产党员"))
        self.party.setObjectName("PartyMark")
        chips = QHBoxLayout()
        chips.addStretch(1)
        chips.addWidget(self.trade)
        chips.addWidget(self.party)
        chips.addStretch(1)
        self.detail = label("", name="GreetingDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time = label("", name="GreetingTime")
        self.time.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_badge = QPushButton(self.tr("没带工牌？点这里签到"))
        self.no_badge.clicked.connect(lambda: self.navigate_requested.emit(Screen.TRADES))
        self.done = QPushButton(self.tr("好的"))
        self.done.setObjectName("GreetingDone")
        self.done.clicked.connect(lambda: self.navigate_requested.emit(Screen.WELCOME))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.no_badge)
        buttons.addWidget(self.done)
        buttons.addStretch(1)

        # What the worker can do next (ui/scan_actions.py): one big button per offered action.
        self.actions_row = QHBoxLayout()
        self.actions_row.addStretch(1)
        self.actions_row.addStretch(1)
        self.action_buttons: dict[str, QPushButton] = {}

        self.main = QVBoxLayout(self)
        self.main.addStretch(2)
        self.main.addWidget(self.headline)
        self.main.addLayout(chips)
        self.main.addWidget(self.detail)
        self.main.addWidget(self.time)
        self.main.addStretch(1)
        self.main.addLayout(self.actions_row)
        self.main.addStretch(1)
        self.main.addLayout(buttons)
        self.main.addStretch(1)

    def enter(self, payload: ScanResult | None = None) -> None:
        if payload is not None:
            self.show_result(payload)

    def _hm(self, moment: datetime | None) -> str:
        return "" if moment is None else f"{moment.astimezone(self.tz):%H:%M}"

    def show_result(self, result: ScanResult) -> None:
        self.result = result
        set_role(self, tone=_TONES[result.outcome])
        tr = QCoreApplication.translate
        self.headline.setText(describe(result, full_name=self.full_name, translate=tr))
        self.trade.setText(trade_label(result.trade))
        self.trade.setVisible(bool(result.trade))
        self.party.setVisible(bool(result.person and result.person.party_member))
        self.no_badge.setVisible(result.outcome is Outcome.REFUSED)
        detail, when = "", ""
        match result.outcome:
            case Outcome.CHECKED_IN:
                if result.month_visits:
                    detail = self.tr("本月第 {n} 次到站").format(n=result.month_visits)
                when = self.tr("签到时间 {time}").format(time=self._hm(result.checked_in_at))
            case Outcome.ALREADY_IN:
                when = self.tr("签到时间 {time}").format(time=self._hm(result.checked_in_at))
            case Outcome.CHECKED_OUT | Outcome.ALREADY_OUT:
                when = self.tr("签到 {start} · 签退 {end}").format(
                    start=self._hm(result.checked_in_at), end=self._hm(result.checked_out_at)
                )
            case Outcome.REFUSED:
                detail = self.tr("也可以点“没带工牌”，按工种或姓名签到")
        if result.greeting is Greeting.UNVERIFIED:
            detail = self.tr("工牌来自其他驿站，已为您登记")
        elif result.greeting is Greeting.ANONYMOUS:
            detail = self.tr("已为您登记，好好歇一歇")
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.time.setText(when)
        self.time.setVisible(bool(when))

    # -- actions after the scan ---------------------------------------------------------------

    def set_actions(self, actions: list[ScanAction]) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons = {}
        for action in actions:
            self.add_action(action)

    def add_action(self, action: ScanAction) -> QPushButton:
        """One big button (≥ 72 px, like every button); a tap runs the action once."""
        button = QPushButton(action.text)
        button.setObjectName(f"ScanAction_{action.key}")
        button.setProperty("role", "action")
        button.setProperty("tone", action.tone)
        button.clicked.connect(action.run)
        old = self.action_buttons.pop(action.key, None)
        if old is not None:
            self.actions_row.removeWidget(old)
            old.hide()
            old.deleteLater()
        self.actions_row.insertWidget(self.actions_row.count() - 1, button)  # between stretches
        self.action_buttons[action.key] = button
        return button

    def set_action_busy(self, key: str, text: str) -> None:
        """The action is being recorded: no second tap, and nothing said to be done yet."""
        button = self.action_buttons.get(key)
        if button is not None:
            button.setEnabled(False)
            button.setText(text)

    def show_action_result(self, key: str, headline: str, detail: str, tone: str) -> None:
        """An action's outcome, once committed (or why it was not): replaces the greeting."""
        button = self.action_buttons.pop(key, None)
        if button is not None:
            self.actions_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        set_role(self, tone=tone)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.no_badge.hide()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(40 * scale)
        self.main.setContentsMargins(m, m, m, m)
        self.main.setSpacing(round(20 * scale))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.result is not None and self.result.outcome is not Outcome.REFUSED:
            self.navigate_requested.emit(Screen.WELCOME)
        event.accept()
