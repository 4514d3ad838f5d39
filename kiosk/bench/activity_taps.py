"""The 参加/签退 tap at the touchscreen: tap → committed → greeting repainted with the outcome.

A real window (offscreen) on a real station (temporary SQLite file, WAL, synchronous=FULL):
for each of N people, a badge scan greets them and the greeting offers 参加【title】; the
figure is from the mouse click on that button to the first paint of the headline that says
the sign-in is done (which happens only after the station's transaction committed). A second
round, 40 minutes later, times the 签退 tap the same way. Used by ``kiosk.bench.activities``.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def time_screen_taps(folder: Path, people: int = 60) -> list[float]:
    """Milliseconds per tap (sign-ins, then sign-outs)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest

    from kiosk.core.activities.model import ActivityKind
    from kiosk.core.clock import ManualClock
    from kiosk.core.station import StationService
    from kiosk.paths import StationPaths
    from kiosk.screen_names import Screen
    from kiosk.ui.app_setup import build_window, make_app
    from kiosk.ui.window import Timing

    clock = ManualClock(datetime.now(UTC))
    station = StationService(StationPaths(folder), clock=clock)
    app = make_app()
    window = None
    try:
        station.init("基准驿站")
        tokens = []
        for i in range(people):
            person = station.add_person(name=f"张{i}", trade="环卫", category="志愿者")
            tokens.append(station.issue_badge(person.id).token)
        start = clock.now() + timedelta(minutes=5)
        station.add_activity(
            kind=ActivityKind.VOLUNTEER, title="基准活动", start=start,
            end=start + timedelta(hours=3), service_hours=True,
        )  # fmt: skip
        timing = Timing(idle_ms=600_000, greeting_ms=600_000, refusal_ms=600_000)
        window = build_window(station, lang="zh", timing=timing)
        window.apply_scale(1280, 800)
        window.resize(1280, 800)
        window.show()
        greeting = window.greeting

        def pump_until(ready, seconds: float = 10.0) -> None:
            deadline = time.perf_counter() + seconds
            while not ready():
                if time.perf_counter() > deadline:
                    raise RuntimeError("the screen never got there")
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

        pump_until(lambda: window.bridge.pending == 0 and window.activities is not None)

        class Painted(QObject):
            """Notes the first paint of the outcome and stops the (blocking) event loop."""

            def __init__(self, expected: str, loop: QEventLoop) -> None:
                super().__init__()
                self.expected, self.loop, self.at = expected, loop, None
                greeting.headline.installEventFilter(self)

            def eventFilter(self, _watched, event) -> bool:
                if (
                    self.at is None
                    and event.type() == QEvent.Type.Paint
                    and greeting.headline.text().startswith(self.expected)
                ):
                    self.at = time.perf_counter()
                    self.loop.quit()
                return False

        times: list[float] = []
        for expected in ("张师傅，已签到", "张师傅，已签退"):
            for token in tokens:
                window.show_screen(Screen.WELCOME)
                window.submit_code(token)
                pump_until(lambda: "activity" in greeting.action_buttons)
                pump_until(lambda: window.bridge.pending == 0)
                button = greeting.action_buttons["activity"]
                # The app's own event loop (it sleeps until an event comes), not a polling
                # loop that would compete with the database thread for the two cores.
                loop = QEventLoop()
                spy = Painted(expected, loop)
                guard = QTimer(singleShot=True, interval=10_000)
                guard.timeout.connect(loop.quit)
                guard.start()
                started = time.perf_counter()
                QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                if spy.at is None:
                    loop.exec()
                guard.stop()
                greeting.headline.removeEventFilter(spy)
                if spy.at is None:
                    raise RuntimeError("the outcome was never painted")
                times.append((spy.at - started) * 1000)
            clock.advance(minutes=40)
        return times
    finally:
        if window is not None:
            window.shutdown()
            window.close()
            window.deleteLater()
            app.processEvents()
        station.close()
