"""Badge cards as PDF for the console: A4 sheets through ``kiosk/core/badge_sheet.py`` (the
kiosk's own sheet: 3 × 4 vector cards a page, cut marks, the CJK font embedded as a subset,
team-then-pinyin order) and a single card on a page of its own size, drawn by
``core/badge_card.py`` and saved by Pillow."""

from __future__ import annotations

import io
from collections.abc import Sequence

from kiosk.core.badge_card import CardSpec, render_card
from kiosk.core.badge_sheet import sheet_order, write_badge_sheet

DPI = 300


def sheet(items: Sequence[CardSpec], title: str) -> tuple[bytes, int]:
    """The cards on A4 pages, in the order a keeper expects; the PDF and its page count."""
    out = io.BytesIO()
    done = write_badge_sheet(sheet_order(items), out, title=title)
    return out.getvalue(), done.pages


def single(card: CardSpec) -> bytes:
    """One card on a page of its own size (for a card printer or to cut by hand)."""
    out = io.BytesIO()
    render_card(card).save(out, "PDF", resolution=DPI)
    return out.getvalue()
