"""One activity for the keeper: start, end, cancel; the live attendance; the 签到表 PDF.

结束 and 取消 ask for a second tap (they cannot be undone); 结束 signs everyone still in out at
once and says how many went to review. The attendance list shows each person's category,
sign-in and sign-out times and state, with 签退 for one who has to leave early; the counts by
category are above it. 签到表 is saved to a USB stick or sent to the printer.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.activities.model import OPEN_STATES, ActivityState, Category
from kiosk.core.activities.views import ActivityDetail, AttendanceView
from kiosk.screen_names import Screen
from kiosk.ui.screens.activity_guest import category_name
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.keeper_activities import kind_name, state_name, when_text
from kiosk.ui.widgets import label, set_role

CONFIRMING = ("end", "cancel")


def attendance_state_name(row: AttendanceView) -> str:
    return QCoreApplication.translate("AttendanceState", row.state.label)


class KeeperActivityPage(TitledPage):
    screen = Screen.KEEPER_ACTIVITY
    back_to = Screen.KEEPER_ACTIVITIES

    refresh_requested = Signal(str)
    """(activity id) load the activity and its attendance again."""
    command_requested = Signal(str, str)
    """(command, activity id): "start", "end" or "cancel" (after the second tap)."""
    sign_out_requested = Signal(str)
    """(attendance id) the keeper signs this one out now."""
    sheet_requested = Signal(str, object)
    """(activity id, folder Path, or None for the printer) write or print the 签到表."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("活动详情"), parent)
        self.setObjectName("KeeperActivityScreen")
        self.detail: ActivityDetail | None = None
        self.armed: str | None = None  # the command waiting for its second tap
        self.find_volumes = _volumes  # tests point this at a temporary folder
        self.live = QTimer(self)  # the flow re-reads the list on it while the page is shown

        self.heading = label("", name="ActivityTitle")
        self.facts = label("", role="body")
        self.counts = label("", name="ActivityCounts")
        self.notice = label("", name="ActivityNotice")
        self.notice.hide()

        self.buttons: dict[str, QPushButton] = {}
        self.actions = QGridLayout()
        for key, text, tone in (
            ("start", self.tr("现在开始"), "green"),
            ("end", self.tr("结束活动"), "primary"),
            ("cancel", self.tr("取消活动"), "danger"),
            ("save", self.tr("签到表存U盘"), "plain"),
            ("print", self.tr("打印签到表"), "plain"),
        ):
            b = QPushButton(text)
            b.setObjectName(f"Activity_{key}")
            b.setProperty("tone", tone)
            b.clicked.connect(lambda _=False, k=key: self.tap(k))
            self.buttons[key] = b
        self.columns = 5
        self.applies: dict[str, bool] = {}  # which buttons this activity's state offers
        self._place_actions()

        inner = QWidget()
        inner.setObjectName("AttendanceList")
        self.table = QGridLayout(inner)
        self.table.setContentsMargins(0, 0, 0, 0)
        self.table.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.row_widgets: list[QWidget] = []
        self.sign_out_buttons: dict[str, QPushButton] = {}
        scroll = QScrollArea()
        scroll.setObjectName("AttendanceScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        self.body = QVBoxLayout()
        self.body.addWidget(self.heading)
        self.body.addWidget(self.facts)
        self.body.addWidget(self.counts)
        self.body.addLayout(self.actions)
        self.body.addWidget(self.notice)
        self.body.addWidget(scroll, 1)
        self.set_body(self.body)

    def _place_actions(self, columns: int | None = None) -> None:
        """The buttons that apply, side by side, ``columns`` to a row."""
        self.columns = columns or self.columns
        for b in self.buttons.values():
            self.actions.removeWidget(b)
        shown = [b for k, b in self.buttons.items() if self.applies.get(k, True)]
        for i, b in enumerate(shown):
            self.actions.addWidget(b, *divmod(i, self.columns))

    # -- page -------------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        self._disarm()
        self.notice.hide()
        if isinstance(payload, str):
            self.refresh_requested.emit(payload)

    def leave(self) -> None:
        self._disarm()
        self.live.stop()

    def hideEvent(self, event: QHideEvent) -> None:
        self.live.stop()  # also when the whole window closes
        super().hideEvent(event)

    # -- state in ---------------------------------------------------------------------------

    def show_detail(self, detail: ActivityDetail, now: datetime, tz: tzinfo) -> None:
        self.detail = detail
        a = detail.activity
        state = a.state(now)
        self.heading.setText(f"【{a.title}】")
        host = a.host_unit or self.tr("本站")
        place = a.place or self.tr("本站")
        hours = self.tr("计志愿服务时长") if a.service_hours else self.tr("不计时长")
        self.facts.setText(
            self.tr("{kind} · {when} · 地点：{place} · 主办：{host} · {hours} · {state}").format(
                kind=kind_name(a),
                when=when_text(a, tz, now.astimezone(tz).date()),
                place=place,
                host=host,
                hours=hours,
                state=state_name(state),
            )
        )
        parts = [
            f"{category_name(Category(code))} {n}"
            for code, n in sorted(detail.by_category.items())
            if code in Category._value2member_map_
        ]
        unset = detail.by_category.get("unset")
        if unset:
            parts.append(self.tr("未分类 {n}").format(n=unset))
        self.counts.setText(
            self.tr("共 {n} 人次 · 在场 {inside} 人").format(
                n=detail.people, inside=detail.still_in
            )
            + ("  （" + "、".join(parts) + "）" if parts else "")
        )
        is_open = state in OPEN_STATES
        self.applies = {
            "start": state is ActivityState.SCHEDULED,
            "end": is_open,
            "cancel": is_open and not detail.attendances,
        }
        for key, button in self.buttons.items():
            button.setVisible(self.applies.get(key, True))
        self._place_actions()
        self._show_rows(detail.attendances, tz, is_open)

    def _show_rows(self, rows: list[AttendanceView], tz: tzinfo, is_open: bool) -> None:
        for w in self.row_widgets:
            self.table.removeWidget(w)
            w.hide()
            w.deleteLater()
        self.row_widgets, self.sign_out_buttons = [], {}
        headers = (
            self.tr("姓名"),
            self.tr("类别"),
            self.tr("签到"),
            self.tr("签退"),
            self.tr("状态"),
        )
        cells: list[list[QWidget]] = [[_cell(h, header=True) for h in headers]]
        for r in rows:
            who = r.name or self.tr("（未登记姓名）")
            if r.guest:
                who += self.tr("（来宾）")
            out = f"{r.signed_out_at.astimezone(tz):%H:%M}" if r.signed_out_at else "—"
            line: list[QWidget] = [
                _cell(who),
                _cell(category_name(r.category) if r.category else "—"),
                _cell(f"{r.signed_in_at.astimezone(tz):%H:%M}"),
                _cell(out),
            ]
            if r.signed_out_at is None and is_open:
                b = QPushButton(self.tr("签退"))
                b.setObjectName("AttendanceSignOut")
                b.setProperty("tone", "plain")
                b.clicked.connect(lambda _=False, aid=r.id: self.sign_out_requested.emit(aid))
                self.sign_out_buttons[r.id] = b
                line.append(b)
            else:
                line.append(_cell(attendance_state_name(r)))
            cells.append(line)
        if not rows:
            cells.append([_cell(self.tr("还没有人签到"))])
        for i, line in enumerate(cells):
            for j, w in enumerate(line):
                self.table.addWidget(w, i, j)
                self.row_widgets.append(w)

    def show_notice(self, text: str, ok: bool = True) -> None:
        self.notice.setText(text)
        set_role(self.notice, tone="ok" if ok else "error")
        self.notice.show()

    # -- intents ----------------------------------------------------------------------------

    def tap(self, key: str) -> None:
        if self.detail is None:
            return
        aid = self.detail.activity.id
        if key in CONFIRMING and self.armed != key:
            self._disarm()
            self.armed = key
            self.buttons[key].setText(self.tr("再点一次确认"))
            if key == "end":
                self.show_notice(self.tr("结束后，还没签退的人一起签退"), ok=False)
            else:
                self.show_notice(self.tr("取消后不能恢复"), ok=False)
            return
        self._disarm()
        if key == "save":
            volumes = self.find_volumes()
            if not volumes:
                self.show_notice(self.tr("没有找到U盘，请插好后再点"), ok=False)
                return
            self.sheet_requested.emit(aid, volumes[0][1])
        elif key == "print":
            self.sheet_requested.emit(aid, None)
        else:
            self.command_requested.emit(key, aid)
        self.show_notice(self.tr("正在处理…"))

    def _disarm(self) -> None:
        self.armed = None
        self.buttons["end"].setText(self.tr("结束活动"))
        self.buttons["cancel"].setText(self.tr("取消活动"))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(10 * scale))
        self._place_actions(3 if portrait else 5)
        self.table.setHorizontalSpacing(round(16 * scale))
        self.table.setVerticalSpacing(round(6 * scale))


def _cell(text: str, header: bool = False) -> QLabel:
    cell = QLabel(text)
    cell.setObjectName("AttendanceHeader" if header else "AttendanceCell")
    return cell


def _volumes() -> list[tuple[str, Path]]:
    from kiosk.ui.screens.keeper_export import removable_volumes

    return removable_volumes()
