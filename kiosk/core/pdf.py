"""What every PDF the kiosk writes shares: A4 in points, the embedded CJK font, atomic files.

Used by the badge sheets (``core/badge_sheet.py``) and the activity sign-in sheets
(``core/activities/sheet.py``); reportlab is imported only when a PDF is made.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.core.fonts import FontNotFoundError, cjk_font_path

MM = 72 / 25.4  # points per millimetre
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4
FONT_NAME = "KioskCJK"


class PdfError(RuntimeError):
    """The PDF cannot be made (no embeddable CJK font, or the file cannot be written)."""


def register_cjk_font() -> str:
    """Register the CJK font with reportlab once (embedded as a subset); its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    try:
        path = cjk_font_path()
    except FontNotFoundError as e:
        raise PdfError(str(e)) from None
    try:
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    except (TTFError, OSError) as e:
        raise PdfError(
            f"cannot embed {path.name} in a PDF ({e}); install fonts-wqy-microhei"
        ) from None
    return FONT_NAME


@contextmanager
def binary_streams() -> Iterator[None]:
    """Write streams without reportlab's ASCII85 pass (20 % smaller files)."""
    from reportlab import rl_config

    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = a85


def write_atomically(path: Path, data: bytes) -> None:
    """The whole PDF or nothing: a temporary file beside ``path``, then one rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            with tmp.open("xb") as f:  # the usual file mode, unlike mkstemp's 0600
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as e:
        raise PdfError(f"cannot write {path}: {e.strerror or e}") from None
