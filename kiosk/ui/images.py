"""Reading image files from study packages into Qt, within a size limit.

Qt decodes the whole picture unless told otherwise, and a small file can claim a huge one
(a decompression bomb). :func:`read_image` asks the file's header for its size first and
refuses it past ``MAX_PIXELS`` (the same limit the importer applies, ``kiosk.images``)
or when the header does not say, before a pixel is decoded; a picture larger than ``box`` is
decoded straight to the smaller size. Qt's own allocation limit (256 MB) stays as a backstop.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from kiosk.images import MAX_PIXELS

log = logging.getLogger(__name__)


def boxed(size: QSize, box: QSize) -> QSize:
    """``size`` shrunk to fit ``box`` (keeping its aspect), never enlarged."""
    return size.boundedTo(size.scaled(box, Qt.AspectRatioMode.KeepAspectRatio))


def read_image(path: Path, box: QSize, max_pixels: int = MAX_PIXELS) -> QImage | None:
    """The image at ``path`` no larger than ``box``; None if unreadable or too large."""
    reader = QImageReader(str(path))
    size = reader.size()
    if not size.isValid() or size.width() * size.height() > max_pixels:
        what = "no size in its header" if not size.isValid() else f"{size.width()}×{size.height()}"
        log.warning("image %s refused: %s (at most %d pixels)", path.name, what, max_pixels)
        return None
    if boxed(size, box) != size:
        reader.setScaledSize(boxed(size, box))  # decoded small, not decoded and then shrunk
    image = reader.read()
    if image.isNull():
        log.warning("image %s cannot be read: %s", path.name, reader.errorString())
        return None
    if boxed(image.size(), box) != image.size():  # the format ignored the scaled size
        smooth = Qt.TransformationMode.SmoothTransformation
        image = image.scaled(boxed(image.size(), box), mode=smooth)
    return image
