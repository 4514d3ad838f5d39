"""Study packages from the hub: downloaded after the pull, verified, then installed.

A pull only records what the hub announced (``material_downloads``, see ``apply.py``);
:class:`Downloader` does the work afterwards, on the sync thread. Each package goes to
``<data dir>/downloads/<sha256>.part``; a download cut short resumes with an HTTP Range
request at the next round. Never more than the announced size is written. The finished
file must have the announced sha256, and only then is it installed with the station's
own strict importer (``StudyService.install_package``, atomic; it must be the announced
id and version). A checksum mismatch deletes the file and counts an attempt; after
``MAX_ATTEMPTS`` the package is given up until the feed announces something new for it.
A package the importer refuses is recorded as failed with its message; the installed
version, if any, stays. A withdrawn package is uninstalled only if it came through sync.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.core.station import StationService
from kiosk.core.study.package import DEFAULT_LIMITS, PackageError
from kiosk.core.study.service import StudyService
from kiosk.store.models import MaterialDownload, StudyMaterial
from kiosk.sync.transport import HubTransport, HubUnavailable, RequestRefused, StationRevoked

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 3
# A round stops downloading after this long (the .part stays), so events never wait long.
BUDGET_SECONDS = 120.0
# The importer's package limit, plus room for the zip's own headers.
MAX_DOWNLOAD_BYTES = DEFAULT_LIMITS.package_bytes + 1024 * 1024


class DownloadState(StrEnum):
    WANTED = "wanted"  # to download and install
    INSTALLED = "installed"
    FAILED = "failed"  # given up until the feed announces something new for it
    REMOVE = "remove"  # withdrawn: uninstall if it came through sync
    REMOVED = "removed"


@dataclass
class DownloadReport:
    installed: int = 0
    removed: int = 0
    failed: int = 0
    pending: int = 0  # still wanted: cut short, over the round's budget, or to retry
    bytes_fetched: int = 0


@dataclass(frozen=True)
class Item:
    """A ``material_downloads`` row as read at the start of a round."""

    material_id: str
    version: int
    title: str
    sha256: str
    size: int
    content_sha256: str | None
    state: str
    attempts: int
    last_error: str | None = None
    bytes_done: int = 0


@dataclass(frozen=True)
class Installed:
    version: int
    content_sha256: str
    source: str


class _Refused(Exception):
    """This download cannot succeed as it is: counts an attempt."""


def _item(row: MaterialDownload) -> Item:
    return Item(
        row.material_id,
        row.version,
        row.title,
        row.sha256,
        row.size,
        row.content_sha256,
        row.state,
        row.attempts,
        row.last_error,
        row.bytes_done,
    )


def todo(s: Session) -> list[Item]:
    rows = s.scalars(
        select(MaterialDownload)
        .where(MaterialDownload.state.in_((DownloadState.WANTED, DownloadState.REMOVE)))
        .order_by(MaterialDownload.updated_at, MaterialDownload.material_id)
    )
    return [_item(row) for row in rows]


def unfinished(s: Session) -> list[Item]:
    """Packages still to download or given up on, for ``kiosk sync-status``."""
    rows = s.scalars(
        select(MaterialDownload)
        .where(MaterialDownload.state.in_((DownloadState.WANTED, DownloadState.FAILED)))
        .order_by(MaterialDownload.material_id)
    )
    return [_item(row) for row in rows]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _exclusive(folder: Path) -> Iterator[bool]:
    """One downloader per data folder (the kiosk and ``kiosk sync`` may both run)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: one process per data folder is assumed
        yield True
        return
    with (folder / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Downloader:
    """One round of package work for a station; blocking, never on the UI thread."""

    def __init__(
        self,
        station: StationService,
        transport: HubTransport,
        *,
        budget_seconds: float = BUDGET_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.station = station
        self.transport = transport
        self.study = StudyService(station)
        self.folder: Path = station.paths.data_dir / "downloads"
        self.budget_seconds = budget_seconds
        self.max_attempts = max_attempts
        self.monotonic = monotonic

    def _db(self, fn: Callable[[Session], T], write: bool = True) -> T:
        def run() -> T:
            db = self.station.db
            with db.write() if write else db.read() as s:
                return fn(s)

        return self.station.worker.call(run)

    def part(self, item: Item) -> Path:
        return self.folder / f"{item.sha256}.part"

    def run(self) -> DownloadReport:
        report = DownloadReport()
        with _exclusive(self.folder) as mine:
            if not mine:
                log.info("another process is downloading packages for this station")
                return report
            deadline = self.monotonic() + self.budget_seconds
            hub_away = started = False
            for item in self._db(todo, write=False):
                if item.state == DownloadState.REMOVE:
                    self._remove(item, report)
                elif hub_away or (started and self.monotonic() > deadline):
                    report.pending += 1
                else:  # the first package always gets a turn: every round makes progress
                    started = True
                    hub_away = not self._get(item, report, deadline)
            self._sweep()
        return report

    # -- one package ------------------------------------------------------------------------

    def _set(self, item: Item, **values: object) -> None:
        """Update the row, unless a pull has announced something else for it meanwhile."""

        def write(s: Session) -> None:
            s.execute(
                update(MaterialDownload)
                .where(
                    MaterialDownload.material_id == item.material_id,
                    MaterialDownload.sha256 == item.sha256,
                    MaterialDownload.version == item.version,
                )
                .values(updated_at=self.station.clock.now(), **values)
            )

        self._db(write)

    def _installed(self, material_id: str) -> Installed | None:
        def read(s: Session) -> Installed | None:
            row = s.get(StudyMaterial, material_id)
            return None if row is None else Installed(row.version, row.sha256, row.source)

        return self._db(read, write=False)

    def _get(self, item: Item, report: DownloadReport, deadline: float) -> bool:
        """Download, verify and install one package; False when the hub is out of reach."""
        have = self._installed(item.material_id)
        if have is not None and have.version > item.version:
            self._give_up(item, f"version {have.version} is installed; v{item.version} is older")
            report.failed += 1
            return True
        same = have is not None and have.version == item.version
        if same and have.content_sha256 == item.content_sha256:
            self._set(item, state=DownloadState.INSTALLED, last_error=None)
            return True  # this very content is installed already (e.g. from a USB stick)
        if item.size > MAX_DOWNLOAD_BYTES:
            self._give_up(item, f"announced size {item.size} bytes is over the package limit")
            report.failed += 1
            return True
        part = self.part(item)
        try:
            complete = self._fetch(item, part, deadline, report)
        except (HubUnavailable, StationRevoked) as e:
            self._set(item, bytes_done=_size(part), last_error=str(e)[:500])
            log.info("download of %s paused at %d bytes: %s", item.material_id, _size(part), e)
            report.pending += 1
            return False
        except (RequestRefused, _Refused) as e:
            part.unlink(missing_ok=True)
            self._attempt_failed(item, str(e), report)
            return True
        if not complete:
            self._set(item, bytes_done=_size(part))
            report.pending += 1
            return True
        digest = file_sha256(part)
        if digest != item.sha256:
            part.unlink(missing_ok=True)
            error = f"sha256 mismatch: got {digest}, announced {item.sha256}; file deleted"
            self._attempt_failed(item, error, report)
            return True
        self._install(item, part, report)
        return True

    def _fetch(self, item: Item, part: Path, deadline: float, report: DownloadReport) -> bool:
        """Bring ``part`` up to the announced size; False when the round's budget ran out."""
        have = _size(part)
        if have > item.size:
            part.unlink()
            have = 0
        if have == item.size:
            return True
        with self.transport.download(item.material_id, item.sha256, have) as body:
            if body.total is not None and body.total != item.size:
                raise _Refused(f"the hub serves {body.total} bytes; {item.size} were announced")
            if body.start not in (have, 0):
                raise HubUnavailable(f"the hub answered from byte {body.start}, not {have}")
            have = body.start  # 0: the hub sent the whole file
            with part.open("r+b" if have else "wb") as f:
                f.seek(have)
                f.truncate()
                for chunk in body.chunks:
                    piece = chunk[: item.size - have]  # never past the announced size
                    f.write(piece)
                    have += len(piece)
                    report.bytes_fetched += len(piece)
                    if have >= item.size or self.monotonic() > deadline:
                        break
                f.flush()
                os.fsync(f.fileno())
        return have >= item.size

    def _install(self, item: Item, part: Path, report: DownloadReport) -> None:
        try:
            result = self.study.install_package(
                part, source="sync", expect=(item.material_id, item.version)
            )
        except PackageError as e:
            self._give_up(item, str(e))
            log.error("package %s v%d refused: %s", item.material_id, item.version, e)
            report.failed += 1
            return
        except OSError as e:
            self._attempt_failed(item, f"cannot install: {e}", report)
            return
        finally:
            part.unlink(missing_ok=True)
        self._set(item, state=DownloadState.INSTALLED, bytes_done=item.size, last_error=None)
        report.installed += 1
        log.info("package %s v%d %s from the hub", item.material_id, item.version, result.action)

    def _give_up(self, item: Item, error: str) -> None:
        self._set(
            item,
            state=DownloadState.FAILED,
            attempts=item.attempts + 1,
            last_error=error[:500],
            bytes_done=0,
        )

    def _attempt_failed(self, item: Item, error: str, report: DownloadReport) -> None:
        attempts = item.attempts + 1
        final = attempts >= self.max_attempts
        state = DownloadState.FAILED if final else DownloadState.WANTED
        self._set(item, state=state, attempts=attempts, last_error=error[:500], bytes_done=0)
        log.warning(
            "package %s v%d: attempt %d of %d failed: %s%s",
            item.material_id,
            item.version,
            attempts,
            self.max_attempts,
            error,
            "; giving up until the hub announces it again" if final else "",
        )
        if final:
            report.failed += 1
        else:
            report.pending += 1

    def _remove(self, item: Item, report: DownloadReport) -> None:
        self.part(item).unlink(missing_ok=True)
        installed = self._installed(item.material_id)
        if (
            installed is not None
            and installed.source == "sync"
            and installed.version <= item.version
        ):
            try:
                self.study.remove(item.material_id)
                report.removed += 1
                log.info("package %s withdrawn by the hub; removed", item.material_id)
            except PackageError:
                pass  # removed meanwhile
        elif installed is not None:
            log.info("package %s withdrawn by the hub; the local copy stays", item.material_id)
        self._set(item, state=DownloadState.REMOVED, bytes_done=0, last_error=None)

    def _sweep(self) -> None:
        """Delete partial files no wanted package refers to (replaced or withdrawn)."""
        wanted = {
            f"{i.sha256}.part"
            for i in self._db(todo, write=False)
            if i.state == DownloadState.WANTED
        }
        for path in self.folder.glob("*.part"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
