"""The console's figures, all from :mod:`kiosk.hub.stats` (the functions ``kiosk-hub stats``
calls), so a figure here is the figure the command prints for the same days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from kiosk.hub.console.web import TZ
from kiosk.hub.stats import hub_stats, study_stats


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


def summary(session: Session, period: Period, stations: frozenset[str] | None) -> Summary:
    visits = hub_stats(session, period.start, period.end, TZ, stations).overall.record()
    study = study_stats(session, period.start, period.end, TZ, stations).overall.record()
    return Summary(
        period,
        int(visits["visits"]),  # type: ignore[call-overload]
        int(visits["distinct_people"]),  # type: ignore[call-overload]
        float(visits["rest_hours"]),  # type: ignore[arg-type]
        float(study["study_hours"]),  # type: ignore[arg-type]
    )


def per_day(
    session: Session, today: date, days: int, stations: frozenset[str] | None
) -> list[tuple[date, int]]:
    start = today - timedelta(days=days - 1)
    by_day = hub_stats(session, start, today, TZ, stations).by_day
    return [
        (start + timedelta(days=i), by_day[start + timedelta(days=i)].visits)
        if (start + timedelta(days=i)) in by_day
        else (start + timedelta(days=i), 0)
        for i in range(days)
    ]


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
    result = hub_stats(session, period.start, period.end, TZ, stations)

    def rows(groups: dict[str, object]) -> list[Breakdown]:
        out = []
        for key, fig in groups.items():
            r = fig.record()  # type: ignore[attr-defined]
            out.append(Breakdown(key, r["visits"], r["distinct_people"], r["rest_hours"]))
        return sorted(out, key=lambda b: (-b.visits, b.key))

    return rows(result.by_station), rows(result.by_trade)  # type: ignore[arg-type]
