"""Kiosk mode fills the primary screen, with or without a window manager.

``showFullScreen()`` is only a request to a window manager: on an X server without one (the
simplest station) the window stays at its own size in a corner. So the window also takes the
screen's geometry itself, frameless and on top, and follows the screen: a monitor plugged in
or out (``primaryScreenChanged``), a mode change or a rotated panel (``geometryChanged``;
``xrandr --rotate left``, ``cage -r``, ``QT_QPA_EGLFS_ROTATION=90`` all report a portrait
geometry, and the window lays itself out for portrait from its size). Under cage (Wayland)
and EGLFS the compositor or the platform gives a full-screen window the output anyway.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class KioskGeometry(QObject):
    """Keeps ``window`` covering the primary screen for as long as it lives."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.screen: QScreen | None = None
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.primaryScreenChanged.connect(self._follow)
        app.screenAdded.connect(lambda _screen: self.fit())
        self._follow(app.primaryScreen())

    def show(self) -> None:
        """Frameless, on top, the screen's geometry; full screen for a window manager too."""
        self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.fit()
        self.window.showFullScreen()
        self.fit()  # a window manager-less X server ignored the request: place it ourselves

    def _follow(self, screen: QScreen | None) -> None:
        if self.screen is not None:
            self.screen.geometryChanged.disconnect(self._on_geometry)
        self.screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._on_geometry)
            if self.window.isVisible():
                self.window.setScreen(screen)
        self.fit()

    def _on_geometry(self, _rect: QRect) -> None:
        self.fit()

    def fit(self) -> None:
        if self.screen is None:
            return
        target = self.screen.geometry()
        if self.window.geometry() != target:
            log.info(
                "kiosk window → %s %dx%d at %d,%d",
                self.screen.name(),
                target.width(),
                target.height(),
                target.x(),
                target.y(),
            )
            self.window.setGeometry(target)
