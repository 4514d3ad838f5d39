"""A printable badge card: the QR code with the worker's name and trade under it.

Error correction Q (recovers ~25% damage) is chosen for laminated cards that get scratched,
bent and glared; H would need a denser version-10 symbol whose smaller modules read worse
from a webcam at arm's length.

The card's layout is declared here once, in pixels of a 300 dpi print (640 px ≈ 54 mm wide):
:func:`render_card` draws it as a PNG, ``core/badge_sheet.py`` draws the same card in vector
form on A4 pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.core.fonts import cjk_font_path

CARD_WIDTH = 640  # px; about 54 mm at 300 dpi
MARGIN = 32
QR_BOX = CARD_WIDTH - 2 * MARGIN  # the code (with its 4-module quiet zone) fits this square
QR_BORDER = 4
NAME_SIZE, DETAIL_SIZE = 72, 36  # px: the name, and the "trade · station" line
NAME_GAP = 16  # from the code's bottom to the top of the name
DETAIL_OFFSET = 92  # from the top of the name to the top of the detail line
DETAIL_GREY = 60  # of 255
TEXT_WIDTH = CARD_WIDTH - 2 * MARGIN  # longer text is set smaller to fit
CARD_HEIGHT = MARGIN + QR_BOX + 24 + 88 + 52 + MARGIN  # 804 px ≈ 68 mm, the largest code


@dataclass(frozen=True)
class CardSpec:
    """What one card shows; ``team`` only orders cards on a sheet (``badge_sheet``)."""

    token: str
    name: str
    trade: str
    station: str
    team: str | None = None

    @property
    def detail(self) -> str:
        return f"{self.trade} · {self.station}"


def qr_matrix(token: str) -> list[list[bool]]:
    """The code's modules, quiet zone included (True is dark): the one QR every card uses.

    Encoded by zxing-cpp (C++, ~1 ms; the pure-Python ``qrcode`` took ~50 ms a card).
    """
    import zxingcpp

    code = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="Q")
    modules = np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128
    side = modules.shape[0] + 2 * QR_BORDER
    matrix = np.zeros((side, side), dtype=bool)
    matrix[QR_BORDER:-QR_BORDER, QR_BORDER:-QR_BORDER] = modules
    return matrix.tolist()


def qr_image(token: str, max_side: int) -> Image.Image:
    """The code with whole-pixel modules (no resampling blur) no wider than ``max_side``."""
    matrix = np.array(qr_matrix(token), dtype=bool)
    box = max(1, max_side // len(matrix))
    pixels = np.where(matrix, 0, 255).astype(np.uint8).repeat(box, axis=0).repeat(box, axis=1)
    return Image.fromarray(pixels, mode="L")


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(cjk_font_path()), size)


def fitted_size(text: str, size: int, width_at: float) -> int:
    """``size``, or smaller so that ``text`` fits ``TEXT_WIDTH`` (``width_at(size)`` → px)."""
    width = width_at(size)
    return size if width <= TEXT_WIDTH else max(8, int(size * TEXT_WIDTH / width))


def render_card(card: CardSpec) -> Image.Image:
    """The card as an 8-bit grey image, ``CARD_WIDTH`` wide (300 dpi)."""
    code = qr_image(card.token, QR_BOX)
    font = _font
    name_size = fitted_size(card.name, NAME_SIZE, lambda s: font(s).getlength(card.name))
    detail_size = fitted_size(card.detail, DETAIL_SIZE, lambda s: font(s).getlength(card.detail))
    height = MARGIN + code.height + 24 + 88 + 52 + MARGIN
    image = Image.new("L", (CARD_WIDTH, height), 255)
    image.paste(code, ((CARD_WIDTH - code.width) // 2, MARGIN))
    draw = ImageDraw.Draw(image)
    y = MARGIN + code.height + NAME_GAP
    draw.text((CARD_WIDTH // 2, y), card.name, font=font(name_size), fill=0, anchor="ma")
    draw.text(
        (CARD_WIDTH // 2, y + DETAIL_OFFSET),
        card.detail,
        font=font(detail_size),
        fill=DETAIL_GREY,
        anchor="ma",
    )
    return image


def write_card(path: Path, card: CardSpec) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    render_card(card).save(path, format="PNG")
    return path
