"""Chart geometry for server-rendered SVG (drawn by ``templates/_charts.html``).

Why SVG from the server rather than a bundled chart library: the console needs three plain
charts (人次 per day, by station, by trade). Computing bar geometry here is ~60 lines, needs
no JavaScript (the strict Content-Security-Policy allows scripts from /console/static only
and none are needed for charts), prints, works in any browser a government office has, and
the numbers drawn are the numbers in the page, which tests read back. ECharts would add a
1 MB minified file, a licence to carry and a second rendering path to test. Labels are
passed to the template as text, so Jinja2 escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (position, label) along the value axis
    horizontal: bool


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        top = step * factor
        if top >= value:
            return top
    return value


def _fmt(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def columns(items: list[tuple[str, float]], width: int = 900, height: int = 260) -> Chart:
    """Vertical bars (one per day): labels under the axis, value above each bar."""
    left, bottom, top = 40, 40, 20
    top_value = _nice_max(max((v for _, v in items), default=0))
    plot_w, plot_h = width - left - 10, height - bottom - top
    slot = plot_w / max(len(items), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        h = plot_h * value / top_value
        bars.append(
            Bar(
                label,
                value,
                left + i * slot + slot * 0.15,
                top + plot_h - h,
                slot * 0.7,
                h,
                _fmt(value),
            )
        )
    ticks = [(top + plot_h - plot_h * f, _fmt(top_value * f)) for f in (0, 0.5, 1)]
    return Chart(width, height, bars, ticks, horizontal=False)


def rows(items: list[tuple[str, float]], width: int = 560, row_height: int = 28) -> Chart:
    """Horizontal bars (stations, trades), largest first, label left of the bar."""
    left = 150
    ordered = sorted(items, key=lambda kv: (-kv[1], kv[0]))
    top_value = _nice_max(max((v for _, v in ordered), default=0))
    plot_w = width - left - 60
    bars = [
        Bar(
            label,
            value,
            left,
            6 + i * row_height,
            plot_w * value / top_value,
            row_height - 10,
            _fmt(value),
        )
        for i, (label, value) in enumerate(ordered)
    ]
    height = max(len(ordered), 1) * row_height + 12
    return Chart(width, height, bars, [], horizontal=True)
