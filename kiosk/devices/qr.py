"""What every QR decoder shares: the one-method Protocol the scan loop and tests swap
decoders behind, a frame as a grayscale image, and a payload's text as the libraries give it.

Text: the payload's text is the library's own (zxing-cpp's ``TextMode.Plain``, which honours
ECI and guesses Shift-JIS/Latin-1 the way phones do; zbar converts to UTF-8 itself), never a
``bytes.decode`` of ours. A payload that is printable ASCII (every badge token) is returned as
its exact bytes, so badge parsing and signatures see what was printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np

from kiosk.devices.frames import Frame

MIN_SIDE = 21  # a version-1 QR symbol is 21 modules; anything smaller holds no code
_PRINTABLE_ASCII = re.compile(rb"[\t\n\r\x20-\x7e]*")


class QrDecoder(Protocol):
    """Finds QR codes in one frame and returns their payloads (deduplicated, in order)."""

    def decode(self, frame: Frame) -> list[str]: ...


def symbols_located(decoder: QrDecoder) -> int:
    """Symbols ``decoder``'s last call located but could not read; 0 if it does not say."""
    return int(getattr(decoder, "last_located", 0) or 0)


def payload_text(data: bytes) -> str:
    """Text of bytes a library already transcoded to UTF-8 (zbar); latin-1 keeps the rest."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def barcode_text(barcode: Any) -> str:
    """A zxing-cpp result's text: exact bytes when printable ASCII, else the library's text.

    Read with ``TextMode.Plain`` (HRI mode would write control characters as ``<GS>`` etc.).
    """
    raw = bytes(barcode.bytes)
    if _PRINTABLE_ASCII.fullmatch(raw):
        return raw.decode("ascii")
    return str(barcode.text)


def zbar_text(data: bytes) -> str:
    """zbar's text (it transcodes to UTF-8 itself), undoing its one known wrong guess.

    zbar reads unlabelled UTF-8 bytes that happen to be valid Shift-JIS as Shift-JIS (Chinese
    text comes out as Japanese mojibake); zxing-cpp and phones prefer UTF-8 there, so do we.
    """
    text = payload_text(data)
    try:
        raw = text.encode("shift_jis")
        return raw.decode("utf-8") if not raw.isascii() else text
    except UnicodeError:
        return text


def dedupe(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def to_gray(frame: Any) -> np.ndarray | None:
    """Return a contiguous 2-D uint8 view/copy of ``frame``, or None if it is not an image."""
    import cv2

    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        return None
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 2:
        gray = frame
    elif frame.ndim == 3 and frame.shape[2] == 3:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    elif frame.ndim == 3 and frame.shape[2] == 4:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    else:
        return None
    if min(gray.shape) < MIN_SIDE:
        return None
    return np.ascontiguousarray(gray)
