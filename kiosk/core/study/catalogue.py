"""The study catalogue: one row per installed package, with its outbox event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.study.package import (
    Package,
)
from kiosk.core.study.store import MaterialStore
from kiosk.events.schema import (
    MaterialInstalled,
)
from kiosk.store.models import StudyMaterial
from kiosk.store.outbox import append_event

Source = Literal["starter", "import", "sync"]


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
    store = MaterialStore(data_dir / "materials")
    views = []
    for row in session.scalars(select(StudyMaterial).order_by(StudyMaterial.category)):
        manifest = store.manifest_at(data_dir / row.path)
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
    row.path = package.root.relative_to(data_dir).as_posix()
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
