"""管理 → 站长工作 → 活动 wiring (issue 14): the list, one activity, 新建活动, the 签到表.

Part of :mod:`kiosk.ui.activity_flow` (which creates it); every record goes through the
window's bridge and each page is told the outcome only after the station committed it.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.core.activities.views import ActivityView
from kiosk.screen_names import Screen
from kiosk.ui.activity_calls import Failed, attempt, tr
from kiosk.ui.screens.keeper_activities import KeeperActivitiesPage
from kiosk.ui.screens.keeper_activity import KeeperActivityPage
from kiosk.ui.screens.keeper_activity_new import KeeperActivityNewPage

log = logging.getLogger(__name__)
LIVE_MS = 10_000
"""The keeper's attendance list re-reads this often while it is on screen."""


class KeeperActivityFlow(QObject):
    _sheet_done = Signal(str, bool)  # (message, ok) from the sheet thread

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.list = KeeperActivitiesPage()
        self.detail = KeeperActivityPage()
        self.new = KeeperActivityNewPage()
        self.sheet_thread: threading.Thread | None = None
        self.live = self.detail.live
        self.live.setInterval(LIVE_MS)
        self.live.timeout.connect(self._reload_detail)
        window.screen_changed.connect(self._on_screen)
        self.list.refresh_requested.connect(self.load_list)
        self.list.activity_chosen.connect(
            lambda aid: window.show_screen(Screen.KEEPER_ACTIVITY, aid)
        )
        self.detail.refresh_requested.connect(self.load_detail)
        self.detail.command_requested.connect(self.command)
        self.detail.sign_out_requested.connect(self.keeper_sign_out)
        self.detail.sheet_requested.connect(self.sheet)
        self._sheet_done.connect(self.detail.show_notice)
        self.new.create_requested.connect(self.create)

    def pages(self) -> list[Any]:
        return [self.list, self.detail, self.new]

    def _call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self.bridge.call(attempt(fn), on_done=on_done)

    def _on_screen(self, screen: Screen) -> None:
        if screen is Screen.KEEPER_ACTIVITY:
            self.live.start()  # the page stops it when it is hidden

    def _reload_detail(self) -> None:
        """The live attendance list: sign-ins by sync or the automatic close show up."""
        if self.detail.detail is not None and self.bridge.pending == 0:
            self.load_detail(self.detail.detail.activity.id)

    # -- the keeper: 活动 list, one activity, 新建 ------------------------------------------

    def load_list(self) -> None:
        def got(answer: Any) -> None:
            if isinstance(answer, Failed):
                self.list.show_unsent(0)
                return
            activities, unsent, now = answer
            self.list.show_activities(activities, now, self.window.tz)
            self.list.show_unsent(unsent)

        self._call(lambda s: (s.activities(), s.unsent_activity_records(), s.clock.now()), got)

    def load_detail(self, activity_id: str) -> None:
        def got(answer: Any) -> None:
            if isinstance(answer, Failed):
                self.detail.show_notice(answer.message, ok=False)
            else:
                self.detail.show_detail(*answer, self.window.tz)

        self._call(lambda s: (s.activity(activity_id), s.clock.now()), got)

    def command(self, command: str, activity_id: str) -> None:
        def run(s: Any) -> str:
            if command == "start":
                s.start_activity(activity_id)
                return tr("活动已开始，可以签到了")
            if command == "end":
                out, review = s.end_activity(activity_id)
                return tr("活动已结束：{n} 人一起签退，{m} 人待确认").format(n=out, m=review)
            s.cancel_activity(activity_id)
            return tr("活动已取消")

        self._call(run, lambda text: self._commanded(activity_id, text))

    def _commanded(self, activity_id: str, text: Any) -> None:
        if isinstance(text, Failed):
            self.detail.show_notice(text.message, ok=False)
        else:
            self.detail.show_notice(text)
        self.load_detail(activity_id)

    def keeper_sign_out(self, attendance_id: str) -> None:
        def run(s: Any) -> str:
            s.activity_sign_out(attendance_id)
            return tr("已签退")

        aid = self.detail.detail.activity.id if self.detail.detail else ""
        self._call(run, lambda text: self._commanded(aid, text))

    def create(self, form: dict[str, Any]) -> None:
        def run(s: Any) -> ActivityView:
            now = s.clock.now().replace(second=0, microsecond=0)
            start = now + timedelta(minutes=form["start_in"])
            view = s.add_activity(
                kind=form["kind"],
                title=form["title"],
                start=start,
                end=start + timedelta(minutes=form["minutes"]),
                host_unit=form["host_unit"],
                service_hours=form["service_hours"],
            )
            if form["start_in"] == 0:
                view = s.start_activity(view.id)
            return view

        def done(view: Any) -> None:
            if isinstance(view, Failed):
                self.new.show_error(view.message)
                return
            self.window.show_screen(Screen.KEEPER_ACTIVITY, view.id)
            self.detail.show_notice(tr("活动已创建"))

        self._call(run, done)

    # -- 签到表 ------------------------------------------------------------------------------

    def sheet(self, activity_id: str, folder: Path | None) -> None:
        station = self.bridge.station
        if station is None:
            self.detail.show_notice(tr("终端还在启动，请稍后再试"), ok=False)
            return
        title = self.detail.detail.activity.title if self.detail.detail else activity_id

        def run() -> None:
            from kiosk.devices.printer import PrinterError, print_pdf

            try:
                if folder is not None:
                    out = folder / sheet_name(title, station.clock.now())
                    station.write_activity_sheet(activity_id, out)
                    self._sheet_done.emit(tr("签到表已存到U盘：{f}").format(f=out.name), True)
                    return
                with tempfile.TemporaryDirectory() as tmp:
                    out = Path(tmp) / "sheet.pdf"
                    station.write_activity_sheet(activity_id, out)
                    print_pdf(out)
                self._sheet_done.emit(tr("签到表已送到打印机"), True)
            except PrinterError as e:
                log.warning("printing the sign-in sheet: %s", e)
                self._sheet_done.emit(tr("打印机没有连接好，请把签到表存U盘后打印"), False)
            except Exception:  # logged; the keeper gets a plain message
                log.exception("sign-in sheet failed")
                self._sheet_done.emit(tr("签到表没有写成，请换个U盘再试"), False)

        self.sheet_thread = threading.Thread(target=run, name="kiosk-sheet", daemon=True)
        self.sheet_thread.start()


def sheet_name(title: str, now: datetime) -> str:
    """``签到表_20271203_安全生产宣讲.pdf``: safe on FAT sticks (no / \\ : * ? " < > |)."""
    safe = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in title)[:40]
    return f"签到表_{now:%Y%m%d_%H%M}_{safe}.pdf"
