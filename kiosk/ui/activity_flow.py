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
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.core.activities.views import ActivityView, SignInOutcome, SignInResult
from kiosk.core.messages import describe_signin
from kiosk.screen_names import Screen
from kiosk.ui.activity_calls import Failed, attempt, tr
from kiosk.ui.activity_keeper import KeeperActivityFlow
from kiosk.ui.scan_actions import ScanAction, ScanContext
from kiosk.ui.screens.activity_guest import ActivityGuestPage
from kiosk.ui.screens.activity_signin import ActivitySignInPage
from kiosk.ui.screens.keeper_activities import when_text

log = logging.getLogger(__name__)
ACTION_KEY = "activity"


def activity_line(view: ActivityView | None, now: datetime, tz: tzinfo, station: str) -> str:
    """The welcome screen's 近期活动 line: title, time, place; or 敬请关注."""
    if view is None:
        return tr("近期活动：敬请关注")
    place = view.place or station or tr("本站")
    when = when_text(view, tz, now.astimezone(tz).date())
    if view.schedule.start <= now:
        head = tr("正在进行")
    elif view.schedule.signin_open(now):
        head = tr("正在签到")
    else:
        head = tr("近期活动")
    return tr("{head}：【{title}】 {when} · {place}").format(
        head=head, title=view.title, when=when, place=place
    )


class ActivityFlow(QObject):
    action_finished = Signal(object)
    """The greeting shows the outcome of 参加/签退 (a SignInResult or Failed), committed."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.open: ActivityView | None = None  # the activity whose sign-in is open now
        self.signin = ActivitySignInPage()
        self.guest = ActivityGuestPage()
        self.keeper = KeeperActivityFlow(window)  # 管理 → 活动 (ui/activity_keeper.py)
        self.list, self.detail, self.new = self.keeper.list, self.keeper.detail, self.keeper.new
        self.live = self.keeper.live
        self._minute: tuple[int, int] | None = None
        window.screen_changed.connect(self._on_screen)
        window.clock.timeout.connect(self._on_tick)  # the welcome screen's clock
        self.signin.query_changed.connect(self.find_people)
        self.signin.person_chosen.connect(self.sign_in_person)
        self.guest.guest_submitted.connect(self.sign_in_guest)

    def pages(self) -> list[Any]:
        return [self.signin, self.guest, *self.keeper.pages()]

    def _call(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        self.bridge.call(attempt(fn), on_done=on_done)

    # -- the current activity: welcome line, 活动签到 ---------------------------------------

    def _on_screen(self, screen: Screen) -> None:
        if screen in (Screen.WELCOME, Screen.ACTIVITY_SIGNIN, Screen.ACTIVITY_GUEST):
            self.refresh_current()

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
            line = tr("【{title}】 {when}").format(title=view.title, when=when_text(view, tz))
            self.signin.show_activity(view.id, line)
            self.guest.show_activity(line, is_open=True)
            return
        if view is not None:
            opens = view.signin_opens_at.astimezone(tz)
            line = tr("现在没有可以签到的活动。下一场【{title}】{when}，{opens} 开始签到").format(
                title=view.title, when=when_text(view, tz), opens=f"{opens:%H:%M}"
            )
        else:
            line = tr("现在没有可以签到的活动")
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
            self.guest.show_error(tr("现在没有可以签到的活动"))
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
            text = tr("签退【{title}】") if inside else tr("参加【{title}】")
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
        greeting.set_action_busy(ACTION_KEY, tr("正在签退…") if inside else tr("正在签到…"))
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
                    detail = tr("本次服务 {m} 分钟，确认后计入服务时长").format(
                        m=result.credited_minutes
                    )
                w.greeting.show_action_result(ACTION_KEY, text, detail, tone)
                w.announcer.announce(text)
            w.idle.arm(w.timing.greeting_ms)
        self.action_finished.emit(result)


def install_activities(window: Any) -> ActivityFlow:
    """Add the activity pages to ``window`` (a MainWindow), wire them, offer 参加 after scans."""
    flow = ActivityFlow(window)
    for page in flow.pages():
        window.add_page(page)
    window.scan_actions.providers.append(flow)
    if window.current is Screen.WELCOME:
        flow.refresh_current()
    return flow
