"""Badge cards as PDF: A4 sheets (several cards a page, cut marks at every corner) and a
single card, drawn at 300 dpi with the kiosk's own card renderer (``core/badge_card.py``:
QR with whole-pixel modules, name and trade in Chinese) and saved by Pillow. Text is drawn
into the image, so no font has to be embedded in the PDF.

Branch i17-defects is building ``kiosk/core/badge_sheet.py`` (A4 card sheets); once it is
merged, this module should call it instead.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

from kiosk.core.badge_card import render_card

DPI = 300
A4 = (2480, 3508)  # 210 × 297 mm at 300 dpi
PAGE_MARGIN = 150  # ≈ 13 mm: inside what office printers can print
GAP = 70  # between cards, where the cut marks go
MARK = 40  # length of a cut mark


def _cards(items: Sequence[tuple[str, str, str]], station: str) -> list[Image.Image]:
    return [render_card(token, name, trade, station) for token, name, trade in items]


def _pdf(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return out.getvalue()


def sheet(items: Sequence[tuple[str, str, str]], station: str) -> tuple[bytes, int]:
    """``(token, name, trade)`` per card → an A4 PDF and its page count."""
    cards = _cards(items, station)
    width = max(c.width for c in cards)
    height = max(c.height for c in cards)
    columns = (A4[0] - 2 * PAGE_MARGIN + GAP) // (width + GAP)
    rows = (A4[1] - 2 * PAGE_MARGIN + GAP) // (height + GAP)
    per_page = columns * rows
    left = (A4[0] - columns * width - (columns - 1) * GAP) // 2
    top = (A4[1] - rows * height - (rows - 1) * GAP) // 2
    pages = []
    for start in range(0, len(cards), per_page):
        page = Image.new("L", A4, 255)
        draw = ImageDraw.Draw(page)
        for i, card in enumerate(cards[start : start + per_page]):
            x = left + (i % columns) * (width + GAP)
            y = top + (i // columns) * (height + GAP)
            page.paste(card, (x, y))
            for cx, cy, dx, dy in (
                (x, y, -1, -1),
                (x + width, y, 1, -1),
                (x, y + height, -1, 1),
                (x + width, y + height, 1, 1),
            ):
                draw.line([(cx + dx * 8, cy), (cx + dx * MARK, cy)], fill=0, width=2)
                draw.line([(cx, cy + dy * 8), (cx, cy + dy * MARK)], fill=0, width=2)
        pages.append(page)
    return _pdf(pages), len(pages)


def single(token: str, name: str, trade: str, station: str) -> bytes:
    """One card on a page of its own size (for a card printer or to cut by hand)."""
    return _pdf(_cards([(token, name, trade)], station))
