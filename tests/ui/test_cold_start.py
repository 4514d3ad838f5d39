"""Cold start: the welcome screen is painted before the station (SQLAlchemy, migrations) is
open, and a scan that arrives meanwhile waits instead of being lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from PySide6.QtCore import QEvent, QObject

from kiosk.core.results import Method, Outcome
from kiosk.ui.screens.base import Screen

HEAVY = ("sqlalchemy", "alembic", "cryptography", "pypinyin", "cv2", "httpx", "pydantic")


def test_first_paint_needs_no_database_stack(tmp_path):
    """Everything up to the painted welcome screen imports none of the heavy packages."""
    probe = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import kiosk.app
        from kiosk.ui.launch import build_window, make_app
        from PySide6.QtCore import QEvent, QObject
        app = make_app()
        window = build_window(None, lang="zh", data_dir=Path({str(tmp_path)!r}),
                              station_name="x", defer_pages=True)
        painted = []
        class Spy(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    painted.append(1)
                    app.quit()
                return False
        spy = Spy()
        window.welcome.installEventFilter(spy)
        window.resize(1280, 800)
        window.show()
        app.exec()
        assert painted
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
        print(",".join(heavy))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "KIOSK_LOG_DIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"imported before the first paint: {done.stdout}"


class PaintSpy(QObject):
    def __init__(self, opener) -> None:
        super().__init__()
        self.opener = opener
        self.painted_before_open = None

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.painted_before_open is None:
            self.painted_before_open = not self.opener.started and self.opener.result is None
        return False


def test_welcome_first_then_station_and_early_scans_wait(qtbot, demo_station, timing, tmp_path):
    from kiosk.core.station import StationService
    from kiosk.ui.launch import start_touchscreen

    token = demo_station.badges["张建国"]
    paths = demo_station.paths
    demo_station.close()  # the touchscreen opens its own, slowly
    release = threading.Event()

    def slow_open() -> StationService:
        assert release.wait(30), "the test never released the station"
        return StationService(paths, clock=demo_station.clock)

    touchscreen = start_touchscreen(
        paths,
        slow_open,
        station_name="测试驿站",
        camera=str(tmp_path / "no-camera.mp4"),
        sound=False,
        timing=timing,
    )
    window = touchscreen.window
    spy = PaintSpy(touchscreen.opener)
    window.welcome.installEventFilter(spy)
    try:
        qtbot.waitUntil(lambda: spy.painted_before_open is not None, timeout=5000)
        assert spy.painted_before_open is True
        assert window.welcome.station_name.text() == "测试驿站"
        qtbot.waitUntil(lambda: touchscreen.opener.started, timeout=5000)
        assert not window.bridge.ready
        assert window.welcome.starting.isVisibleTo(window.welcome)  # 正在启动，请稍候…

        with qtbot.waitSignal(window.bridge.call_queued):
            window.submit_code(token, Method.SCANNER)  # a scan while the station opens
        assert window.bridge.pending >= 1
        assert window.current is Screen.WELCOME

        with qtbot.waitSignal(window.greeting_shown, timeout=20_000) as shown:
            release.set()
        assert shown.args[0].outcome is Outcome.CHECKED_IN
        assert window.greeting.headline.text() == "张师傅，欢迎回家！"
        assert not window.welcome.starting.isVisibleTo(window.welcome)
        qtbot.waitUntil(lambda: window.bridge.pending == 0)
    finally:
        release.set()
        window.welcome.removeEventFilter(spy)
        touchscreen.close()
    reopened = StationService(paths, clock=demo_station.clock)
    try:
        assert len(reopened.visits(reopened.today())) == 1  # committed once, not lost
    finally:
        reopened.close()


def test_a_station_that_cannot_open_is_said_not_fatal(qtbot, tmp_path, timing):
    from kiosk.paths import StationPaths
    from kiosk.ui.launch import start_touchscreen

    def broken() -> None:
        raise RuntimeError("disk on fire")

    touchscreen = start_touchscreen(
        StationPaths(tmp_path / "none"),
        broken,
        station_name=None,
        camera=str(tmp_path / "no-camera.mp4"),
        sound=False,
        timing=timing,
    )
    window = touchscreen.window
    try:
        with qtbot.waitSignal(touchscreen.opener.open_failed, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: "站长" in window.welcome.starting.text())
        window.show_screen(Screen.HOME)  # still usable for reading the services
        assert window.current is Screen.HOME
    finally:
        touchscreen.close()
