"""Small building blocks shared by the screens: tiles, title bar, responsive grid.

``Qt`` (PySide's namespace of enums) is imported inside the functions that use it, here and
in the modules the welcome screen imports: building it costs ~25 ms, and the welcome screen
is painted before anything needs it (measured by ``python -m kiosk.bench.ui --cold-only``).
The same goes for the few classes whose enums PySide builds on first import (QSizePolicy,
QIcon: 2–6 ms each).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import icons


def set_role(widget: QWidget, role: str | None = None, tone: str | None = None) -> QWidget:
    """Dynamic properties the stylesheet targets; re-polish so a change shows at once.

    Nothing is re-polished when nothing changed or the widget was never polished: the first
    ``widget.style()`` call from Python costs ~20 ms (QStyle's enums), kept off the first paint.
    """
    from PySide6.QtCore import Qt

    changed = False
    for name, value in (("role", role), ("tone", tone)):
        if value is not None and widget.property(name) != value:
            widget.setProperty(name, value)
            changed = True
    if not changed or not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return widget
    style = widget.style()
    for w in (widget, *widget.findChildren(QWidget)):
        style.unpolish(w)
        style.polish(w)
    return widget


def label(text: str = "", role: str | None = None, name: str | None = None) -> QLabel:
    out = QLabel(text)
    if name:
        out.setObjectName(name)
    if role:
        out.setProperty("role", role)
    out.setWordWrap(True)
    return out


class Tile(QPushButton):
    """A big touch tile: an icon above a short label, both centred, filling its grid cell."""

    def __init__(self, text: str, icon_name: str, tone: str = "primary", parent=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSizePolicy  # ~2 ms of enum classes: after the paint

        super().__init__(parent)
        self._icon_name = icon_name
        self.setProperty("role", "tile")
        self.setProperty("tone", tone)
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.icon_label = QLabel()
        self.icon_label.setObjectName("TileIcon")
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label = QLabel(text)
        self.text_label.setObjectName("TileText")
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        for child in (self.icon_label, self.text_label):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        col = QVBoxLayout(self)
        col.setContentsMargins(4, 4, 4, 4)
        col.addStretch(1)
        col.addWidget(self.icon_label)
        col.addWidget(self.text_label)
        col.addStretch(1)
        self.set_icon_size(64)

    def text(self) -> str:
        return self.text_label.text()

    def set_icon_size(self, size: int) -> None:
        color = "#1A1A1A" if self.property("tone") == "plain" else "#FFFFFF"
        self.icon_label.setPixmap(icons.pixmap(self._icon_name, color, size))

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize()


class TitleBar(QWidget):
    """返回 on the left, the screen title, and 首页 on the right: the way out is always there."""

    back_requested = Signal()
    home_requested = Signal()

    def __init__(self, title: str, parent=None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setObjectName("TitleBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 16, 4)
        self.back = QPushButton(self.tr("‹ 返回"))
        self.back.setObjectName("BackButton")
        self.back.clicked.connect(self.back_requested)
        self.title = QLabel(title)
        self.title.setObjectName("TitleText")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.home = QPushButton(self.tr("首页"))
        self.home.setObjectName("BackButton")
        self.home.clicked.connect(self.home_requested)
        row.addWidget(self.back)
        row.addWidget(self.title, 1)
        row.addWidget(self.home)


class ResponsiveGrid(QWidget):
    """Lays its widgets out in ``columns`` columns; the screen picks the count per shape."""

    def __init__(self, widgets: Sequence[QWidget] = (), columns: int = 3, parent=None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._widgets: list[QWidget] = []
        self._columns = columns
        self.set_widgets(widgets)

    @property
    def grid(self) -> QGridLayout:
        return self._grid

    def set_spacing(self, spacing: int) -> None:
        self._grid.setSpacing(spacing)

    def set_widgets(self, widgets: Sequence[QWidget]) -> None:
        for old in self._widgets:
            self._grid.removeWidget(old)
            if old not in widgets:
                old.deleteLater()
        self._widgets = list(widgets)
        self._place()

    def widgets(self) -> list[QWidget]:
        return list(self._widgets)

    def set_columns(self, columns: int) -> None:
        columns = max(1, columns)
        if columns != self._columns:
            self._columns = columns
            self._place()

    def _place(self) -> None:
        for w in self._widgets:
            self._grid.removeWidget(w)
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for i, w in enumerate(self._widgets):
            row, col = divmod(i, self._columns)
            self._grid.addWidget(w, row, col)
            self._grid.setRowStretch(row, 1)
        for c in range(self._columns):
            self._grid.setColumnStretch(c, 1)
