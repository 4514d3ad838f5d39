"""One version of an installed study package, read once for an open reader.

Sync may upgrade (``StudyService.install_package``) or withdraw (``StudyService.remove``) a
package at any moment, also while a worker is reading it; both rename the package folder away
and delete it. So the reader takes everything it shows when it opens and never goes back to
the folder by name for it:

- text: the manifest, ``body.md`` and ``quiz.json`` (``load_content``);
- images: every image the body shows, decoded into a QImage no larger than ``IMAGE_BOX`` (the
  most a page shows on a 1920×1080 screen); the page re-fits these after 字大/字小 or a resize;
- audio/video: the file is opened and its descriptor kept. An open file outlives its deletion
  (POSIX), so 听音频/看视频 play the version being read even after an upgrade or withdrawal:
  the player reads a QFile on a duplicate of the descriptor (``QMediaPlayer.setSourceDevice``).

A snapshot never mixes two versions: the folder's identity (device, inode) is compared before
and after reading, and a swap in between means reading again. Memory is bounded: decoded
images are held up to ``IMAGE_BUDGET`` bytes. An image past it (only a package with many large
pictures; the limits allow 200 files of 16 megapixels) is decoded from the folder at each
layout instead, and only while the folder is still the one read: after an upgrade or
withdrawal it is left out rather than shown from another version. The descriptor keeps one
media file (at most 50 MB by the package limits) on disk after a deletion, until ``close``.
"""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path

from PySide6.QtCore import QFile, QFileDevice, QIODevice, QObject, QSize
from PySide6.QtGui import QImage, QImageReader

from kiosk.core.study.package import MaterialContent, image_names, load_content
from kiosk.ui.images import boxed, read_image

log = logging.getLogger(__name__)

IMAGE_BOX = QSize(1920, 1080)
"""Images are kept at most this size: a page shows them at most full width × 55 % height."""
IMAGE_BUDGET = 64 * 1024 * 1024
"""Bytes of decoded images an open reader holds; past it, images are read at each layout."""
ATTEMPTS = 3
"""How often a package that changed while it was being read is read again."""


class SnapshotError(Exception):
    """The package cannot be read: withdrawn, or damaged on disk."""


def _identity(folder: Path) -> tuple[int, int]:
    st = os.stat(folder)
    return st.st_dev, st.st_ino


def _boxed(size: QSize) -> QSize:
    return boxed(size, IMAGE_BOX)


def _decode(path: Path) -> QImage | None:
    return read_image(path, IMAGE_BOX)


class MaterialSnapshot:
    """What one open reader shows: the text, the images and the media file of one version."""

    def __init__(self, folder: Path, identity: tuple[int, int], content: MaterialContent) -> None:
        self.folder = folder
        self.identity = identity
        self.content = content
        self.image_names: tuple[str, ...] = image_names(content.body)
        m = content.manifest
        self.media_name: str | None = m.video or m.audio
        self.media_is_video = bool(m.video)
        self._images: dict[str, QImage] = {}
        self._on_disk: set[str] = set()
        self._media_fd: int | None = None
        self._closer: weakref.finalize | None = None

    @property
    def version(self) -> int:
        return self.content.manifest.version

    @property
    def held_bytes(self) -> int:
        return sum(image.sizeInBytes() for image in self._images.values())

    def _load(self) -> None:
        """Decode the images (within the budget) and open the media file."""
        held = 0
        for name in self.image_names:
            path = self.folder / name
            size = QImageReader(str(path)).size()
            if size.isValid():
                size = _boxed(size)
                if held + size.width() * size.height() * 4 > IMAGE_BUDGET:
                    self._on_disk.add(name)
                    continue
            image = _decode(path)
            if image is None:
                continue  # read_image logged why
            if held + image.sizeInBytes() > IMAGE_BUDGET:
                self._on_disk.add(name)
            else:
                self._images[name] = image
                held += image.sizeInBytes()
        if self.media_name:
            try:
                self._media_fd = os.open(self.folder / self.media_name, os.O_RDONLY)
            except OSError as e:
                log.warning("media %s of %s cannot be opened: %s", self.media_name, self.folder, e)
            else:
                self._closer = weakref.finalize(self, os.close, self._media_fd)

    def image(self, name: str) -> QImage | None:
        """The image as it was when the reader opened, or None (unreadable, or replaced)."""
        held = self._images.get(name)
        if held is not None or name not in self._on_disk:
            return held
        try:  # past the budget: from the folder, only while it still holds this version
            if _identity(self.folder) != self.identity:
                return None
            image = _decode(self.folder / name)
            return image if _identity(self.folder) == self.identity else None
        except OSError:
            return None

    def open_media(self, parent: QObject) -> QFile | None:
        """A readable QFile (a child of ``parent``) on the media file of this version, or None."""
        if self._media_fd is None:
            return None
        try:
            os.lseek(self._media_fd, 0, os.SEEK_SET)  # a duplicate shares the offset
            fd = os.dup(self._media_fd)
        except OSError:
            return None
        device = QFile(parent)
        flags = QFileDevice.FileHandleFlag.AutoCloseHandle
        if not device.open(fd, QIODevice.OpenModeFlag.ReadOnly, flags):
            os.close(fd)
            device.deleteLater()
            return None
        return device

    def close(self) -> None:
        """Let go of the media file and the images (the reader closed)."""
        if self._closer is not None:
            self._closer()
        self._media_fd = None
        self._images.clear()
        self._on_disk.clear()


def take_snapshot(folder: Path) -> MaterialSnapshot:
    """Read the package in ``folder`` once, all from one version; raises SnapshotError."""
    problem: str = "it changed while being read"
    for _ in range(ATTEMPTS):
        snapshot = None
        try:
            before = _identity(folder)
            snapshot = MaterialSnapshot(folder, before, load_content(folder))
            snapshot._load()
            if _identity(folder) == before:
                return snapshot
        except (OSError, ValueError) as e:  # gone, or damaged (PackageError, ValidationError)
            problem = str(e)
        if snapshot is not None:
            snapshot.close()
    raise SnapshotError(f"{folder.name}: {problem}")
