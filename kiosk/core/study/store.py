"""The ``materials`` folder: one folder per installed package version, held while read.

Layout (``docs/content-packages.md#on-disk``)::

    materials/<id>/<version>-<token>/   one installed version (never changed once placed)
    materials/<id>/<version>-<token>.lock     held by a reader (a shared ``flock``)
    materials/<id>/<version>-<token>.retired  no longer current: delete when nobody holds it
    materials/.staging-<hex>/           a package being unpacked and checked
    materials/.trash-<hex>/             a version being deleted

A new version is unpacked and validated in a staging folder, then moved into a folder of its
own next to the current one; the catalogue row (``catalogue.py``) names the current folder,
so switching versions is the database commit. The folder a reader opened is held
(reference-counted in this process, a shared lock for other processes) and deleted only when
nobody holds it any more: an open reader keeps its version's text, pictures and media on disk
until it closes. Folders no catalogue row names and nobody holds (after a crash or a power
loss) are removed by ``clean`` at start. ``upgrade_layout`` moves a station's packages from
the earlier layout (``materials/<id>/`` holding the package itself) into version folders.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from kiosk.core.study.importer import unpack, validate_folder
from kiosk.core.study.package import (
    DEFAULT_LIMITS,
    MANIFEST,
    Limits,
    Manifest,
    MaterialContent,
    Package,
    PackageError,
    load_content,
)

log = logging.getLogger(__name__)

VERSION_FOLDER = re.compile(r"^(\d{1,7})-([0-9a-z]{1,16})$")
LOCK, RETIRED = ".lock", ".retired"


@dataclass
class _Hold:
    fd: int  # the lock file, locked shared while this process holds the version
    count: int = 1


# Holds are per process (every MaterialStore on the same folder shares them).
_lock = threading.RLock()
_holds: dict[Path, _Hold] = {}
_busy: set[Path] = set()  # staging folders this process is filling


def _side(folder: Path, suffix: str) -> Path:
    return folder.with_name(folder.name + suffix)


def version_of(folder: Path) -> int:
    match = VERSION_FOLDER.match(folder.name)
    return int(match.group(1)) if match else -1


class OpenVersion:
    """One installed version held open for a reader; its folder stays until ``close``."""

    def __init__(self, store: MaterialStore, folder: Path, content: MaterialContent) -> None:
        self.folder = folder
        self.content = content
        self._store: MaterialStore | None = store

    def close(self) -> None:
        if self._store is not None:
            self._store.release(self.folder)
            self._store = None


class MaterialStore:
    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits

    # -- installing -------------------------------------------------------------------------

    def stage(self, source: Path) -> Package:
        """Unpack/copy ``source`` into a fresh staging folder and validate it there."""
        if not source.exists():
            raise PackageError(f"{source} does not exist")
        if source.is_symlink():
            raise PackageError(f"{source} is a symbolic link")
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".staging-{uuid.uuid4().hex}"
        with _lock:
            _busy.add(staging)  # before it exists: ``clean`` never takes it
        try:
            staging.mkdir()
            unpack(source, staging, self.limits)
            return validate_folder(staging, self.limits)
        except BaseException:
            self._forget_staging(staging)
            raise

    def discard(self, package: Package) -> None:
        """Drop a staged package (a no-op once it was placed)."""
        if package.root.parent == self.root:
            self._forget_staging(package.root)

    def _forget_staging(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        with _lock:
            _busy.discard(staging)

    def place(self, package: Package) -> Package:
        """Move a staged package into a new version folder beside the current one."""
        home = self.root / package.id
        home.mkdir(exist_ok=True)
        token = package.root.name.removeprefix(".staging-")[:8]  # unique like the staging
        target = home / f"{package.version}-{token}"
        os.replace(package.root, target)
        with _lock:
            _busy.discard(package.root)
        _fsync_dir(home)
        _fsync_dir(self.root)
        return replace(package, root=target)

    # -- what is installed ------------------------------------------------------------------

    def versions(self, material_id: str) -> list[Path]:
        """The version folders of a material, oldest first (current, held and leftovers)."""
        home = self.root / material_id
        if not home.is_dir():
            return []
        found = [p for p in home.iterdir() if VERSION_FOLDER.match(p.name) and p.is_dir()]
        return sorted(found, key=lambda p: (version_of(p), p.name))

    def manifest_at(self, folder: Path) -> Manifest | None:
        try:
            return Manifest.model_validate_json((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            return None

    # -- readers ----------------------------------------------------------------------------

    def open(self, material_id: str, folder: Path | None = None) -> OpenVersion | None:
        """Hold and read ``folder`` if it is still current, else the newest current version
        of the material; None when none can be read (withdrawn, or damaged on disk).

        "Newest" is read from disk: in the moment between an install's move into place and
        its commit it may be that new version, validated but not yet in the catalogue."""
        newest = [p for p in reversed(self.versions(material_id)) if p != folder]
        for candidate in [folder, *newest] if folder is not None else newest:
            if not self.hold(candidate):
                continue
            try:
                return OpenVersion(self, candidate, load_content(candidate))
            except (OSError, ValueError) as e:  # damaged (PackageError, ValidationError)
                log.warning("material folder %s cannot be read: %s", candidate, e)
                self.release(candidate)
        return None

    def hold(self, folder: Path) -> bool:
        """Keep ``folder`` on disk until a matching ``release``; False if it is not current."""
        with _lock:
            if not folder.is_dir() or _side(folder, RETIRED).exists():
                return False
            held = _holds.get(folder)
            if held is not None:
                held.count += 1
                return True
            try:
                fd = os.open(_side(folder, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:
                return False
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not folder.is_dir():  # deleted by another process before the lock was ours
                os.close(fd)
                return False
            _holds[folder] = _Hold(fd)
            return True

    def release(self, folder: Path) -> None:
        with _lock:
            held = _holds.get(folder)
            if held is None:
                return
            held.count -= 1
            if held.count > 0:
                return
            del _holds[folder]
            os.close(held.fd)
            if _side(folder, RETIRED).exists():
                self._delete(folder)

    def retire(self, folder: Path) -> None:
        """``folder`` is no longer current: delete it now, or when its last reader closes."""
        with _lock:
            if not folder.is_dir():
                return
            _side(folder, RETIRED).touch()
            if folder not in _holds:
                self._delete(folder)

    def _delete(self, folder: Path) -> None:
        """Delete an unheld version folder, unless a reader in another process holds it (that
        process deletes it when its reader closes; else ``clean`` at the next start)."""
        lock = _side(folder, LOCK)
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:  # the material's folder is gone already
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            trash = self.root / f".trash-{uuid.uuid4().hex}"
            with contextlib.suppress(FileNotFoundError):
                os.replace(folder, trash)
            for side in (lock, _side(folder, RETIRED)):
                side.unlink(missing_ok=True)
            _fsync_dir(folder.parent)
        finally:
            os.close(fd)
        shutil.rmtree(trash, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # the material's last version

    # -- at start ---------------------------------------------------------------------------

    def clean(self, current: Iterable[Path]) -> None:
        """Remove what no catalogue row names and nobody holds: leftovers of a crash."""
        if not self.root.is_dir():
            return
        keep = set(current)
        for entry in self.root.iterdir():
            if entry.name.startswith((".staging-", ".trash-")):
                with _lock:
                    if entry in _busy:
                        continue
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_dir() and not entry.name.startswith("."):
                for folder in self.versions(entry.name):
                    with _lock:
                        if folder not in keep and folder not in _holds:
                            log.info("removing material folder %s (not current)", folder)
                            self._delete(folder)
                if not entry.is_dir():  # its last version went
                    continue
                for side in entry.iterdir():
                    if side.suffix in (LOCK, RETIRED) and not side.with_suffix("").exists():
                        side.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    entry.rmdir()

    def upgrade_layout(self) -> dict[str, Path]:
        """Move packages installed in the earlier layout into version folders.

        Before versions, ``materials/<id>/`` held the package and an interrupted swap could
        leave ``materials/.old-<id>-<hex>/``. Each step is a rename, redone after a crash.
        Returns the version folder each moved material now lives in.
        """
        moved: dict[str, Path] = {}
        if not self.root.is_dir():
            return moved
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(".old-"):  # the earlier layout's interrupted swap
                material_id = entry.name[len(".old-") :].rsplit("-", 1)[0]
                home = self.root / material_id
                if not home.exists():
                    os.replace(entry, home)
                    log.warning("restored material %s after an interrupted install", material_id)
                else:
                    shutil.rmtree(entry, ignore_errors=True)
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(".legacy-"):  # a move that a crash interrupted
                material_id = entry.name[len(".legacy-") :]
            elif (entry / MANIFEST).is_file():
                material_id = entry.name
                os.replace(entry, self.root / f".legacy-{material_id}")
                _fsync_dir(self.root)
            else:
                continue
            legacy = self.root / f".legacy-{material_id}"
            manifest = self.manifest_at(legacy)
            home = self.root / material_id
            home.mkdir(exist_ok=True)
            target = home / f"{manifest.version if manifest else 0}-legacy"
            os.replace(legacy, target)
            _fsync_dir(home)
            _fsync_dir(self.root)
            moved[material_id] = target
            log.info("material %s moved into %s", material_id, target.name)
        return moved


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
