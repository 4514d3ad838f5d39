"""``StudyService``: the study corner's operations on the station's database thread."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.db_thread import OnDbThread
from kiosk.core.study.catalogue import MaterialView, Source, list_materials, register_package
from kiosk.core.study.importer import starter_packages
from kiosk.core.study.mine import MyStudy, my_study
from kiosk.core.study.package import (
    InstallResult,
    Package,
    PackageError,
    Quiz,
)
from kiosk.core.study.records import (
    AttemptResult,
    SessionRecord,
    record_attempt,
    record_session,
    review_queue,
)
from kiosk.core.study.store import MaterialStore
from kiosk.events.schema import (
    MaterialRemoved,
)
from kiosk.store.models import StudyMaterial
from kiosk.store.outbox import append_event

if TYPE_CHECKING:
    from kiosk.core.station import StationService

log = logging.getLogger(__name__)


class StudyService(OnDbThread):
    """Study operations on the station's DB worker, like ``StationService``'s own methods.

    File work (unpacking, image checks) runs on the caller's thread; only the swap and the
    catalogue write happen on the database thread, so a big import never stalls a scan.
    """

    def __init__(self, station: StationService) -> None:
        self.station = station
        self.db = station.db
        self.worker = station.worker
        self.store = MaterialStore(station.paths.data_dir / "materials")

    def _now(self) -> datetime:
        return self.station.clock.now()

    @property
    def data_dir(self) -> Path:
        return self.station.paths.data_dir

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
