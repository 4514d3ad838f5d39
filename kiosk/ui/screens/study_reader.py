"""The reader: a material's Markdown in large type, turned with big page buttons.

``QTextDocument.setMarkdown`` lays the body out at the page size, so a page is one screenful
and a line is never cut between pages. Images are scaled to fit the page. 朗读 reads the
current page with QTextToSpeech when a Chinese voice exists; audio/video play with
QtMultimedia. Both modules load only when first used.

An open reader shows the version it opened, whatever sync installs or withdraws meanwhile:
it holds that version's folder in the material store (``core/study/store.py``), which keeps
every installed version in a folder of its own and deletes one only when no reader holds it.
So pictures and media come from the version's folder as ordinary files, and the hold is let
go when the reader closes. A package that cannot be read at open (withdrawn between the list
and the tap) or media that cannot be played show a short notice instead of a broken page.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout

from kiosk.core.study.catalogue import MaterialView
from kiosk.core.study.store import MaterialStore, OpenVersion
from kiosk.screen_names import Screen
from kiosk.ui import style
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.study_page_view import PageView
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

FONT_STEPS = (0.85, 1.0, 1.2, 1.45, 1.75)
DEFAULT_STEP = 2


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

    def __init__(self, store: MaterialStore, parent=None) -> None:
        super().__init__("", parent)
        self.setObjectName("ReaderScreen")
        self.now = datetime.now
        self.store = store  # holds the version an open reader shows
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
        opened = self.store.open(material.id, material.folder)
        if opened is None:
            log.warning("material %s cannot be opened", material.id)
            self._show_unavailable(material)
            return
        m = opened.content.manifest
        if m.version != material.version:  # replaced after the list was drawn
            material = replace(material, version=m.version, title=m.title)
        self.material = material
        self.bar.title.setText(material.title)
        self.started_at = self.now()
        self.media.setVisible(_media(opened) is not None)
        self._media_idle_text(opened)
        self.speak.setVisible(self._voice() is not None)
        self.view.set_version(opened)
        self.view.go(0)

    def _show_unavailable(self, material: MaterialView) -> None:
        """Withdrawn (or damaged) between the list and the tap: say so; nothing to record."""
        self.material = material
        self.started_at = None
        self.bar.title.setText(material.title)
        self.view.set_version(None)
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
        """Let go of the open version: its folder may go now (the reader closed)."""
        opened = self.view.opened
        if opened is not None:
            self.view.set_version(None)
            opened.close()

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
        opened = self.view.opened
        name = _media(opened)
        if opened is None or name is None:
            return
        if self._player is not None:
            self.stop_media()
            return
        self.notice.hide()
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError:
            log.info("QtMultimedia unavailable; cannot play %s", name)
            self._media_unavailable(opened)
            return
        path = opened.folder / name  # the held version's file, whatever was installed since
        if not path.is_file():
            self._media_unavailable(opened)
            return
        player = QMediaPlayer(self)
        self._player = player
        self._audio = QAudioOutput(player)
        player.setAudioOutput(self._audio)
        player.errorOccurred.connect(self._media_failed)
        if opened.content.manifest.video:
            from PySide6.QtMultimediaWidgets import QVideoWidget

            self._video = QVideoWidget(self)
            self._video.setGeometry(self.view.geometry())
            self._video.show()
            player.setVideoOutput(self._video)
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()
        self._speak_timer.start()  # playing counts as activity, like reading aloud
        self.media.setText(self.tr("停止播放"))

    def _media_failed(self, error: Any, message: str) -> None:
        opened = self.view.opened
        log.warning("cannot play %s: %s (%s)", _media(opened), message, error)
        self.stop_media()
        if opened is not None:
            self._media_unavailable(opened)

    def _media_unavailable(self, opened: OpenVersion) -> None:
        if opened.content.manifest.video:
            self._show_notice(self.tr("视频暂时放不了，请先看文字"))
        else:
            self._show_notice(self.tr("音频暂时放不了，请先看文字"))

    def _media_idle_text(self, opened: OpenVersion | None) -> None:
        video = opened is not None and bool(opened.content.manifest.video)
        self.media.setText(self.tr("看视频") if video else self.tr("听音频"))

    def stop_media(self) -> None:
        if self._player is None:
            return
        player, self._player = self._player, None
        player.errorOccurred.disconnect(self._media_failed)
        player.stop()
        player.deleteLater()
        if self._video is not None:
            self._video.deleteLater()
            self._video = None
        self._speak_timer.stop()
        self._media_idle_text(self.view.opened)


def _media(opened: OpenVersion | None) -> str | None:
    """The version's video or audio file name, if it has one."""
    if opened is None:
        return None
    return opened.content.manifest.video or opened.content.manifest.audio


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
