"""Badge cards on A4 pages for a printer: a grid of cards with cut marks, as one PDF.

Each card is the one ``core/badge_card.py`` declares, drawn in vector form with reportlab: the
QR modules are filled rectangles (sharp at any printer resolution; 2,000 cards make a 3.5 MB
file) and the name and "trade · station" line are text in a CJK TrueType font embedded as a
subset (so it prints the same on a machine without that font, and ``pdftotext`` reads it).
A ready card image (``PIL.Image``) may be placed instead of a :class:`CardSpec`; it is embedded
losslessly at its own resolution (640 px across a 54 mm card is 300 dpi).

Layout: portrait A4, 3 × 4 cards of 54 × 68 mm butting each other, so one cut serves two cards;
cut marks extend every cut line into the page margin, and a light-grey hairline outlines each
card for scissors. Cards are placed in the order given; :func:`sheet_order` is the order a
keeper expects (team, then name in pinyin order). Qt-free; reused by the hub console.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kiosk.core.badge_card import (
    CARD_HEIGHT,
    CARD_WIDTH,
    DETAIL_GREY,
    DETAIL_OFFSET,
    DETAIL_SIZE,
    MARGIN,
    NAME_GAP,
    NAME_SIZE,
    QR_BOX,
    CardSpec,
    fitted_size,
    qr_matrix,
)
from kiosk.core.pdf import (
    FONT_NAME,
    MM,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PdfError,
    binary_streams,
    register_cjk_font,
    write_atomically,
)

if TYPE_CHECKING:
    from typing import TypeAlias

    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    Card: TypeAlias = CardSpec | Image.Image

COLUMNS, ROWS = 3, 4
CARDS_PER_PAGE = COLUMNS * ROWS
CARD_W = 54 * MM
UNIT = CARD_W / CARD_WIDTH  # points per card pixel (300 dpi)
CARD_H = CARD_HEIGHT * UNIT  # ≈ 68 mm
GRID_LEFT = (PAGE_WIDTH - COLUMNS * CARD_W) / 2
GRID_BOTTOM = (PAGE_HEIGHT - ROWS * CARD_H) / 2
MARK_GAP, MARK_LENGTH = 1.5 * MM, 5 * MM  # cut marks: distance from the grid, length
SheetError = PdfError
"""The sheet cannot be made (no embeddable CJK font, or the file cannot be written)."""


@dataclass(frozen=True)
class SheetResult:
    cards: int
    pages: int


def sheet_key(team: str | None, name: str) -> tuple[bool, str, str]:
    """Where a person's card goes: by team (none last), then name, both in pinyin order."""
    from kiosk.core.pinyin import sort_key

    return (not team, sort_key(team or ""), sort_key(name))


def sheet_order(cards: Iterable[CardSpec]) -> list[CardSpec]:
    """Cards in :func:`sheet_key` order (then by token): the same people, the same pages."""
    return sorted(cards, key=lambda card: (*sheet_key(card.team, card.name), card.token))


def write_badge_sheet(
    cards: Iterable[Card],
    out: Path | BinaryIO,
    *,
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> SheetResult:
    """Write ``cards`` as an A4 PDF to ``out`` (a path, written atomically, or a binary file).

    ``title`` is printed with the page number under each page's grid; ``progress(n)`` is
    called after each card. Raises :class:`SheetError`.
    """
    font = register_cjk_font()
    target: BinaryIO = io.BytesIO() if isinstance(out, Path) else out
    with binary_streams():
        count, pages = _draw(cards, target, title, font, progress)
    if isinstance(out, Path):
        assert isinstance(target, io.BytesIO)
        write_atomically(out, target.getvalue())
    return SheetResult(count, pages)


def _draw(
    cards: Iterable[Card],
    target: BinaryIO,
    title: str,
    font: str,
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), initialFontName=font)
    canvas.setTitle(title or "badge cards")
    canvas.setCreator("驿站终端 kiosk")
    count = 0
    for count, card in enumerate(cards, start=1):
        slot = (count - 1) % CARDS_PER_PAGE
        if slot == 0 and count > 1:
            canvas.showPage()
        column, row = slot % COLUMNS, slot // COLUMNS
        x = GRID_LEFT + column * CARD_W
        y = GRID_BOTTOM + (ROWS - 1 - row) * CARD_H
        if isinstance(card, CardSpec):
            _draw_card(canvas, card, x, y)
        else:
            _place_image(canvas, card, x, y)
        if slot == CARDS_PER_PAGE - 1:
            _finish_page(canvas, CARDS_PER_PAGE, title, font)
        if progress is not None:
            progress(count)
    pages = max(1, -(-count // CARDS_PER_PAGE))
    if count == 0 or count % CARDS_PER_PAGE:
        _finish_page(canvas, count % CARDS_PER_PAGE, title, font)
    canvas.save()
    return count, pages


# -- one card -----------------------------------------------------------------------------------


def _draw_card(canvas: Canvas, card: CardSpec, x: float, y: float) -> None:
    """The card of ``badge_card.render_card``, its top-left pixel at (x, y + CARD_H)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    top = y + CARD_H
    matrix = qr_matrix(card.token)
    module = QR_BOX * UNIT / len(matrix)
    qr_top = top - MARGIN * UNIT
    # One unit = one module, y downwards: whole numbers, so the operators are written here
    # (reportlab's own path methods format every number in Python: 10× slower for 2,000 cards).
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules in a row
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            runs.append(f"{start} {r} {c - start} 1 re")
    canvas.saveState()
    canvas.transform(module, 0, 0, -module, x + MARGIN * UNIT, qr_top)
    canvas.setFillGray(0)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()

    center = x + CARD_W / 2
    name_top = qr_top - QR_BOX * UNIT - NAME_GAP * UNIT
    for text, size, offset, grey in (
        (card.name, NAME_SIZE, 0, 0),
        (card.detail, DETAIL_SIZE, DETAIL_OFFSET, DETAIL_GREY),
    ):
        px = fitted_size(text, size, lambda s, t=text: stringWidth(t, FONT_NAME, s))
        canvas.setFont(FONT_NAME, px * UNIT)
        canvas.setFillGray(grey / 255)
        # Pillow's anchor "ma" is the ascender line; the baseline is an ascent below it.
        canvas.drawCentredString(center, name_top - offset * UNIT - _ascent(px) * UNIT, text)


def _place_image(canvas: Canvas, image: Image.Image, x: float, y: float) -> None:
    """A ready card image, fitted into the slot (aspect kept), lossless."""
    from reportlab.lib.utils import ImageReader

    scale = min(CARD_W / image.width, CARD_H / image.height)
    w, h = image.width * scale, image.height * scale
    canvas.drawImage(ImageReader(image), x + (CARD_W - w) / 2, y + (CARD_H - h) / 2, w, h)


def _ascent(size_px: float) -> float:
    from reportlab.pdfbase.pdfmetrics import getFont

    return getFont(FONT_NAME).face.ascent / 1000 * size_px


# -- the page -------------------------------------------------------------------------------------


def _finish_page(canvas: Canvas, cards: int, title: str, font: str) -> None:
    """Card outlines, cut marks around the grid, and the page line under it."""
    rows = -(-cards // COLUMNS) if cards else 0
    canvas.setLineWidth(0.2)
    canvas.setStrokeGray(0.75)
    for slot in range(cards):
        column, row = slot % COLUMNS, slot // COLUMNS
        canvas.rect(
            GRID_LEFT + column * CARD_W, GRID_BOTTOM + (ROWS - 1 - row) * CARD_H, CARD_W, CARD_H
        )
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0)
    top, bottom = GRID_BOTTOM + ROWS * CARD_H, GRID_BOTTOM + (ROWS - rows) * CARD_H
    left, right = GRID_LEFT, GRID_LEFT + COLUMNS * CARD_W
    for i in range(COLUMNS + 1) if rows else ():  # vertical cuts: marks above and below
        cx = GRID_LEFT + i * CARD_W
        canvas.line(cx, top + MARK_GAP, cx, top + MARK_GAP + MARK_LENGTH)
        canvas.line(cx, bottom - MARK_GAP, cx, bottom - MARK_GAP - MARK_LENGTH)
    for j in range(rows + 1):  # horizontal cuts: marks left and right
        cy = top - j * CARD_H
        canvas.line(left - MARK_GAP, cy, left - MARK_GAP - MARK_LENGTH, cy)
        canvas.line(right + MARK_GAP, cy, right + MARK_GAP + MARK_LENGTH, cy)
    canvas.setFont(font, 8)
    canvas.setFillGray(0.4)
    page = f"第 {canvas.getPageNumber()} 页"
    canvas.drawCentredString(PAGE_WIDTH / 2, 6 * MM, f"{title} · {page}" if title else page)
