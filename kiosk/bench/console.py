"""Console benchmark: how long the 总览 and a station page take on a city's visits.

Run: ``python -m kiosk.bench.console [--stations 100] [--visits 200000] [--days 60] [--pg URL]``.

A fresh hub database gets ``--stations`` stations and ``--visits`` projected visits (rows of
``hub_visits`` written directly, spread over the last ``--days`` days, 2,000 people, one in
five anonymous trade visits), then an admin logs in through the real app (FastAPI's
TestClient, in process) and each page is fetched ``--repeat`` times. Figures come from
``kiosk.hub.stats`` on every request (no rollups yet), so this is the cost a rollup removes.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

TRADES = ["环卫", "市政", "绿化", "河道", "停车", "执法"]


def _fill(db, stations: int, visits: int, days: int, now: datetime) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from kiosk.hub import stations as hub_stations
    from kiosk.hub.models import HubPerson, HubVisit

    rng = random.Random(13)
    with db.write() as s:
        ids = [hub_stations.add_station(s, f"驿站{i:03d}", now)[0].id for i in range(stations)]
    people = [str(uuid.uuid4()) for _ in range(2000)]
    with db.write() as s:
        s.execute(
            insert(HubPerson),
            [
                {
                    "id": p,
                    "name": f"工人{i}",
                    "trade": rng.choice(TRADES),
                    "party_member": False,
                    "active": True,
                    "updated_at": now,
                }
                for i, p in enumerate(people)
            ],
        )
    batch = []
    for n in range(visits):
        start = now - timedelta(minutes=rng.randrange(days * 24 * 60))
        rest = rng.randrange(300, 5400)
        anonymous = rng.random() < 0.2
        batch.append(
            {
                "station_id": rng.choice(ids),
                "visit_id": f"v{n}",
                "person_id": None if anonymous else rng.choice(people),
                "trade": rng.choice(TRADES) if anonymous else None,
                "method": "camera",
                "checked_in_at": start,
                "checked_out_at": start + timedelta(seconds=rest),
                "rest_seconds": rest,
                "auto_closed": False,
                "unverified": False,
                "overlap": False,
            }
        )
        if len(batch) == 20_000:
            with db.write() as s:
                s.execute(insert(HubVisit), batch)
            batch = []
    if batch:
        with db.write() as s:
            s.execute(insert(HubVisit), batch)
    return ids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.console", description=__doc__)
    ap.add_argument("--stations", type=int, default=100)
    ap.add_argument("--visits", type=int, default=200_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pg", metavar="URL", help="a PostgreSQL database to fill (else SQLite)")
    args = ap.parse_args(argv)

    from fastapi.testclient import TestClient

    from kiosk.hub.app import create_app
    from kiosk.hub.console import accounts

    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.pg or f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        app = create_app(url)
        db = app.state.db
        started = time.perf_counter()
        ids = _fill(db, args.stations, args.visits, args.days, now)
        print(
            f"filled {args.visits} visits at {args.stations} stations in "
            f"{time.perf_counter() - started:.1f} s ({db.engine.dialect.name})"
        )
        with db.write() as s:
            accounts.add_user(s, "bench", accounts.Role.ADMIN, "bench password!", [], now)
        with TestClient(app) as client:
            form = client.get("/console/login").text
            token = re.search(r'name="login_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
            client.post(
                "/console/login",
                data={"username": "bench", "password": "bench password!", "login_token": token},
            )
            for label, path in [
                ("总览 /console/", "/console/"),
                ("station page", f"/console/stations/{ids[0]}"),
                ("people (2,000)", "/console/people?q=gr"),
            ]:
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append(time.perf_counter() - t0)
                    assert r.status_code == 200, r.status_code
                print(
                    f"{label:24} median {statistics.median(times) * 1000:7.0f} ms   "
                    f"max {max(times) * 1000:7.0f} ms   ({args.repeat} requests)"
                )
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
