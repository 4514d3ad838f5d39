"""The keeper's screens under load (issue 15): first paint after the tap, p50/p95.

Run: ``QT_QPA_PLATFORM=offscreen python -m kiosk.bench.keeper [--runs 21]``. Builds a
throwaway station on a real SQLite file: a busy month (``--per-day`` visits a day, default
250, for 30 days) and ``--present`` people in the station now (default 300). Then the real
window: tap 在站人员 on the keeper menu, time until its list is painted with everyone; tap
统计, then 本月, time until the month's chart is painted. ``--keep DIR`` leaves the station
there (``kiosk --data-dir DIR screenshot --screen keeper-stats …`` shows a busy month).
``--idle-seconds N`` then sits N seconds on the welcome screen and on three keeper screens
(the USB stick watch and 摄像头检查 poll there) and prints the process CPU and RSS of each.
The timed waits run in a real event loop, as the kiosk's ``app.exec()`` does.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from kiosk.core.trades import Trade

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国红梅大力志强秀英小军海燕春生国庆桂兰文华玉珍德明丽娟永刚凤英"


def populate(station: Any, *, days: int, per_day: int, present: int, seed: int = 15) -> None:
    """People, a month of closed visits and ``present`` open ones, by bulk inserts (the
    counting rules do not care how a visit was written; check-ins cost ~1 ms each)."""
    from kiosk.core import roster
    from kiosk.core.checkin import Rules
    from kiosk.store.models import Visit

    rnd = random.Random(seed)
    trades = [t.value for t in Trade]
    count = max(present, 400)

    def people(s, now):
        ids = []
        for i in range(count):
            name = (
                SURNAMES[i % len(SURNAMES)]
                + GIVEN[(i * 2) % len(GIVEN)]
                + GIVEN[(i * 7 + 1) % len(GIVEN)]
            )
            p = roster.add_person(s, now, name=name, trade=trades[i % 8], team=f"{i % 6 + 1}班")
            ids.append((p.id, p.trade))
        return ids

    ids = station._write(people)
    now = station.clock.now()

    def visits(s, _now):
        tz = Rules.load(s).tz
        today = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
        rows = []
        for d in range(days, 0, -1):
            day = today - timedelta(days=d)
            for _ in range(per_day):
                pid, trade = rnd.choice(ids)
                cin = day + timedelta(minutes=rnd.randint(6 * 60, 20 * 60))
                rows.append(
                    dict(
                        id=str(uuid.uuid4()),
                        person_id=pid,
                        trade=trade,
                        method="camera",
                        checked_in_at=cin,
                        checked_out_at=cin + timedelta(minutes=rnd.randint(5, 90)),
                        auto_closed=False,
                        unverified=False,
                    )
                )
        for i in range(present):
            pid, trade = ids[i]
            rows.append(
                dict(
                    id=str(uuid.uuid4()),
                    person_id=pid,
                    trade=trade,
                    method="camera",
                    checked_in_at=now - timedelta(minutes=rnd.randint(1, 180)),
                    checked_out_at=None,
                    auto_closed=False,
                    unverified=False,
                )
            )
        s.execute(Visit.__table__.insert(), rows)

    station._write(visits)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kiosk.bench.keeper", description=__doc__)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--per-day", type=int, default=250)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--present", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="build the station here and keep it")
    ap.add_argument(
        "--idle-seconds",
        type=float,
        default=0,
        help="then sit on the welcome screen and on keeper screens this long each: CPU, RSS",
    )
    args = ap.parse_args(argv)

    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest

    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.screen_names import Screen
    from kiosk.ui.app_setup import build_window, make_app

    folder = args.keep or Path(tempfile.mkdtemp(prefix="kiosk-bench-keeper-"))
    station = StationService(StationPaths(folder))
    if station.info_or_none() is None:
        station.init("压力测试驿站")
        t0 = time.perf_counter()
        populate(station, days=args.days, per_day=args.per_day, present=args.present)
        print(
            f"station: {args.days} days × {args.per_day} visits, {args.present} in now "
            f"({time.perf_counter() - t0:.1f} s to build) in {folder}"
        )
    app = make_app()
    window = build_window(station, lang="zh")
    window.apply_scale(1280, 800)
    window.resize(1280, 800)
    window.show()

    def settle() -> None:
        for _ in range(500):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if window.bridge.pending == 0:
                break
        app.processEvents()

    settle()
    flow = window.keeper

    class Painted(QObject):
        """Notes the first paint once ``ready()`` and ends the event loop that waits for it."""

        def __init__(self, widget, ready, loop: QEventLoop) -> None:
            super().__init__()
            self.ready, self.at, self.loop = ready, None, loop
            widget.installEventFilter(self)

        def eventFilter(self, _watched, event) -> bool:
            if self.at is None and event.type() == QEvent.Type.Paint and self.ready():
                self.at = time.perf_counter()
                QTimer.singleShot(0, self.loop.quit)
            return False

    cpu: dict[str, list[float]] = {"present": [], "month": []}

    def timed(tap, widget, ready, kind: str) -> float:
        # Wait in a real event loop, as the kiosk's app.exec() does: polling processEvents
        # from Python spins the GUI thread and takes the GIL from the database thread.
        loop = QEventLoop()
        spy = Painted(widget, ready, loop)
        QTimer.singleShot(10_000, loop.quit)
        cpu0 = time.process_time()  # all threads: the DB thread's query and the GUI's paint
        start = time.perf_counter()
        tap()
        if spy.at is None:
            loop.exec()
        cpu[kind].append((time.process_time() - cpu0) * 1000)
        widget.removeEventFilter(spy)
        if spy.at is None:
            raise RuntimeError("never painted")
        return (spy.at - start) * 1000

    def click(button) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    present, month = [], []
    for _ in range(args.runs):
        window.show_screen(Screen.KEEPER)
        settle()
        present.append(
            timed(
                lambda: click(flow.menu.tiles[Screen.KEEPER_PRESENT]),
                flow.present.list.viewport(),
                lambda: len(flow.present.visits) == args.present,
                "present",
            )
        )
        window.show_screen(Screen.KEEPER)
        settle()
        click(flow.menu.tiles[Screen.KEEPER_STATS])
        settle()
        click(flow.stats.period_buttons["month"])
        settle()
        flow.stats.figures = None
        month.append(
            timed(
                lambda: click(flow.stats.prev_month),  # last month: a whole busy month
                flow.stats.chart_view.viewport(),
                lambda: flow.stats.figures is not None and len(flow.stats.figures.days) >= 28,
                "month",
            )
        )
    fig = flow.stats.figures
    print(
        f"在站人员 ({len(flow.present.visits)} in): tap → list painted, p50 "
        f"{statistics.median(present):.0f} ms, p95 {_pct(present, 0.95):.0f} ms "
        f"({args.runs} runs); "
        f"process CPU p50 {statistics.median(cpu['present']):.0f} ms"
    )
    print(
        f"统计 上月 ({fig.visits} 人次 over {len(fig.days)} days): tap → chart painted, p50 "
        f"{statistics.median(month):.0f} ms, p95 {_pct(month, 0.95):.0f} ms "
        f"({args.runs} runs); "
        f"process CPU p50 {statistics.median(cpu['month']):.0f} ms"
    )
    if args.idle_seconds > 0:
        from kiosk.bench.ui import _proc_memory_mb

        def idle_on(screen: Screen) -> tuple[float, float]:
            """Process CPU % and RSS MB while ``screen`` sits untouched (its timers run)."""
            window.show_screen(screen)
            settle()
            loop = QEventLoop()
            QTimer.singleShot(round(args.idle_seconds * 1000), loop.quit)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            loop.exec()
            cpu = 100 * (time.process_time() - cpu0) / (time.perf_counter() - wall0)
            return cpu, _proc_memory_mb(os.getpid())[0]

        for screen in (Screen.WELCOME, Screen.KEEPER, Screen.KEEPER_EXPORT, Screen.KEEPER_CAMERA):
            cpu_pct, rss = idle_on(screen)
            print(
                f"idle on {screen.value} for {args.idle_seconds:.0f} s: process CPU "
                f"{cpu_pct:.2f} %, RSS {rss:.0f} MB"
            )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    window.shutdown()
    window.close()
    station.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
