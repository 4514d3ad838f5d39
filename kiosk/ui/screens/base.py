"""The Page base class, and TitledPage for the bar-and-body layout most screens share.

Screens are named in :mod:`kiosk.screen_names`.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.widgets import TitleBar

if TYPE_CHECKING:
    from kiosk.core.settings import Settings
    from kiosk.qtglue.sync import SyncView


class Page(QWidget):
    """A screen. ``enter``/``leave`` run on every switch (see ``MainWindow.show_screen``)."""

    navigate_requested = Signal(object)
    """The person asked for another screen (a Screen)."""

    screen: Screen

    def enter(self, payload: Any = None) -> None:
        """Called after the page became current; ``payload`` is screen-specific."""

    def leave(self) -> None:
        """Called before another page becomes current: stop timers, clear input."""

    def apply_layout(self, scale: float, portrait: bool) -> None:
        """The window changed size: adjust icon sizes and column counts."""

    # The window's state, handed to every page when it is added and whenever it changes
    # (``MainWindow.add_page``): a page shows what it needs and ignores the rest.

    def set_station_name(self, name: str) -> None:
        """The station's name."""

    def show_settings(self, settings: Settings) -> None:
        """The station's settings, once loaded and after every change."""

    def show_sync(self, view: SyncView, tz: tzinfo) -> None:
        """The sync worker's state; times are shown in ``tz``, the station's zone."""


class TitledPage(Page):
    """A title bar (‹ 返回 · title · 首页) over a body that fills the rest of the page.

    返回 goes to ``back_to`` (override :meth:`go_back` to do more), 首页 to the home menu.
    A subclass passes its title to ``__init__``, builds its body, then calls :meth:`set_body`.
    """

    back_to: Screen = Screen.HOME

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = TitleBar(title)
        self.bar.back_requested.connect(self.go_back)
        self.bar.home_requested.connect(lambda: self.navigate_requested.emit(Screen.HOME))

    def go_back(self) -> None:
        self.navigate_requested.emit(self.back_to)

    def set_body(self, body: QWidget | QLayout) -> None:
        """Lay out the bar above ``body``, which takes all the height left."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.bar)
        if isinstance(body, QLayout):
            outer.addLayout(body, 1)
        else:
            outer.addWidget(body, 1)
