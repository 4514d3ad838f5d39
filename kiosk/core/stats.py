"""Figures for a day: 人次, distinct people, anonymous visits by trade, rest hours."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.checkin import Rules
from kiosk.core.results import DayFigures
from kiosk.core.verification import FORGED, REVOKED
from kiosk.store.models import Visit

REJECTED = (FORGED, REVOKED)


def day_bounds(day: date, rules: Rules) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=rules.tz)
    return start, start + timedelta(days=1)


def visits_on(session: Session, day: date) -> list[Visit]:
    start, end = day_bounds(day, Rules.load(session))
    return list(
        session.scalars(
            select(Visit)
            .where(Visit.checked_in_at >= start, Visit.checked_in_at < end)
            .order_by(Visit.checked_in_at)
        )
    )


def day_figures(session: Session, day: date) -> DayFigures:
    """A visit whose badge turned out forged (or revoked) is left out and counted apart."""
    rules = Rules.load(session)
    every = visits_on(session, day)
    visits = [v for v in every if v.verification not in REJECTED]
    rest = timedelta()
    for v in visits:
        if v.checked_out_at is not None:
            rest += min(v.checked_out_at - v.checked_in_at, rules.max_visit)
    return DayFigures(
        date=day,
        visits=len(visits),
        distinct_people=len({v.person_id for v in visits if v.person_id}),
        anonymous_by_trade=dict(Counter(v.trade or "其他" for v in visits if not v.person_id)),
        visits_by_trade=dict(Counter(v.trade or "未知" for v in visits)),
        rest_hours=round(rest.total_seconds() / 3600, 2),
        open_visits=sum(
            1 for v in visits if (v.person_id or v.badge_token) and v.checked_out_at is None
        ),
        unverified_visits=sum(1 for v in visits if v.unverified),
        rejected_visits=len(every) - len(visits),
    )
