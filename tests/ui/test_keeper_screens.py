"""The keeper's screens (issue 15), tapped through the real window, the real StationService
and a real SQLite file (the demo station of ``tests/ui/qt_guard.py``)."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.core.admin_pin import PinStore
from kiosk.screen_names import Screen
from kiosk.store.models import OutboxEvent, Visit

LEFT = Qt.MouseButton.LeftButton


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    assert widget.height() >= 72, (widget.objectName(), widget.height())  # a finger's target
    qtbot.mouseClick(widget, LEFT)


def unlock(qtbot, window, pin: str = "2580") -> None:
    window.show_screen(Screen.PIN)
    for d in pin:
        tap(qtbot, window.pin.digit_keys[d])
    tap(qtbot, window.pin.ok)
    qtbot.waitUntil(lambda: window.current is Screen.SETTINGS)


def open_keeper(qtbot, window, screen: Screen) -> None:
    unlock(qtbot, window)
    page = window.settings_page
    tap(qtbot, page.keeper_button)
    assert window.current is Screen.KEEPER
    tap(qtbot, window.keeper.menu.tiles[screen])
    assert window.current is screen
    qtbot.waitUntil(lambda: window.bridge.pending == 0)


def keeper_actions(station) -> list[dict]:
    with station.db.read() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.type == "keeper.action"))
        return [e.payload for e in rows]


@pytest.fixture
def checked_in(demo_station, clock):
    people = demo_station.people()[:3]
    for p in people:
        demo_station.checkin_person(p.id)
        clock.advance(minutes=3)
    return people


def test_present_roll_call_check_one_out_then_all(qtbot, window, demo_station, checked_in):
    open_keeper(qtbot, window, Screen.KEEPER_PRESENT)
    page = window.keeper.present
    qtbot.waitUntil(lambda: len(page.visits) == 3)
    assert page.count.text() == "在站 3 人"
    assert page.list.item(0).text().startswith(checked_in[-1].name)  # newest first
    assert not page.check_out.isEnabled()  # nobody chosen yet
    rect = page.list.visualItemRect(page.list.item(1))
    assert rect.height() >= 72
    qtbot.mouseClick(page.list.viewport(), LEFT, pos=rect.center())  # replayed by QScroller
    qtbot.waitUntil(lambda: page.check_out.text() == f"签退 {checked_in[1].name}")
    tap(qtbot, page.check_out)
    qtbot.waitUntil(lambda: page.count.text() == "在站 2 人")
    assert page.notice.text() == "已签退"
    assert checked_in[1].name not in [v.name for v in demo_station.present()]

    tap(qtbot, page.close_all)  # asks first, says how many
    assert "2 人" in page.confirm_text.text() and page.confirm_yes.isVisible()
    tap(qtbot, page.confirm_no)
    assert len(demo_station.present()) == 2
    tap(qtbot, page.close_all)
    tap(qtbot, page.confirm_yes)
    qtbot.waitUntil(lambda: page.count.text() == "在站 0 人")
    assert page.empty.isVisible() and not page.close_all.isEnabled()
    with demo_station.db.read() as s:
        assert {v.closed_by for v in s.scalars(select(Visit))} == {"keeper"}
    assert [a["action"] for a in keeper_actions(demo_station)] == [
        "visit.check_out",
        "visits.close_forgotten",
    ]


def test_stats_show_the_same_figures_as_kiosk_stats(qtbot, window, demo_station, checked_in):
    open_keeper(qtbot, window, Screen.KEEPER_STATS)
    page = window.keeper.stats
    qtbot.waitUntil(lambda: page.figures is not None)
    today = demo_station.today()
    day = demo_station.figures(today)
    assert page.values["visits"].text() == str(day.visits) == "3"
    assert page.values["people"].text() == "3"
    tap(qtbot, page.period_buttons["month"])
    qtbot.waitUntil(lambda: page.figures.first == today.replace(day=1))
    month = demo_station.period_figures(today.replace(day=1), today)
    assert page.figures == month
    assert page.series.barSets()[0].count() == len(month.days)
    assert page.series.barSets()[0].at(len(month.days) - 1) == 3
    tap(qtbot, page.prev_month)  # a chosen month: the whole of last month
    qtbot.waitUntil(lambda: page.figures.first < today.replace(day=1))
    assert page.figures.visits == 0 and len(page.figures.days) >= 28
    assert page.month_label.text().endswith("月")


def test_export_to_a_stick_and_to_one_pulled_out(qtbot, window, demo_station, checked_in, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    open_keeper(qtbot, window, Screen.KEEPER_EXPORT)
    page = window.keeper.export
    assert page.none.isVisible() or page.stick_buttons  # whatever this machine has mounted
    page.find_volumes = lambda: [("测试U盘", stick)]  # the stick: a temporary folder
    tap(qtbot, page.rescan)
    (button,) = page.stick_buttons
    assert "测试U盘" in button.text()
    tap(qtbot, button)
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert "可以拔出U盘" in page.result.text()
    month = demo_station.today().strftime("%Y-%m")
    book = load_workbook(stick / f"station-{month}.xlsx", read_only=True)
    names = {row[4] for row in book["到站记录"].iter_rows(min_row=2, values_only=True)}
    book.close()
    assert names == {p.name for p in checked_in}

    gone = tmp_path / "gone"
    page.find_volumes = lambda: [("拔掉的U盘", gone)]
    tap(qtbot, page.rescan)
    tap(qtbot, page.stick_buttons[0])  # the folder does not exist: pulled out before writing
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert "U盘已拔出" in page.result.text()
    assert not gone.exists()
    shutil.rmtree(stick)


def test_device_status_at_a_glance(qtbot, window, demo_station):
    window.set_camera_status(False, "摄像头未连接")
    open_keeper(qtbot, window, Screen.KEEPER_DEVICE)
    page = window.keeper.device
    qtbot.waitUntil(lambda: "camera" in page.levels)
    assert page.levels["camera"] == "red"
    assert page.rows["camera"][2].text() == "摄像头未连接"
    assert page.rows["sync"][2].text() == "未接入中心"
    assert page.rows["camera"][1].text() == "摄像头"


def test_pin_change_by_touch(qtbot, window, demo_station):
    open_keeper(qtbot, window, Screen.KEEPER_PIN)
    page = window.keeper.pin

    def enter(pin: str) -> None:
        for d in pin:
            tap(qtbot, page.digit_keys[d])
        tap(qtbot, page.ok)

    assert page.prompt.text() == "请输入原密码"
    enter("2580")
    assert page.prompt.text().startswith("请输入新密码")
    enter("4321")
    enter("4322")
    qtbot.waitUntil(lambda: "不一样" in page.message.text())
    enter("2580")
    enter("4321")
    enter("4321")
    qtbot.waitUntil(lambda: page.message.text() == "新密码已生效")
    assert PinStore.in_dir(demo_station.paths.data_dir).check("4321")
    assert [a["action"] for a in keeper_actions(demo_station)] == ["pin.changed"]


def test_pin_lockout_on_the_pad(qtbot, window, demo_station, clock):
    window.show_screen(Screen.PIN)
    for _ in range(5):
        for d in "1111":
            tap(qtbot, window.pin.digit_keys[d])
        tap(qtbot, window.pin.ok)
        qtbot.waitUntil(lambda: window.bridge.pending == 0)
    assert window.pin.message.text() == "错误次数太多，请 1 分钟后再试"
    for d in "2580":  # the right PIN, but locked
        tap(qtbot, window.pin.digit_keys[d])
    tap(qtbot, window.pin.ok)
    qtbot.waitUntil(lambda: window.bridge.pending == 0)
    assert window.current is Screen.PIN
    (lock,) = keeper_actions(demo_station)
    assert lock["action"] == "pin.locked" and lock["lock_seconds"] == 60
    clock.advance(seconds=61)
    for d in "2580":
        tap(qtbot, window.pin.digit_keys[d])
    tap(qtbot, window.pin.ok)
    qtbot.waitUntil(lambda: window.current is Screen.SETTINGS)
