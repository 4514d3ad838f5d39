"""管理 · 设置 → 驿站服务: the services picker, one big toggle per known service.

It edits the ``station.services`` setting that 驿站服务 and the welcome screen show
(``screens/services.py`` knows the catalogue and its icons).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.settings import DEFAULT_SERVICES, MAX_LIST_ITEMS
from kiosk.ui.screens.services import CATALOGUE, service_for, service_name
from kiosk.ui.widgets import ResponsiveGrid, label


class ServicesPanel(QWidget):
    """驿站服务: one big toggle per known service; names set with the CLI are kept as they are."""

    services_changed = Signal(list)
    """The keeper toggled a service: the new ``station.services`` list."""
    done = Signal()
    """完成: back to the settings list."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ServicesPanel")
        self.names: list[str] = list(DEFAULT_SERVICES)
        self.prompt = label(
            self.tr("点选驿站提供的服务（欢迎页和“驿站服务”显示，最多 {n} 项）").format(
                n=MAX_LIST_ITEMS
            ),
            role="h2",
        )
        self.buttons: dict[str, QPushButton] = {}
        for service in CATALOGUE:
            button = QPushButton(service_name(service))
            button.setObjectName(f"Service_{service.icon}")
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda checked, n=service.name: self._toggle(n, checked))
            self.buttons[service.name] = button
        self.grid = ResponsiveGrid(list(self.buttons.values()), columns=3)
        self.finish = QPushButton(self.tr("完成"))
        self.finish.setObjectName("Services_Done")
        self.finish.setProperty("tone", "primary")
        self.finish.clicked.connect(self.done)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.prompt)
        self.body.addWidget(self.grid, 1)
        self.body.addWidget(self.finish)

    def show_services(self, names: list[str] | None) -> None:
        self.names = [str(n) for n in (DEFAULT_SERVICES if names is None else names)]
        shown = {service_for(n).name for n in self.names}
        full = len(self.names) >= MAX_LIST_ITEMS
        for name, button in self.buttons.items():
            button.setChecked(name in shown)
            button.setEnabled(name in shown or not full)

    def _toggle(self, name: str, on: bool) -> None:
        if on:
            names = [*self.names, name]  # a new one goes last; the keeper's order stays
        else:
            names = [n for n in self.names if service_for(n).name != name]
        self.services_changed.emit(names)

    def apply_layout(self, scale: float, portrait: bool) -> None:
        self.grid.set_columns(3)
        self.grid.set_spacing(round(14 * scale))
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(14 * scale))
