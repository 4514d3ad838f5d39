"""Touchscreen benchmarks: scan → greeting painted, cold start, event-loop stalls, idle load.

Run: ``QT_QPA_PLATFORM=offscreen python -m kiosk.bench.ui [--scans 60]``. Uses a throwaway
demo station on a manual clock; the decoder, scan loop, station and window are the real ones.
The cold start and the idle figures run ``kiosk run`` itself in fresh processes.
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

from kiosk.bench import stop_process

_BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QLabel
from PySide6.QtCore import QEvent, QObject
app = QApplication([])
w = QLabel("hello"); w.resize(1280, 800)
class F(QObject):
    painted = False
    def eventFilter(self, o, e):
        if not self.painted and e.type() == QEvent.Type.Paint:
            self.painted = True
            print(f"paint {time.time() - t0:.4f}", flush=True)
            print(f"cpu {time.process_time():.4f}", flush=True); app.quit()
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""

_KIOSK = """
import faulthandler, time, sys
faulthandler.dump_traceback_later(60, exit=True)  # a hang prints where it is and fails the run
t0 = float(sys.argv[1])
import importlib.util  # already loaded by site; importlib.abc would add ~10 ms of imports

def instrument(boot):
    # Spy on the welcome screen only (like the bare run's filter on its label): an app-wide
    # Python event filter would itself cost ~2 ms before the first paint.
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    real_build_window = boot.build_window
    class F(QObject):
        painted = False
        def eventFilter(self, o, e):
            if not self.painted and e.type() == QEvent.Type.Paint:
                self.painted = True
                print(f"paint {time.time() - t0:.4f}", flush=True)
                print(f"cpu {time.process_time():.4f}", flush=True)
                self.poll.start()
            return False
        def check(self):
            if self.window.bridge.ready and self.window.bridge.pending == 0:
                print(f"ready {time.time() - t0:.4f}", flush=True)
                self.poll.stop()
                QApplication.instance().quit()
    def build_window(*a, **k):
        window = real_build_window(*a, **k)
        f = F(window); f.window = window
        f.poll = QTimer(f); f.poll.setInterval(5); f.poll.timeout.connect(f.check)
        window.welcome.installEventFilter(f)
        return window
    boot.build_window = build_window

class Hook:  # a meta path finder
    # Instrument kiosk.ui.boot when `kiosk run` imports it, so the imports happen in the
    # same order as in `python -m kiosk run` (importing it here first would load PySide
    # before the CLI and logging, which the real command does not do).
    def find_spec(self, name, path, target=None):
        if name != "kiosk.ui.boot":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        real_exec = spec.loader.exec_module
        def exec_module(module):
            real_exec(module)
            instrument(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hook())
from kiosk.app import main
sys.exit(main(["--data-dir", sys.argv[2], "run", "--windowed", "--camera", sys.argv[2] + "/none"]))
"""


def _kiosk_env(data_dir: Path) -> dict[str, str]:
    """Byte-code caching on (in a private folder), as an installed kiosk has it."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
    return env


def cold_start(data_dir: Path, runs: int = 5) -> dict[str, list[float]]:
    """Fresh processes, alternating: a bare window, then ``kiosk run`` on ``data_dir``.

    Returns the seconds of each run: ``bare`` and ``paint`` (first paint, wall time from the
    process start), ``bare_cpu`` and ``cpu`` (the process's CPU time by then, which other work
    on the machine disturbs far less), ``ready`` (the station open and answering). Both kinds
    run with byte-code caching, as an installed kiosk would, after one untimed warm-up run
    each that fills the cache and the OS file cache.
    """
    env = _kiosk_env(data_dir)

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
    runs_of: dict[str, list[float]] = {k: [] for k in ("bare", "bare_cpu", "paint", "cpu", "ready")}
    for _ in range(runs):
        bare = once(_BARE)
        runs_of["bare"].append(bare["paint"])
        runs_of["bare_cpu"].append(bare["cpu"])
        kiosk = once(_KIOSK, str(data_dir))
        for key in ("paint", "cpu", "ready"):
            runs_of[key].append(kiosk[key])
    return runs_of


def _idle_video(path: Path, seconds: float = 4.0, fps: int = 15) -> Path:
    """An MJPEG clip of empty scenes (no badge), like a USB camera's stream; looped."""
    import cv2

    from kiosk.devices.synthetic import idle_frames

    frames = idle_frames(n=round(seconds * fps), size=(1280, 720), seed=7)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (1280, 720))
    for frame in frames:
        writer.write(frame if frame.ndim == 3 else cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


def _proc_cpu_seconds(pid: int) -> float:
    """User + system CPU of every thread of ``pid`` so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB: resident now, and the peak."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def idle_load(data_dir: Path, seconds: float, warmup: float = 8.0) -> dict[str, float]:
    """``kiosk run --windowed --camera CLIP`` on the welcome screen, nobody there.

    The camera source is a file-backed clip of empty scenes read and decoded at 15 fps (the
    kiosk's scan rate) with the live preview on; after ``warmup`` seconds (station open,
    camera running) the process's CPU time is sampled over ``seconds`` of wall time.
    """
    clip = _idle_video(data_dir / "idle-scene.avi")
    env = _kiosk_env(data_dir)
    env["KIOSK_LOG_DIR"] = str(data_dir / "idle-logs")
    command = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "run"]
    proc = subprocess.Popen(
        [*command, "--windowed", "--camera", str(clip)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(warmup)
        if proc.poll() is not None:
            raise RuntimeError(f"kiosk run exited early ({proc.returncode}); see the idle-logs")
        cpu0, wall0 = _proc_cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        cpu1, wall1 = _proc_cpu_seconds(proc.pid), time.monotonic()
        rss, peak = _proc_memory_mb(proc.pid)
    finally:
        stop_process(proc)
    log_text = (data_dir / "idle-logs" / "kiosk.log").read_text(encoding="utf-8")
    if "open failed" in log_text:
        raise RuntimeError("the idle clip did not open as a camera source; see the idle-logs")
    return {"cpu": 100 * (cpu1 - cpu0) / (wall1 - wall0), "rss": rss, "peak": peak}


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
    parser.add_argument(
        "--idle-seconds", type=float, default=20.0, help="idle CPU/memory sample (0: skip)"
    )
    parser.add_argument("--idle-only", action="store_true", help="only the idle figures")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import numpy as np
    from PySide6.QtCore import QEvent, QObject, QTimer

    from kiosk.core.clock import ManualClock
    from kiosk.core.demo import ensure_demo_station
    from kiosk.core.results import Method
    from kiosk.core.station import StationService
    from kiosk.devices.synthetic import camera_frame, qr_image
    from kiosk.paths import StationPaths
    from kiosk.qtglue.scanner import ScannerThread
    from kiosk.ui.app_setup import build_window, make_app
    from kiosk.ui.gui_gc import GuiThreadGc
    from kiosk.ui.timing import Timing

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-ui-"))
    station = StationService(StationPaths(tmp), clock=ManualClock())
    people = [b.person_id for b in ensure_demo_station(station)]
    if args.cold_only or args.idle_only:
        station.close()
        if args.cold_only:
            print_cold_start(tmp, args.runs)
        else:
            print_idle(tmp, args.idle_seconds)
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
    collector = GuiThreadGc(window)  # the app's garbage-collection policy (kiosk.ui.gui_gc)
    collector.freeze()
    source = GatedSource(idle)
    scanner = ScannerThread(source, verify=station.is_signed_badge, fps=15)
    scanner.code_scanned.connect(lambda c: window.submit_code(c, Method.CAMERA))
    scanner.frame_ready.connect(window.show_frame)

    latencies: list[float] = []
    painted = {"waiting": False}

    class PaintSpy(QObject):
        def eventFilter(self, _obj, event):
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
    collector.stop()
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
    if args.idle_seconds > 0:
        print_idle(tmp, args.idle_seconds)
    return 0


def print_cold_start(data_dir: Path, runs: int) -> None:
    runs_of = cold_start(data_dir, runs)

    def ms(name: str) -> str:
        values = runs_of[name]
        low, mid, high = min(values), statistics.median(values), max(values)
        return f"{mid * 1000:.0f} ms ({low * 1000:.0f}–{high * 1000:.0f})"

    bare, kiosk = statistics.median(runs_of["bare"]), statistics.median(runs_of["paint"])
    pairs = sorted(k / b for b, k in zip(runs_of["bare"], runs_of["paint"], strict=True))
    print(
        f"cold start to first paint, {runs} fresh processes each, median (range): "
        f"bare PySide6 {ms('bare')}, kiosk welcome {ms('paint')} = {kiosk / bare:.2f}× "
        f"(each kiosk run over the bare run before it: {pairs[0]:.2f}–{pairs[-1]:.2f}×); "
        f"station open and answering {ms('ready')}"
    )
    bare_cpu, cpu = statistics.median(runs_of["bare_cpu"]), statistics.median(runs_of["cpu"])
    print(
        f"  process CPU time by the first paint, median (range): bare {ms('bare_cpu')}, "
        f"kiosk {ms('cpu')} = {cpu / bare_cpu:.2f}×"
    )


def print_idle(data_dir: Path, seconds: float) -> None:
    idle = idle_load(data_dir, seconds)
    print(
        f"idle on the welcome screen, camera clip at 15 fps with decoding and preview, "
        f"{seconds:.0f} s: CPU {idle['cpu']:.1f} % of one core; resident memory "
        f"{idle['rss']:.0f} MB (peak {idle['peak']:.0f} MB)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
