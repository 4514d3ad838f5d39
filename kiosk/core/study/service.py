"""``StudyService``: the study corner's operations on the station's database thread."""

from __future__ import annotations

import logging
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
        self._tidied = False

    def _now(self) -> datetime:
        return self.station.clock.now()

    @property
    def data_dir(self) -> Path:
        return self.station.paths.data_dir

    # -- packages ---------------------------------------------------------------------------

    def tidy(self) -> None:
        """At start: move packages from the earlier on-disk layout into version folders and
        remove every version folder that no catalogue row names and no reader holds.

        On the database thread, so it never runs between an install's move into place and
        its catalogue commit."""
        self.worker.call(self._tidy)

    def _tidy(self) -> None:
        def current(s: Session) -> list[tuple[str, str]]:
            return [(r.id, r.path) for r in s.scalars(select(StudyMaterial))]

        rows = self._read(current)
        moved = self.store.upgrade_layout()
        fixes = {}
        for material_id, path in rows:
            if material_id in moved:
                fixes[material_id] = moved[material_id]
            elif len(Path(path).parts) != 3:  # moved before a crash, the row not yet
                newest = self.store.versions(material_id)
                if newest:
                    fixes[material_id] = newest[-1]
        if fixes:

            def repoint(s: Session, now: datetime) -> None:
                for material_id, folder in fixes.items():
                    row = s.get(StudyMaterial, material_id)
                    if row is not None:
                        row.path = folder.relative_to(self.data_dir).as_posix()

            self._write(repoint)
            rows = self._read(current)
        self.store.clean(self.data_dir / path for _, path in rows)
        self._tidied = True

    def _tidy_once(self) -> None:
        if not self._tidied:
            self.tidy()

    def install_package(
        self, path: Path, source: Source = "import", expect: tuple[str, int] | None = None
    ) -> InstallResult:
        """Validate and install one package (folder or zip); raises PackageError if refused.

        The entry point for the CLI, the starter library and sync (after its download was
        verified against the feed's sha256 and size). ``expect``: the ``(id, version)`` the
        package must be (sync installs only what the hub announced). The new version gets a
        folder of its own; the previous one goes once no open reader holds it.
        """
        self._tidy_once()
        package = self.store.stage(Path(path))
        try:
            if expect is not None and (package.id, package.version) != expect:
                raise PackageError(
                    f"the package is {package.id} v{package.version}, "
                    f"not {expect[0]} v{expect[1]} as announced"
                )
            result, previous = self._write(lambda s, now: self._swap(s, package, source, now))
        finally:
            self.store.discard(package)  # a no-op once it was placed
        if previous is not None:  # after the commit: the catalogue names the new folder
            self.store.retire(previous)
        return result

    def _swap(
        self, s: Session, package: Package, source: Source, now: datetime
    ) -> tuple[InstallResult, Path | None]:
        row = s.get(StudyMaterial, package.id)
        current = row.version if row is not None else None
        if current is None:
            on_disk = self.store.versions(package.id)
            disk = self.store.manifest_at(on_disk[-1]) if on_disk else None
            current = disk.version if disk else None
        if current is not None and current > package.version:
            raise PackageError(
                f"{package.id}: version {current} is installed; "
                f"version {package.version} is older and was not installed"
            )
        if row is not None and current == package.version:
            if row.sha256 == package.sha256:
                return InstallResult(package, "unchanged", current), None
            raise PackageError(
                f"{package.id}: version {current} is installed with different content; "
                "raise the version number to replace it"
            )
        previous = self.data_dir / row.path if row is not None else None
        installed = self.store.place(package)
        try:
            register_package(s, installed, self.data_dir, source, now)
            s.flush()
        except BaseException:
            self.store.retire(installed.root)  # nobody holds it yet: deleted at once
            raise
        result = InstallResult(installed, "upgraded" if current else "installed", current)
        return result, previous

    def remove(self, material_id: str) -> int:
        def drop(s: Session, now: datetime) -> tuple[int, Path]:
            row = s.get(StudyMaterial, material_id)
            if row is None:
                raise PackageError(f"no installed material with id {material_id!r}")
            version, folder = row.version, self.data_dir / row.path
            s.delete(row)
            append_event(
                s, MaterialRemoved(material_id=material_id, version=version, removed_at=now), now
            )
            return version, folder

        version, folder = self._write(drop)
        self.store.retire(folder)  # after the commit; an open reader keeps it until it closes
        return version

    def ensure_starter_library(self, resources: Path) -> list[InstallResult]:
        """Install the starter packages if no material is installed yet (first run, init)."""
        self._tidy_once()
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
        self._tidy_once()
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
