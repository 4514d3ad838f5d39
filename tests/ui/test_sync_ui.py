"""Sync in the touchscreen: a real hub on 127.0.0.1, a check-in through the UI, the indicator."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.core.trades import Trade
from kiosk.qtglue.sync import SyncState, SyncWorker
from kiosk.screen_names import Screen
from tests.hub.conftest import hub, hub_url_db  # noqa: F401 — a real hub per test
from tests.hub.harness import HubServer


def hub_event_ids(server: HubServer) -> set[str]:
    from sqlalchemy import select

    from kiosk.hub.models import HubEvent

    with server.db.read() as s:
        return set(s.scalars(select(HubEvent.event_id)))


def outbox_ids(station) -> list[str]:
    from sqlalchemy import select

    from kiosk.store.models import OutboxEvent

    with station.db.read() as s:
        return list(s.scalars(select(OutboxEvent.id).order_by(OutboxEvent.seq)))


def enroll(station, server: HubServer) -> None:
    from kiosk.sync.enrolment import enroll as enroll_station

    _, code = server.add_station("测试驿站")
    enroll_station(station, server.url, code)


@pytest.fixture
def sync_worker(window, demo_station):
    workers: list[SyncWorker] = []

    def start(**kwargs) -> SyncWorker:
        worker = SyncWorker(demo_station, parent=window, **{"debounce_ms": 50, **kwargs})
        window.attach_sync(worker)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def indicator(window) -> str:
    return window.welcome.sync.text()


def test_check_in_through_the_ui_reaches_the_hub(qtbot, window, demo_station, hub, sync_worker):  # noqa: F811
    enroll(demo_station, hub)
    worker = sync_worker()
    qtbot.waitUntil(lambda: indicator(window) == "● 已同步", timeout=10_000)

    window.show_screen(Screen.TRADES)
    with qtbot.waitSignal(window.greeting_shown):
        qtbot.mouseClick(window.trades.buttons[Trade.SANITATION], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(worker.round_finished, timeout=10_000) as finished:
        pass  # the debounced round after the check-in
    assert finished.args[0] == "synced"
    qtbot.waitUntil(lambda: indicator(window) == "● 已同步", timeout=10_000)
    assert worker.view.state is SyncState.SYNCED and worker.view.pending == 0
    assert set(outbox_ids(demo_station)) <= hub_event_ids(hub)  # the visit is upstream

    details = window.settings_page.sync.values
    assert details["上级平台"] == hub.url
    assert details["待上传"] == "0"
    assert details["上次成功"] != "—"
    assert details["上次错误"] == "—"


def test_pending_count_shows_until_the_round(qtbot, window, demo_station, hub, sync_worker):  # noqa: F811
    enroll(demo_station, hub)
    worker = sync_worker(debounce_ms=60_000)  # no round on its own during this test
    qtbot.waitUntil(lambda: worker.view.enrolled)
    before = worker.view.pending
    assert before > 0 and indicator(window) == f"● {before} 条待上传"
    for trade in (Trade.RIVER, Trade.PARKING):
        with qtbot.waitSignal(window.greeting_shown):
            window.choose_trade(trade)
    qtbot.waitUntil(lambda: indicator(window) == f"● {before + 2} 条待上传")
    with qtbot.waitSignal(worker.round_finished, timeout=10_000) as finished:
        window.settings_page.sync.sync_now.click()  # 立即同步
    assert finished.args[0] == "synced"
    qtbot.waitUntil(lambda: indicator(window) == "● 已同步")


def test_dead_hub_shows_offline_since_and_keeps_working(
    qtbot,
    window,
    demo_station,
    hub,  # noqa: F811
    sync_worker,
):
    enroll(demo_station, hub)
    hub.stop()
    worker = sync_worker()
    with qtbot.waitSignal(worker.round_finished, timeout=15_000) as finished:
        pass
    assert finished.args[0] == "failed"
    since = demo_station.clock.now().astimezone(window.tz)
    qtbot.waitUntil(lambda: indicator(window) == f"● 离线（自 {since:%H:%M}）")
    assert worker.view.state is SyncState.OFFLINE

    demo_station.clock.advance(minutes=5)  # later failures keep the first failure's time
    window.show_screen(Screen.TRADES)
    with qtbot.waitSignal(window.greeting_shown):
        qtbot.mouseClick(window.trades.buttons[Trade.DELIVERY], Qt.MouseButton.LeftButton)
    assert window.current is Screen.GREETING
    with qtbot.waitSignal(worker.round_finished, timeout=15_000):
        worker.sync_now()
    qtbot.waitUntil(lambda: worker.view.pending > 0 and worker.view.last_error is not None)
    assert indicator(window) == f"● 离线（自 {since:%H:%M}）"
    assert window.settings_page.sync.values["上次错误"] != "—"


def test_not_enrolled_makes_no_request(qtbot, window, demo_station, sync_worker):
    calls: list[object] = []

    def engine_factory(station):
        calls.append(station)
        return None

    worker = sync_worker(engine_factory=engine_factory)
    qtbot.waitUntil(lambda: worker.view.pending > 0)  # the status was read
    assert indicator(window) == "● 未连接"
    with qtbot.waitSignal(window.greeting_shown):
        window.choose_trade(Trade.OTHER)
    qtbot.wait(300)  # several debounce periods
    assert calls == []
    assert indicator(window) == "● 未连接"
