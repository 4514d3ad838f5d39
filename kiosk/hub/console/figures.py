"""The console's figures, all from :mod:`kiosk.hub.stats` (the functions ``kiosk-hub stats``
calls), so a figure here is the figure the command prints for the same days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from kiosk.hub.console.web import TZ
from kiosk.hub.stats import Figures, hub_stats, study_stats


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Summary:
    period: Period
    visits: int
    people: int
    rest_hours: float
    study_hours: float


def periods(today: date) -> list[Period]:
    return [
        Period("today", "今日", today, today),
        Period("week", "本周", today - timedelta(days=today.weekday()), today),
        Period("month", "本月", today.replace(day=1), today),
    ]


def overview(
    session: Session, today: date, days: int, stations: frozenset[str] | None
) -> tuple[list[Summary], list[tuple[date, int]]]:
    """Today, this week and this month, and 人次 per day over ``days`` days, from ONE pass
    of :func:`hub_stats` over the span covering them all: a visit belongs to exactly one
    local day, so a period's figures are its days' figures added up (people as a union),
    which is what ``hub_stats`` returns for that period."""
    spans = periods(today)
    first = min(today - timedelta(days=days - 1), *(p.start for p in spans))
    by_day = hub_stats(session, first, today, TZ, stations=stations).by_day
    summaries = []
    for period in spans:
        total = Figures()
        for day, fig in by_day.items():
            if period.start <= day <= period.end:
                total.visits += fig.visits
                total.people |= fig.people
                total.rest_seconds += fig.rest_seconds
                total.overlapping += fig.overlapping
        visits = total.record()
        study = study_stats(session, period.start, period.end, TZ, stations).overall.record()
        summaries.append(
            Summary(
                period,
                int(visits["visits"]),  # type: ignore[call-overload]
                int(visits["distinct_people"]),  # type: ignore[call-overload]
                float(visits["rest_hours"]),  # type: ignore[arg-type]
                float(study["study_hours"]),  # type: ignore[arg-type]
            )
        )
    start = today - timedelta(days=days - 1)
    chart = []
    for i in range(days):
        day = start + timedelta(days=i)
        chart.append((day, by_day[day].visits if day in by_day else 0))
    return summaries, chart


@dataclass(frozen=True)
class Breakdown:
    key: str
    visits: int
    people: int
    rest_hours: float


def breakdown(
    session: Session, period: Period, stations: frozenset[str] | None
) -> tuple[list[Breakdown], list[Breakdown]]:
    """By station (name) and by trade for the period, largest first."""
    result = hub_stats(session, period.start, period.end, TZ, stations=stations)

    def rows(groups: dict[str, object]) -> list[Breakdown]:
        out = []
        for key, fig in groups.items():
            r = fig.record()  # type: ignore[attr-defined]
            out.append(Breakdown(key, r["visits"], r["distinct_people"], r["rest_hours"]))
        return sorted(out, key=lambda b: (-b.visits, b.key))

    return rows(result.by_station), rows(result.by_trade)  # type: ignore[arg-type]
