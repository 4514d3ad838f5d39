"""Name search with an on-screen keypad of pinyin initials: "zjg" finds 张建国."""

from __future__ import annotations

import string

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.results import PersonView
from kiosk.screen_names import Screen
from kiosk.ui import icons
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.greeting import trade_label
from kiosk.ui.widgets import ResponsiveGrid, label

MAX_QUERY = 8


class SearchPage(TitledPage):
    screen = Screen.SEARCH
    back_to = Screen.TRADES

    query_changed = Signal(str)
    """The typed initials changed (lower case; empty when cleared)."""
    person_chosen = Signal(str)
    """A worker tapped their own name (a person id)."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("按姓名查找"), parent)
        self._query = ""

        self.query_label = label("", name="SearchQuery")
        self.query_label.setWordWrap(False)
        self.keys: dict[str, QPushButton] = {}
        keys: list[QWidget] = []
        for letter in string.ascii_uppercase:
            key = QPushButton(letter)
            key.setProperty("role", "key")
            key.setObjectName(f"Key_{letter}")
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            key.clicked.connect(lambda _=False, c=letter: self.type_letter(c))
            self.keys[letter] = key
            keys.append(key)
        self.backspace = QPushButton()
        self.backspace.setObjectName("Key_Backspace")
        self.backspace.setProperty("role", "key")
        self.backspace.setToolTip(self.tr("退格"))
        self.backspace.setAccessibleName(self.tr("退格"))
        self.backspace.clicked.connect(self.backspace_letter)
        self.clear = QPushButton(self.tr("清空"))
        self.clear.setObjectName("Key_Clear")
        self.clear.setProperty("role", "key")
        self.clear.clicked.connect(self.clear_query)
        for extra in (self.backspace, self.clear):
            extra.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        keys += [self.backspace, self.clear]
        self.keypad = ResponsiveGrid(keys, columns=7)

        self.empty = label("", name="SearchEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = ResponsiveGrid([], columns=2)
        results_box = QWidget()
        results_col = QVBoxLayout(results_box)
        results_col.setContentsMargins(0, 0, 0, 0)
        results_col.addWidget(self.empty)
        results_col.addWidget(self.results)
        results_col.addStretch(1)

        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(self.query_label)
        left_col.addWidget(self.keypad, 1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.addWidget(left, 3)
        self.body.addWidget(results_box, 2)
        self.set_body(self.body)
        self._show_query()

    # -- typing -----------------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self._query

    def type_letter(self, letter: str) -> None:
        if len(self._query) < MAX_QUERY:
            self._set_query(self._query + letter.lower())

    def backspace_letter(self) -> None:
        self._set_query(self._query[:-1])

    def clear_query(self) -> None:
        self._set_query("")

    def _set_query(self, query: str) -> None:
        if query == self._query:
            return
        self._query = query
        self._show_query()
        if not query:
            self.show_results(query, [])
        self.query_changed.emit(query)

    def _show_query(self) -> None:
        self.query_label.setText(self._query.upper() or self.tr("请输入姓名拼音首字母"))

    # -- results ----------------------------------------------------------------------------

    def show_results(self, query: str, people: list[PersonView]) -> None:
        if query != self._query:
            return  # an answer to an older query
        buttons = []
        for person in people:
            button = QPushButton(f"{person.name}  ·  {trade_label(person.trade)}")
            button.setProperty("role", "result")
            button.setObjectName("SearchResult")
            button.clicked.connect(lambda _=False, pid=person.id: self.person_chosen.emit(pid))
            buttons.append(button)
        self.results.set_widgets(buttons)
        if not query:
            self.empty.setText(self.tr("例如：张建国 → 按 Z J G"))
        elif not people:
            self.empty.setText(self.tr("没有找到，请换个字母，或按工种签到"))
        else:
            self.empty.setText(self.tr("找到了？点您的名字签到"))

    def result_buttons(self) -> list[QPushButton]:
        return [w for w in self.results.widgets() if isinstance(w, QPushButton)]

    # -- page -------------------------------------------------------------------------------

    def enter(self, payload: object = None) -> None:
        self._query = ""
        self._show_query()
        self.show_results("", [])

    def leave(self) -> None:
        self._query = ""
        self.results.set_widgets([])

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.BottomToTop if portrait else QBoxLayout.Direction.LeftToRight
        )
        side = round(44 * scale)
        self.backspace.setIcon(icons.icon("backspace", "#1A1A1A", side))
        self.backspace.setIconSize(QSize(side, side))
        self.results.set_columns(2 if portrait else 1)
        spacing = round(12 * scale)
        self.keypad.set_spacing(spacing)
        self.results.set_spacing(spacing)
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(24 * scale))
        self.query_label.setMinimumHeight(round(96 * scale))
