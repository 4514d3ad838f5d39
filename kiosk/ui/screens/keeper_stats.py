"""管理 → 统计: the station's figures for today, this week, this month or a chosen month.

The figures are ``StationService.period_figures`` (``core/stats.py``), the same rules as
``kiosk stats --month``: 人次, distinct people, rest hours, study hours, quiz passes, 人次 by
trade, and a QtCharts bar chart of 人次 per day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.style import PALETTE
from kiosk.ui.widgets import ResponsiveGrid, label

PERIODS = ("today", "week", "month")


def shift_month(month: date, by: int) -> date:
    n = month.year * 12 + month.month - 1 + by
    return date(n // 12, n % 12 + 1, 1)


class KeeperStatsPage(TitledPage):
    screen = Screen.KEEPER_STATS
    back_to = Screen.KEEPER

    figures_requested = Signal(object)
    """("today" | "week" | "month") or a date: the first day of a chosen month."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("统计"), parent)
        self.today_fn = date.today  # the flow sets the station's day (its clock and zone)
        self.today = self.today_fn()
        self.choice: str | date = "today"

        self.period_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        periods = QHBoxLayout()
        for key, text in zip(
            PERIODS, (self.tr("今天"), self.tr("本周"), self.tr("本月")), strict=True
        ):
            b = QPushButton(text)
            b.setObjectName(f"Stats_{key}")
            b.setCheckable(True)
            b.setProperty("role", "choice")
            b.clicked.connect(lambda _=False, k=key: self.choose(k))
            group.addButton(b)
            self.period_buttons[key] = b
            periods.addWidget(b, 1)
        self.prev_month = QPushButton("‹")
        self.prev_month.setObjectName("Stats_PrevMonth")
        self.prev_month.setProperty("role", "choice")
        self.prev_month.clicked.connect(lambda: self._step_month(-1))
        self.month_label = label("", role="body", name="StatsMonth")
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_month = QPushButton("›")
        self.next_month.setObjectName("Stats_NextMonth")
        self.next_month.setProperty("role", "choice")
        self.next_month.clicked.connect(lambda: self._step_month(+1))
        stepper = QHBoxLayout()
        stepper.addWidget(self.prev_month)
        stepper.addWidget(self.month_label, 1)
        stepper.addWidget(self.next_month)
        # One row on a landscape screen; the month stepper under the periods in portrait.
        self.choosers = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.choosers.addLayout(periods, 3)
        self.choosers.addLayout(stepper, 2)

        self.values: dict[str, Any] = {}
        boxes = []
        for key, text in (
            ("visits", self.tr("人次")),
            ("people", self.tr("人数")),
            ("rest", self.tr("休息小时")),
            ("study", self.tr("学习小时")),
            ("quiz", self.tr("测验通过")),
        ):
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            value = label("0", role="h1", name=f"StatsValue_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setWordWrap(False)
            name = label(text, role="muted")
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name.setWordWrap(False)
            col.addWidget(value)
            col.addWidget(name)
            boxes.append(box)
            self.values[key] = value
        self.figure_grid = ResponsiveGrid(boxes, columns=3)
        self.by_trade = label("", role="body", name="StatsByTrade")

        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setBackgroundRoundness(0)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.series = QBarSeries()
        self.chart.addSeries(self.series)
        self.axis_x = QBarCategoryAxis()
        self.axis_y = QValueAxis()
        self.axis_y.setLabelFormat("%d")
        self.chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.axis_x)
        self.series.attachAxis(self.axis_y)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("StatsChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)

        self.body = QVBoxLayout()
        self.body.addLayout(self.choosers)
        self.content = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        side = QWidget()
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.addWidget(self.figure_grid)
        side_col.addWidget(self.by_trade)
        side_col.addStretch(1)
        self.content.addWidget(side, 1)
        self.content.addWidget(self.chart_view, 1)
        self.side = side
        self.body.addLayout(self.content, 1)
        self.set_body(self.body)
        self.figures: Any = None

    # -- choosing ---------------------------------------------------------------------------

    def choose(self, choice: str | date) -> None:
        self.choice = choice
        for key, b in self.period_buttons.items():
            b.setChecked(key == choice)
        month = choice if isinstance(choice, date) else self.today.replace(day=1)
        self.month_label.setText(self.tr("{y}年{m}月").format(y=month.year, m=month.month))
        self.next_month.setEnabled(month < self.today.replace(day=1))
        self.figures_requested.emit(choice)

    def _step_month(self, by: int) -> None:
        current = self.choice if isinstance(self.choice, date) else self.today.replace(day=1)
        self.choose(shift_month(current, by))

    def enter(self, payload: Any = None) -> None:
        self.today = self.today_fn()
        self.choose(payload or "today")

    # -- showing ----------------------------------------------------------------------------

    def show_figures(self, fig: Any) -> None:
        """A ``PeriodFigures``: the numbers, 人次 by trade and the per-day chart."""
        self.figures = fig
        self.values["visits"].setText(str(fig.visits))
        self.values["people"].setText(str(fig.distinct_people))
        self.values["rest"].setText(f"{fig.rest_hours:.1f}".removesuffix(".0"))
        self.values["study"].setText(f"{fig.study_hours:.1f}".removesuffix(".0"))
        self.values["quiz"].setText(str(fig.quiz_passes))
        trades = sorted(fig.visits_by_trade.items(), key=lambda kv: -kv[1])
        self.by_trade.setText(
            self.tr("按工种：") + ("　".join(f"{k} {v}" for k, v in trades) or self.tr("无"))
        )
        self.series.clear()
        bars = QBarSet(self.tr("人次"))
        bars.setColor(QColor(PALETTE["primary"]))
        days = fig.days
        categories = []
        sparse = len(days) > 12  # a month: every fifth day named, the others blank
        for i, d in enumerate(days):
            bars.append(d.visits)
            named = not sparse or d.date.day == 1 or d.date.day % 5 == 0
            # Categories must be unique: a blank one is i zero-width spaces.
            categories.append(str(d.date.day) if named else "\u200b" * (i + 1))
        self.series.append(bars)
        # QtCharts elides two-digit labels under a month's 30 narrow columns (even upright):
        # a month names its first and last day in the chart's title instead.
        self.axis_x.setLabelsVisible(not sparse)
        self.chart.setTitle(
            self.tr("每天人次（{first} 至 {last}）").format(
                first=days[0].date.strftime("%m-%d"), last=days[-1].date.strftime("%m-%d")
            )
            if sparse
            else self.tr("每天人次")
        )
        self.axis_x.setCategories(categories)
        top = max((d.visits for d in days), default=0)
        self.axis_y.setRange(0, max(5, top + (top // 10) + 1))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(16 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(12 * scale))
        self.content.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self.choosers.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self.content.setStretch(0, 0 if portrait else 2)  # portrait: the chart takes the rest
        self.content.setStretch(1, 1 if portrait else 3)
        self.figure_grid.set_columns(3)  # five big numbers in a row outgrow 800 px
        self.figure_grid.set_spacing(round(8 * scale))
        font = QFont(self.font())
        font.setPixelSize(max(10, round(13 * scale)))  # 30 days must fit under the bars
        self.axis_x.setLabelsFont(font)
        self.axis_y.setLabelsFont(font)
        title = QFont(self.font())
        title.setPixelSize(max(14, round(20 * scale)))
        self.chart.setTitleFont(title)
        self.month_label.setMinimumWidth(round(150 * scale))
