"""Printing a badge card (issue 15): ``QPrinter`` to the system's default printer (CUPS).

:func:`default_printer` is None when the system has no printer (no CUPS, or CUPS without a
default queue); the keeper's 工牌 screen then saves the card as a PDF to a USB stick instead
(``core/keeper_badges.save_pdf``). :func:`print_card` draws the card of
``core/badge_card.render_card`` at its true size (54 mm wide, 300 dpi, QR modules unblurred)
at the top of one page, with a light outline to cut along. Tests hand it a ``QPrinter`` in
``PdfFormat``: the printer is a true edge.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.core.badge_card import CardSpec, render_card

log = logging.getLogger(__name__)

CARD_MM = 54.0  # the card's width on paper (badge_card: 640 px at 300 dpi)
MARGIN_MM = 15.0


def default_printer() -> QPrinter | None:
    """The system's default printer, or None when there is none."""
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return None
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def printer_label(printer: QPrinter) -> str:
    """How the screen names the printer (its queue name; a PDF printer: the file's name)."""
    return printer.printerName() or printer.outputFileName().rsplit("/", 1)[-1]


def print_card(printer: QPrinter, card: CardSpec) -> bool:
    """Print one card; False when the printer could not start (logged)."""
    image = render_card(card)
    qimage = QImage(
        image.tobytes(), image.width, image.height, image.width, QImage.Format.Format_Grayscale8
    ).copy()  # own the pixels: the bytes object goes away
    printer.setDocName(f"工牌 {card.name}")
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(printer):
        log.error("the printer did not start: %s", printer_label(printer))
        return False
    try:
        dpi = printer.resolution()
        page = printer.pageLayout().paintRectPixels(dpi)
        width = CARD_MM / 25.4 * dpi
        height = width * image.height / image.width
        target = QRectF((page.width() - width) / 2, 0, width, height)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(target, qimage)
        pen = QPen(QColor(190, 190, 190))
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
    finally:
        painter.end()
    return True
