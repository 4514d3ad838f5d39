"""Study corner benchmark: tap on a material → its first page painted in the reader.

Run: ``QT_QPA_PLATFORM=offscreen python -m kiosk.bench.study [--runs 30] [--size 1280x800]``.
Uses a throwaway demo station with the starter library; the tapped material is the largest
starter package. The clock starts before the synthetic tap and stops when the reader's page
view has finished painting page 1 (``ReaderPage.page_painted``). Target: p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def run(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.study", description=__doc__)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--size", default="1280x800")
    args = ap.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest

    from kiosk.core.demo import ensure_demo_station
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.screen_names import Screen
    from kiosk.ui.app_setup import build_window, make_app

    app = make_app()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-study-") as tmp:
        station = StationService(StationPaths(Path(tmp)))
        ensure_demo_station(station)
        window = build_window(station, lang="zh")
        window.timing.idle_ms = 600_000
        window.apply_scale(width, height)
        window.resize(width, height)
        window.show()

        def pump(until, limit_s: float = 15.0) -> None:
            deadline = time.perf_counter() + limit_s
            while not until() and time.perf_counter() < deadline:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

        flow = window.study_flow
        window.show_screen(Screen.STUDY)
        pump(lambda: window.bridge.pending == 0 and bool(flow.materials))
        largest = max(flow.materials, key=lambda m: m.size)
        painted: list[float] = []
        flow.reader.page_painted.connect(lambda page: painted.append(time.perf_counter()))
        samples = []
        for _ in range(args.runs):
            flow.choose_category(largest.category)
            pump(lambda: window.bridge.pending == 0, 1.0)
            app.processEvents()
            card = next(c for c in flow.list_page.cards if c.material.id == largest.id)
            pump(lambda c=card: c.isVisible(), 2.0)
            painted.clear()
            started = time.perf_counter()
            QTest.mouseClick(card, Qt.MouseButton.LeftButton)
            pump(lambda: bool(painted) and window.current is Screen.STUDY_READER)
            samples.append((painted[0] - started) * 1000)
            window.show_screen(Screen.STUDY_LIST)  # records the session, as a real 返回 does
            pump(lambda: window.bridge.pending == 0)
        window.shutdown()
        window.close()
        station.close()

    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(
        f"tap material → first page painted ({largest.id}, {largest.size} bytes, "
        f"{width}x{height}, {len(samples)} runs): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"max {samples[-1]:.1f} ms (target 300)"
    )
    return 0 if p95 <= 300 else 1


if __name__ == "__main__":
    sys.exit(run())
