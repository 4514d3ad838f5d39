"""Activity benchmarks: the hub's year report over a city, and a sign-in tap at a station.

Run: ``python -m kiosk.bench.activities [--pg URL] [--stations 100] [--visits-per-day 20]``.

*Year report*: a hub database (PostgreSQL with ``--pg`` or ``$KIOSK_TEST_POSTGRES_URL``, else
SQLite in a temporary folder) filled directly with a year of a city: N stations, each month
one 组织生活 and four other activities (one of them volunteer service with hours) of 30
attendees from the station's 200 people (one in ten a guest, everyone else with a category);
hours confirmed for most attendances of hour-crediting activities, some forgotten sign-outs
left pending; and rest visits (``--visits-per-day`` a station, one in three by someone who
then joins that day's activity). Figure: ``hub.activities.report`` for the year, best and
median of 5 runs after one warm-up.

*Tap*: a real station (``StationService`` on a temporary SQLite file): 200 badge sign-ins and
200 sign-outs at one activity through ``StationService.activity_scan``; each figure is the
time from the call to its return, which is after COMMIT (fsync).

*Screen tap*: the same at the touchscreen (``kiosk/bench/activity_taps.py``): the tap on the
greeting's 参加【title】 / 签退【title】 button → committed → the headline repainted with the
outcome (``--screen-people`` people, each signing in then out; ``--skip-screen`` to skip).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PG_ENV = "KIOSK_TEST_POSTGRES_URL"
TZ = ZoneInfo("Asia/Shanghai")
CATEGORIES = ("station-member", "mobile-member", "new-sector-member", "office-member",
              "community-member", "public", "volunteer", "partner-unit")  # fmt: skip
KINDS = ("lecture", "volunteer", "meeting", "other")
REPORT_TARGET = 1.0  # seconds
TAP_TARGET = 100.0  # ms, p95


def _fresh_pg(base: str) -> str:
    """A new database on the server ``base`` names (dropped by nobody: a benchmark's)."""
    from sqlalchemy import create_engine, text

    name = f"kiosk_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def fill(db_url: str, stations: int, visits_per_day: int, year: int) -> dict[str, int]:
    from sqlalchemy import insert

    from kiosk.hub.db import open_hub_database
    from kiosk.hub.models import (
        HubActivity,
        HubAttendance,
        HubHoursDecision,
        HubPerson,
        HubStation,
        HubVisit,
    )

    rng = random.Random(14)
    db = open_hub_database(db_url)
    now = datetime.now(UTC)
    counts = dict.fromkeys(("activities", "attendances", "decisions", "visits"), 0)
    try:
        with db.write() as s:
            for n in range(stations):
                st = str(uuid.UUID(int=n + 1))
                people = [str(uuid.uuid4()) for _ in range(200)]
                s.execute(insert(HubStation), [{"id": st, "name": f"驿站{n}", "created_at": now}])
                s.execute(insert(HubPerson), [
                    {"id": p, "name": f"人{i}", "trade": "环卫", "party_member": False,
                     "active": True, "category": rng.choice(CATEGORIES), "updated_at": now}
                    for i, p in enumerate(people)
                ])  # fmt: skip
                acts, atts, visits = [], [], []
                for month in range(1, 13):
                    for k, kind in enumerate(("organization-life", *KINDS)):
                        day = datetime(year, month, 3 + 5 * k, 9, tzinfo=TZ).astimezone(UTC)
                        aid = str(uuid.uuid4())
                        hours = kind == "volunteer"
                        acts.append({"id": aid, "kind": kind, "title": f"{kind}{month}",
                                     "start_at": day, "end_at": day + timedelta(hours=2),
                                     "signin_opens_at": day - timedelta(hours=1),
                                     "service_hours": hours, "created_by": "keeper",
                                     "origin_station_id": st, "station_ids": [st],
                                     "state": "ended", "updated_at": now})  # fmt: skip
                        for who in rng.sample(people, 30):
                            guest = rng.random() < 0.1
                            forgot = rng.random() < 0.05
                            atts.append({
                                "station_id": st, "attendance_id": str(uuid.uuid4()),
                                "activity_id": aid, "person_id": None if guest else who,
                                "guest_name": "来宾" if guest else None,
                                "category": rng.choice(CATEGORIES), "method": "camera",
                                "signed_in_at": day - timedelta(minutes=rng.randint(0, 20)),
                                "signed_out_at": day + timedelta(hours=2),
                                "credited_minutes": 0 if forgot or not hours else 120,
                                "station_state": "pending" if hours and not guest
                                else "signed_out",
                                "review_reason": "no_sign_out" if forgot else None,
                                "overlap": False, "first_at_activity": True,
                                "during_visit": (resting := rng.random() < 0.33) and not guest,
                            })  # fmt: skip
                            if resting:
                                visits.append({"station_id": st, "visit_id": str(uuid.uuid4()),
                                               "person_id": who,
                                               "checked_in_at": day - timedelta(minutes=30),
                                               "checked_out_at": day + timedelta(hours=3),
                                               "verification": "station"})  # fmt: skip
                start = datetime(year, 1, 1, 8, tzinfo=TZ).astimezone(UTC)
                for d in range(365):
                    for _ in range(visits_per_day):
                        at = start + timedelta(days=d, minutes=rng.randint(0, 600))
                        visits.append({"station_id": st, "visit_id": str(uuid.uuid4()),
                                       "person_id": rng.choice(people), "checked_in_at": at,
                                       "checked_out_at": at + timedelta(minutes=30),
                                       "verification": "station"})  # fmt: skip
                s.execute(insert(HubActivity), acts)
                s.execute(insert(HubAttendance), atts)
                s.execute(insert(HubVisit), visits)
                counts["activities"] += len(acts)
                counts["attendances"] += len(atts)
                counts["visits"] += len(visits)
        with db.write() as s:  # confirm most pending hours, as reviewers would
            from sqlalchemy import select, update

            rows = s.execute(
                select(HubAttendance.id, HubAttendance.credited_minutes).where(
                    HubAttendance.station_state == "pending",
                    HubAttendance.review_reason.is_(None),
                )
            ).all()
            decisions = [
                {"attendance_pk": pk, "decision": "confirmed", "minutes": minutes,
                 "decided_by": "审核员", "decided_at": now}
                for pk, minutes in rows if rng.random() < 0.9
            ]  # fmt: skip
            if decisions:
                s.execute(insert(HubHoursDecision), decisions)
                s.execute(  # the copy of the newest decision the review writes with it
                    update(HubAttendance)
                    .where(HubAttendance.id.in_([d["attendance_pk"] for d in decisions]))
                    .values(decision="confirmed", decided_minutes=HubAttendance.credited_minutes)
                )
            counts["decisions"] = len(decisions)
    finally:
        db.close()
    return counts


def time_report(db_url: str, year: int, runs: int = 5) -> list[float]:
    from kiosk.hub.activities import report as activities
    from kiosk.hub.db import open_hub_database

    db = open_hub_database(db_url)
    try:
        period = activities.Period.year(year, TZ)
        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            with db.read() as s:
                activities.report(s, period)
            times.append(time.perf_counter() - started)
        return times[1:]
    finally:
        db.close()


def time_taps(folder: Path, people: int = 200) -> list[float]:
    from kiosk.core.activities.model import ActivityKind
    from kiosk.core.checkin import Method
    from kiosk.core.clock import ManualClock
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths

    clock = ManualClock(datetime.now(UTC))
    station = StationService(StationPaths(folder), clock=clock)
    try:
        station.init("基准驿站")
        tokens = []
        for i in range(people):
            person = station.add_person(name=f"张{i}", trade="环卫", category="志愿者")
            tokens.append(station.issue_badge(person.id).token)
        activity = station.add_activity(
            kind=ActivityKind.VOLUNTEER, title="基准", start=clock.now(),
            end=clock.now() + timedelta(hours=3), service_hours=True,
        ).id  # fmt: skip
        times = []
        for round_ in range(2):  # sign in, then (after the guard) sign out
            clock.advance(minutes=30 * (round_ + 1))
            for token in tokens:
                started = time.perf_counter()
                station.activity_scan(activity, token, Method.CAMERA)
                times.append((time.perf_counter() - started) * 1000)
        return times
    finally:
        station.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.activities", description=__doc__)
    ap.add_argument("--pg", default=os.environ.get(PG_ENV), metavar="URL")
    ap.add_argument("--stations", type=int, default=100)
    ap.add_argument("--visits-per-day", type=int, default=20)
    ap.add_argument("--year", type=int, default=2027)
    ap.add_argument("--skip-report", action="store_true")
    ap.add_argument("--skip-taps", action="store_true", help="no station taps at all")
    ap.add_argument("--db", metavar="URL", help="an already filled hub database (no fill)")
    ap.add_argument("--skip-screen", action="store_true")
    ap.add_argument("--screen-people", type=int, default=60)
    args = ap.parse_args(argv)
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_report:
            url = args.db or (
                _fresh_pg(args.pg) if args.pg else f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
            )
            engine = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
            if not args.db:
                started = time.perf_counter()
                counts = fill(url, args.stations, args.visits_per_day, args.year)
                print(f"filled {engine} in {time.perf_counter() - started:.0f} s: {counts}")
                print(f"database: {url}")
            times = time_report(url, args.year)
            best, median = min(times), statistics.median(times)
            ok = median <= REPORT_TARGET
            status |= 0 if ok else 1
            print(f"year report ({engine}, {args.stations} stations): best {best * 1000:.0f} ms, "
                  f"median {median * 1000:.0f} ms (target ≤ {REPORT_TARGET * 1000:.0f} ms)"
                  f"{'' if ok else '  MISSED'}")  # fmt: skip
        if args.skip_taps:
            return status
        status |= _report_taps("activity scan → committed", time_taps(Path(tmp) / "station"))
        if not args.skip_screen:
            from kiosk.bench.activity_taps import time_screen_taps

            screen = time_screen_taps(Path(tmp) / "screen", args.screen_people)
            status |= _report_taps("参加/签退 tap → committed → screen repainted", screen)
    return status


def _report_taps(what: str, times: list[float]) -> int:
    taps = sorted(times)
    p50 = taps[len(taps) // 2]
    p95 = taps[int(len(taps) * 0.95) - 1]
    ok = p95 <= TAP_TARGET
    verdict = "" if ok else "  MISSED"
    print(
        f"{what} ({len(taps)} taps): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {taps[-1]:.1f} ms (target p95 ≤ {TAP_TARGET:.0f} ms){verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
