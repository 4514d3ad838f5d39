"""``kiosk screenshot``: one scene of the touchscreen, rendered offscreen to a PNG.

The scenes are named in :mod:`kiosk.screen_names`: every screen by its name, shown as it is,
plus the variants below. Pages are driven only through their public methods, with demo data
and without writing records; station results are waited for on the bridge's
``idle_changed`` signal.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.results import Greeting, Outcome, ScanResult
from kiosk.screen_names import SCREENSHOT_SCENES, Screen
from kiosk.ui.app_setup import build_window, load_translation, make_app

if TYPE_CHECKING:
    from kiosk.core.station import StationService
    from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")
WAIT_MS = 15_000  # the first visit to 讲习所 installs the starter library


def wait_for_station(window: MainWindow, timeout_ms: int = WAIT_MS) -> None:
    """Until no station call is pending (waits on ``idle_changed``), then the posted events."""
    app = QApplication.instance()
    assert app is not None
    app.processEvents()
    if window.bridge.pending:
        loop = QEventLoop()
        window.bridge.idle_changed.connect(loop.quit)
        timer = QTimer(singleShot=True, interval=timeout_ms)
        timer.timeout.connect(loop.quit)
        timer.start()
        while window.bridge.pending and timer.isActive():
            loop.exec()
        timer.stop()
        window.bridge.idle_changed.disconnect(loop.quit)
    app.processEvents()


def _sample_results(station: StationService) -> dict[str, ScanResult]:
    """Greeting examples built from the demo roster without writing any visit."""
    people = station.people()
    person = next((p for p in people if p.party_member), people[0] if people else None)
    now = station.clock.now()
    base = ScanResult(
        Outcome.CHECKED_IN,
        Greeting.PERSON,
        person_id=person.id if person else None,
        person=person,
        trade=person.trade if person else "环卫",
        checked_in_at=now,
        month_visits=7,
    )
    return {
        "greeting": base,
        "checkout": replace(
            base,
            outcome=Outcome.CHECKED_OUT,
            checked_in_at=now - timedelta(minutes=42),
            checked_out_at=now,
            rest_seconds=42 * 60,
            month_visits=None,
        ),
        "refusal": ScanResult(Outcome.REFUSED, reason="expired"),
    }


def _search(window: MainWindow) -> None:
    window.show_screen(Screen.SEARCH)
    for letter in "ZJ":
        window.search.type_letter(letter)


def _open_study(window: MainWindow) -> None:
    window.show_screen(Screen.STUDY)
    wait_for_station(window)


def _largest(window: MainWindow):
    return max(window.study_flow.materials, key=lambda m: m.size)


def _study_list(window: MainWindow) -> None:
    _open_study(window)
    window.study_flow.choose_category(_largest(window).category)


def _study_reader(window: MainWindow) -> None:
    _open_study(window)
    window.study_flow.open_material(_largest(window))


def _quiz(window: MainWindow, *, scored: bool) -> None:
    """The largest material's quiz: a first answer's feedback, or a score of all but one."""
    from kiosk.core.materials import load_content
    from kiosk.core.study import AttemptResult
    from kiosk.ui.screens.study_quiz import QuizRun

    _open_study(window)
    largest = _largest(window)
    content = load_content(largest.folder)
    assert content.quiz is not None
    order = [q.id for q in content.quiz.questions]
    window.show_screen(Screen.STUDY_QUIZ, QuizRun(largest, content, order, {order[0]}))
    quiz = window.study_flow.quiz
    if not scored:
        quiz.answer(0)  # shows the feedback for a first answer
        return
    quiz.chosen = {q.id: list(q.answer) for q in content.quiz.questions[1:]}
    quiz.show_score()
    total = len(order)
    quiz.show_result(
        AttemptResult("-", total - 1, total, round(100 * (total - 1) / total), True, 10, "awarded")
    )


def _my_study(window: MainWindow) -> None:
    from kiosk.core.study import MyStudy, ReadItem

    _open_study(window)
    materials = window.study_flow.materials
    now = window.now()
    mine = MyStudy(
        person_id="-",
        points_total=40,
        points_today=10,
        read=[
            ReadItem(m.id, m.title, i % 2 == 0, now, 80 if i % 2 == 0 else None)
            for i, m in enumerate(materials[:3])
        ],
        new_since_last_visit=materials[3:5],
        last_visit=now,
        review_count=2,
    )
    window.show_screen(Screen.MY_STUDY)
    window.study_flow.mine.show_summary(mine, "张师傅")


def _keeper_stats(window: MainWindow) -> None:
    """统计 for a whole month: last month's (a busy month's figures take a while)."""
    from kiosk.ui.screens.keeper_stats import shift_month

    today = window.now().astimezone(window.tz).date()
    window.show_screen(Screen.KEEPER_STATS, shift_month(today.replace(day=1), -1))
    wait_for_station(window)


# Scenes that need more than ``show_screen(Screen(name))``.
SCENES: dict[str, Callable[[MainWindow], None]] = {
    "search": _search,
    "study": _open_study,
    "study-list": _study_list,
    "study-reader": _study_reader,
    "study-quiz": lambda window: _quiz(window, scored=False),
    "study-score": lambda window: _quiz(window, scored=True),
    "my-study": _my_study,
    "keeper-stats": _keeper_stats,
}


def show_scene(window: MainWindow, station: StationService, scene: str) -> None:
    """Drive ``window`` to ``scene`` (one of ``SCREENSHOT_SCENES``), writing no records."""
    samples = _sample_results(station)
    if scene in samples:
        window.show_result(samples[scene])
    elif scene in SCENES:
        SCENES[scene](window)
    else:
        window.show_screen(Screen(scene))


def render_screenshot(
    station: StationService, *, screen: str, out: Path, size: tuple[int, int], lang: str
) -> int:
    """Render scene ``screen`` at ``size`` into ``out``; 0 when written."""
    if screen not in SCREENSHOT_SCENES:
        known = ", ".join(SCREENSHOT_SCENES)
        raise ValueError(f"unknown screen {screen!r}; expected one of {known}")
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_app()
    translators = load_translation(app, lang)
    window = build_window(station, lang=lang)
    try:
        window.apply_scale(*size)
        window.resize(*size)
        window.show()
        wait_for_station(window)
        show_scene(window, station, screen)
        wait_for_station(window)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            log.error("could not write %s", out)
            return 1
        log.info("wrote %s (%s, %dx%d, %s)", out, screen, size[0], size[1], lang)
        return 0
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        for t in translators:
            app.removeTranslator(t)
        app.processEvents()
