"""The keeper's station (issue 15) wiring: its pages' intents → StationService calls.

``install_keeper(window)`` adds the keeper pages (``screens/keeper_*.py``) to the window and
connects them; the window knows only this function (one line in ``_add_station_screens``); their
screenshot scenes are in ``ui/screenshots.py``.
Station work goes through ``window.bridge`` (the database thread, results back on the GUI
thread); an export writes to the stick on a thread of its own.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.core.keeper import Period, month_days, period_days
from kiosk.core.results import Method
from kiosk.core.station_keeper import PinChange
from kiosk.screen_names import Screen
from kiosk.ui.screens.keeper_camera import KeeperCameraPage
from kiosk.ui.screens.keeper_device import KeeperDevicePage
from kiosk.ui.screens.keeper_export import KeeperExportPage
from kiosk.ui.screens.keeper_menu import KeeperMenuPage
from kiosk.ui.screens.keeper_pin import KeeperPinPage
from kiosk.ui.screens.keeper_present import KeeperPresentPage
from kiosk.ui.screens.keeper_stats import KeeperStatsPage

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("KeeperMessages", text)


class KeeperFlow(QObject):
    _export_done = Signal(object, object)  # (files or None, error message or None)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.started_at = datetime.now(UTC)
        self.menu = KeeperMenuPage()
        self.present = KeeperPresentPage()
        self.stats = KeeperStatsPage()
        self.export = KeeperExportPage()
        self.device = KeeperDevicePage()
        self.pin = KeeperPinPage()
        self.camera = KeeperCameraPage()
        self.camera.poll_requested.connect(self.poll_camera)
        window.code_seen.connect(self.code_seen)
        self.scanner_seen_at: datetime | None = None  # the USB scanner's last code (设备状态)
        self.camera_code_at: datetime | None = None  # the camera's last code (设备状态)
        self.stats.today_fn = self.export.today_fn = self._today
        self.present.refresh_requested.connect(self.load_present)
        self.present.check_out_requested.connect(self.check_out)
        self.present.close_all_requested.connect(self.close_all)
        self.stats.figures_requested.connect(self.load_figures)
        self.export.export_requested.connect(self.start_export)
        self._export_done.connect(self._exported)
        self.device.refresh_requested.connect(self.load_device)
        self.pin.change_requested.connect(self.change_pin)
        self.exporting: threading.Thread | None = None
        from kiosk.ui.keeper_badge_flow import BadgeFlow
        from kiosk.ui.keeper_sticks import StickWatch

        self.badges = BadgeFlow(self)
        self.sticks = StickWatch(window, lambda: self.export.find_volumes())

    def pages(self) -> list[Any]:
        return [
            self.menu,
            self.present,
            self.stats,
            self.export,
            self.device,
            self.pin,
            self.camera,
            *self.badges.pages(),
        ]

    def _today(self) -> date:
        return self.window.now().astimezone(self.window.tz).date()

    # -- 在站人员 ----------------------------------------------------------------------------

    def load_present(self) -> None:
        self.present.tz = self.window.tz
        self.bridge.call(lambda s: s.present(), on_done=self.present.show_present)

    def check_out(self, visit_id: str) -> None:
        def done(ok: bool) -> None:
            self.present.show_notice(_tr("已签退") if ok else _tr("此人已经签退"))
            self.load_present()

        self.bridge.call(lambda s: s.keeper_check_out(visit_id), on_done=done)

    def close_all(self) -> None:
        def done(n: int) -> None:
            self.present.show_notice(_tr("已全部签退 {n} 人").format(n=n))
            self.load_present()

        self.bridge.call(lambda s: s.close_forgotten_visits(), on_done=done)

    # -- 统计 ------------------------------------------------------------------------------

    def load_figures(self, choice: str | date) -> None:
        today = self._today()
        if isinstance(choice, date):
            first, last = month_days(choice)
            last = min(last, today) if first <= today else last
        else:
            first, last = period_days(Period(choice), today)
        self.bridge.call(lambda s: s.period_figures(first, last), on_done=self.stats.show_figures)

    # -- 导出 ------------------------------------------------------------------------------

    def start_export(self, month: str, folder: Path) -> None:
        station = self.bridge.station
        if station is None:
            self.export.show_failed(_tr("终端还在启动，请稍后再试"))
            return

        def run() -> None:
            from kiosk.core.export import ExportError

            try:
                files = station.export_month(month, folder)
            except ExportError as e:
                self._export_done.emit(None, _tr(e.message))
                return
            except Exception:  # logged; the keeper gets a plain message
                log.exception("export failed")
                self._export_done.emit(None, _tr("导出失败，U盘上没有留下文件"))
                return
            self._export_done.emit(files, None)

        self.exporting = threading.Thread(target=run, name="kiosk-export", daemon=True)
        self.exporting.start()

    def _exported(self, files: list[Path] | None, error: str | None) -> None:
        if files is None:
            self.export.show_failed(error or "")
        else:
            self.export.show_done(files)

    # -- 设备状态 ----------------------------------------------------------------------------

    def load_device(self) -> None:
        camera = getattr(self.window, "camera_state", None)
        started = self.started_at
        reading = self.window.camera_reading()
        seen = {
            "camera_frames": (reading.width, reading.height, reading.fps) if reading else None,
            "last_code_at": self.camera_code_at,
            "scanner_seen_at": self.scanner_seen_at,
        }

        def rows(station: Any) -> list[Any]:
            from kiosk.qtglue.sync import read_status

            sync, _hub = read_status(station)
            return station.device_status(started, camera, sync, QCoreApplication.translate, **seen)

        self.bridge.call(rows, on_done=self.device.show_rows)

    # -- 摄像头检查 (and the USB scanner's last code) -----------------------------------------

    def code_seen(self, text: str, method: Method) -> None:
        if method is Method.SCANNER:
            self.scanner_seen_at = self.window.now()
        elif method is Method.CAMERA:
            self.camera_code_at = self.window.now()
        if self.window.current is not Screen.KEEPER_CAMERA:
            return
        when = self.window.now().astimezone(self.window.tz).strftime("%H:%M:%S")
        if method is Method.SCANNER:
            when += " · " + _tr("扫码枪")
        self.bridge.call(
            lambda s: s.read_badge(text),
            on_done=lambda r: self.camera.show_reading(when, *reading_text(r)),
        )

    def poll_camera(self) -> None:
        self.camera.show_camera(self.window.camera_state, self.window.camera_reading())

    # -- 管理密码 ----------------------------------------------------------------------------

    def change_pin(self, old: str, new: str, again: str) -> None:
        texts = {
            PinChange.CHANGED: _tr("新密码已生效"),
            PinChange.WRONG_OLD: _tr("原密码不对，请重新输入"),
            PinChange.MISMATCH: _tr("两次输入的新密码不一样，请重新输入"),
            PinChange.INVALID: _tr("新密码要 4 到 12 位数字"),
            PinChange.LOCKED: _tr("错误次数太多，请稍后再试"),
        }
        self.bridge.call(
            lambda s: s.change_admin_pin(old, new, again),
            on_done=lambda r: self.pin.show_result(texts[r], r is PinChange.CHANGED),
        )


def reading_text(reading: Any) -> tuple[str, bool]:
    """What 摄像头检查 says of a ``BadgeReading``: (text, verified and named)."""
    from kiosk.core.messages import REFUSALS

    if reading.problem is not None:
        return QCoreApplication.translate("ScanMessages", REFUSALS[reading.problem]), False
    if not reading.key_known:
        return _tr("工牌格式正确，但发卡密钥还没同步，暂时不能确认是谁"), False
    if reading.name is None:
        return _tr("工牌有效，但名册里没有这个人"), False
    return _tr("{name}：工牌有效（没有签到）").format(name=reading.name), True


def install_keeper(window: Any) -> KeeperFlow:
    """Add the keeper pages to ``window`` (a MainWindow) and wire them."""
    flow = KeeperFlow(window)
    for page in flow.pages():
        window.add_page(page)
    return flow
