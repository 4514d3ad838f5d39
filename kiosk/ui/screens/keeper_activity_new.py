"""活动 → 新建活动: the keeper schedules an activity at this station by touch, e.g. a lecture
that is about to begin. Today only, by taps: when it starts (现在 or in ½, 1 or 2 hours) and how
long it lasts; other days are scheduled at the hub or with ``kiosk activity add``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.activities.model import MAX_TITLE, MAX_UNIT, ActivityKind
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, label, set_role

START_OFFSETS = (0, 30, 60, 120)  # minutes from now
DURATIONS = (60, 90, 120, 180)  # minutes


class KeeperActivityNewPage(TitledPage):
    screen = Screen.KEEPER_ACTIVITY_NEW
    back_to = Screen.KEEPER_ACTIVITIES

    create_requested = Signal(object)
    """dict(title, kind, host_unit, service_hours, start_in, minutes): create it (and start it
    now when ``start_in`` is 0)."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("新建活动"), parent)
        self.setObjectName("KeeperActivityNewScreen")
        self.busy = False
        self.title_field = QLineEdit()
        self.title_field.setObjectName("ActivityTitleField")
        self.title_field.setPlaceholderText(self.tr("活动名称（必填），如：安全生产宣讲"))
        self.title_field.setMaxLength(MAX_TITLE)
        self.title_field.setInputMethodHints(Qt.InputMethodHint.ImhNone)
        self.host = QLineEdit()
        self.host.setObjectName("ActivityHostField")
        self.host.setPlaceholderText(self.tr("主办单位（选填）"))
        self.host.setMaxLength(MAX_UNIT)
        self.host.setInputMethodHints(Qt.InputMethodHint.ImhNone)

        self.kinds = self._choices(
            [(k, QCoreApplication.translate("ActivityKind", k.label)) for k in ActivityKind],
            "Kind",
        )
        self.starts = self._choices(
            [(0, self.tr("现在开始"))]
            + [(m, self.tr("{h}后").format(h=_span(m))) for m in START_OFFSETS[1:]],
            "Start",
        )
        self.durations = self._choices([(m, _span(m)) for m in DURATIONS], "Minutes")
        self.hours = QPushButton(self.tr("计志愿服务时长"))
        self.hours.setObjectName("ServiceHours")
        self.hours.setProperty("role", "choice")
        self.hours.setCheckable(True)
        self._check(self.kinds, ActivityKind.LECTURE)
        self._check(self.starts, 0)
        self._check(self.durations, 60)

        self.error = label("", name="FormError")
        self.error.hide()
        self.submit = QPushButton(self.tr("创建活动"))
        self.submit.setObjectName("CreateActivity")
        self.submit.setProperty("tone", "green")
        self.submit.clicked.connect(self.send)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addWidget(self.submit)

        grid = QGridLayout()
        rows = (
            (self.tr("名称"), [self.title_field]),
            (self.tr("类型"), list(self.kinds[1].values())),
            (self.tr("开始"), list(self.starts[1].values())),
            (self.tr("时长"), list(self.durations[1].values())),
            (self.tr("主办"), [self.host, self.hours]),
        )
        self.rows: list[ResponsiveGrid] = []
        for i, (name, widgets) in enumerate(rows):
            grid.addWidget(label(name, role="body"), i, 0)
            row = ResponsiveGrid(widgets, columns=len(widgets))
            self.rows.append(row)
            grid.addWidget(row, i, 1)
        grid.setColumnStretch(1, 1)
        self.grid = grid
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.addLayout(grid)
        self.body.addStretch(1)
        self.body.addLayout(bottom)
        self.set_body(body)

    def _choices(self, items: list[tuple[Any, str]], name: str):
        group = QButtonGroup(self)
        buttons: dict[Any, QPushButton] = {}
        for value, text in items:
            b = QPushButton(text)
            b.setObjectName(f"{name}_{value}")
            b.setProperty("role", "choice")
            b.setCheckable(True)
            group.addButton(b)
            buttons[value] = b
        return group, buttons

    @staticmethod
    def _check(choices, value: Any) -> None:
        choices[1][value].setChecked(True)

    @staticmethod
    def _chosen(choices) -> Any:
        return next(v for v, b in choices[1].items() if b.isChecked())

    def send(self) -> None:
        if self.busy:
            return
        title = " ".join(self.title_field.text().split())
        if not title:
            self.show_error(self.tr("请填写活动名称"))
            self.title_field.setFocus()
            return
        self.busy = True
        self.submit.setEnabled(False)
        self.submit.setText(self.tr("正在保存…"))
        self.error.hide()
        self.create_requested.emit(
            {
                "title": title,
                "kind": self._chosen(self.kinds),
                "host_unit": " ".join(self.host.text().split()) or None,
                "service_hours": self.hours.isChecked(),
                "start_in": self._chosen(self.starts),
                "minutes": self._chosen(self.durations),
            }
        )

    def show_error(self, text: str) -> None:
        self.busy = False
        self.submit.setEnabled(True)
        self.submit.setText(self.tr("创建活动"))
        self.error.setText(text)
        set_role(self.error, tone="error")
        self.error.show()

    def enter(self, payload: Any = None) -> None:
        self.busy = False
        self.submit.setEnabled(True)
        self.submit.setText(self.tr("创建活动"))
        self.error.hide()
        self.title_field.clear()
        self.host.clear()
        self.hours.setChecked(False)
        self._check(self.kinds, ActivityKind.LECTURE)
        self._check(self.starts, 0)
        self._check(self.durations, 60)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.grid.setSpacing(round(12 * scale))
        for row in self.rows:
            n = len(row.widgets())
            row.set_columns(min(n, 3) if portrait and n > 2 else n)
            row.set_spacing(round(10 * scale))


def _span(minutes: int) -> str:
    translate = QCoreApplication.translate
    if minutes < 60:
        return translate("KeeperActivityNewPage", "{m}分钟").format(m=minutes)
    hours = minutes / 60 if minutes % 60 else minutes // 60
    return translate("KeeperActivityNewPage", "{h}小时").format(h=hours)
