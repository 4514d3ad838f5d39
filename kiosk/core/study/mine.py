"""我的学习: what one person has read, their points, and what is new since their last visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.study.catalogue import MaterialView, list_materials
from kiosk.core.study.records import (
    local_tz,
    points_today,
    review_queue,
)
from kiosk.store.models import QuizAttempt, StudyPoints, StudySession

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
        points_today(session, person_id, now.astimezone(local_tz(session)).date()),
        sorted(read.values(), key=lambda r: r.last_read_at, reverse=True),
        new,
        last_visit,
        review,
    )
