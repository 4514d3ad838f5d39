"""Icons are plain SVG files in ``resources/icons``, drawn in one colour we choose per use.

Each file strokes and fills with ``currentColor``; we substitute the colour and render the
SVG at the size asked, so one drawing serves a white tile, a dark card and a pressed state.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.resources import resource

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon


@functools.cache
def _svg(name: str) -> str:
    return resource("icons", f"{name}.svg").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=256)
def _image(name: str, color: str, side: int) -> QImage:
    """Cached (screens ask again on every resize); a QImage outlives the QApplication safely."""
    renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", color).encode()))
    # Zeroed bytes are transparent; copy() makes the image own them. (QImage.fill() would
    # build PySide's Qt namespace while resolving its overloads: ~25 ms before the first paint.)
    image = QImage(
        bytes(side * side * 4), side, side, side * 4, QImage.Format.Format_ARGB32_Premultiplied
    ).copy()
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    return image


def pixmap(name: str, color: str, size: int, ratio: float = 1.0) -> QPixmap:
    pm = QPixmap.fromImage(_image(name, color, max(1, round(size * ratio))))
    pm.setDevicePixelRatio(ratio)
    return pm


def icon(name: str, color: str, size: int) -> QIcon:
    from PySide6.QtGui import QIcon  # not at import (~6 ms): the welcome screen needs none

    out = QIcon()
    out.addPixmap(pixmap(name, color, size))
    return out
