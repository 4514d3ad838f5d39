"""The study corner's rules: the catalogue, sessions, quiz scoring, points, 我的学习.

Points reward understanding, not time: only a passed quiz earns them, once per material
version, and never more than ``study.points_daily_cap`` a day. Questions a person got wrong
in their latest attempt are asked first next time. Every record writes its outbox event in
the same transaction. ``StudyService`` runs these on the station's database thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from kiosk.core import settings_store
from kiosk.core.materials import (
    InstallResult,
    MaterialStore,
    Package,
    PackageError,
    Quiz,
    starter_packages,
)
from kiosk.events.schema import (
    MaterialInstalled,
    MaterialRemoved,
    QuizAttempted,
    StudySessionRecorded,
)
from kiosk.store.models import QuizAttempt, StudyMaterial, StudyPoints, StudySession
from kiosk.store.outbox import append_event

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_SESSION_SECONDS = 4 * 3600
Source = Literal["starter", "import", "sync"]


# -- the catalogue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialView:
    id: str
    version: int
    title: str
    category: str
    summary: str
    author: str | None
    published_on: date | None
    folder: Path
    cover: Path | None
    question_count: int
    installed_at: datetime
    size: int
    sha256: str
    source: str


def _view(row: StudyMaterial, data_dir: Path, cover: str | None = None) -> MaterialView:
    folder = data_dir / row.path
    return MaterialView(
        id=row.id,
        version=row.version,
        title=row.title,
        category=row.category,
        summary=row.summary,
        author=row.author,
        published_on=row.published_on,
        folder=folder,
        cover=folder / cover if cover else None,
        question_count=row.question_count,
        installed_at=row.installed_at,
        size=row.size,
        sha256=row.sha256,
        source=row.source,
    )


def list_materials(session: Session, data_dir: Path) -> list[MaterialView]:
    from kiosk.core.materials import MaterialStore

    store = MaterialStore(data_dir / "materials")
    views = []
    for row in session.scalars(select(StudyMaterial).order_by(StudyMaterial.category)):
        manifest = store.installed_manifest(row.id)
        views.append(_view(row, data_dir, manifest.cover if manifest else None))
    return views


def register_package(
    session: Session, package: Package, data_dir: Path, source: Source, now: datetime
) -> None:
    """Upsert the catalogue row for an installed package, with its outbox event."""
    m = package.manifest
    row = session.get(StudyMaterial, m.id) or StudyMaterial(id=m.id)
    row.version = m.version
    row.title = m.title
    row.category = m.category
    row.summary = m.summary
    row.author = m.author
    row.published_on = m.date
    row.path = f"materials/{m.id}"
    row.sha256 = package.sha256
    row.size = package.size
    row.question_count = len(package.quiz.questions) if package.quiz else 0
    row.source = source
    row.installed_at = now
    session.add(row)
    append_event(
        session,
        MaterialInstalled(
            material_id=m.id,
            version=m.version,
            title=m.title,
            category=m.category,
            sha256=package.sha256,
            size=package.size,
            question_count=row.question_count,
            source=source,
            installed_at=now,
        ),
        now,
    )


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


def _tz(session: Session) -> ZoneInfo:
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
    day = now.astimezone(_tz(session)).date()
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


# -- 我的学习 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadItem:
    material_id: str
    title: str
    finished: bool
    last_read_at: datetime
    best_score: int | None


@dataclass(frozen=True)
class MyStudy:
    person_id: str
    points_total: int
    points_today: int
    read: list[ReadItem]
    new_since_last_visit: list[MaterialView]
    last_visit: datetime | None
    review_count: int  # questions waiting to be answered again


def my_study(session: Session, person_id: str, data_dir: Path, now: datetime) -> MyStudy:
    materials = {m.id: m for m in list_materials(session, data_dir)}
    sessions = list(
        session.scalars(
            select(StudySession)
            .where(StudySession.person_id == person_id)
            .order_by(StudySession.started_at.desc())
        )
    )
    attempts = list(session.scalars(select(QuizAttempt).where(QuizAttempt.person_id == person_id)))
    best: dict[str, int] = {}
    for a in attempts:
        best[a.material_id] = max(best.get(a.material_id, 0), a.score)
    read: dict[str, ReadItem] = {}
    for s in sessions:
        item = read.get(s.material_id)
        title = materials[s.material_id].title if s.material_id in materials else s.material_id
        read[s.material_id] = ReadItem(
            s.material_id,
            title,
            s.finished or (item.finished if item else False),
            item.last_read_at if item else s.ended_at,
            best.get(s.material_id),
        )
    # "Since the last visit": before this visit's sessions (the last hour does not count).
    earlier = [s.started_at for s in sessions if s.started_at < now - timedelta(hours=1)]
    last_visit = earlier[0] if earlier else None
    new = [
        m
        for m in materials.values()
        if m.id not in read and (last_visit is None or m.installed_at > last_visit)
    ]
    new.sort(key=lambda m: m.installed_at, reverse=True)
    review = sum(
        len(review_queue(session, person_id, mid)) for mid in {a.material_id for a in attempts}
    )
    total = int(
        session.scalar(
            select(func.coalesce(func.sum(StudyPoints.points), 0)).where(
                StudyPoints.person_id == person_id
            )
        )
        or 0
    )
    return MyStudy(
        person_id,
        total,
        points_today(session, person_id, now.astimezone(_tz(session)).date()),
        sorted(read.values(), key=lambda r: r.last_read_at, reverse=True),
        new,
        last_visit,
        review,
    )


# -- on the station's database thread ---------------------------------------------------------


class StudyService:
    """Study operations on the station's DB worker, like ``StationService``'s own methods.

    File work (unpacking, image checks) runs on the caller's thread; only the swap and the
    catalogue write happen on the database thread, so a big import never stalls a scan.
    """

    def __init__(self, station) -> None:  # a kiosk.core.station.StationService
        self.station = station
        self.store = MaterialStore(station.paths.data_dir / "materials")

    @property
    def data_dir(self) -> Path:
        return self.station.paths.data_dir

    def _write(self, fn: Callable[[Session, datetime], T]) -> T:
        def run() -> T:
            with self.station.db.write() as session:
                return fn(session, self.station.clock.now())

        return self.station.worker.call(run)

    def _read(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.station.db.read() as session:
                return fn(session)

        return self.station.worker.call(run)

    # -- packages ---------------------------------------------------------------------------

    def install_package(
        self, path: Path, source: Source = "import", expect: tuple[str, int] | None = None
    ) -> InstallResult:
        """Validate and install one package (folder or zip); raises PackageError if refused.

        The entry point for the CLI, the starter library and sync (after its download was
        verified against the feed's sha256 and size). ``expect``: the ``(id, version)`` the
        package must be (sync installs only what the hub announced).
        """
        self.store.recover()
        package = self.store.stage(Path(path))
        try:
            if expect is not None and (package.id, package.version) != expect:
                raise PackageError(
                    f"the package is {package.id} v{package.version}, "
                    f"not {expect[0]} v{expect[1]} as announced"
                )
            return self._write(lambda s, now: self._swap(s, package, source, now))
        finally:
            self.store.discard(package)  # a no-op once it was moved into place

    def _swap(self, s: Session, package: Package, source: Source, now: datetime) -> InstallResult:
        row = s.get(StudyMaterial, package.id)
        current = row.version if row is not None else None
        if current is None:
            disk = self.store.installed_manifest(package.id)
            current = disk.version if disk else None
        if current is not None and current > package.version:
            raise PackageError(
                f"{package.id}: version {current} is installed; "
                f"version {package.version} is older and was not installed"
            )
        if row is not None and current == package.version:
            if row.sha256 == package.sha256:
                return InstallResult(package, "unchanged", current)
            raise PackageError(
                f"{package.id}: version {current} is installed with different content; "
                "raise the version number to replace it"
            )
        staged = package.root
        old = self.store.swap_in(package)
        installed = Package(
            self.store.folder(package.id),
            package.manifest,
            package.quiz,
            package.sha256,
            package.size,
        )
        try:
            register_package(s, installed, self.data_dir, source, now)
            s.flush()
        except BaseException:
            self.store.undo_swap(package.id, old, staged)
            raise
        if old is not None:
            import shutil

            shutil.rmtree(old, ignore_errors=True)
        return InstallResult(installed, "upgraded" if current else "installed", current)

    def remove(self, material_id: str) -> int:
        def drop(s: Session, now: datetime) -> int:
            row = s.get(StudyMaterial, material_id)
            if row is None:
                raise PackageError(f"no installed material with id {material_id!r}")
            version = row.version
            s.delete(row)
            append_event(
                s, MaterialRemoved(material_id=material_id, version=version, removed_at=now), now
            )
            s.flush()
            self.store.remove(material_id)  # last: a failure before this rolls back
            return version

        return self._write(drop)

    def ensure_starter_library(self, resources: Path) -> list[InstallResult]:
        """Install the starter packages if no material is installed yet (first run, init)."""
        if self._read(lambda s: s.scalar(select(func.count()).select_from(StudyMaterial))):
            return []
        results = []
        for folder in starter_packages(resources):
            try:
                results.append(self.install_package(folder, "starter"))
            except PackageError as e:
                log.error("starter package %s refused: %s", folder.name, e)
        return results

    # -- catalogue and records --------------------------------------------------------------

    def materials(self) -> list[MaterialView]:
        return self._read(lambda s: list_materials(s, self.data_dir))

    def record_session(self, rec: SessionRecord) -> str:
        return self._write(lambda s, now: record_session(s, rec, now))

    def submit_quiz(
        self,
        person_id: str | None,
        material_id: str,
        material_version: int,
        quiz: Quiz,
        chosen: Mapping[str, Sequence[int]],
        session_id: str | None = None,
    ) -> AttemptResult:
        return self._write(
            lambda s, now: record_attempt(
                s,
                person_id=person_id,
                material_id=material_id,
                material_version=material_version,
                quiz=quiz,
                chosen=chosen,
                now=now,
                session_id=session_id,
            )
        )

    def review_queue(self, person_id: str | None, material_id: str) -> list[str]:
        return self._read(lambda s: review_queue(s, person_id, material_id))

    def my_study(self, person_id: str) -> MyStudy:
        now = self.station.clock.now()
        return self._read(lambda s: my_study(s, person_id, self.data_dir, now))


__all__ = ["PackageError", "StudyService"]
