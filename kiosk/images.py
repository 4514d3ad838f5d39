"""Opening image files with Pillow safely: the one place that does it (Qt-free).

Shared by every layer that reads image files: the study-package importer (``core``), the
decoder's file and folder sources (``devices``, which check the size here before OpenCV
reads a file) and, for the limit, the reader's Qt side (``ui/images.py``).

Pillow reads only the header in ``Image.open``; the pixels are decoded later, in ``load()``.
:func:`open_image` checks the header's size against a pixel limit in between, so a small file
that claims 20,000 × 20,000 pixels (a decompression bomb) is refused before any pixel
buffer is allocated. Pillow's own bomb check (``DecompressionBombWarning`` past
``Image.MAX_IMAGE_PIXELS``, ``DecompressionBombError`` past twice that) is turned into the
same refusal, as are unknown formats, truncated files and decoder errors: every bad image is
one :class:`BadImage` with a one-line reason, whoever asked.
"""

from __future__ import annotations

import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 16_000_000
"""The most pixels an image may have (a 16-megapixel photo); study packages use it too."""
PHOTO_PIXELS = 64_000_000
"""The most pixels of a photo to decode QR codes in (``kiosk decode``): phones take 50 MP."""


class BadImage(ValueError):
    """The image is refused: unreadable, of another format, damaged or too large."""


@contextmanager
def open_image(
    source: Path | BinaryIO,
    *,
    formats: tuple[str, ...] | None = None,
    max_pixels: int = MAX_PIXELS,
) -> Iterator[Image.Image]:
    """Open ``source`` with Pillow and decode it; raises :class:`BadImage` for any bad image.

    ``formats``: the only Pillow formats tried (e.g. ``("PNG",)``); other files are refused.
    Every pixel is decoded before the image is handed over, so a truncated file fails here;
    errors raised by the caller's own block pass through unchanged.
    """
    im = _decoded(source, formats, max_pixels)
    try:
        yield im
    finally:
        im.close()


def check_size(source: Path | BinaryIO, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The image's (width, height) from its header alone; BadImage if over ``max_pixels``.

    For readers other than Pillow (OpenCV): they would allocate whatever the header claims.
    """
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as im:
                width, height = im.size
    except Image.DecompressionBombError as e:
        raise BadImage(_bomb(e, max_pixels)) from None
    except Image.UnidentifiedImageError:
        raise BadImage("not an image of a known format") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as e:
        raise BadImage(f"unreadable ({_first_line(e)})") from None
    if width * height > max_pixels:
        raise BadImage(f"too large: {width}×{height} pixels (at most {max_pixels:,})")
    return width, height


def _bomb(error: Exception, max_pixels: int) -> str:
    found = re.search(r"\((\d+) pixels\)", str(error))
    size = f"{int(found[1]):,} pixels" if found else "over Pillow's limit"
    return f"too large: {size} (at most {max_pixels:,}; a decompression bomb)"


def _decoded(
    source: Path | BinaryIO, formats: tuple[str, ...] | None, max_pixels: int
) -> Image.Image:
    from PIL import Image

    im = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(source, formats=list(formats) if formats else None)
            width, height = im.size  # from the header: nothing is decoded yet
            if width * height > max_pixels:
                raise BadImage(f"too large: {width}×{height} pixels (at most {max_pixels:,})")
            im.load()
            return im
    except BadImage:
        _close(im)
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        _close(im)
        raise BadImage(_bomb(e, max_pixels)) from None
    except Image.UnidentifiedImageError:
        _close(im)
        wanted = " or ".join(formats) if formats else "a known format"
        raise BadImage(f"not an image of {wanted}") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, MemoryError) as e:
        _close(im)
        raise BadImage(f"unreadable ({_first_line(e)})") from None


def _close(im: Image.Image | None) -> None:
    if im is not None:
        im.close()


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
