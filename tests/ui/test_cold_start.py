"""Cold start: the welcome screen is painted before the station (SQLAlchemy, migrations) is
open, and a scan that arrives meanwhile waits instead of being lost."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import QEvent, QObject

from kiosk.core.results import Method, Outcome
from kiosk.screen_names import Screen

HEAVY = ("sqlalchemy", "alembic", "cryptography", "pypinyin", "cv2", "httpx", "pydantic")
# The standard library's, not needed to draw the welcome screen: the log file opens after the
# first paint (kiosk.logs), the clock starts on UTC+8 until the station's zone comes with its
# settings, the bridge's futures come with the station. Our own modules: BOOT_MODULES.
NOT_YET = ("logging.handlers", "zoneinfo", "concurrent.futures")


_PROBE = """
import json, os, sys

importers = {}  # module -> the module whose code imported it (the first time)


class WhoImports:
    def find_spec(self, name, path=None, target=None):
        if name not in importers:
            frame = sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__", "").startswith(
                ("importlib", "_frozen_importlib")
            ):
                frame = frame.f_back
            importers[name] = "?" if frame is None else frame.f_globals.get("__name__", "?")
        return None


sys.meta_path.insert(0, WhoImports())
import kiosk.ui.boot as boot
from PySide6.QtCore import QEvent, QObject

real_make_app = boot.make_app

class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.objectName() == "WelcomeScreen":
            qt_loaded = "Qt" in vars(sys.modules["PySide6.QtCore"])
            print(json.dumps(importers))
            print(",".join(sorted(sys.modules)))
            print("qt-namespace" if qt_loaded else "no-qt-namespace")
            print(len(__import__("linecache").cache), flush=True)
            os._exit(0)  # before the station opens (that starts after this paint)
        return False

def make_app(*args, **kwargs):
    app = real_make_app(*args, **kwargs)
    app._spy = Spy(app)
    app.installEventFilter(app._spy)
    return app

boot.make_app = make_app
from kiosk.app import main
data = sys.argv[1]
sys.exit(main(["--data-dir", data, "run", "--demo", "--windowed", "--camera", data + "/none"]))
"""


def import_chain(module: str, importers: dict[str, str]) -> str:
    """``module ← its importer ← …`` back to the program's start: who broke the rule."""
    chain = [module]
    while chain[-1] in importers and importers[chain[-1]] not in chain:
        chain.append(importers[chain[-1]])
    return " ← ".join(chain)


def broken_rule(modules: list[str], importers: dict[str, str]) -> str:
    return "imported before the first paint:\n" + "\n".join(
        import_chain(m, importers) for m in modules
    )


def test_the_import_chain_names_who_imported_it() -> None:
    importers = {
        "sqlalchemy": "kiosk.core.settings_store",
        "kiosk.core.settings_store": "kiosk.ui.window",
        "kiosk.ui.window": "kiosk.ui.boot",
        "kiosk.ui.boot": "__main__",
    }
    assert import_chain("sqlalchemy", importers) == (
        "sqlalchemy ← kiosk.core.settings_store ← kiosk.ui.window ← kiosk.ui.boot ← __main__"
    )


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory) -> tuple[set[str], bool, int, dict[str, str]]:
    """``kiosk run --demo`` in a fresh process, stopped at the welcome screen's first paint:
    the modules imported by then, whether PySide's Qt namespace was loaded, how many source
    files ``linecache`` holds, and who imported each module first."""
    data = tmp_path_factory.mktemp("cold")
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", "KIOSK_LOG_DIR": str(data)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    importers, modules, qt, cached_sources = done.stdout.strip().splitlines()[-4:]
    return (
        set(modules.split(",")),
        qt == "qt-namespace",
        int(cached_sources),
        json.loads(importers),
    )


def test_first_paint_needs_no_database_stack(first_paint):
    """Everything up to the painted welcome screen imports none of the heavy packages."""
    modules, _qt, _cached, importers = first_paint
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert heavy == [], broken_rule(heavy, importers)


def test_before_the_first_paint_only_the_boot_path_is_imported(first_paint):
    """Of the kiosk's own modules only those of the boot path (``kiosk.ui.boot``); every
    other module may import at its top whatever it needs."""
    from kiosk.ui.boot import BOOT_MODULES

    modules, _qt, _cached, importers = first_paint
    assert "kiosk.ui.window" in modules  # the probe did stop at the real welcome screen
    early = sorted(m for m in modules if m.split(".")[0] == "kiosk" and m not in BOOT_MODULES)
    assert early == [], broken_rule(early, importers)
    assert sorted(BOOT_MODULES - modules) == [], "listed in BOOT_MODULES but not imported"


def test_first_paint_leaves_the_rest_of_the_standard_library_for_later(first_paint):
    modules, _qt, _cached, importers = first_paint
    early = sorted(modules & set(NOT_YET))
    assert early == [], broken_rule(early, importers)


def test_first_paint_builds_no_qt_namespace_and_reads_no_sources(first_paint):
    """PySide's ``Qt`` enums (~25 ms) wait until after the first paint, and PySide no longer
    reads every imported module's source (``kiosk.ui.app_setup.skip_pyside_source_scan``)."""
    _modules, qt, cached_sources, _importers = first_paint
    assert not qt
    assert cached_sources == 0


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run"],
        ["-v"],
        ["--json", "run", "--demo", "--json"],
        ["--data-dir", "/x", "run", "--windowed", "--camera", "clip.mp4", "--lang", "en"],
        ["run", "--lang=en", "--data-dir=/y", "--headless", "--verbose"],
        ["--data-dir", "run"],
        ["run", "--camera="],
    ],
)
def test_quick_run_arguments_are_what_argparse_gives(argv):
    from kiosk.cli.parser import parse_args
    from kiosk.cli.quick_args import parse_run

    quick = parse_run(argv)
    assert quick is not None
    assert vars(quick) == vars(parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--demo"],  # a run option before the command: argparse reports it
        ["run", "--lang", "fr"],
        ["run", "--camera", "-1"],
        ["run", "--cam", "x"],  # an abbreviation: argparse resolves it
        ["run", "extra"],
        ["run", "run"],
        ["--data-dir"],
        ["--help"],
        ["run", "--demo=1"],
        ["stats"],
        ["-vv"],
    ],
)
def test_anything_else_goes_to_argparse(argv):
    from kiosk.cli.quick_args import parse_run

    assert parse_run(argv) is None


class PaintSpy(QObject):
    def __init__(self, opener) -> None:
        super().__init__()
        self.opener = opener
        self.painted_before_open = None

    def eventFilter(self, _obj, event):
        if event.type() == QEvent.Type.Paint and self.painted_before_open is None:
            self.painted_before_open = not self.opener.started and self.opener.result is None
        return False


def test_welcome_first_then_station_and_early_scans_wait(qtbot, demo_station, timing, tmp_path):
    from kiosk.core.station import StationService
    from kiosk.ui.boot import start_touchscreen

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
    from kiosk.ui.boot import start_touchscreen

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
