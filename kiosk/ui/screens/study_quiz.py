"""The quiz: one question per screen, big answer buttons, feedback at once, a score at the end.

Questions answered wrongly last time come first (the order arrives in the payload). The
score shows as soon as the last answer is given; the points follow once the attempt has
been committed on the database thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.study.catalogue import MaterialView
from kiosk.core.study.package import MaterialContent, Question
from kiosk.core.study.records import AttemptResult
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.study import _scroll
from kiosk.ui.widgets import label, set_role


@dataclass
class QuizRun:
    """What the quiz page needs: the material, its content, the question order."""

    material: MaterialView
    content: MaterialContent
    order: list[str]
    review: set[str] = field(default_factory=set)


class QuizPage(TitledPage):
    screen = Screen.STUDY_QUIZ
    back_to = Screen.STUDY_LIST
    quiz_finished = Signal(object, dict)
    """(QuizRun, {question id: [chosen option indexes]}) after the last question."""
    reread_requested = Signal(object)
    """再读一遍: the MaterialView to open in the reader again."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("答题"), parent)
        self.setObjectName("QuizScreen")
        self.run: QuizRun | None = None
        self.index = 0
        self.chosen: dict[str, list[int]] = {}
        self.answered = False
        self._scale = 1.0
        self.progress = label("", role="muted", name="QuizProgress")
        self.question = label("", role="h2", name="QuizQuestion")
        self.options_box = QWidget()
        self.options = QVBoxLayout(self.options_box)
        self.options.setContentsMargins(0, 0, 0, 0)
        self.option_buttons: list[QPushButton] = []
        self.feedback = label("", role="body", name="QuizFeedback")
        self.confirm = QPushButton(self.tr("选好了"))
        self.confirm.setObjectName("QuizConfirm")
        self.confirm.setProperty("tone", "primary")
        self.confirm.clicked.connect(self._confirm)
        self.next = QPushButton(self.tr("下一题 ›"))
        self.next.setObjectName("QuizNext")
        self.next.setProperty("tone", "primary")
        self.next.clicked.connect(self._next)
        # the score view
        self.score = label("", role="h1", name="QuizScore")
        self.score.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.points = label("", role="body", name="QuizPoints")
        self.points.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reread = QPushButton(self.tr("再读一遍"))
        self.reread.setObjectName("QuizReread")
        self.reread.setProperty("tone", "plain")
        self.reread.clicked.connect(self._reread)
        self.done = QPushButton(self.tr("回讲习所"))
        self.done.setObjectName("QuizDone")
        self.done.setProperty("tone", "green")
        self.done.clicked.connect(lambda: self.navigate_requested.emit(Screen.STUDY))

        # The question and its options scroll if a long one does not fit; the buttons stay.
        self.sheet = QWidget()
        self.column = QVBoxLayout(self.sheet)
        self.column.setContentsMargins(0, 0, 0, 0)
        for w in (self.progress, self.question, self.options_box, self.feedback):
            self.column.addWidget(w)
        self.column.addStretch(1)
        for w in (self.score, self.points):
            self.column.addWidget(w)
        self.body = QVBoxLayout()
        self.body.addWidget(_scroll(self.sheet), 1)
        for w in (self.confirm, self.next, self.reread, self.done):
            self.body.addWidget(w)
            w.hide()
        self.score.hide()
        self.points.hide()
        self.set_body(self.body)

    # -- flow -------------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        if isinstance(payload, QuizRun):
            self.start(payload)

    def start(self, run: QuizRun) -> None:
        self.run = run
        self.index = 0
        self.chosen = {}
        self.bar.title.setText(self.tr("答题：{title}").format(title=run.material.title))
        self._show_question()

    def current(self) -> Question:
        assert self.run is not None and self.run.content.quiz is not None
        qid = self.run.order[self.index]
        return next(q for q in self.run.content.quiz.questions if q.id == qid)

    def _show_question(self) -> None:
        q = self.current()
        self.answered = False
        total = len(self.run.order)
        progress = self.tr("第 {n} 题，共 {total} 题").format(n=self.index + 1, total=total)
        if q.id in self.run.review:
            progress += self.tr("　· 上次答错的题")
        if q.kind == "multiple":
            progress += self.tr("　· 多选")
        self.progress.setText(progress)
        self.question.setText(q.text)
        for b in self.option_buttons:
            self.options.removeWidget(b)
            b.deleteLater()
        self.option_buttons = []
        for i, text in enumerate(q.options):
            b = QPushButton(f"{'ABCDEF'[i]}．{text}")
            b.setObjectName(f"QuizOption{i}")
            b.setProperty("tone", "plain")
            b.setCheckable(q.kind == "multiple")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setStyleSheet("text-align: left;")
            b.clicked.connect(lambda _=False, i=i: self.answer(i))
            self.options.addWidget(b)
            b.show()
            self.option_buttons.append(b)
        self.feedback.setText("")
        self.confirm.setVisible(q.kind == "multiple")
        self.confirm.setEnabled(False)
        self.next.hide()
        for w in (self.score, self.points, self.reread, self.done):
            w.hide()
        for w in (self.progress, self.question, self.options_box, self.feedback):
            w.show()
        self.apply_layout(self._scale, False)

    def answer(self, i: int) -> None:
        """Option ``i`` was tapped: a single choice is revealed at once, a multiple one toggles."""
        if self.answered:
            return
        q = self.current()
        if q.kind == "single":
            self.chosen[q.id] = [i]
            self._reveal()
            return
        picked = [n for n, b in enumerate(self.option_buttons) if b.isChecked()]
        set_role(self.option_buttons[i], tone="primary" if i in picked else "plain")
        self.confirm.setEnabled(bool(picked))

    def _confirm(self) -> None:
        q = self.current()
        self.chosen[q.id] = [n for n, b in enumerate(self.option_buttons) if b.isChecked()]
        self._reveal()

    def _reveal(self) -> None:
        q = self.current()
        self.answered = True
        picked = set(self.chosen.get(q.id, []))
        right = sorted(picked) == sorted(q.answer)
        for n, b in enumerate(self.option_buttons):
            if n in q.answer:
                set_role(b, tone="green")
            elif n in picked:
                set_role(b, tone="danger")
            b.setCheckable(False)
        letters = "、".join("ABCDEF"[n] for n in q.answer)
        headline = (
            self.tr("答对了！")
            if right
            else self.tr("答错了，正确答案是 {letters}。").format(letters=letters)
        )
        self.feedback.setText(f"{headline}{q.explanation}")
        self.confirm.hide()
        last = self.index >= len(self.run.order) - 1
        self.next.setText(self.tr("看成绩") if last else self.tr("下一题 ›"))
        self.next.show()

    def _next(self) -> None:
        if self.index < len(self.run.order) - 1:
            self.index += 1
            self._show_question()
            return
        self.show_score()
        self.quiz_finished.emit(self.run, dict(self.chosen))

    def show_score(self) -> None:
        """The score of the answers in ``chosen``, while the attempt is being saved."""
        assert self.run is not None and self.run.content.quiz is not None
        quiz = self.run.content.quiz
        correct = sum(
            1 for q in quiz.questions if sorted(self.chosen.get(q.id, [])) == sorted(q.answer)
        )
        total = len(quiz.questions)
        for w in (self.progress, self.question, self.options_box, self.feedback, self.confirm):
            w.hide()
        self.next.hide()
        self.score.setText(
            self.tr("答对 {correct} 题，共 {total} 题\n{score} 分").format(
                correct=correct, total=total, score=round(100 * correct / total)
            )
        )
        self.points.setText(self.tr("正在保存成绩…"))
        for w in (self.score, self.points, self.reread, self.done):
            w.show()

    def show_result(self, result: AttemptResult) -> None:
        """The attempt was committed: say what it earned."""
        if not result.passed:
            text = self.tr("还差一点，再读一遍，下次答错的题会先出。")
        elif result.reason == "awarded":
            text = self.tr("及格了！得了 {n} 积分。").format(n=result.points)
        elif result.reason == "anonymous":
            text = self.tr("及格了！扫工牌后再答题，就能攒积分。")
        elif result.reason == "already_awarded":
            text = self.tr("及格了！这篇的积分之前已经得过了。")
        else:
            text = self.tr("及格了！今天的积分已经攒满，明天再来。")
        self.points.setText(text)

    def _reread(self) -> None:
        if self.run is not None:
            self.reread_requested.emit(self.run.material)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._scale = scale
        pad = round(24 * scale)
        self.body.setContentsMargins(pad, pad, pad, pad)
        self.body.setSpacing(round(14 * scale))
        self.column.setSpacing(round(14 * scale))
        self.options.setSpacing(round(14 * scale))
        for b in self.option_buttons:
            b.setMinimumHeight(round(96 * scale))
