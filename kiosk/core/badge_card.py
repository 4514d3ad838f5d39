"""A printable badge card: the QR code with the worker's name and trade under it.

Error correction Q (recovers ~25% damage) is chosen for laminated cards that get scratched,
bent and glared; H would need a denser version-10 symbol whose smaller modules read worse
from a webcam at arm's length.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_Q

from kiosk.core.fonts import cjk_font_path

CARD_WIDTH = 640  # px; about 54 mm at 300 dpi
MARGIN = 32


def qr_image(token: str, max_side: int) -> Image.Image:
    """The code with whole-pixel modules (no resampling blur) no wider than ``max_side``."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=4)
    qr.add_data(token)
    qr.make(fit=True)
    qr.box_size = max(1, max_side // (qr.modules_count + 2 * qr.border))
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


def render_card(token: str, name: str, trade: str, station: str) -> Image.Image:
    code = qr_image(token, CARD_WIDTH - 2 * MARGIN)
    font_path = str(cjk_font_path())
    name_font = ImageFont.truetype(font_path, 72)
    small_font = ImageFont.truetype(font_path, 36)
    height = MARGIN + code.height + 24 + 88 + 52 + MARGIN
    card = Image.new("L", (CARD_WIDTH, height), 255)
    card.paste(code, ((CARD_WIDTH - code.width) // 2, MARGIN))
    draw = ImageDraw.Draw(card)
    y = MARGIN + code.height + 16
    draw.text((CARD_WIDTH // 2, y), name, font=name_font, fill=0, anchor="ma")
    draw.text(
        (CARD_WIDTH // 2, y + 92), f"{trade} · {station}", font=small_font, fill=60, anchor="ma"
    )
    return card


def write_card(path: Path, token: str, name: str, trade: str, station: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    render_card(token, name, trade, station).save(path, format="PNG")
    return path
