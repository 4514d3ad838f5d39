"""统计's month figures (issue 15) against an independent count and against ``kiosk stats``.

``core/stats.py`` reads the visits' instants as stored text for speed; here the same month is
counted the slow, obvious way from ORM objects (tz-aware instants, each visit's local day), and
``kiosk stats --month``/``--date`` are run in-process on the same file: all must agree.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from kiosk.app import main
from kiosk.core.checkin import Rules
from kiosk.core.keeper import month_days
from kiosk.core.verification import FORGED, REVOKED
from kiosk.store.models import Visit


def _visit(person_id, trade, cin, cout, **extra) -> dict:
    return dict(
        id=str(uuid.uuid4()),
        person_id=person_id,
        trade=trade,
        method="camera",
        checked_in_at=cin,
        checked_out_at=cout,
        auto_closed=False,
        unverified=extra.get("unverified", False),
        badge_token=extra.get("badge_token"),  # every row has every key (one executemany)
        verification=extra.get("verification"),
    )


@pytest.fixture
def busy_month(station, clock):
    """Last month: visits at the edges of local days, long and open ones, anonymous trade
    taps, forged and revoked badges, unverified scans."""
    people = [station.add_person(name=f"测试{i}", trade="环卫").id for i in range(5)]
    today = station.today()
    first, last = month_days(today.replace(day=1) - timedelta(days=1))

    def write(s, _now):
        tz = Rules.load(s).tz
        rows = []
        for n in range((last - first).days + 1):
            midnight = datetime.combine(first + timedelta(days=n), time.min, tzinfo=tz)
            pid = people[n % 5]
            rows += [
                _visit(pid, "环卫", midnight, midnight + timedelta(minutes=30)),
                _visit(pid, "环卫", midnight - timedelta(microseconds=1), None),  # the day before
                _visit(people[(n + 1) % 5], "绿化", midnight + timedelta(hours=9), None),
                _visit(pid, "环卫", midnight + timedelta(hours=10), midnight + timedelta(hours=23)),
                _visit(None, "快递外卖", midnight + timedelta(hours=12), None),
                _visit(None, None, midnight + timedelta(hours=13), None),
                _visit(pid, None, midnight + timedelta(hours=14, seconds=7), None, unverified=True),
                _visit(
                    None,
                    "环卫",
                    midnight + timedelta(hours=15),
                    midnight + timedelta(hours=16),
                    badge_token="t" + str(n),
                    verification=FORGED if n % 2 else REVOKED,
                ),
            ]
        s.execute(Visit.__table__.insert(), rows)

    station._write(write)
    return first, last


def _oracle(station, first, last) -> dict:
    """The counting rules written out again, one ORM visit at a time (aware instants)."""
    with station.db.read() as s:
        rules = Rules.load(s)
        visits = list(s.scalars(select(Visit)))
    start = datetime.combine(first, time.min, tzinfo=rules.tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=rules.tz)
    days: dict = {}
    total = Counter()
    people, by_trade, rest = set(), Counter(), timedelta()
    for v in visits:
        if not start <= v.checked_in_at < end:
            continue
        day = v.checked_in_at.astimezone(rules.tz).date()
        if v.verification in (FORGED, REVOKED):
            total["rejected"] += 1
            continue
        days[day] = days.get(day, 0) + 1
        total["visits"] += 1
        by_trade[v.trade or "未知"] += 1
        if v.person_id:
            people.add(v.person_id)
        if v.checked_out_at is not None:
            rest += min(v.checked_out_at - v.checked_in_at, rules.max_visit)
        elif v.person_id or v.badge_token:
            total["open"] += 1
        total["unverified"] += bool(v.unverified)
    return {
        "visits": total["visits"],
        "distinct_people": len(people),
        "visits_by_trade": dict(by_trade),
        "rest_hours": round(rest.total_seconds() / 3600, 2),
        "open_visits": total["open"],
        "unverified_visits": total["unverified"],
        "rejected_visits": total["rejected"],
        "per_day": days,
    }


def test_month_figures_equal_an_independent_count(station, busy_month) -> None:
    first, last = busy_month
    fig = station.period_figures(first, last)
    want = _oracle(station, first, last)
    assert fig.visits == want["visits"] == 7 * ((last - first).days + 1) - 1
    assert {d.date: d.visits for d in fig.days if d.visits} == want["per_day"]
    for key in (
        "distinct_people",
        "visits_by_trade",
        "rest_hours",
        "open_visits",
        "unverified_visits",
        "rejected_visits",
    ):
        assert getattr(fig, key) == want[key], key
    assert fig.rest_hours > 0 and fig.rejected_visits == (last - first).days + 1


def test_month_figures_equal_kiosk_stats(station, station_dir, busy_month, capsys) -> None:
    first, last = busy_month
    station.close_stale_visits()  # as ``kiosk stats`` does first (the screen's housekeeping)
    fig = station.period_figures(first, last)
    assert fig.open_visits == 0 and fig.rest_hours > 300
    station.close()

    def kiosk(*argv: str) -> dict:
        capsys.readouterr()
        assert main(["--data-dir", str(station_dir), "--json", "stats", *argv]) == 0
        return json.loads(capsys.readouterr().out.splitlines()[-1])

    month = kiosk("--month", f"{first:%Y-%m}")
    assert month["visits"] == fig.visits and month["rest_hours"] == fig.rest_hours
    assert month["distinct_people"] == fig.distinct_people
    assert month["visits_by_trade"] == fig.visits_by_trade
    for day in (fig.days[0], fig.days[14], fig.days[-1]):
        one = kiosk("--date", day.date.isoformat())
        assert (one["visits"], one["rest_hours"], one["open_visits"]) == (
            day.visits,
            day.rest_hours,
            day.open_visits,
        )
