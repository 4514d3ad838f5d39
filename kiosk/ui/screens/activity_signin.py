"""首页 → 活动签到: walk-ins sign in to the activity that is open now.

A known person is found by name (Chinese characters or pinyin initials, the roster search)
and taps their name; anyone else goes to 来宾登记 (``activity_guest.py``). The page shows the
activity whose sign-in window is open, or why nobody can sign in now.
Plain ``QLineEdit`` fields: the kiosk's touch input attaches to whichever one has focus.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.core.results import PersonView
from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.greeting import trade_label
from kiosk.ui.widgets import ResponsiveGrid, label, set_role

MAX_QUERY = 20


class ActivitySignInPage(TitledPage):
    screen = Screen.ACTIVITY_SIGNIN

    query_changed = Signal(str)
    """The search text changed (trimmed; empty when cleared)."""
    person_chosen = Signal(str)
    """A name was tapped (a person id): sign that person in (or out, if already in)."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("活动签到"), parent)
        self.setObjectName("ActivitySignInScreen")
        self.open = False
        self.activity_line = label("", name="ActivityHeader")
        self.message = label("", name="ActivityMessage")
        self.message.hide()

        self.query = QLineEdit()
        self.query.setObjectName("ActivitySearch")
        self.query.setMaxLength(MAX_QUERY)
        self.query.setInputMethodHints(Qt.InputMethodHint.ImhNone)
        self.query.setPlaceholderText(self.tr("输入姓名，或拼音首字母（张建国 → ZJG）"))
        self.query.textChanged.connect(lambda text: self.query_changed.emit(text.strip()))
        self.guest = QPushButton(self.tr("来宾登记"))
        self.guest.setObjectName("GuestButton")
        self.guest.setProperty("tone", "accent")
        self.guest.clicked.connect(lambda: self.navigate_requested.emit(Screen.ACTIVITY_GUEST))
        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.guest)

        self.empty = label("", name="SearchEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = ResponsiveGrid([], columns=2)

        self.form = QWidget()
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addLayout(search_row)
        form.addWidget(self.empty)
        form.addWidget(self.results)
        form.addStretch(1)

        self.body = QVBoxLayout()
        self.body.addWidget(self.activity_line)
        self.body.addWidget(self.message)
        self.body.addWidget(self.form, 1)
        self.set_body(self.body)
        self.show_activity(None, self.tr("正在查找活动…"))

    # -- state in ---------------------------------------------------------------------------

    def show_activity(self, activity_id: str | None, text: str) -> None:
        """The activity open for sign-in (its id and one line about it), or None and why."""
        self.open = activity_id is not None
        self.activity_line.setText(text)
        set_role(self.activity_line, tone="open" if self.open else "closed")
        self.form.setVisible(self.open)

    def show_results(self, query: str, people: list[PersonView]) -> None:
        if query != self.query.text().strip():
            return  # an answer to an older query
        buttons = []
        for person in people:
            button = QPushButton(f"{person.name}  ·  {trade_label(person.trade)}")
            button.setProperty("role", "result")
            button.setObjectName("ActivityResult")
            button.clicked.connect(lambda _=False, pid=person.id: self.person_chosen.emit(pid))
            buttons.append(button)
        self.results.set_widgets(buttons)
        if not query:
            self.empty.setText(self.tr("找到名字后点一下就签到；不在名单上的请点“来宾登记”"))
        elif not people:
            self.empty.setText(self.tr("没有找到，请换个写法，或点“来宾登记”"))
        else:
            self.empty.setText(self.tr("点名字签到（已签到的再点一次是签退）"))

    def show_message(self, text: str, ok: bool) -> None:
        """A sign-in's outcome, shown once it is committed (or why it was not)."""
        self.message.setText(text)
        set_role(self.message, tone="ok" if ok else "error")
        self.message.show()
        if ok:
            self.query.clear()

    def result_buttons(self) -> list[QPushButton]:
        return [w for w in self.results.widgets() if isinstance(w, QPushButton)]

    # -- page -------------------------------------------------------------------------------

    def enter(self, payload: Any = None) -> None:
        self.query.clear()
        self.message.hide()
        self.show_results("", [])

    def leave(self) -> None:
        self.results.set_widgets([])

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.results.set_columns(1 if portrait else 2)
        spacing = round(12 * scale)
        self.results.set_spacing(spacing)
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(spacing)
