"""Study records: reading sessions, quiz grading, attempts and points.

Points reward understanding, not time: only a passed quiz earns them, once per material
version, and never more than ``study.points_daily_cap`` a day. Questions a person got wrong
in their latest attempt are asked first next time. Every record writes its outbox event in
the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from kiosk.core import settings_store
from kiosk.core.study.package import (
    Quiz,
)
from kiosk.events.schema import (
    QuizAttempted,
    StudySessionRecorded,
)
from kiosk.store.models import QuizAttempt, StudyPoints, StudySession
from kiosk.store.outbox import append_event

MAX_SESSION_SECONDS = 4 * 3600


# -- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRecord:
    """One sitting as the reader saw it; the store clamps and dates it."""

    material_id: str
    material_version: int
    person_id: str | None
    started_at: datetime
    ended_at: datetime
    pages_seen: int
    pages_total: int
    finished: bool


def record_session(session: Session, rec: SessionRecord, now: datetime) -> str:
    seconds = int((rec.ended_at - rec.started_at).total_seconds())
    seconds = max(0, min(seconds, MAX_SESSION_SECONDS))
    row = StudySession(
        id=str(uuid.uuid4()),
        person_id=rec.person_id,
        material_id=rec.material_id,
        material_version=rec.material_version,
        started_at=rec.started_at,
        ended_at=rec.ended_at,
        seconds=seconds,
        pages_seen=rec.pages_seen,
        pages_total=rec.pages_total,
        finished=rec.finished,
    )
    session.add(row)
    append_event(
        session,
        StudySessionRecorded(
            session_id=row.id,
            person_id=rec.person_id,
            material_id=rec.material_id,
            material_version=rec.material_version,
            started_at=rec.started_at,
            ended_at=rec.ended_at,
            seconds=seconds,
            pages_seen=rec.pages_seen,
            pages_total=rec.pages_total,
            finished=rec.finished,
        ),
        now,
    )
    return row.id


# -- quizzes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    answers: list[dict[str, object]]  # [{question, chosen, correct}]
    correct: int
    total: int
    score: int  # percent

    @property
    def wrong(self) -> list[str]:
        return [str(a["question"]) for a in self.answers if not a["correct"]]


def grade(quiz: Quiz, chosen: Mapping[str, Sequence[int]]) -> Graded:
    """Score every question of the quiz; an unanswered question counts as wrong."""
    answers = []
    for q in quiz.questions:
        picked = sorted(set(chosen.get(q.id, ())))
        answers.append({"question": q.id, "chosen": picked, "correct": picked == sorted(q.answer)})
    correct = sum(1 for a in answers if a["correct"])
    total = len(quiz.questions)
    return Graded(answers, correct, total, round(100 * correct / total))


@dataclass(frozen=True)
class AttemptResult:
    attempt_id: str
    correct: int
    total: int
    score: int
    passed: bool
    points: int
    reason: Literal["awarded", "anonymous", "failed", "already_awarded", "daily_cap"]
    wrong: list[str] = field(default_factory=list)


def local_tz(session: Session) -> ZoneInfo:
    try:
        return ZoneInfo(str(settings_store.get_setting(session, "station.timezone")))
    except (ValueError, KeyError):
        return ZoneInfo("Asia/Shanghai")


def points_today(session: Session, person_id: str, day: date) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(StudyPoints.points), 0)).where(
                StudyPoints.person_id == person_id, StudyPoints.local_day == day
            )
        )
        or 0
    )


def record_attempt(
    session: Session,
    *,
    person_id: str | None,
    material_id: str,
    material_version: int,
    quiz: Quiz,
    chosen: Mapping[str, Sequence[int]],
    now: datetime,
    session_id: str | None = None,
) -> AttemptResult:
    graded = grade(quiz, chosen)
    passed = graded.score >= int(settings_store.get_setting(session, "study.pass_percent"))
    points, reason = 0, "failed"
    day = now.astimezone(local_tz(session)).date()
    if passed and person_id is None:
        reason = "anonymous"
    elif passed and person_id is not None:
        earned_before = session.scalar(
            select(func.count())
            .select_from(QuizAttempt)
            .where(
                QuizAttempt.person_id == person_id,
                QuizAttempt.material_id == material_id,
                QuizAttempt.material_version == material_version,
                QuizAttempt.points > 0,
            )
        )
        per_quiz = int(settings_store.get_setting(session, "study.points_per_quiz"))
        room = int(settings_store.get_setting(session, "study.points_daily_cap")) - points_today(
            session, person_id, day
        )
        if earned_before:
            reason = "already_awarded"
        elif room <= 0 or per_quiz <= 0:
            reason = "daily_cap"
        else:
            points, reason = min(per_quiz, room), "awarded"
    attempt = QuizAttempt(
        id=str(uuid.uuid4()),
        session_id=session_id,
        person_id=person_id,
        material_id=material_id,
        material_version=material_version,
        answers=graded.answers,
        correct=graded.correct,
        total=graded.total,
        score=graded.score,
        passed=passed,
        points=points,
        attempted_at=now,
    )
    session.add(attempt)
    if points and person_id is not None:
        session.add(
            StudyPoints(
                person_id=person_id,
                points=points,
                reason="quiz_passed",
                attempt_id=attempt.id,
                material_id=material_id,
                local_day=day,
                created_at=now,
            )
        )
    append_event(
        session,
        QuizAttempted(
            attempt_id=attempt.id,
            session_id=session_id,
            person_id=person_id,
            material_id=material_id,
            material_version=material_version,
            answers=graded.answers,
            correct=graded.correct,
            total=graded.total,
            score=graded.score,
            passed=passed,
            points=points,
            local_day=day,
            attempted_at=now,
        ),
        now,
    )
    return AttemptResult(
        attempt.id,
        graded.correct,
        graded.total,
        graded.score,
        passed,
        points,
        reason,  # type: ignore[arg-type]
        graded.wrong,
    )


def review_queue(session: Session, person_id: str | None, material_id: str) -> list[str]:
    """Question ids this person got wrong in their latest attempt at this material."""
    if person_id is None:
        return []
    latest = session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.person_id == person_id, QuizAttempt.material_id == material_id)
        .order_by(QuizAttempt.attempted_at.desc(), literal_column("rowid").desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    return [str(a["question"]) for a in latest.answers if not a.get("correct")]


def order_questions(quiz: Quiz, review: Sequence[str]) -> list[str]:
    """Every question id, the ones to review first (in quiz order within each group)."""
    ids = [q.id for q in quiz.questions]
    first = [i for i in ids if i in set(review)]
    return first + [i for i in ids if i not in set(review)]
