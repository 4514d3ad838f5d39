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
    from kiosk.core.study.package import load_content
    from kiosk.core.study.records import AttemptResult
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
    from kiosk.core.study.mine import MyStudy, ReadItem

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


def _sample_activity(window: MainWindow):
    """A lecture at this station that started 20 minutes ago, with attendance (not stored)."""
    from kiosk.core.activities.model import (
        ActivityKind,
        ActivityState,
        AttendanceState,
        Category,
    )
    from kiosk.core.activities.views import ActivityDetail, ActivityView, AttendanceView

    station = window.bridge.station
    now = window.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=20)
    view = ActivityView(
        id="demo",
        kind=ActivityKind.LECTURE,
        title="安全生产宣讲",
        host_unit="区城管局",
        place=None,
        start_at=start,
        end_at=start + timedelta(hours=2),
        signin_opens_at=start - timedelta(hours=1),
        service_hours=True,
        source="keeper",
        stored_state=ActivityState.IN_PROGRESS,
        ended_at=None,
    )
    people = station.people() if station is not None else []
    cats = [Category.STATION_MEMBER, Category.MOBILE_MEMBER, Category.PUBLIC, Category.VOLUNTEER]
    rows = []
    for i, (name, pid) in enumerate([(p.name, p.id) for p in people[:5]] + [("王芳", None)]):
        left = i == 0  # the first one left early; the rest are still in
        rows.append(
            AttendanceView(
                id=f"a{i}",
                person_id=pid,
                name=name,
                unit="市妇联" if pid is None else None,
                category=cats[i % 4],
                guest=pid is None,
                method="guest" if pid is None else "camera",
                signed_in_at=start - timedelta(minutes=10 - i),
                signed_out_at=now - timedelta(minutes=5) if left else None,
                ended_by="self" if left else None,
                credited_minutes=15 if left else 0,
                state=AttendanceState.PENDING if left else AttendanceState.SIGNED_IN,
                review_reason=None,
            )
        )
    counts: dict[str, int] = {}
    for r in rows:
        key = r.category.value if r.category else "unset"
        counts[key] = counts.get(key, 0) + 1
    return view, ActivityDetail(view, rows, counts)


def _activity_greeting(window: MainWindow, *, joined: bool) -> None:
    """The greeting with 参加【title】 offered, or after the tap (committed)."""
    from kiosk.core.activities.views import SignInOutcome, SignInResult
    from kiosk.ui.activity_flow import ACTION_KEY
    from kiosk.ui.scan_actions import ScanAction

    assert window.bridge.station is not None
    window.show_result(_sample_results(window.bridge.station)["greeting"])
    wait_for_station(window)
    view, _detail = _sample_activity(window)
    window.greeting.add_action(ScanAction(ACTION_KEY, f"参加【{view.title}】", lambda: None))
    if joined:
        person = window.greeting.result.person if window.greeting.result else None
        result = SignInResult(
            SignInOutcome.SIGNED_IN,
            person_id=person.id if person else None,
            person_name=person.name if person else None,
            activity_title=view.title,
        )
        window.greeting.show_action_result(
            ACTION_KEY, window.activities._describe(result), "", "in"
        )


def _welcome_activity(window: MainWindow) -> None:
    from kiosk.ui.activity_flow import activity_line

    window.show_screen(Screen.WELCOME)
    wait_for_station(window)
    view, _detail = _sample_activity(window)
    text = activity_line(view, window.now(), window.tz, window.station_name)
    window.welcome.activity.setText(text)


def _activity_signin(window: MainWindow) -> None:
    window.show_screen(Screen.ACTIVITY_SIGNIN)
    wait_for_station(window)
    view, _detail = _sample_activity(window)
    flow = window.activities
    start = view.start_at.astimezone(window.tz)
    flow.signin.show_activity(view.id, f"【{view.title}】 {start:%H:%M}")
    flow.signin.query.setText("zj")
    wait_for_station(window)


def _activity_guest(window: MainWindow) -> None:
    from kiosk.core.activities.model import Category

    window.show_screen(Screen.ACTIVITY_SIGNIN)
    wait_for_station(window)
    view, _detail = _sample_activity(window)
    flow = window.activities
    window.show_screen(Screen.ACTIVITY_GUEST)
    wait_for_station(window)
    flow.guest.show_activity(f"【{view.title}】", is_open=True)
    flow.guest.name.setText("王芳")
    flow.guest.unit.setText("市妇联")
    flow.guest.category_buttons[Category.VOLUNTEER].setChecked(True)


def _keeper_activities(window: MainWindow) -> None:
    from kiosk.core.activities.model import ActivityKind, ActivityState

    window.show_screen(Screen.KEEPER_ACTIVITIES)
    wait_for_station(window)
    view, _detail = _sample_activity(window)
    later = replace(
        view,
        id="demo2",
        title="三月组织生活会",
        kind=ActivityKind.ORGANIZATION_LIFE,
        stored_state=ActivityState.SCHEDULED,
        start_at=view.start_at + timedelta(days=2),
        end_at=view.end_at + timedelta(days=2),
    )
    window.activities.list.show_activities([view, later], window.now(), window.tz)
    window.activities.list.show_unsent(3)


def _keeper_activity(window: MainWindow) -> None:
    window.show_screen(Screen.KEEPER_ACTIVITY)
    _view, detail = _sample_activity(window)
    window.activities.detail.show_detail(detail, window.now(), window.tz)


def _keeper_badge_find(window: MainWindow) -> None:
    window.show_screen(Screen.KEEPER_BADGE)
    for letter in "ZJ":
        window.keeper.badges.find.type_letter(letter)
    wait_for_station(window)


def _keeper_badge(window: MainWindow, station: StationService, *, lost: bool) -> None:
    """A demo person's 工牌 page; ``lost``: the confirmation 挂失补办 shows first."""
    people = station.people()
    if not people:
        window.show_screen(Screen.KEEPER_BADGE)
        return
    window.show_screen(Screen.KEEPER_BADGE_PERSON, people[0].id)
    wait_for_station(window)
    if lost:
        window.keeper.badges.page.lost_button.click()


def _keeper_camera(window: MainWindow, station: StationService) -> None:
    """摄像头检查 as the keeper sees it: a synthetic camera picture of a demo badge, read."""
    from kiosk.devices.meter import CameraReading
    from kiosk.devices.synthetic import camera_frame, qr_image
    from kiosk.qtglue.scanner import frame_to_qimage

    window.show_screen(Screen.KEEPER_CAMERA)
    page = window.keeper.camera
    page.timer.stop()  # a still picture: no polling of the (absent) camera
    page.show_camera((True, ""), CameraReading(1280, 720, 15.0, 900))
    people = station.people()
    name = people[0].name if people else "张建国"
    frame = camera_frame(qr_image("demo"), size=(1280, 720), scale=0.5, seed=1)
    image = frame_to_qimage(frame, width=640)
    if image is not None:
        page.show_frame(image)
    now = window.now().astimezone(window.tz)
    page.show_reading(
        f"{now:%H:%M:%S}", page.tr("{name}：工牌有效（没有签到）").format(name=name), True
    )


def _keeper_usb_offer(window: MainWindow) -> None:
    window.show_screen(Screen.KEEPER)
    window.keeper.sticks.stop()  # the offer as it appears; no polling of this machine
    window.keeper.sticks.offer.offer("KINGSTON")


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
    "welcome-activity": _welcome_activity,
    "activity-offer": lambda window: _activity_greeting(window, joined=False),
    "activity-joined": lambda window: _activity_greeting(window, joined=True),
    "activity-signin": _activity_signin,
    "activity-guest": _activity_guest,
    "keeper-activities": _keeper_activities,
    "keeper-activity": _keeper_activity,
    "keeper-badge": _keeper_badge_find,
    "keeper-usb-offer": _keeper_usb_offer,
}
# Scenes that read the station's roster.
STATION_SCENES: dict[str, Callable[[MainWindow, StationService], None]] = {
    "keeper-badge-person": lambda w, s: _keeper_badge(w, s, lost=False),
    "keeper-badge-lost": lambda w, s: _keeper_badge(w, s, lost=True),
    "keeper-camera": _keeper_camera,
}


def show_scene(window: MainWindow, station: StationService, scene: str) -> None:
    """Drive ``window`` to ``scene`` (one of ``SCREENSHOT_SCENES``), writing no records."""
    samples = _sample_results(station)
    if scene in samples:
        window.show_result(samples[scene])
    elif scene in SCENES:
        SCENES[scene](window)
    elif scene in STATION_SCENES:
        STATION_SCENES[scene](window, station)
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
