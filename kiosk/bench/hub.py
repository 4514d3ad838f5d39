"""Hub benchmarks: ingest through the real HTTP API, and a station's backlog drained.

Run: ``python -m kiosk.bench.hub [--events 20000] [--clients 1,4] [--pg URL] [--backlog 10000]``.

*Ingest*: the hub runs as its own process (``python -m kiosk.hub.cli serve``, uvicorn, one
worker) on a fresh database; stations are created and enrolled through the API, then each
client thread pushes its station's events in batches of 500 (bodies encoded before the
clock starts). Events have the shape a station writes: ``visit.checked_in`` /
``visit.checked_out`` of its 200 roster people (with badge, check-out after 5–90 min) and
anonymous trade visits, 400 events a day (a busy station's day: about 250 visits), one in
twenty person visits by one of 50 people who also visit other stations. Figure: events
stored ÷ wall time from the first request to the last answer. On PostgreSQL (``--pg URL``
or ``$KIOSK_TEST_POSTGRES_URL``) each run gets a fresh database on that server.

*Feed*: ``--feed N`` people imported on the hub (as ``kiosk-hub person import`` does, with
phone numbers), then each client, a newly enrolled station, reads the whole change feed
twice, 500 changes a page: what a roster import costs the hub when every station pulls it.

*Backlog*: a real station (``StationService`` on a temporary SQLite file) with N outbox events
(badge check-ins and check-outs, then trade visits, written with the station's own check-in
functions), enrolled with the hub; the real ``SyncClient.push_once()`` drains it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.bench.hub_backlog import backlog
from kiosk.bench.hub_process import (
    Enrolled,
    add_stations,
    enroll_over_http,
    fresh_database,
    hub_process,
)

BATCH = 500
PER_DAY = 400  # events a busy station writes in a day (about 250 visits)
INGEST_TARGET = 2000.0  # events/s
BACKLOG_TARGET = 30.0  # seconds
TRADES = ("环卫", "市政", "绿化", "交警", "快递", "外卖")
PG_ENV = "KIOSK_TEST_POSTGRES_URL"


# -- events as a station writes them ----------------------------------------------------------


def station_events(
    count: int,
    rng: random.Random,
    key_id: str,
    people: list[str],
    shared: list[str],
    per_day: int = PER_DAY,
) -> list[dict[str, Any]]:
    """``count`` outbox events of one station, ``per_day`` a day over as many days as needed:
    person visits (check-in, check-out 5–90 min later) and trade taps, 06:00–22:00."""
    start = datetime(2026, 11, 1, 22, 0, tzinfo=UTC)  # 06:00 in Asia/Shanghai
    timed: list[tuple[datetime, str, dict[str, Any]]] = []
    while len(timed) < count:
        day = timedelta(days=len(timed) // per_day)
        at = start + day + timedelta(seconds=rng.randrange(0, 16 * 3600 - 5_400))
        if rng.random() < 0.4:
            timed.append(
                (
                    at,
                    "visit.checked_in",
                    {
                        "visit_id": str(uuid.uuid4()),
                        "person_id": None,
                        "trade": rng.choice(TRADES),
                        "method": "trade",
                        "badge_key_id": None,
                        "badge_serial": None,
                        "checked_in_at": at.isoformat(),
                        "unverified": False,
                    },
                )
            )
            continue
        visit_id = str(uuid.uuid4())
        person = rng.choice(shared) if rng.random() < 0.05 else rng.choice(people)
        rest = rng.randrange(300, 5_400)
        timed.append(
            (
                at,
                "visit.checked_in",
                {
                    "visit_id": visit_id,
                    "person_id": person,
                    "trade": rng.choice(TRADES),
                    "method": "camera",
                    "badge_key_id": key_id,
                    "badge_serial": rng.randrange(1, 400),
                    "checked_in_at": at.isoformat(),
                    "unverified": False,
                },
            )
        )
        out = at + timedelta(seconds=rest)
        timed.append(
            (
                out,
                "visit.checked_out",
                {
                    "visit_id": visit_id,
                    "person_id": person,
                    "checked_out_at": out.isoformat(),
                    "rest_seconds": rest,
                    "auto_closed": False,
                },
            )
        )
    timed.sort(key=lambda t: t[0])
    return [
        {
            "id": str(uuid.uuid4()),
            "seq": seq,
            "type": type_,
            "schema_version": 1,
            "payload": payload,
            "device_time": at.isoformat(),
        }
        for seq, (at, type_, payload) in enumerate(timed[:count], start=1)
    ]


def encode_batches(station_id: str, events: list[dict[str, Any]]) -> list[bytes]:
    return [
        json.dumps(
            {
                "station_id": station_id,
                "sent_at": datetime.now(UTC).isoformat(),
                "events": events[i : i + BATCH],
            },
            ensure_ascii=False,
        ).encode()
        for i in range(0, len(events), BATCH)
    ]


@dataclass
class IngestResult:
    backend: str
    clients: int
    events: int
    seconds: float
    batch_ms: list[float]

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def ingest(
    kind: str, pg_url: str | None, clients: int, events: int, folder: Path, seed: int
) -> IngestResult:
    import httpx

    rng = random.Random(seed)
    with fresh_database(kind, pg_url, folder) as db_url, hub_process(db_url) as url:
        codes = add_stations(db_url, clients)
        enrolled = [enroll_over_http(url, code) for code in codes]
        shared = [str(uuid.uuid4()) for _ in range(50)]
        per_client = events // clients
        work = []
        for e in enrolled:
            people = [str(uuid.uuid4()) for _ in range(200)]
            batches = encode_batches(
                e.station_id, station_events(per_client, rng, e.key_id, people, shared)
            )
            work.append((e, batches))
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        gate = threading.Barrier(clients + 1)

        def push(e: Enrolled, batches: list[bytes]) -> None:
            headers = {"Authorization": f"Bearer {e.token}", "Content-Type": "application/json"}
            with httpx.Client(base_url=url, timeout=120) as http:
                gate.wait()
                for body in batches:
                    t0 = time.perf_counter()
                    answer = http.post("/v1/events", content=body, headers=headers)
                    took = (time.perf_counter() - t0) * 1000
                    with lock:
                        latencies.append(took)
                        if answer.status_code != 200:
                            errors.append(f"{answer.status_code}: {answer.text[:200]}")
                        elif any(r["status"] != "accepted" for r in answer.json()["results"]):
                            errors.append("an event was not accepted")

        threads = [threading.Thread(target=push, args=w) for w in work]
        for t in threads:
            t.start()
        gate.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        if errors:
            raise RuntimeError(f"{len(errors)} failed batch(es), first: {errors[0]}")
    return IngestResult(kind, clients, per_client * clients, seconds, latencies)


# -- the change feed ---------------------------------------------------------------------------


def feed(
    kind: str, pg_url: str | None, people: int, clients: int, folder: Path
) -> tuple[float, int, int, float]:
    """(seconds to import ``people``, pages and changes served, seconds): each of ``clients`` new
    stations reads the whole feed (``GET /v1/changes`` from no cursor) twice."""
    import httpx

    from kiosk.hub import roster
    from kiosk.hub.db import open_hub_database

    rows: list[dict[str, object]] = [
        {
            "name": f"工人{i:05d}",
            "trade": TRADES[i % len(TRADES)],
            "team": f"{i % 40 + 1}队",
            "party_member": i % 7 == 0,
            "phone": f"139{i:08d}",
        }
        for i in range(people)
    ]
    with fresh_database(kind, pg_url, folder) as db_url, hub_process(db_url) as url:
        db = open_hub_database(db_url)
        try:
            t0 = time.perf_counter()
            with db.write() as s:
                roster.import_people(s, rows, datetime.now(UTC))
            imported = time.perf_counter() - t0
        finally:
            db.close()
        enrolled = [enroll_over_http(url, code) for code in add_stations(db_url, clients)]
        pages = [0] * clients
        changes = [0] * clients
        gate = threading.Barrier(clients + 1)

        def read(i: int, e: Enrolled) -> None:
            headers = {"Authorization": f"Bearer {e.token}"}
            with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
                gate.wait()
                for _ in range(2):
                    cursor, more = None, True
                    while more:
                        params = {"cursor": cursor} if cursor else {}
                        page = http.get("/v1/changes", params=params)
                        page.raise_for_status()
                        data = page.json()
                        cursor, more = data["cursor"], data["more"]
                        pages[i] += 1
                        changes[i] += len(data["changes"])

        threads = [threading.Thread(target=read, args=(i, e)) for i, e in enumerate(enrolled)]
        for t in threads:
            t.start()
        gate.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        return imported, sum(pages), sum(changes), time.perf_counter() - started


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.hub", description=__doc__)
    ap.add_argument("--events", type=int, default=20_000, help="per ingest run; 0 skips")
    ap.add_argument("--clients", default="1,4", help="concurrent stations, e.g. 1,4")
    ap.add_argument("--pg", metavar="URL", default=os.environ.get(PG_ENV), help=f"or ${PG_ENV}")
    ap.add_argument("--backlog", type=int, default=10_000, help="0 skips the backlog run")
    ap.add_argument("--feed", type=int, default=5_000, help="people in the feed run; 0 skips")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
    clients = [int(c) for c in args.clients.split(",") if c]

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-hub-") as tmp:
        if args.events:
            print(f"\n== Hub ingest ({args.events} events per run, batches of {BATCH}) ==")
            print(f"{'database':<11} {'clients':>7} {'events/s':>9} {'batch p50':>10} {'p95':>7}")
            for kind in kinds:
                for n in clients:
                    r = ingest(kind, args.pg, n, args.events, Path(tmp), args.seed)
                    print(
                        f"{kind:<11} {n:>7} {r.rate:>9.0f} "
                        f"{_percentile(r.batch_ms, 50):>7.0f} ms "
                        f"{_percentile(r.batch_ms, 95):>4.0f} ms",
                        flush=True,
                    )
            print(f"target: >= {INGEST_TARGET:.0f} events/s per hub process")
        if args.feed:
            print(f"\n== Change feed: {args.feed} people imported, then read by new stations ==")
            for kind in kinds:
                for n in clients:
                    imported, pages, changes, seconds = feed(kind, args.pg, args.feed, n, Path(tmp))
                    print(
                        f"{kind:<11} {n:>2} station(s): {pages / seconds:.1f} pages/s "
                        f"({changes / seconds:.0f} changes/s); "
                        f"the import took {imported:.1f} s",
                        flush=True,
                    )
        if args.backlog:
            print(f"\n== A station's backlog of {args.backlog} events drained (SyncClient) ==")
            for kind in kinds:
                sent, filled, drained = backlog(kind, args.pg, args.backlog, Path(tmp))
                print(
                    f"{kind:<11} {sent} events in {drained:.1f} s ({sent / drained:.0f} events/s; "
                    f"writing them on the station took {filled:.1f} s)",
                    flush=True,
                )
            print(f"target: < {BACKLOG_TARGET:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run())
