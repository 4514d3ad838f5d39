"""The screen registry's vocabulary: the Screen enum and the Page base class."""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class Screen(Enum):
    WELCOME = "welcome"
    HOME = "home"
    SCAN = "scan"
    GREETING = "greeting"
    SEARCH = "search"
    TRADES = "trades"
    SERVICES = "services"
    STUDY = "study"
    STUDY_LIST = "study-list"
    STUDY_READER = "study-reader"
    STUDY_QUIZ = "study-quiz"
    MY_STUDY = "my-study"
    PIN = "pin"
    SETTINGS = "settings"
    # The keeper's station (issue 15): kiosk/ui/keeper_flow.py and screens/keeper_*.py
    KEEPER = "keeper"
    KEEPER_PRESENT = "keeper-present"
    KEEPER_STATS = "keeper-stats"
    KEEPER_EXPORT = "keeper-export"
    KEEPER_DEVICE = "keeper-device"
    KEEPER_PIN = "keeper-pin"


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
