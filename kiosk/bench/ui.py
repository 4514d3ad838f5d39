"""Touchscreen benchmarks: scan → greeting painted, cold start, event-loop stalls.

Run: ``QT_QPA_PLATFORM=offscreen python -m kiosk.bench.ui [--scans 60]``. Uses a throwaway
demo station on a manual clock; the decoder, scan loop, station and window are the real ones.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

_BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QLabel
from PySide6.QtCore import QEvent, QObject
app = QApplication([])
w = QLabel("hello"); w.resize(1280, 800)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"{time.time() - t0:.4f}", flush=True); app.quit()
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""

_KIOSK = """
import time, sys
t0 = float(sys.argv[1])
from pathlib import Path
from kiosk.core.station import StationService
from kiosk.paths import StationPaths
from kiosk.ui.launch import build_window, make_app
from PySide6.QtCore import QEvent, QObject
station = StationService(StationPaths(Path(sys.argv[2])))
app = make_app()
w = build_window(station, lang="zh"); w.resize(1280, 800)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"{time.time() - t0:.4f}", flush=True); app.quit()
        return False
f = F(); w.welcome.installEventFilter(f); w.show(); app.exec()
w.shutdown(); station.close()
"""


def cold_start(data_dir: Path, runs: int = 5) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))

    def once(code: str, *args: str) -> float:
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code, f"{t0}", *args],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return float(out.stdout.strip().splitlines()[-1])

    bare = statistics.median(once(_BARE) for _ in range(runs))
    kiosk = statistics.median(once(_KIOSK, str(data_dir)) for _ in range(runs))
    return bare, kiosk


class GatedSource:
    """Empty frames until ``arm(frame)``; records when the badge frame entered the pipeline."""

    description = "bench"
    finished = False

    def __init__(self, idle_frame) -> None:
        self._idle = idle_frame
        self._next = None
        self._lock = threading.Lock()
        self.entered_at = 0.0

    def arm(self, frame) -> None:
        with self._lock:
            self._next = frame

    def read(self):
        with self._lock:
            frame, self._next = self._next, None
        if frame is None:
            return self._idle
        self.entered_at = time.perf_counter()
        return frame

    def close(self) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.bench.ui")
    parser.add_argument("--scans", type=int, default=60)
    parser.add_argument("--stall-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import numpy as np
    from PySide6.QtCore import QEvent, QObject, QTimer

    from kiosk.core.checkin import Method
    from kiosk.core.clock import ManualClock
    from kiosk.core.demo import ensure_demo_station
    from kiosk.core.station import StationService
    from kiosk.devices.synthetic import camera_frame, qr_image
    from kiosk.paths import StationPaths
    from kiosk.services.scanner import ScannerThread
    from kiosk.ui.launch import build_window, make_app
    from kiosk.ui.window import Timing

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-ui-"))
    station = StationService(StationPaths(tmp), clock=ManualClock())
    people = [b.person_id for b in ensure_demo_station(station)]
    tokens = [station.issue_badge(people[i % len(people)]).token for i in range(args.scans)]
    frames = [
        camera_frame(qr_image(t), size=(1280, 720), scale=0.4, seed=i) for i, t in enumerate(tokens)
    ]
    idle = camera_frame(qr_image("x"), size=(1280, 720), scale=0.0001, seed=99) * 0 + np.uint8(90)

    app = make_app()
    window = build_window(station, lang="zh", timing=Timing(idle_ms=60_000, greeting_ms=60_000))
    window.resize(1280, 800)
    window.show()
    source = GatedSource(idle)
    scanner = ScannerThread(source, verify=station.is_signed_badge, fps=15)
    scanner.code_scanned.connect(lambda c: window.submit_code(c, Method.CAMERA))
    scanner.frame_ready.connect(window.show_frame)

    latencies: list[float] = []
    painted = {"waiting": False}

    class PaintSpy(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and painted["waiting"]:
                painted["waiting"] = False
                latencies.append((time.perf_counter() - source.entered_at) * 1000)
                QTimer.singleShot(50, next_scan)
            return False

    spy = PaintSpy()
    window.greeting.installEventFilter(spy)
    gaps = {"max": 0.0, "last": 0.0}

    def next_scan() -> None:
        window.show_screen(window.current.__class__.WELCOME)
        station.clock.advance(seconds=30)
        if len(latencies) >= args.scans:
            start_stall()
            return
        painted["waiting"] = True
        source.arm(frames[len(latencies)])

    def tick() -> None:
        now = time.perf_counter()
        if gaps["last"]:
            gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)

    def start_stall() -> None:
        # Camera at 15 fps decoding a badge-bearing scene on every frame, welcome screen up.
        source._idle = frames[0]
        gaps["last"], gaps["max"] = 0.0, 0.0
        ticker.start()
        QTimer.singleShot(int(args.stall_seconds * 1000), app.quit)

    scanner.start()
    QTimer.singleShot(500, next_scan)
    app.exec()
    ticker.stop()
    scanner.stop()
    window.shutdown()
    window.deleteLater()
    station.close()

    bare, kiosk = cold_start(tmp)
    lat = sorted(latencies)
    p95 = lat[max(0, round(0.95 * len(lat)) - 1)]
    print(
        f"scan → greeting painted over {len(lat)} scans: p50 {statistics.median(lat):.1f} ms, "
        f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms"
    )
    print(
        f"cold start to first paint (median of 5): bare PySide6 {bare * 1000:.0f} ms, "
        f"kiosk welcome {kiosk * 1000:.0f} ms ({kiosk / bare:.2f}×)"
    )
    print(
        f"longest event-loop stall, camera 15 fps + decoding, {args.stall_seconds:.0f} s: "
        f"{gaps['max'] * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
