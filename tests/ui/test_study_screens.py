"""讲习所 on the touchscreen: browse → read → turn pages → quiz → score → records written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.core.results import Method
from kiosk.screen_names import Screen
from kiosk.store.models import QuizAttempt, StudySession


@pytest.fixture
def slow_idle(window):
    window.timing.idle_ms = 60_000
    return window


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=10_000)


def open_study(qtbot, window) -> None:
    window.show_screen(Screen.STUDY)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(window.study_flow.materials), timeout=10_000)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_everything_right(qtbot, quiz) -> None:
    while quiz.next.text() != "看成绩" or not quiz.next.isVisible():
        q = quiz.current()
        if q.kind == "single":
            click(qtbot, quiz.option_buttons[q.answer[0]])
        else:
            for n in q.answer:
                click(qtbot, quiz.option_buttons[n])
            click(qtbot, quiz.confirm)
        assert quiz.feedback.text().startswith("答对了")
        if quiz.next.text() == "看成绩":
            break
        click(qtbot, quiz.next)
    click(qtbot, quiz.next)


def rows(station, model):
    with station.db.read() as s:
        return list(s.scalars(select(model)))


def test_browse_read_quiz_and_records(qtbot, slow_idle, demo_station) -> None:
    window = slow_idle
    token = next(iter(demo_station.badges.values()))
    window.submit_code(token, Method.SCANNER)
    qtbot.waitUntil(lambda: window.current is Screen.GREETING, timeout=5_000)
    window.show_screen(Screen.WELCOME)  # 好的
    settle(qtbot, window)
    flow = window.study_flow
    assert flow.current_person() is not None

    open_study(qtbot, window)
    page = flow.page
    assert page.mine.isEnabled()
    assert "8" not in page.tiles["急救"].text_label.text()  # counts per category
    click(qtbot, page.tiles["安全"])
    assert window.current is Screen.STUDY_LIST
    card = next(c for c in flow.list_page.cards if c.material.id == "heat-cold")
    click(qtbot, card)
    reader = flow.reader
    assert window.current is Screen.STUDY_READER
    assert reader.view.page == 0 and reader.view.page_count >= 2
    assert not reader.prev.isEnabled() and not reader.quiz.isVisible()

    pages = reader.view.page_count
    click(qtbot, reader.bigger)
    assert reader.view.page_count >= pages  # bigger type, at least as many pages
    while reader.next.isVisible():
        click(qtbot, reader.next)
    assert reader.position.text() == f"{reader.view.page_count} / {reader.view.page_count}"
    click(qtbot, reader.quiz)
    settle(qtbot, window)
    assert window.current is Screen.STUDY_QUIZ

    answer_everything_right(qtbot, flow.quiz)
    assert "100 分" in flow.quiz.score.text()
    settle(qtbot, window)
    assert "10 积分" in flow.quiz.points.text()

    [session] = rows(demo_station, StudySession)
    assert (session.material_id, session.finished) == ("heat-cold", True)
    assert session.person_id == flow.person_id
    [attempt] = rows(demo_station, QuizAttempt)
    assert (attempt.score, attempt.passed, attempt.points) == (100, True, 10)
    assert attempt.session_id == session.id

    click(qtbot, flow.quiz.done)
    assert window.current is Screen.STUDY
    click(qtbot, page.mine)
    settle(qtbot, window)
    assert window.current is Screen.MY_STUDY
    assert flow.mine.points.text() == "积分 10"


def test_anonymous_reader_wrong_answers_and_no_points(qtbot, slow_idle, demo_station) -> None:
    window = slow_idle
    flow = window.study_flow
    open_study(qtbot, window)
    assert not flow.page.mine.isEnabled()
    material = next(m for m in flow.materials if m.id == "station-guide")
    flow.open_material(material)
    while flow.reader.next.isVisible():
        click(qtbot, flow.reader.next)
    click(qtbot, flow.reader.quiz)
    settle(qtbot, window)
    quiz = flow.quiz
    for _ in quiz.run.order:
        q = quiz.current()
        wrong = next(n for n in range(len(q.options)) if n not in q.answer)
        click(qtbot, quiz.option_buttons[wrong])
        assert quiz.feedback.text().startswith("答错了")
        click(qtbot, quiz.next)
    settle(qtbot, window)
    assert "0 分" in quiz.score.text() and "再读一遍" in quiz.points.text()
    [attempt] = rows(demo_station, QuizAttempt)
    assert (attempt.person_id, attempt.passed, attempt.points) == (None, False, 0)


def test_the_study_corner_names_a_compound_surname_whole(qtbot, slow_idle, demo_station) -> None:
    """欧阳 is one surname: 欧阳师傅, as the greeting says it (core.messages.salutation)."""
    window = slow_idle
    person = demo_station.add_person(name="欧阳娜娜", trade="环卫")
    window.bridge.checkin_person(person.id)
    qtbot.waitUntil(lambda: window.current is Screen.GREETING, timeout=5_000)
    assert window.greeting.headline.text() == "欧阳师傅，欢迎回家！"
    window.show_screen(Screen.WELCOME)  # 好的
    open_study(qtbot, window)
    assert window.study_flow.person_name == "欧阳师傅"
    assert window.study_flow.page.hint.text() == "欧阳师傅，学完答题及格可以得积分"


def test_turning_pages_keeps_the_reader_open_and_idle_returns_to_welcome(
    qtbot, window, demo_station
) -> None:
    flow = window.study_flow
    window.timing.idle_ms = 60_000
    open_study(qtbot, window)
    window.timing.idle_ms = 600
    flow.open_material(next(m for m in flow.materials if m.id == "heat-cold"))
    for _ in range(4):  # 4 × 300 ms > the 600 ms idle limit, but each turn is activity
        qtbot.wait(300)
        click(qtbot, flow.reader.next if flow.reader.next.isVisible() else flow.reader.prev)
        assert window.current is Screen.STUDY_READER
    qtbot.waitUntil(lambda: window.current is Screen.WELCOME, timeout=3_000)
    settle(qtbot, window)
    [session] = rows(demo_station, StudySession)
    assert session.pages_seen >= 2 and session.person_id is None


def test_study_screens_render_at_three_sizes(tmp_path, demo_station) -> None:
    from kiosk.ui.screenshots import render_screenshot

    for size in ((1280, 800), (800, 1280)):
        for screen in ("study-reader", "study-score"):
            out = tmp_path / f"{screen}-{size[0]}.png"
            assert (
                render_screenshot(demo_station, screen=screen, out=out, size=size, lang="zh") == 0
            )
            assert out.stat().st_size > 5_000
