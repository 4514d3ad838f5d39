"""The ``materials`` folder: staging, the atomic swap, removal and crash clean-up."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from pathlib import Path

from pydantic import ValidationError

from kiosk.core.study.importer import unpack, validate_folder
from kiosk.core.study.package import (
    DEFAULT_LIMITS,
    MANIFEST,
    Limits,
    Manifest,
    Package,
    PackageError,
)

log = logging.getLogger(__name__)


class MaterialStore:
    """The ``materials`` folder: staging, the atomic swap, removal and crash clean-up."""

    def __init__(self, root: Path, limits: Limits = DEFAULT_LIMITS) -> None:
        self.root = root
        self.limits = limits

    def folder(self, material_id: str) -> Path:
        return self.root / material_id

    def stage(self, source: Path) -> Package:
        """Unpack/copy ``source`` into a fresh staging folder and validate it there."""
        if not source.exists():
            raise PackageError(f"{source} does not exist")
        if source.is_symlink():
            raise PackageError(f"{source} is a symbolic link")
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f".staging-{uuid.uuid4().hex}"
        staging.mkdir()
        try:
            unpack(source, staging, self.limits)
            return validate_folder(staging, self.limits)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def discard(self, package: Package) -> None:
        shutil.rmtree(package.root, ignore_errors=True)

    def swap_in(self, package: Package) -> Path | None:
        """Move a staged package into place; returns the set-aside old folder, if any."""
        target = self.folder(package.id)
        old = None
        if target.exists():
            old = self.root / f".old-{package.id}-{uuid.uuid4().hex[:8]}"
            os.replace(target, old)
        try:
            os.replace(package.root, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
            raise
        _fsync_dir(self.root)
        return old

    def undo_swap(self, material_id: str, old: Path | None, staged: Path) -> None:
        """The catalogue write failed: put the previous folder back."""
        target = self.folder(material_id)
        if target.exists():
            os.replace(target, staged)
            shutil.rmtree(staged, ignore_errors=True)
        if old is not None:
            os.replace(old, target)
        _fsync_dir(self.root)

    def remove(self, material_id: str) -> None:
        target = self.folder(material_id)
        if target.exists():
            trash = self.root / f".old-{material_id}-{uuid.uuid4().hex[:8]}"
            os.replace(target, trash)
            _fsync_dir(self.root)
            shutil.rmtree(trash, ignore_errors=True)

    def recover(self) -> None:
        """After a crash: drop staging folders, restore a set-aside folder whose swap died."""
        if not self.root.is_dir():
            return
        for entry in self.root.iterdir():
            if entry.name.startswith(".staging-"):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(".old-"):
                material_id = entry.name[len(".old-") :].rsplit("-", 1)[0]
                if not self.folder(material_id).exists():
                    os.replace(entry, self.folder(material_id))
                    log.warning("restored material %s after an interrupted install", material_id)
                else:
                    shutil.rmtree(entry, ignore_errors=True)

    def installed_manifest(self, material_id: str) -> Manifest | None:
        try:
            return Manifest.model_validate_json(
                (self.folder(material_id) / MANIFEST).read_text(encoding="utf-8")
            )
        except (OSError, ValidationError):
            return None


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
