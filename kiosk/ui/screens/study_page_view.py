"""The reader's page: one screenful of a material's Markdown, laid out at the widget's size.

``QTextDocument.setMarkdown`` lays the body out at the page size, so a page is one screenful
and a line is never cut between pages. Pictures come from the folder of the version the
reader holds open (``core/study/store.py``), decoded no larger than ``IMAGE_BOX`` and scaled
to fit the page at each layout.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.core.study.package import MaterialContent, image_names
from kiosk.core.study.store import OpenVersion
from kiosk.ui import style
from kiosk.ui.images import read_image

IMAGE_BOX = QSize(1920, 1080)
"""Pictures are decoded at most this size: a page shows them at most full width × 55 % high."""


class PageView(QWidget):
    """Paints one page of a QTextDocument laid out at this widget's size."""

    page_changed = Signal(int, int)
    """(page index, page count) after a turn or a re-layout."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ReaderPage")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.doc = QTextDocument(self)
        self.doc.setUndoRedoEnabled(False)
        self.opened: OpenVersion | None = None
        self.content: MaterialContent | None = None
        self.font_px = 36
        self.page = 0
        self._laid_out_for: tuple[Any, ...] = ()

    @property
    def page_count(self) -> int:
        return max(1, self.doc.pageCount()) if self.content else 1

    def set_version(self, opened: OpenVersion | None) -> None:
        """Show this version's pages from the first, or nothing (None)."""
        self.opened = opened
        self.content = opened.content if opened is not None else None
        self.page = 0
        self._laid_out_for = ()
        if opened is None:
            self.doc.clear()  # and its image resources
            self.update()
        self.relayout()

    def set_font_px(self, px: int) -> None:
        if px == self.font_px:
            return
        ratio = self.page / max(1, self.page_count)
        self.font_px = px
        self.relayout()
        self.go(round(ratio * self.page_count))

    def relayout(self) -> None:
        if self.opened is None or self.width() < 50 or self.height() < 50:
            return
        key = (id(self.opened), self.width(), self.height(), self.font_px)
        if key == self._laid_out_for:
            return
        self._laid_out_for = key
        w, h = self.width(), self.height()
        margin = round(self.font_px * 0.8)
        doc = self.doc
        doc.clear()
        font = QFont(style.FONT_FAMILIES[0])
        font.setFamilies(style.FONT_FAMILIES)
        font.setPixelSize(self.font_px)
        doc.setDefaultFont(font)
        doc.setDocumentMargin(margin)
        line = round(self.font_px * 0.45)
        doc.setMarkdown(self.opened.content.body)
        # After setMarkdown, which clears the document's resources; before the layout.
        for name in image_names(self.opened.content.body):
            image = read_image(self.opened.folder / name, IMAGE_BOX)  # the held version's
            if image is None:  # refused or gone: an empty resource, so Qt never tries the
                # name as a file itself (relative to the working folder, with no size check)
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage())
                continue
            fitted = image.scaled(
                round(w - 2 * margin),
                round(h * 0.55),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), fitted)
        cursor = QTextCursor(doc)
        cursor.select(QTextCursor.SelectionType.Document)
        fmt = cursor.blockFormat()
        fmt.setLineHeight(150, 1)  # ProportionalHeight: roomy lines for tired eyes
        fmt.setBottomMargin(line)
        cursor.mergeBlockFormat(fmt)
        doc.setPageSize(QSizeF(w, h))
        self.page = min(self.page, self.page_count - 1)
        self.page_changed.emit(self.page, self.page_count)
        self.update()

    def go(self, page: int) -> None:
        page = max(0, min(page, self.page_count - 1))
        if page != self.page:
            self.page = page
            self.update()
        self.page_changed.emit(self.page, self.page_count)

    def page_text(self) -> str:
        """The plain text of the current page (for reading aloud)."""
        layout = self.doc.documentLayout()
        h = self.height()
        start = layout.hitTest(QPointF(1, self.page * h + 1), Qt.HitTestAccuracy.FuzzyHit)
        end = layout.hitTest(
            QPointF(self.width() - 1, (self.page + 1) * h - 1), Qt.HitTestAccuracy.FuzzyHit
        )
        cursor = QTextCursor(self.doc)
        cursor.setPosition(max(0, start))
        cursor.setPosition(max(start, end), QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.relayout()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if self.content is not None:
            h = self.height()
            painter.translate(0, -self.page * h)
            self.doc.drawContents(painter, QRectF(0, self.page * h, self.width(), h))
        painter.end()
