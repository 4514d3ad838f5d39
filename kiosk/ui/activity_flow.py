"""Activities at the touchscreen (issue 14): the wiring of its screens to the station.

- the welcome screen's 近期活动 line (the current or next activity here);
- after a badge scan, while an activity's sign-in window is open, the greeting offers
  "参加【title】" (or "签退【title】" to someone already in): a provider of ``scan_actions``;
- 首页 → 活动签到 (name search, 来宾登记) and 管理 → 站长工作 → 活动 (list, 新建, detail).

Every record goes through ``window.bridge`` (the station's database thread); a screen says
"done" only in the callback, i.e. after the transaction committed. A refusal from the station
(``StationError``) comes back as :class:`Failed` with a Chinese message, never as silence.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.core.activities.views import ActivityView, SignInOutcome, SignInResult
from kiosk.core.messages import describe_signin
from kiosk.core.station import StationError
from kiosk.screen_names import Screen
from kiosk.ui.scan_actions import ScanAction, ScanContext
from kiosk.ui.screens.activity_guest import ActivityGuestPage
from kiosk.ui.screens.activity_signin import ActivitySignInPage
from kiosk.ui.screens.keeper_activities import KeeperActivitiesPage, when_text
from kiosk.ui.screens.keeper_activity import KeeperActivityPage
from kiosk.ui.screens.keeper_activity_new import KeeperActivityNewPage

log = logging.getLogger(__name__)
ACTION_KEY = "activity"
LIVE_MS = 10_000
"""The keeper's attendance list re-reads this often while it is on screen."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("ActivityFlow", text)


# The station's refusals are English (CLI); the screen says them in Chinese.
_REFUSALS = (
    ("not open yet", "签到还没开始"),
    ("has closed", "签到已经结束"),
    ("is ended", "活动已经结束"),
    ("is cancelled", "活动已经取消"),
    ("is archived", "活动已经归档"),
    ("end it instead", "已有人签到，不能取消，请点“结束活动”"),
    ("end has passed", "活动时间已过，请点“结束活动”"),
    ("already signed out", "此人已经签退"),
    ("longer than", "写得太长了，请简短一些"),
    ("is required", "请把必填的内容填上"),
    ("phone tail", "手机尾号要 4 位数字，也可以不填"),
    ("no active person", "名单里没有这个人，请用“来宾登记”"),
)


@dataclass(frozen=True)
class Failed:
    """A station call that recorded nothing; ``message`` is for the person at the screen."""

    message: str


def _attempt(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``fn(station)`` on the DB thread, its refusal turned into :class:`Failed`."""

    def run(station: Any) -> Any:
        try:
            return fn(station)
        except StationError as e:
            log.info("activity call refused: %s", e)
            text = str(e)
            for needle, chinese in _REFUSALS:
                if needle in text:
                    return Failed(_tr(chinese))
            return Failed(_tr("没有记上：请检查后再试，或找站长"))
        except Exception:  # logged; nothing was committed (the transaction rolled back)
            log.exception("activity call failed")
            return Failed(_tr("没有记上，请再试一次，或找站长"))

    return run


def activity_line(view: ActivityView | None, now: datetime, tz: tzinfo, station: str) -> str:
    """The welcome screen's 近期活动 line: title, time, place; or 敬请关注."""
    if view is None:
        return _tr("近期活动：敬请关注")
    place = view.place or station or _tr("本站")
    when = when_text(view, tz, now.astimezone(tz).date())
    if view.schedule.start <= now:
        head = _tr("正在进行")
    elif view.schedule.signin_open(now):
        head = _tr("正在签到")
    else:
        head = _tr("近期活动")
    return _tr("{head}：【{title}】 {when} · {place}").format(
        head=head, title=view.title, when=when, place=place
    )


class ActivityFlow(QObject):
    action_finished = Signal(object)
    """The greeting shows the outcome of 参加/签退 (a SignInResult or Failed), committed."""
    _sheet_done = Signal(str, bool)  # (message, ok) from the sheet thread

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.open: ActivityView | None = None  # the activity whose sign-in is open now
        self.signin = ActivitySignInPage()
        self.guest = ActivityGuestPage()
        self.list = KeeperActivitiesPage()
        self.detail = KeeperActivityPage()
        self.new = KeeperActivityNewPage()
        self.sheet_thread: threading.Thread | None = None
        self._minute: tuple[int, int] | None = None
        self.live = self.detail.live
        self.live.setInterval(LIVE_MS)
        self.live.timeout.connect(self._reload_detail)
        window.screen_changed.connect(self._on_screen)
        window.clock.timeout.connect(self._on_tick)  # the welcome screen's clock
        self.signin.query_changed.connect(self.find_people)
        self.signin.person_chosen.connect(self.sign_in_person)
        self.guest.guest_submitted.connect(self.sign_in_guest)
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
        return [self.signin, self.guest, self.list, self.detail, self.new]

    def _call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self.bridge.call(_attempt(fn), on_done=on_done)

    # -- the current activity: welcome line, 活动签到 ---------------------------------------

    def _on_screen(self, screen: Screen) -> None:
        if screen in (Screen.WELCOME, Screen.ACTIVITY_SIGNIN, Screen.ACTIVITY_GUEST):
            self.refresh_current()
        if screen is Screen.KEEPER_ACTIVITY:
            self.live.start()  # the page stops it when it is hidden

    def _reload_detail(self) -> None:
        """The live attendance list: sign-ins by sync or the automatic close show up."""
        if self.detail.detail is not None and self.bridge.pending == 0:
            self.load_detail(self.detail.detail.activity.id)

    def _on_tick(self) -> None:
        """Once a minute on the welcome screen: an activity starts, ends, or arrives by sync."""
        now = self.window.now()
        minute = (now.hour, now.minute)
        if minute != self._minute and self.window.current is Screen.WELCOME:
            self._minute = minute
            self.refresh_current()

    def refresh_current(self) -> None:
        self._call(lambda s: (s.next_activity(), s.clock.now()), self._show_current)

    def _show_current(self, answer: Any) -> None:
        if isinstance(answer, Failed):
            return
        view, now = answer
        tz = self.window.tz
        self.window.welcome.activity.setText(activity_line(view, now, tz, self.window.station_name))
        is_open = view is not None and view.schedule.signin_open(now)
        self.open = view if is_open else None
        if view is not None and is_open:
            line = _tr("【{title}】 {when}").format(title=view.title, when=when_text(view, tz))
            self.signin.show_activity(view.id, line)
            self.guest.show_activity(line, is_open=True)
            return
        if view is not None:
            opens = view.signin_opens_at.astimezone(tz)
            line = _tr("现在没有可以签到的活动。下一场【{title}】{when}，{opens} 开始签到").format(
                title=view.title, when=when_text(view, tz), opens=f"{opens:%H:%M}"
            )
        else:
            line = _tr("现在没有可以签到的活动")
        self.signin.show_activity(None, line)
        self.guest.show_activity(line, is_open=False)  # what was typed stays; 确认 waits

    def _describe(self, result: SignInResult) -> str:
        settings = self.window.settings
        full = bool(settings["greeting.full_name"]) if settings is not None else False
        tz = self.window.tz
        return describe_signin(
            result,
            full_name=full,
            local_time=lambda t: f"{t.astimezone(tz):%H:%M}",
            translate=QCoreApplication.translate,
        )

    def find_people(self, query: str) -> None:
        if query:
            self._call(
                lambda s: s.find_people(query, 8),
                lambda people: (
                    None if isinstance(people, Failed) else self.signin.show_results(query, people)
                ),
            )
        else:
            self.signin.show_results("", [])

    def sign_in_person(self, person_id: str) -> None:
        if self.open is None:
            return
        aid = self.open.id
        self._call(lambda s: s.activity_sign_in_person(aid, person_id), self._signed_in_page)

    def _signed_in_page(self, result: Any) -> None:
        if isinstance(result, Failed):
            self.signin.show_message(result.message, ok=False)
            return
        self.signin.show_message(
            self._describe(result), result.outcome is not SignInOutcome.REFUSED
        )

    def sign_in_guest(self, guest: dict[str, Any]) -> None:
        if self.open is None:
            self.guest.show_error(_tr("现在没有可以签到的活动"))
            return
        aid = self.open.id

        def done(result: Any) -> None:
            if isinstance(result, Failed):
                self.guest.show_error(result.message)
            else:
                self.guest.show_done(self._describe(result))

        self._call(lambda s: s.activity_guest(aid, **guest), done)

    # -- after a badge scan: 参加 / 签退 (a scan_actions provider) ----------------------------

    def offer(self, scan: ScanContext, add: Callable[[ScanAction], None]) -> None:
        if not scan.named:
            return
        pid = scan.result.person_id

        def find(s: Any) -> tuple[ActivityView, bool] | None:
            view = s.next_activity()
            if view is None or not view.schedule.signin_open(s.clock.now()):
                return None
            rows = s.activity(view.id).attendances
            return view, any(a.person_id == pid and a.signed_out_at is None for a in rows)

        def found(answer: Any) -> None:
            if answer is None or isinstance(answer, Failed):
                return
            view, inside = answer
            text = _tr("签退【{title}】") if inside else _tr("参加【{title}】")
            add(
                ScanAction(
                    ACTION_KEY,
                    text.format(title=view.title),
                    lambda: self.join(scan, view, inside),
                    tone="primary" if inside else "accent",
                )
            )

        self._call(find, found)

    def join(self, scan: ScanContext, view: ActivityView, inside: bool) -> None:
        """The one tap: record it, and only then say so."""
        greeting = self.window.greeting
        greeting.set_action_busy(ACTION_KEY, _tr("正在签退…") if inside else _tr("正在签到…"))
        code, pid = scan.code, scan.result.person_id
        if code is not None:
            method = scan.method
            fn: Callable[[Any], Any] = lambda s: s.activity_scan(view.id, code, method)  # noqa: E731
        else:
            fn = lambda s: s.activity_sign_in_person(view.id, pid)  # noqa: E731
        self._call(fn, lambda r: self._joined(scan, view, r))

    def _joined(self, scan: ScanContext, view: ActivityView, result: Any) -> None:
        w = self.window
        if w.current is Screen.GREETING and w.greeting.result is scan.result:
            if isinstance(result, Failed):
                w.greeting.show_action_result(ACTION_KEY, result.message, "", "refused")
            else:
                text = self._describe(result)
                tone = {
                    SignInOutcome.SIGNED_OUT: "out",
                    SignInOutcome.REFUSED: "refused",
                }.get(result.outcome, "in")
                detail = ""
                if result.outcome is SignInOutcome.SIGNED_OUT and view.service_hours:
                    detail = _tr("本次服务 {m} 分钟，确认后计入服务时长").format(
                        m=result.credited_minutes
                    )
                w.greeting.show_action_result(ACTION_KEY, text, detail, tone)
                w.announcer.announce(text)
            w.idle.arm(w.timing.greeting_ms)
        self.action_finished.emit(result)

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
                return _tr("活动已开始，可以签到了")
            if command == "end":
                out, review = s.end_activity(activity_id)
                return _tr("活动已结束：{n} 人一起签退，{m} 人待确认").format(n=out, m=review)
            s.cancel_activity(activity_id)
            return _tr("活动已取消")

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
            return _tr("已签退")

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
            self.detail.show_notice(_tr("活动已创建"))

        self._call(run, done)

    # -- 签到表 ------------------------------------------------------------------------------

    def sheet(self, activity_id: str, folder: Path | None) -> None:
        station = self.bridge.station
        if station is None:
            self.detail.show_notice(_tr("终端还在启动，请稍后再试"), ok=False)
            return
        title = self.detail.detail.activity.title if self.detail.detail else activity_id

        def run() -> None:
            from kiosk.devices.printer import PrinterError, print_pdf

            try:
                if folder is not None:
                    out = folder / sheet_name(title, station.clock.now())
                    station.write_activity_sheet(activity_id, out)
                    self._sheet_done.emit(_tr("签到表已存到U盘：{f}").format(f=out.name), True)
                    return
                with tempfile.TemporaryDirectory() as tmp:
                    out = Path(tmp) / "sheet.pdf"
                    station.write_activity_sheet(activity_id, out)
                    print_pdf(out)
                self._sheet_done.emit(_tr("签到表已送到打印机"), True)
            except PrinterError as e:
                log.warning("printing the sign-in sheet: %s", e)
                self._sheet_done.emit(_tr("打印机没有连接好，请把签到表存U盘后打印"), False)
            except Exception:  # logged; the keeper gets a plain message
                log.exception("sign-in sheet failed")
                self._sheet_done.emit(_tr("签到表没有写成，请换个U盘再试"), False)

        self.sheet_thread = threading.Thread(target=run, name="kiosk-sheet", daemon=True)
        self.sheet_thread.start()


def sheet_name(title: str, now: datetime) -> str:
    """``签到表_20271203_安全生产宣讲.pdf``: safe on FAT sticks (no / \\ : * ? " < > |)."""
    safe = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in title)[:40]
    return f"签到表_{now:%Y%m%d_%H%M}_{safe}.pdf"


def install_activities(window: Any) -> ActivityFlow:
    """Add the activity pages to ``window`` (a MainWindow), wire them, offer 参加 after scans."""
    flow = ActivityFlow(window)
    for page in flow.pages():
        window.add_page(page)
    window.scan_actions.providers.append(flow)
    if window.current is Screen.WELCOME:
        flow.refresh_current()
    return flow
