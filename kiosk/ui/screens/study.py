"""讲习所: category tiles, the list of materials with covers, and 我的学习.

The pages only show what ``StudyFlow`` (``kiosk/ui/study_flow.py``) hands them and emit
intents; they never touch the station.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.study.catalogue import MaterialView
from kiosk.core.study.mine import MyStudy
from kiosk.core.study.package import CATEGORIES
from kiosk.screen_names import Screen
from kiosk.ui.images import read_image
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.widgets import ResponsiveGrid, Tile, label

COVER_BOX = QSize(720, 450)
"""A cover is decoded at most this size: it shows 240 px wide × the layout scale (≤ 1.5)."""

CATEGORY_LOOK = {  # icon, tone
    "安全": ("trade_traffic", "accent"),
    "急救": ("medkit", "accent"),
    "政策": ("books", "primary"),
    "党建": ("star", "accent"),
    "生活": ("home", "green"),
}


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(inner)
    area.viewport().setObjectName("StudyScrollViewport")
    area.viewport().setStyleSheet("#StudyScrollViewport { background: transparent; }")
    inner.setObjectName("StudyScrollSheet")  # a selector, so children keep their own styles
    inner.setStyleSheet("#StudyScrollSheet { background: transparent; }")
    return area


class StudyPage(TitledPage):
    """Big category tiles, and 我的学习 once a badge was scanned."""

    screen = Screen.STUDY
    category_chosen = Signal(str)
    """A category tile was tapped."""
    my_study_requested = Signal()
    """The known worker asked for 我的学习."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("讲习所"), parent)
        self.setObjectName("StudyScreen")
        self.tiles: dict[str, Tile] = {}
        for category in CATEGORIES:
            icon_name, tone = CATEGORY_LOOK[category]
            tile = Tile(category, icon_name, tone)
            tile.setObjectName(f"StudyCategory_{category}")
            tile.clicked.connect(lambda _=False, c=category: self.category_chosen.emit(c))
            self.tiles[category] = tile
        self.mine = Tile(self.tr("我的学习"), "people", "plain")
        self.mine.setObjectName("MyStudyTile")
        self.mine.clicked.connect(self.my_study_requested)
        self.grid = ResponsiveGrid([*self.tiles.values(), self.mine], columns=3)
        self.hint = label("", role="muted", name="StudyHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout()
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.hint)
        self.set_body(self.body)
        self.set_counts({}, None)

    def set_counts(self, counts: dict[str, int], person_name: str | None) -> None:
        for category, tile in self.tiles.items():
            n = counts.get(category, 0)
            tile.text_label.setText(self.tr("{category}\n{n} 篇").format(category=category, n=n))
            tile.setEnabled(n > 0)
        self.mine.setEnabled(person_name is not None)
        if person_name:
            self.hint.setText(self.tr("{name}，学完答题及格可以得积分").format(name=person_name))
        else:
            self.hint.setText(self.tr("先扫工牌再学习，可以记下学过什么、攒积分"))

    def apply_layout(self, scale: float, portrait: bool) -> None:
        for tile in [*self.tiles.values(), self.mine]:
            tile.set_icon_size(round(80 * scale))
        self.grid.set_columns(2 if portrait else 3)
        spacing = round(24 * scale)
        self.grid.set_spacing(spacing)
        self.body.setContentsMargins(spacing, spacing, spacing, spacing)


class MaterialCard(QPushButton):
    """One material in the list: its cover on the left, title and summary beside it."""

    def __init__(self, material: MaterialView, is_new: bool, parent=None) -> None:
        super().__init__(parent)
        self.material = material
        self.setObjectName("MaterialCard")
        self.setAccessibleName(material.title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.cover = QLabel()
        self.cover.setObjectName("MaterialCover")
        self.title = label(material.title, role="h2", name="MaterialTitle")
        self.summary = label(material.summary, role="muted", name="MaterialSummary")
        meta = (
            self.tr("{n} 道题").format(n=material.question_count) if material.question_count else ""
        )
        self.meta = label((self.tr("新 · ") if is_new else "") + meta, name="MaterialMeta")
        for child in (self.cover, self.title, self.summary, self.meta):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.summary)
        text.addWidget(self.meta)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.addWidget(self.cover)
        row.addLayout(text, 1)
        cover = read_image(material.cover, COVER_BOX) if material.cover else None
        self._pixmap = QPixmap.fromImage(cover) if cover is not None else QPixmap()

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint().expandedTo(self.minimumSize())

    def apply_layout(self, scale: float) -> None:
        w = round(240 * scale)
        if not self._pixmap.isNull():
            self.cover.setPixmap(
                self._pixmap.scaledToWidth(w, Qt.TransformationMode.SmoothTransformation)
            )
        self.cover.setFixedWidth(w)
        pad = round(16 * scale)
        self.layout().setContentsMargins(pad, pad, pad, pad)
        self.setMinimumHeight(round(w * 0.625) + 2 * pad)
        self.layout().setSpacing(pad)
        self.setStyleSheet(
            "QPushButton#MaterialCard { background: white; text-align: left; "
            f"border-radius: {round(22 * scale)}px; }}"
            "QLabel#MaterialMeta { color: #1E6F3E; font-weight: bold; }"
        )


class StudyListPage(TitledPage):
    """The materials of one category, covers first; tap one to read it."""

    screen = Screen.STUDY_LIST
    back_to = Screen.STUDY
    material_chosen = Signal(object)
    """A MaterialView was tapped."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("讲习所"), parent)
        self.setObjectName("StudyListScreen")
        self.inner = QWidget()
        self.column = QVBoxLayout(self.inner)
        self.cards: list[MaterialCard] = []
        self.set_body(_scroll(self.inner))
        self._scale = 1.0

    def show_materials(self, title: str, materials: list[MaterialView], new: set[str]) -> None:
        self.bar.title.setText(title)
        for card in self.cards:
            self.column.removeWidget(card)
            card.deleteLater()
        while self.column.count():
            self.column.takeAt(0)
        self.cards = []
        for m in materials:
            card = MaterialCard(m, m.id in new)
            card.clicked.connect(lambda _=False, mv=m: self.material_chosen.emit(mv))
            card.apply_layout(self._scale)
            self.cards.append(card)
            self.column.addWidget(card)
        self.column.addStretch(1)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._scale = scale
        pad = round(24 * scale)
        self.column.setContentsMargins(pad, pad, pad, pad)
        self.column.setSpacing(pad)
        for card in self.cards:
            card.apply_layout(scale)


class MyStudyPage(TitledPage):
    """我的学习: points, what this worker has read, and what is new since the last visit."""

    screen = Screen.MY_STUDY
    back_to = Screen.STUDY
    material_chosen = Signal(object)
    """A new material was tapped (a MaterialView)."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("我的学习"), parent)
        self.setObjectName("MyStudyScreen")
        self.points = label("", role="h1", name="MyPoints")
        self.points_note = label("", role="muted", name="MyPointsNote")
        self.inner = QWidget()
        self.column = QVBoxLayout(self.inner)
        self.column.addWidget(self.points)
        self.column.addWidget(self.points_note)
        self.dynamic: list[QWidget] = []
        self.set_body(_scroll(self.inner))
        self._scale = 1.0

    def enter(self, payload: Any = None) -> None:
        if payload is None:
            self.show_summary(None, "")

    def show_summary(self, mine: MyStudy | None, name: str) -> None:
        for w in self.dynamic:
            self.column.removeWidget(w)
            w.deleteLater()
        self.dynamic = []
        while self.column.count() > 2:
            self.column.takeAt(2)
        if mine is None:
            self.bar.title.setText(self.tr("我的学习"))
            self.points.setText(self.tr("正在读取…"))
            self.points_note.setText("")
            return
        self.bar.title.setText(
            self.tr("{name}的学习").format(name=name) if name else self.tr("我的学习")
        )
        self.points.setText(self.tr("积分 {n}").format(n=mine.points_total))
        note = self.tr("今天得了 {n} 分").format(n=mine.points_today)
        if mine.review_count:
            note += self.tr("；有 {n} 道答错的题，下次答题会先出").format(n=mine.review_count)
        self.points_note.setText(note)

        def add(widget: QWidget) -> None:
            self.dynamic.append(widget)
            self.column.addWidget(widget)

        if mine.new_since_last_visit:
            add(label(self.tr("新上架的，还没读过"), role="h2"))
            for m in mine.new_since_last_visit[:6]:
                card = MaterialCard(m, True)
                card.clicked.connect(lambda _=False, mv=m: self.material_chosen.emit(mv))
                card.apply_layout(self._scale * 0.8)
                add(card)
        add(label(self.tr("学过的"), role="h2"))
        if not mine.read:
            add(label(self.tr("还没有学过，去讲习所挑一篇看看吧"), role="body"))
        locale = QLocale()
        for item in mine.read:
            done = self.tr("读完了") if item.finished else self.tr("没读完")
            score = (
                self.tr("，最好 {n} 分").format(n=item.best_score)
                if item.best_score is not None
                else ""
            )
            when = locale.toString(item.last_read_at.astimezone().date(), "M月d日")
            add(label(f"{item.title}　{done}{score}　{when}", role="body"))
        self.column.addStretch(1)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self._scale = scale
        pad = round(24 * scale)
        self.column.setContentsMargins(pad, pad, pad, pad)
        self.column.setSpacing(round(12 * scale))
