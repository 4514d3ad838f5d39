"""Activities at the touchscreen (issue 14), tapped through the real window, the real
StationService and a real SQLite file; badges are real QR images through the real decoder."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.core.activities.model import ActivityKind, ActivityState, Category
from kiosk.devices.frames import MemoryFrameSource
from kiosk.screen_names import Screen
from kiosk.ui.scan_actions import ScanAction
from tests.ui.test_flow import badge_frames, run_scanner
from tests.ui.test_keeper_screens import open_keeper
from tests.ui.test_keeper_screens import tap as tap_now

TITLE = "安全生产宣讲"


@pytest.fixture
def timing():
    """Long enough that a loaded machine never idles out between a greeting and its tap."""
    from kiosk.ui.window import Timing

    return Timing(
        idle_ms=20_000, greeting_ms=15_000, refusal_ms=15_000, clock_ms=1000,
        idle_from_settings=False,
    )  # fmt: skip


def tap(qtbot, widget) -> None:
    """A finger on ``widget`` once it is on screen (a widget new in a layout shows a beat later)."""
    qtbot.waitUntil(widget.isVisible, timeout=5000)
    tap_now(qtbot, widget)


def add_lecture(station, *, starts_in: int = 30, minutes: int = 90, hours: bool = True):
    start = station.clock.now().replace(microsecond=0) + timedelta(minutes=starts_in)
    return station.add_activity(
        kind=ActivityKind.LECTURE,
        title=TITLE,
        start=start,
        end=start + timedelta(minutes=minutes),
        host_unit="区城管局",
        service_hours=hours,
    )


def scan_badge_frames(qtbot, window, token: str):
    """Show the badge to the (memory) camera; the greeting it produced."""
    scanner = run_scanner(qtbot, window, MemoryFrameSource(badge_frames(token)))
    try:
        with qtbot.waitSignal(window.greeting_shown, timeout=10_000) as shown:
            scanner.start()
    finally:
        assert scanner.stop()
    return shown.args[0]


def action_button(qtbot, window, key: str = "activity"):
    qtbot.waitUntil(lambda: key in window.greeting.action_buttons, timeout=5000)
    return window.greeting.action_buttons[key]


def wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=5000)


def test_welcome_line_shows_the_next_activity(qtbot, window, demo_station):
    assert window.welcome.activity.text() == "近期活动：敬请关注"
    add_lecture(demo_station, starts_in=30)
    window.show_screen(Screen.HOME)
    window.show_screen(Screen.WELCOME)
    qtbot.waitUntil(lambda: TITLE in window.welcome.activity.text())
    line = window.welcome.activity.text()
    assert line.startswith("正在签到：【安全生产宣讲】 今天 ")  # the window opened 60 min early
    assert demo_station.info().name in line  # the place: this station


def test_badge_scan_offers_join_then_sign_out(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=10)
    token = demo_station.badges["张建国"]
    scan_badge_frames(qtbot, window, token)
    assert window.greeting.headline.text() == "张师傅，欢迎回家！"  # greeted as always
    join = action_button(qtbot, window)
    assert join.text() == f"参加【{TITLE}】"
    assert join.height() >= 72
    with qtbot.waitSignal(window.activities.action_finished, timeout=5000):
        tap(qtbot, join)
        # Nothing is said before the station has committed it.
        assert not join.isEnabled() and join.text() == "正在签到…"
        assert window.greeting.headline.text() == "张师傅，欢迎回家！"
    assert window.greeting.headline.text() == f"张师傅，已签到【{TITLE}】"
    assert "activity" not in window.greeting.action_buttons
    rows = demo_station.activity(activity.id).attendances
    assert [(r.name, r.method, r.signed_out_at) for r in rows] == [("张建国", "camera", None)]

    demo_station.clock.advance(minutes=70)  # the lecture started 10 min in: 60 min of it
    window.show_screen(Screen.WELCOME)
    scan_badge_frames(qtbot, window, token)
    leave = action_button(qtbot, window)
    assert leave.text() == f"签退【{TITLE}】"
    with qtbot.waitSignal(window.activities.action_finished, timeout=5000):
        tap(qtbot, leave)
    assert window.greeting.headline.text() == f"张师傅，已签退【{TITLE}】，辛苦了！"
    assert window.greeting.detail.text() == "本次服务 60 分钟，确认后计入服务时长"
    (row,) = demo_station.activity(activity.id).attendances
    assert row.signed_out_at is not None and row.credited_minutes == 60


def test_no_offer_outside_the_sign_in_window(qtbot, window, demo_station):
    add_lecture(demo_station, starts_in=3 * 60)  # sign-in opens in two hours
    window.submit_code(demo_station.badges["李秀英"])
    qtbot.waitUntil(lambda: window.current is Screen.GREETING)
    wait_idle(qtbot, window)
    assert window.greeting.action_buttons == {}


def test_a_second_provider_adds_its_own_button(qtbot, window, demo_station):
    add_lecture(demo_station, starts_in=0)
    seen = []

    class Wish:
        def offer(self, scan, add):
            if scan.named:
                add(ScanAction("wish", "许个微心愿", lambda: seen.append(scan.result.person_id)))

    window.scan_actions.providers.append(Wish())
    window.submit_code(demo_station.badges["李秀英"])
    action_button(qtbot, window, "activity")
    wish = action_button(qtbot, window, "wish")
    tap(qtbot, wish)
    assert seen == [window.greeting.result.person_id]
    assert set(window.greeting.action_buttons) == {"activity", "wish"}


def test_a_stale_offer_is_refused_in_chinese(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=0)
    window.submit_code(demo_station.badges["李秀英"])
    join = action_button(qtbot, window)
    demo_station.end_activity(activity.id)  # the keeper ended it meanwhile
    with qtbot.waitSignal(window.activities.action_finished, timeout=5000):
        tap(qtbot, join)
    assert window.greeting.headline.text() == "活动已经结束"
    assert window.greeting.property("tone") == "refused"
    assert demo_station.activity(activity.id).attendances == []


def test_walk_in_by_name_search(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=0)
    window.show_screen(Screen.HOME)
    tap(qtbot, window.home.tiles[Screen.ACTIVITY_SIGNIN])
    page = window.activities.signin
    qtbot.waitUntil(lambda: page.open)
    assert TITLE in page.activity_line.text()
    page.query.setFocus()
    QTest.keyClicks(page.query, "zjg")
    qtbot.waitUntil(lambda: len(page.result_buttons()) > 0)
    assert page.result_buttons()[0].text().startswith("张建国")
    tap(qtbot, page.result_buttons()[0])
    qtbot.waitUntil(lambda: page.message.isVisible())
    assert page.message.text() == f"张师傅，已签到【{TITLE}】"
    assert page.query.text() == ""  # ready for the next person
    (row,) = demo_station.activity(activity.id).attendances
    assert (row.name, row.method) == ("张建国", "manual")


def test_sign_in_page_says_when_nothing_is_open(qtbot, window, demo_station):
    add_lecture(demo_station, starts_in=4 * 60)
    window.show_screen(Screen.ACTIVITY_SIGNIN)
    page = window.activities.signin
    qtbot.waitUntil(lambda: "下一场" in page.activity_line.text())
    assert page.activity_line.text().startswith("现在没有可以签到的活动")
    assert not page.form.isVisible()


def test_guest_form_checks_then_records_once_committed(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=0)
    window.show_screen(Screen.ACTIVITY_SIGNIN)
    signin = window.activities.signin
    qtbot.waitUntil(lambda: signin.open)
    tap(qtbot, signin.guest)
    page = window.activities.guest
    assert window.current is Screen.ACTIVITY_GUEST
    qtbot.waitUntil(lambda: page.submit.isEnabled())
    for field in (page.name, page.unit, page.phone):
        assert field.height() >= 72
    assert page.phone.inputMethodHints() & Qt.InputMethodHint.ImhDigitsOnly

    tap(qtbot, page.submit)
    assert page.error.text() == "请填写姓名"
    page.name.setText("王芳")
    tap(qtbot, page.submit)
    assert page.error.text() == "请选择类别"
    tap(qtbot, page.category_buttons[Category.VOLUNTEER])
    page.phone.setFocus()
    QTest.keyClicks(page.phone, "12ab")  # letters are not accepted
    assert page.phone.text() == "12"
    tap(qtbot, page.submit)
    assert page.error.text() == "手机尾号要 4 位数字，也可以不填"
    assert demo_station.activity(activity.id).attendances == []  # nothing recorded yet

    QTest.keyClicks(page.phone, "34")
    page.unit.setText("市妇联")
    tap(qtbot, page.submit)
    qtbot.waitUntil(lambda: page.error.property("tone") == "ok")
    assert page.error.text() == f"王芳，已签到【{TITLE}】"
    assert page.name.text() == "" and page.chosen_category() is None  # the next guest
    (row,) = demo_station.activity(activity.id).attendances
    assert (row.name, row.unit, row.category) == ("王芳", "市妇联", Category.VOLUNTEER)
    assert row.guest and row.person_id is None


def test_idle_returns_from_the_sign_in_screen(qtbot, window, demo_station):
    window.show_screen(Screen.ACTIVITY_SIGNIN)
    window.idle.arm(100)
    qtbot.waitUntil(lambda: window.current is Screen.WELCOME, timeout=5000)


def test_keeper_creates_starts_lists_and_ends(qtbot, window, demo_station):
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    listing = window.activities.list
    qtbot.waitUntil(lambda: listing.unsent.text() != "")
    tap(qtbot, listing.new)
    new = window.activities.new
    assert window.current is Screen.KEEPER_ACTIVITY_NEW
    tap(qtbot, new.submit)
    assert new.error.text() == "请填写活动名称"
    new.title_field.setText("消防知识讲座")
    tap(qtbot, new.durations[1][90])
    tap(qtbot, new.submit)  # 讲习所宣讲, 现在开始 are the defaults
    qtbot.waitUntil(lambda: window.current is Screen.KEEPER_ACTIVITY)
    detail = window.activities.detail
    qtbot.waitUntil(lambda: detail.detail is not None)
    (made,) = demo_station.activities()
    assert (made.title, made.kind, made.stored_state) == (
        "消防知识讲座", ActivityKind.LECTURE, ActivityState.IN_PROGRESS,
    )  # fmt: skip
    assert made.end_at - made.start_at == timedelta(minutes=90)

    demo_station.activity_scan(made.id, demo_station.badges["张建国"])
    demo_station.activity_guest(made.id, name="王芳", category=Category.PUBLIC)
    window.show_screen(Screen.KEEPER_ACTIVITIES)
    qtbot.waitUntil(lambda: len(listing.rows) == 1)
    assert "有 4 条活动记录还没上传" in listing.unsent.text()  # scheduled, started, 2 sign-ins
    tap(qtbot, listing.rows[0])
    qtbot.waitUntil(lambda: detail.detail is not None and len(detail.detail.attendances) == 2)
    assert "共 2 人次 · 在场 2 人" in detail.counts.text()
    assert not detail.buttons["cancel"].isVisible()  # people signed in: end it instead

    tap(qtbot, detail.buttons["end"])
    assert detail.buttons["end"].text() == "再点一次确认"
    assert demo_station.activity(made.id).activity.stored_state is ActivityState.IN_PROGRESS
    tap(qtbot, detail.buttons["end"])
    qtbot.waitUntil(lambda: "活动已结束" in detail.notice.text())
    assert detail.notice.text() == "活动已结束：2 人一起签退，0 人待确认"
    qtbot.waitUntil(lambda: not detail.buttons["end"].isVisible())
    ended = demo_station.activity(made.id)
    assert ended.activity.stored_state is ActivityState.ENDED and ended.still_in == 0


def test_keeper_signs_one_out_and_cancels_an_empty_one(qtbot, window, demo_station):
    busy = add_lecture(demo_station, starts_in=0)
    demo_station.activity_scan(busy.id, demo_station.badges["张建国"])
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    window.show_screen(Screen.KEEPER_ACTIVITY, busy.id)
    detail = window.activities.detail
    qtbot.waitUntil(lambda: len(detail.sign_out_buttons) == 1)
    tap(qtbot, next(iter(detail.sign_out_buttons.values())))
    qtbot.waitUntil(lambda: detail.notice.text() == "已签退")
    qtbot.waitUntil(lambda: not detail.sign_out_buttons)
    assert demo_station.activity(busy.id).still_in == 0

    empty = add_lecture(demo_station, starts_in=24 * 60)
    window.show_screen(Screen.KEEPER_ACTIVITY, empty.id)
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.activity.id == empty.id)
    tap(qtbot, detail.buttons["cancel"])
    tap(qtbot, detail.buttons["cancel"])
    qtbot.waitUntil(lambda: detail.notice.text() == "活动已取消")
    assert demo_station.activity(empty.id).activity.stored_state is ActivityState.CANCELLED


def _pdf_page(pdf: Path, tmp_path: Path) -> tuple[str, QImage]:
    tmp_path.mkdir(parents=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    return text, QImage(str(png))


def _inked(image: QImage) -> int:
    """Dark pixels in the page's top half: the title and the table drawn, not boxes of air."""
    dark = 0
    for y in range(0, image.height() // 2, 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 128:
                dark += 1
    return dark


def test_sheet_saved_to_a_stick_and_sent_to_the_printer(qtbot, window, demo_station, tmp_path,
                                                       monkeypatch):  # fmt: skip
    activity = add_lecture(demo_station, starts_in=0)
    demo_station.activity_scan(activity.id, demo_station.badges["张建国"])
    demo_station.activity_guest(activity.id, name="王芳", category=Category.VOLUNTEER)
    stick = tmp_path / "stick"
    stick.mkdir()
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    detail = window.activities.detail
    detail.find_volumes = lambda: [("U盘", stick)]
    window.show_screen(Screen.KEEPER_ACTIVITY, activity.id)
    qtbot.waitUntil(lambda: detail.detail is not None)
    tap(qtbot, detail.buttons["save"])
    qtbot.waitUntil(lambda: "签到表已存到U盘" in detail.notice.text(), timeout=30_000)
    (pdf,) = stick.glob("签到表_*.pdf")
    assert TITLE in pdf.name
    text, page = _pdf_page(pdf, tmp_path / "saved")
    assert TITLE in text and "张建国" in text and "王芳" in text and "志愿者" in text
    assert _inked(page) > 500

    # The printer is an edge: a stand-in ``lp`` that keeps what it was given.
    printed = tmp_path / "printed.pdf"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\ncp "$2" "{printed}"\necho "request id is kiosk-1"\n')
    lp.chmod(lp.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    tap(qtbot, detail.buttons["print"])
    qtbot.waitUntil(lambda: detail.notice.text() == "签到表已送到打印机", timeout=30_000)
    assert TITLE in _pdf_page(printed, tmp_path / "printed")[0]

    lp.write_text("#!/bin/sh\necho 'lp: Error - no default destination' >&2\nexit 1\n")
    tap(qtbot, detail.buttons["print"])
    qtbot.waitUntil(lambda: "打印机没有连接好" in detail.notice.text(), timeout=30_000)


def test_no_stick_no_file(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=0)
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    detail = window.activities.detail
    detail.find_volumes = lambda: []
    window.show_screen(Screen.KEEPER_ACTIVITY, activity.id)
    qtbot.waitUntil(lambda: detail.detail is not None)
    tap(qtbot, detail.buttons["save"])
    assert detail.notice.text() == "没有找到U盘，请插好后再点"


def test_welcome_line_follows_the_clock(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=90, minutes=60)
    window.show_screen(Screen.HOME)
    window.show_screen(Screen.WELCOME)
    qtbot.waitUntil(lambda: window.welcome.activity.text().startswith("近期活动：【"))
    demo_station.clock.advance(minutes=95)  # it started five minutes ago
    qtbot.waitUntil(lambda: window.welcome.activity.text().startswith("正在进行：【"), timeout=5000)
    demo_station.end_activity(activity.id)
    demo_station.clock.advance(minutes=1)
    qtbot.waitUntil(lambda: window.welcome.activity.text() == "近期活动：敬请关注", timeout=5000)


def test_keeper_starts_a_later_lecture_now_and_sign_in_opens(qtbot, window, demo_station):
    later = add_lecture(demo_station, starts_in=3 * 60)
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    window.show_screen(Screen.KEEPER_ACTIVITY, later.id)
    detail = window.activities.detail
    qtbot.waitUntil(lambda: detail.detail is not None)
    assert not detail.buttons["end"].isHidden() and not detail.buttons["cancel"].isHidden()
    tap(qtbot, detail.buttons["start"])
    qtbot.waitUntil(lambda: detail.notice.text() == "活动已开始，可以签到了")
    qtbot.waitUntil(lambda: detail.buttons["start"].isHidden())
    started = demo_station.activity(later.id).activity
    assert started.stored_state is ActivityState.IN_PROGRESS
    assert started.start_at <= demo_station.clock.now()
    window.show_screen(Screen.ACTIVITY_SIGNIN)
    qtbot.waitUntil(lambda: window.activities.signin.open)


def test_the_attendance_list_is_live(qtbot, window, demo_station):
    activity = add_lecture(demo_station, starts_in=0)
    open_keeper(qtbot, window, Screen.KEEPER_ACTIVITIES)
    flow = window.activities
    flow.live.setInterval(50)  # instead of waiting 10 s
    window.show_screen(Screen.KEEPER_ACTIVITY, activity.id)
    qtbot.waitUntil(lambda: flow.detail.detail is not None)
    assert flow.live.isActive()
    demo_station.activity_guest(activity.id, name="王芳", category=Category.PUBLIC)
    qtbot.waitUntil(lambda: len(flow.detail.detail.attendances) == 1, timeout=5000)
    assert "共 1 人次" in flow.detail.counts.text()
    window.show_screen(Screen.KEEPER_ACTIVITIES)
    assert not flow.live.isActive()


def test_each_refusal_the_screen_translates_is_still_worded_so_by_the_core():
    """The screen matches the core's (English) refusals; a rewording must fail here, not fall
    silently to the generic message."""
    import kiosk.core.activities as package
    from kiosk.ui.activity_calls import REFUSALS

    source = "".join(p.read_text() for p in Path(package.__file__).parent.glob("*.py"))
    states = {f"is {s.value}" for s in ActivityState} if "is {activity.state}" in source else set()
    missing = [n for n, _ in REFUSALS if n not in source and n not in states]
    assert not missing
