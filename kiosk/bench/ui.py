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
import faulthandler, time, sys
faulthandler.dump_traceback_later(60, exit=True)  # a hang prints where it is and fails the run
t0 = float(sys.argv[1])
import kiosk.ui.launch as launch
from kiosk.app import main
from PySide6.QtCore import QEvent, QObject, QTimer
real_make_app = launch.make_app
class F(QObject):
    painted = False
    def eventFilter(self, o, e):
        if not self.painted and e.type() == QEvent.Type.Paint and o.objectName() == "WelcomeScreen":
            self.painted = True
            print(f"paint {time.time() - t0:.4f}", flush=True)
            self.poll.start()
        return False
    def check(self):
        for w in self.app.topLevelWidgets():
            bridge = getattr(w, "bridge", None)
            if bridge is not None and bridge.ready and bridge.pending == 0:
                print(f"ready {time.time() - t0:.4f}", flush=True)
                self.poll.stop()
                self.app.quit()
def make_app(*a, **k):
    app = real_make_app(*a, **k)
    f = F(app); f.app = app
    f.poll = QTimer(f); f.poll.setInterval(5); f.poll.timeout.connect(f.check)
    app.installEventFilter(f)
    return app
launch.make_app = make_app
sys.exit(main(["--data-dir", sys.argv[2], "run", "--windowed", "--camera", sys.argv[2] + "/none"]))
"""


def cold_start(data_dir: Path, runs: int = 5) -> tuple[float, float, float]:
    """Fresh processes, alternating: a bare window, then ``kiosk run`` on ``data_dir``.

    Returns the medians (bare first paint, kiosk first paint, kiosk station ready). Both
    kinds run with byte-code caching (in a private folder), as an installed kiosk would,
    after one untimed warm-up run each that fills the cache and the OS file cache.
    """
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")

    def once(code: str, *args: str) -> dict[str, float]:
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", code, f"{t0}", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=120,
        )
        if out.returncode != 0:
            raise RuntimeError(f"cold start run failed ({out.returncode}):\n{out.stderr[-3000:]}")
        marks: dict[str, float] = {}
        for line in out.stdout.strip().splitlines():
            name, _, value = line.rpartition(" ")
            marks[name or "paint"] = float(value)
        return marks

    once(_BARE)
    once(_KIOSK, str(data_dir))
    bare, paint, ready = [], [], []
    for _ in range(runs):
        bare.append(once(_BARE)["paint"])
        kiosk = once(_KIOSK, str(data_dir))
        paint.append(kiosk["paint"])
        ready.append(kiosk["ready"])
    return statistics.median(bare), statistics.median(paint), statistics.median(ready)


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
    parser.add_argument("--runs", type=int, default=5, help="cold starts of each kind")
    parser.add_argument("--cold-only", action="store_true", help="only the cold start figures")
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
    if args.cold_only:
        station.close()
        print_cold_start(tmp, args.runs)
        return 0
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

    lat = sorted(latencies)
    p95 = lat[max(0, round(0.95 * len(lat)) - 1)]
    print(
        f"scan → greeting painted over {len(lat)} scans: p50 {statistics.median(lat):.1f} ms, "
        f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms"
    )
    print(
        f"longest event-loop stall, camera 15 fps + decoding, {args.stall_seconds:.0f} s: "
        f"{gaps['max'] * 1000:.1f} ms"
    )
    print_cold_start(tmp, args.runs)
    return 0


def print_cold_start(data_dir: Path, runs: int) -> None:
    bare, kiosk, ready = cold_start(data_dir, runs)
    print(
        f"cold start to first paint (median of {runs} fresh processes each): bare PySide6 "
        f"{bare * 1000:.0f} ms, kiosk welcome {kiosk * 1000:.0f} ms ({kiosk / bare:.2f}×); "
        f"station open and answering {ready * 1000:.0f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
