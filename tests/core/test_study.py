"""Study records: sessions, scoring, points and their daily cap, the wrong-question queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.core.clock import ManualClock
from kiosk.core.station import StationService
from kiosk.core.study.package import load_content
from kiosk.core.study.records import SessionRecord, grade, order_questions
from kiosk.core.study.service import StudyService
from kiosk.resources import resource
from kiosk.store.models import OutboxEvent, StudyPoints


@pytest.fixture
def study(station: StationService) -> StudyService:
    service = StudyService(station)
    service.ensure_starter_library(resource("materials"))
    return service


@pytest.fixture
def person(station: StationService) -> str:
    return station.add_person(name="张建国", trade="环卫").id


def answers(material_id: str, right: int) -> tuple[object, dict[str, list[int]]]:
    """Chosen answers with the first ``right`` questions correct and the rest wrong."""
    quiz = load_content(resource("materials", material_id)).quiz
    chosen = {}
    for i, q in enumerate(quiz.questions):
        wrong = [n for n in range(len(q.options)) if n not in q.answer][:1]
        chosen[q.id] = list(q.answer) if i < right else wrong
    return quiz, chosen


def events(station: StationService, type_: str) -> list[dict]:
    with station.db.read() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.type == type_))
        return [e.payload for e in rows]


def test_grade_counts_multiple_choice_only_when_exact() -> None:
    quiz, chosen = answers("heat-cold", right=5)
    assert grade(quiz, chosen).score == 100
    chosen["q3"] = [0, 1]  # multiple choice, one right option missing
    graded = grade(quiz, chosen)
    assert (graded.correct, graded.total, graded.score, graded.wrong) == (4, 5, 80, ["q3"])
    del chosen["q1"]
    assert "q1" in grade(quiz, chosen).wrong


def test_session_is_recorded_with_clamped_seconds_and_an_event(
    study: StudyService, station: StationService, clock: ManualClock, person: str
) -> None:
    start = clock.now()
    rec = SessionRecord("heat-cold", 1, person, start, start + timedelta(seconds=95), 5, 6, False)
    study.record_session(rec)
    study.record_session(
        SessionRecord("heat-cold", 1, None, start, start + timedelta(hours=9), 6, 6, True)
    )
    sent = events(station, "study.session_recorded")
    assert [(e["person_id"], e["seconds"], e["finished"]) for e in sent] == [
        (person, 95, False),
        (None, 4 * 3600, True),
    ]


def test_points_only_for_a_passed_quiz_once_per_material(
    study: StudyService, station: StationService, person: str
) -> None:
    quiz, failing = answers("heat-cold", right=2)  # 40 %
    result = study.submit_quiz(person, "heat-cold", 1, quiz, failing)
    assert (result.passed, result.points, result.reason) == (False, 0, "failed")
    quiz, passing = answers("heat-cold", right=3)  # 60 % passes
    result = study.submit_quiz(person, "heat-cold", 1, quiz, passing)
    assert (result.passed, result.points, result.reason) == (True, 10, "awarded")
    again = study.submit_quiz(person, "heat-cold", 1, quiz, passing)
    assert (again.points, again.reason) == (0, "already_awarded")
    anonymous = study.submit_quiz(None, "heat-cold", 1, quiz, passing)
    assert (anonymous.points, anonymous.reason) == (0, "anonymous")
    sent = events(station, "quiz.attempted")
    assert [(e["score"], e["passed"], e["points"]) for e in sent] == [
        (40, False, 0),
        (60, True, 10),
        (60, True, 0),
        (60, True, 0),
    ]
    assert sent[0]["answers"][0] == {"question": "q1", "chosen": [1], "correct": True}


def test_points_are_capped_per_day(
    study: StudyService, station: StationService, clock: ManualClock, person: str
) -> None:
    station.set_setting("study.points_daily_cap", "25")
    earned = []
    for material in ("heat-cold", "road-safety", "first-aid", "anti-fraud"):
        quiz, chosen = answers(material, right=5)
        earned.append(study.submit_quiz(person, material, 1, quiz, chosen).points)
    assert earned == [10, 10, 5, 0]
    clock.advance(days=1)
    quiz, chosen = answers("garbage-sorting", right=5)
    assert study.submit_quiz(person, "garbage-sorting", 1, quiz, chosen).points == 10
    with station.db.read() as s:
        assert sum(p.points for p in s.scalars(select(StudyPoints))) == 35


def test_wrong_questions_come_back_first_next_time(study: StudyService, person: str) -> None:
    quiz, chosen = answers("first-aid", right=5)
    chosen["q2"], chosen["q4"] = [0], [2]
    study.submit_quiz(person, "first-aid", 1, quiz, chosen)
    review = study.review_queue(person, "first-aid")
    assert review == ["q2", "q4"]
    assert order_questions(quiz, review) == ["q2", "q4", "q1", "q3", "q5"]
    quiz, chosen = answers("first-aid", right=5)
    study.submit_quiz(person, "first-aid", 1, quiz, chosen)
    assert study.review_queue(person, "first-aid") == []
    assert study.review_queue(None, "first-aid") == []


def test_my_study_shows_reading_points_and_what_is_new(
    study: StudyService, station: StationService, clock: ManualClock, person: str, tmp_path
) -> None:
    start = clock.now()
    study.record_session(
        SessionRecord("road-safety", 1, person, start, start + timedelta(minutes=3), 4, 4, True)
    )
    quiz, chosen = answers("road-safety", right=4)
    study.submit_quiz(person, "road-safety", 1, quiz, chosen)
    mine = study.my_study(person)
    assert (mine.points_total, mine.points_today) == (10, 10)
    assert [(r.material_id, r.finished, r.best_score) for r in mine.read] == [
        ("road-safety", True, 100)
    ]
    assert mine.last_visit is None
    assert "road-safety" not in {m.id for m in mine.new_since_last_visit}

    # a week later a new material arrives: it is new since the last visit
    clock.advance(days=7)
    from tests.core.test_materials import make_package

    study.install_package(make_package(tmp_path / "new", pkg_id="new-pack"))
    mine = study.my_study(person)
    assert mine.last_visit == start
    assert [m.id for m in mine.new_since_last_visit] == ["new-pack"]
