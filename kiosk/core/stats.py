"""Figures for a day or a period: 人次, distinct people, by trade, rest hours, study.

One set of counting rules (:func:`_count`) serves ``kiosk stats`` for a day, ``kiosk stats
--month``/``--from``/``--to`` and the keeper's 统计 screen, so their figures are equal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kiosk.core.checkin import Rules
from kiosk.core.results import DayFigures  # re-exported
from kiosk.core.verification import FORGED, REVOKED
from kiosk.store.models import QuizAttempt, StudySession, Visit

REJECTED = (FORGED, REVOKED)


def day_bounds(day: date, rules: Rules) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=rules.tz)
    return start, start + timedelta(days=1)


def period_bounds(first: date, last: date, rules: Rules) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last`` (inclusive), station time."""
    return day_bounds(first, rules)[0], day_bounds(last, rules)[1]


def visits_on(session: Session, day: date) -> list[Visit]:
    return visits_between(session, day, day)


def visits_between(session: Session, first: date, last: date) -> list[Visit]:
    start, end = period_bounds(first, last, Rules.load(session))
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.checked_in_at >= start, Visit.checked_in_at < end)
            .order_by(Visit.checked_in_at)
        )
    )


def _count(every: Sequence[Visit], rules: Rules) -> dict[str, Any]:
    """The counting rules. A visit whose badge turned out forged (or revoked) is left out
    and counted apart; rest is capped per visit at ``checkin.max_visit_hours``."""
    visits = [v for v in every if v.verification not in REJECTED]
    rest = timedelta()
    for v in visits:
        if v.checked_out_at is not None:
            rest += min(v.checked_out_at - v.checked_in_at, rules.max_visit)
    return {
        "visits": len(visits),
        "distinct_people": len({v.person_id for v in visits if v.person_id}),
        "anonymous_by_trade": dict(Counter(v.trade or "其他" for v in visits if not v.person_id)),
        "visits_by_trade": dict(Counter(v.trade or "未知" for v in visits)),
        "rest_hours": round(rest.total_seconds() / 3600, 2),
        "open_visits": sum(
            1 for v in visits if (v.person_id or v.badge_token) and v.checked_out_at is None
        ),
        "unverified_visits": sum(1 for v in visits if v.unverified),
        "rejected_visits": len(every) - len(visits),
    }


def day_figures(session: Session, day: date) -> DayFigures:
    return DayFigures(date=day, **_count(visits_on(session, day), Rules.load(session)))


@dataclass(frozen=True)
class PeriodFigures:
    """A period's totals (people counted once over the whole period) and each day's figures."""

    first: date
    last: date
    visits: int
    distinct_people: int
    visits_by_trade: dict[str, int]
    anonymous_by_trade: dict[str, int]
    rest_hours: float
    open_visits: int
    unverified_visits: int
    rejected_visits: int
    study_hours: float
    study_sessions: int
    quiz_attempts: int
    quiz_passes: int
    days: list[DayFigures] = field(default_factory=list)


def period_figures(session: Session, first: date, last: date) -> PeriodFigures:
    """``first``..``last`` inclusive; every day of it is in ``days`` (zero when empty)."""
    if last < first:
        raise ValueError("the period ends before it starts")
    rules = Rules.load(session)
    every = visits_between(session, first, last)
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for v in every:
        by_day[v.checked_in_at.astimezone(rules.tz).date()].append(v)
    days = [
        DayFigures(date=first + timedelta(n), **_count(by_day.get(first + timedelta(n), []), rules))
        for n in range((last - first).days + 1)
    ]
    start, end = period_bounds(first, last, rules)
    seconds, sessions = session.execute(
        select(func.coalesce(func.sum(StudySession.seconds), 0), func.count(StudySession.id)).where(
            StudySession.started_at >= start, StudySession.started_at < end
        )
    ).one()
    attempts, passes = session.execute(
        select(
            func.count(QuizAttempt.id),
            func.coalesce(func.sum(case((QuizAttempt.passed, 1), else_=0)), 0),
        ).where(QuizAttempt.attempted_at >= start, QuizAttempt.attempted_at < end)
    ).one()
    return PeriodFigures(
        first=first,
        last=last,
        **_count(every, rules),
        study_hours=round(int(seconds) / 3600, 2),
        study_sessions=int(sessions),
        quiz_attempts=int(attempts),
        quiz_passes=int(passes),
        days=days,
    )
