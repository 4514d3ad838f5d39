"""管理 → 站长工作 → 活动: this station's activities, newest first, and 新建活动.

Each row is one big button that opens the activity (``keeper_activity.py``); the line under
the title says how many activity records have not reached the hub yet.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.core.activities.model import ActivityState
from kiosk.core.activities.views import ActivityView
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import label, set_role


def kind_name(activity: ActivityView) -> str:
    return QCoreApplication.translate("ActivityKind", activity.kind.label)


def state_name(state: ActivityState) -> str:
    return QCoreApplication.translate("ActivityState", state.label)


def when_text(activity: ActivityView, tz: tzinfo, today: Any = None) -> str:
    """``12月3日 14:00–16:00`` (``今天 14:00–16:00`` on ``today``), in the station's zone."""
    start, end = activity.start_at.astimezone(tz), activity.end_at.astimezone(tz)
    if today is not None and start.date() == today:
        day = QCoreApplication.translate("ActivityText", "今天")
    else:
        day = QCoreApplication.translate("ActivityText", "{m}月{d}日").format(
            m=start.month, d=start.day
        )
    return f"{day} {start:%H:%M}–{end:%H:%M}"


class KeeperActivitiesPage(TitledPage):
    screen = Screen.KEEPER_ACTIVITIES
    back_to = Screen.KEEPER

    refresh_requested = Signal()
    activity_chosen = Signal(str)
    """A row was tapped (an activity id)."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("活动"), parent)
        self.setObjectName("KeeperActivitiesScreen")
        self.unsent = label("", name="UnsentLine")
        self.new = QPushButton(self.tr("＋ 新建活动"))
        self.new.setObjectName("NewActivity")
        self.new.setProperty("tone", "accent")
        self.new.clicked.connect(lambda: self.navigate_requested.emit(Screen.KEEPER_ACTIVITY_NEW))
        top = QHBoxLayout()
        top.addWidget(self.unsent, 1)
        top.addWidget(self.new)
        self.empty = label(self.tr("还没有活动。点“新建活动”，或由区里统一安排"), role="body")
        self.rows: list[QPushButton] = []
        inner = QWidget()
        inner.setObjectName("ActivityList")
        self.list = QVBoxLayout(inner)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.addWidget(self.empty)
        self.list.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("ActivityScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.body = QVBoxLayout()
        self.body.addLayout(top)
        self.body.addWidget(scroll, 1)
        self.set_body(self.body)

    def enter(self, payload: Any = None) -> None:
        self.refresh_requested.emit()

    def show_unsent(self, n: int) -> None:
        if n:
            self.unsent.setText(self.tr("有 {n} 条活动记录还没上传，联网后自动上传").format(n=n))
        else:
            self.unsent.setText(self.tr("活动记录已全部上传"))
        set_role(self.unsent, tone="warn" if n else "ok")

    def show_activities(self, activities: list[ActivityView], now: datetime, tz: tzinfo) -> None:
        for row in self.rows:
            self.list.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        today = now.astimezone(tz).date()
        for i, a in enumerate(sorted(activities, key=lambda a: a.start_at, reverse=True)):
            state = a.state(now)
            when = when_text(a, tz, today)
            text = f"【{a.title}】\n{when} · {kind_name(a)} · {state_name(state)}"
            row = QPushButton(text)
            row.setObjectName("ActivityRow")
            row.setProperty("role", "result")
            row.clicked.connect(lambda _=False, aid=a.id: self.activity_chosen.emit(aid))
            self.list.insertWidget(i, row)
            self.rows.append(row)
        self.empty.setVisible(not self.rows)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(12 * scale))
        self.list.setSpacing(round(10 * scale))
