"""The reader: a material's Markdown in large type, turned with big page buttons.

``QTextDocument.setMarkdown`` lays the body out at the page size, so a page is one screenful
and a line is never cut between pages. Images are scaled to fit the page. 朗读 reads the
current page with QTextToSpeech when a Chinese voice exists; audio/video play with
QtMultimedia. Both modules load only when first used.

An open reader shows the version it opened, whatever sync installs or withdraws meanwhile:
it reads the package once at open into a ``MaterialSnapshot`` (``study_snapshot.py``: the
text, the decoded images, an open descriptor on the audio/video file) and lays pages out and
plays media from that, never from the package folder by name. The snapshot is let go when
the reader closes. A package that cannot be read at open (withdrawn between the list and the
tap) or media that cannot be played show a short notice instead of a broken page.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.study.catalogue import MaterialView
from kiosk.core.study.package import MaterialContent
from kiosk.screen_names import Screen
from kiosk.ui import style
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.study_snapshot import MaterialSnapshot, SnapshotError, take_snapshot
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

FONT_STEPS = (0.85, 1.0, 1.2, 1.45, 1.75)
DEFAULT_STEP = 2


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
        self.snapshot: MaterialSnapshot | None = None
        self.content: MaterialContent | None = None
        self.font_px = 36
        self.page = 0
        self._laid_out_for: tuple[Any, ...] = ()

    @property
    def page_count(self) -> int:
        return max(1, self.doc.pageCount()) if self.content else 1

    def set_snapshot(self, snapshot: MaterialSnapshot | None) -> None:
        """Show this snapshot's pages from the first, or nothing (None)."""
        self.snapshot = snapshot
        self.content = snapshot.content if snapshot is not None else None
        self.page = 0
        self._laid_out_for = ()
        if snapshot is None:
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
        if self.snapshot is None or self.width() < 50 or self.height() < 50:
            return
        key = (id(self.snapshot), self.width(), self.height(), self.font_px)
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
        doc.setMarkdown(self.snapshot.content.body)
        # After setMarkdown, which clears the document's resources; before the layout.
        for name in self.snapshot.image_names:
            image = self.snapshot.image(name)  # from memory: never another version's file
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


class ReaderPage(TitledPage):
    screen = Screen.STUDY_READER
    back_to = Screen.STUDY_LIST
    session_ended = Signal(object, object, int, int, bool)
    """(MaterialView, started_at, pages seen, page count, finished) when the reader closes."""
    quiz_requested = Signal(object, object)
    """(MaterialView, MaterialContent): 去答题 on the last page."""
    activity = Signal()
    """Something is happening without touches (reading aloud): keep the idle timer away."""
    page_painted = Signal(int)
    """The page with this index was painted (the bench measures tap → first page)."""

    def __init__(self, parent=None) -> None:
        super().__init__("", parent)
        self.setObjectName("ReaderScreen")
        self.now = datetime.now
        self.speech_allowed = False
        self.material: MaterialView | None = None
        self.started_at: datetime | None = None
        self.seen: set[int] = set()
        self.step = DEFAULT_STEP
        self._scale = 1.0
        self._tts: Any = None
        self._tts_checked = False
        self._player: Any = None
        self._video: Any = None

        self.view = PageView()
        self.view.page_changed.connect(self._on_page)
        self.view.installEventFilter(self)

        self.smaller = QPushButton(self.tr("字小"))
        self.bigger = QPushButton(self.tr("字大"))
        self.speak = QPushButton(self.tr("朗读"))
        self.media = QPushButton(self.tr("播放"))
        self.prev = QPushButton(self.tr("‹ 上一页"))
        self.next = QPushButton(self.tr("下一页 ›"))
        self.quiz = QPushButton(self.tr("去答题"))
        self.position = label("", role="body", name="ReaderPosition")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice = label("", role="body", name="ReaderNotice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.hide()  # a short message when the material or its media cannot be shown
        for b, name, tone in (
            (self.smaller, "FontSmaller", "plain"),
            (self.bigger, "FontBigger", "plain"),
            (self.speak, "ReadAloud", "plain"),
            (self.media, "PlayMedia", "plain"),
            (self.prev, "PrevPage", "primary"),
            (self.next, "NextPage", "primary"),
            (self.quiz, "StartQuiz", "green"),
        ):
            b.setObjectName(name)
            b.setProperty("tone", tone)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.smaller.clicked.connect(lambda: self.set_step(self.step - 1))
        self.bigger.clicked.connect(lambda: self.set_step(self.step + 1))
        self.prev.clicked.connect(lambda: self.view.go(self.view.page - 1))
        self.next.clicked.connect(lambda: self.view.go(self.view.page + 1))
        self.quiz.clicked.connect(self._start_quiz)
        self.speak.clicked.connect(self.toggle_speech)
        self.media.clicked.connect(self.toggle_media)

        for b in (self.speak, self.media, self.quiz):
            b.hide()  # shown when the material (or a voice) has them
        self.tools = QHBoxLayout()
        for b in (self.smaller, self.bigger, self.speak, self.media):
            self.tools.addWidget(b)
        self.turns = QHBoxLayout()
        self.turns.addWidget(self.prev, 2)
        self.turns.addWidget(self.position, 1)
        self.turns.addWidget(self.next, 2)
        self.turns.addWidget(self.quiz, 2)
        self.body = QVBoxLayout()
        self.body.addLayout(self.tools)
        self.body.addWidget(self.notice)
        self.body.addWidget(self.view, 1)
        self.body.addLayout(self.turns)
        self.set_body(self.body)
        self._speak_timer = QTimer(self)
        self._speak_timer.setInterval(5000)
        self._speak_timer.timeout.connect(self._speaking_tick)

    # -- page lifecycle ---------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        if isinstance(payload, MaterialView):
            self.open(payload)

    def open(self, material: MaterialView) -> None:
        self.stop_speech()
        self.stop_media()
        self._let_go()
        self.notice.hide()
        self.seen = set()
        try:
            snapshot = take_snapshot(material.folder)
        except SnapshotError as e:
            log.warning("material cannot be opened: %s", e)
            self._show_unavailable(material)
            return
        if snapshot.version != material.version:  # replaced after the list was drawn
            m = snapshot.content.manifest
            material = replace(material, version=m.version, title=m.title)
        self.material = material
        self.bar.title.setText(material.title)
        self.started_at = self.now()
        self.media.setVisible(snapshot.media_name is not None)
        self._media_idle_text(snapshot)
        self.speak.setVisible(self._voice() is not None)
        self.view.set_snapshot(snapshot)
        self.view.go(0)

    def _show_unavailable(self, material: MaterialView) -> None:
        """Withdrawn (or damaged) between the list and the tap: say so; nothing to record."""
        self.material = material
        self.started_at = None
        self.bar.title.setText(material.title)
        self.view.set_snapshot(None)
        for b in (self.speak, self.media, self.next, self.quiz):
            b.hide()
        self.prev.setEnabled(False)
        self.position.setText("")
        self._show_notice(self.tr("这份学习材料现在打不开（可能刚刚撤下了），请返回看看别的"))

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def leave(self) -> None:
        self.stop_speech()
        self.stop_media()
        if self.material is not None and self.started_at is not None:
            count = self.view.page_count
            finished = (count - 1) in self.seen
            self.session_ended.emit(self.material, self.started_at, len(self.seen), count, finished)
        self.started_at = None
        self._let_go()

    def _let_go(self) -> None:
        """Release the open material's images and media file (the reader closed)."""
        snapshot = self.view.snapshot
        if snapshot is not None:
            self.view.set_snapshot(None)
            snapshot.close()

    def set_step(self, step: int) -> None:
        self.step = max(0, min(step, len(FONT_STEPS) - 1))
        self.smaller.setEnabled(self.step > 0)
        self.bigger.setEnabled(self.step < len(FONT_STEPS) - 1)
        self.view.set_font_px(round(style.sizes(self._scale)["body"] * FONT_STEPS[self.step]))

    def _on_page(self, page: int, count: int) -> None:
        self.seen.add(page)
        self.position.setText(f"{page + 1} / {count}")
        self.prev.setEnabled(page > 0)
        last = page >= count - 1
        self.next.setVisible(not last)
        content = self.view.content
        self.quiz.setVisible(last and content is not None and content.quiz is not None)
        if self._tts is not None and self._speak_timer.isActive():
            self._say_page()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == event.Type.Paint:
            QTimer.singleShot(0, lambda p=self.view.page: self.page_painted.emit(p))
        return False

    def _start_quiz(self) -> None:
        if self.material is not None and self.view.content is not None:
            self.quiz_requested.emit(self.material, self.view.content)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._scale = scale
        pad = round(16 * scale)
        self.body.setContentsMargins(pad, pad, pad, pad)
        self.body.setSpacing(pad)
        self.set_step(self.step)

    # -- read aloud -------------------------------------------------------------------------

    def _voice(self) -> Any:
        if not self.speech_allowed:
            return None
        if not self._tts_checked:
            self._tts_checked = True
            self._tts = find_chinese_voice(self)
        return self._tts

    def toggle_speech(self) -> None:
        if self._speak_timer.isActive():
            self.stop_speech()
            return
        if self._voice() is None:
            return
        self._speak_timer.start()
        self.speak.setText(self.tr("停止朗读"))
        self._say_page()

    def _say_page(self) -> None:
        self._tts.stop()
        self._tts.say(self.view.page_text())

    def _speaking_tick(self) -> None:
        self.activity.emit()

    def stop_speech(self) -> None:
        if self._speak_timer.isActive():
            self._speak_timer.stop()
            self.speak.setText(self.tr("朗读"))
            if self._tts is not None:
                self._tts.stop()

    # -- audio / video ----------------------------------------------------------------------

    def toggle_media(self) -> None:
        snapshot = self.view.snapshot
        if snapshot is None or snapshot.media_name is None:
            return
        if self._player is not None:
            self.stop_media()
            return
        self.notice.hide()
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError:
            log.info("QtMultimedia unavailable; cannot play %s", snapshot.media_name)
            self._media_unavailable(snapshot)
            return
        source = snapshot.open_media(self)  # the opened version's file, even if deleted
        if source is None:
            self._media_unavailable(snapshot)
            return
        player = QMediaPlayer(self)
        source.setParent(player)  # deleted with the player, after it stopped reading
        self._player = player
        self._audio = QAudioOutput(player)
        player.setAudioOutput(self._audio)
        player.errorOccurred.connect(self._media_failed)
        if snapshot.media_is_video:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self._video = QVideoWidget(self)
            self._video.setGeometry(self.view.geometry())
            self._video.show()
            player.setVideoOutput(self._video)
        player.setSourceDevice(source, QUrl(snapshot.media_name))
        player.play()
        self._speak_timer.start()  # playing counts as activity, like reading aloud
        self.media.setText(self.tr("停止播放"))

    def _media_failed(self, error: Any, message: str) -> None:
        snapshot = self.view.snapshot
        log.warning("cannot play %s: %s (%s)", snapshot and snapshot.media_name, message, error)
        self.stop_media()
        if snapshot is not None:
            self._media_unavailable(snapshot)

    def _media_unavailable(self, snapshot: MaterialSnapshot) -> None:
        if snapshot.media_is_video:
            self._show_notice(self.tr("视频暂时放不了，请先看文字"))
        else:
            self._show_notice(self.tr("音频暂时放不了，请先看文字"))

    def _media_idle_text(self, snapshot: MaterialSnapshot | None) -> None:
        video = snapshot is not None and snapshot.media_is_video
        self.media.setText(self.tr("看视频") if video else self.tr("听音频"))

    def stop_media(self) -> None:
        if self._player is None:
            return
        player, self._player = self._player, None
        player.errorOccurred.disconnect(self._media_failed)
        player.stop()
        player.deleteLater()  # with it the QFile it reads
        if self._video is not None:
            self._video.deleteLater()
            self._video = None
        self._speak_timer.stop()
        self._media_idle_text(self.view.snapshot)


def find_chinese_voice(parent) -> Any:
    """A QTextToSpeech set to a Chinese locale, or None (no engine, or no Chinese voice)."""
    try:
        from PySide6.QtCore import QLocale
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return None
    try:
        for engine in QTextToSpeech.availableEngines():
            tts = QTextToSpeech(engine, parent)
            for locale in tts.availableLocales():
                if locale.language() == QLocale.Language.Chinese:
                    tts.setLocale(locale)
                    return tts
            tts.deleteLater()
    except Exception:
        log.info("no speech engine for the reader", exc_info=True)
    return None
