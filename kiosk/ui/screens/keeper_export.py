"""管理 → 导出到U盘: the month's records onto a USB stick, and nowhere else.

Mounted removable media are found with ``QStorageInfo`` (:func:`removable_volumes`); the
keeper picks the month (this or last) and taps the stick. Writing runs off the GUI thread
(``keeper_flow``); the result says which files were written, or in Chinese why nothing was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.screen_names import Screen
from kiosk.ui.screens.base import TitledPage
from kiosk.ui.screens.keeper_stats import shift_month
from kiosk.ui.widgets import label

MEDIA_ROOTS = ("/media/", "/run/media/")
"""Where udisks (and Debian's usbmount) mount a stick; /mnt holds other mounts too."""


def removable_volumes() -> list[tuple[str, Path]]:
    """Mounted, writable-looking volumes under the usual removable-media roots."""
    from PySide6.QtCore import QStorageInfo

    out = []
    for v in QStorageInfo.mountedVolumes():
        root = v.rootPath()
        if v.isValid() and v.isReady() and root.startswith(MEDIA_ROOTS):
            name = v.name() or Path(root).name  # the stick's label, else its folder
            out.append((name, Path(root)))
    return out


class KeeperExportPage(TitledPage):
    screen = Screen.KEEPER_EXPORT
    back_to = Screen.KEEPER

    export_requested = Signal(str, object)
    """(month "YYYY-MM", folder Path): write the export there."""

    def __init__(self, parent=None) -> None:
        super().__init__(self.tr("导出到U盘"), parent)
        self.find_volumes = removable_volumes  # tests point this at a temporary folder
        self.today_fn = date.today  # the flow sets the station's day (its clock and zone)
        self.today = self.today_fn()
        self.month = self.today.replace(day=1)
        self.busy = False
        self.hint = label(
            self.tr("导出当月的到站、学习和测验记录（Excel 表格和 CSV 文件）"), role="body"
        )
        months = QHBoxLayout()
        group = QButtonGroup(self)
        self.month_buttons: dict[int, QPushButton] = {}
        for offset, text in ((0, self.tr("本月")), (-1, self.tr("上月"))):
            b = QPushButton(text)
            b.setObjectName(f"Export_Month{offset}")
            b.setCheckable(True)
            b.setProperty("role", "choice")
            b.clicked.connect(lambda _=False, o=offset: self._set_month(o))
            group.addButton(b)
            months.addWidget(b, 1)
            self.month_buttons[offset] = b
        self.month_label = label("", role="h2", name="ExportMonth")
        months.addWidget(self.month_label, 2)
        self.sticks = QVBoxLayout()
        self.stick_buttons: list[QPushButton] = []
        self.none = label(self.tr("没有找到U盘。请插入U盘，再点“重新查找”。"), role="body")
        self.rescan = QPushButton(self.tr("重新查找"))
        self.rescan.setObjectName("ExportRescan")
        self.rescan.setProperty("tone", "plain")
        self.rescan.clicked.connect(self.refresh)
        self.result = label("", role="h2", name="ExportResult")
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout()
        self.body.addWidget(self.hint)
        self.body.addLayout(months)
        sticks = QWidget()
        sticks.setLayout(self.sticks)
        self.body.addWidget(sticks)
        self.body.addWidget(self.none)
        self.body.addWidget(self.result, 1)
        self.body.addWidget(self.rescan)
        self.set_body(self.body)

    def _set_month(self, offset: int) -> None:
        self.month = shift_month(self.today.replace(day=1), offset)
        self.month_buttons[offset].setChecked(True)
        self.month_label.setText(
            self.tr("{y}年{m}月").format(y=self.month.year, m=self.month.month)
        )

    def refresh(self) -> None:
        for b in self.stick_buttons:
            self.sticks.removeWidget(b)
            b.deleteLater()
        self.stick_buttons = []
        volumes = self.find_volumes()
        for name, path in volumes:
            b = QPushButton(self.tr("写入U盘：{name}").format(name=name))
            b.setObjectName("ExportStick")
            b.setProperty("tone", "primary")
            b.clicked.connect(lambda _=False, p=path: self._export(p))
            self.sticks.addWidget(b)
            b.setVisible(self.isVisible())  # at once, not after the next event round
            self.stick_buttons.append(b)
        self.none.setVisible(not volumes)
        self._set_busy(self.busy)

    def _export(self, folder: Path) -> None:
        if self.busy:
            return
        self._set_busy(True)
        self.result.setText(self.tr("正在写入，请不要拔出U盘…"))
        self.export_requested.emit(self.month.strftime("%Y-%m"), folder)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for b in (*self.stick_buttons, self.rescan, *self.month_buttons.values()):
            b.setEnabled(not busy)

    def show_done(self, files: list[Path]) -> None:
        self._set_busy(False)
        self.result.setText(
            self.tr("已写入 {n} 个文件，可以拔出U盘了").format(n=len(files))
            + "\n"
            + "  ".join(f.name for f in files)
        )

    def show_failed(self, message: str) -> None:
        self._set_busy(False)
        self.result.setText(message)

    def enter(self, payload: Any = None) -> None:
        self.today = self.today_fn()
        self.result.setText("")
        self._set_month(0)
        self.refresh()

    def apply_layout(self, scale: float, portrait: bool) -> None:
        m = round(20 * scale)
        self.body.setContentsMargins(m, m, m, m)
        self.body.setSpacing(round(14 * scale))
