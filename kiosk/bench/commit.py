"""Check-in commit latency: from ``station.scan(token)`` called to its COMMIT returned.

Runs the whole path a camera read takes after decoding (badge verification, rules, visit and
outbox rows, ``BEGIN IMMEDIATE`` … ``COMMIT`` with ``synchronous=FULL``, the hop to and from
the database thread) on a fresh station in a temporary folder.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.core.trades import Trade
from kiosk.paths import StationPaths


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _row(label: str, samples: list[float]) -> str:
    return (
        f"{label:<34} n={len(samples):<4} p50={statistics.median(samples):6.2f} ms  "
        f"p99={_percentile(samples, 99):6.2f} ms  max={max(samples):6.2f} ms"
    )


def run(people: int = 300, folder: Path | None = None) -> int:
    """Print the figures; exit status 1 when check-in p99 misses the 20 ms target."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        clock = ManualClock()
        station = StationService(StationPaths(Path(tmp)), clock=clock)
        try:
            station.init("基准测试站")
            tokens = []
            for i in range(people):
                person = station.add_person(name=f"工人{i}", trade="环卫")
                tokens.append(station.issue_badge(person.id).token)
            results: dict[str, list[float]] = {
                "check-in (badge scan)": [],
                "check-out (badge scan)": [],
                "anonymous trade visit": [],
            }
            for label, advance in (("check-in (badge scan)", 0), ("check-out (badge scan)", 30)):
                clock.advance(minutes=advance)
                for token in tokens:
                    started = time.perf_counter()
                    station.scan(token)
                    results[label].append((time.perf_counter() - started) * 1000)
            for _ in range(people):
                started = time.perf_counter()
                station.trade_visit(Trade.SANITATION)
                results["anonymous trade visit"].append((time.perf_counter() - started) * 1000)
            with station.db.engine.connect() as conn:
                sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        finally:
            station.close()
    print(f"\n== Commit latency (SQLite WAL, synchronous={'FULL' if sync == 2 else sync}) ==")
    for label, samples in results.items():
        print(_row(label, samples))
    p99 = _percentile(results["check-in (badge scan)"], 99)
    print(f"target: check-in p99 <= 20 ms: {'PASS' if p99 <= 20 else 'FAIL'} ({p99:.2f} ms)")
    return 0 if p99 <= 20 else 1


if __name__ == "__main__":
    raise SystemExit(run())
