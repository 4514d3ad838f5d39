from __future__ import annotations

from kiosk.core.results import Method, Outcome
from kiosk.core.trades import Trade
from kiosk.qtglue.bridge import StationBridge


def test_scan_result_arrives_on_the_gui_thread(qtbot, demo_station):
    bridge = StationBridge(demo_station)
    seen_threads = []
    from PySide6.QtCore import QThread

    bridge.scan_finished.connect(lambda r: seen_threads.append(QThread.currentThread()))
    with qtbot.waitSignal(bridge.scan_finished) as got:
        bridge.scan(demo_station.badges["王强"], Method.SCANNER)
    assert got.args[0].outcome is Outcome.CHECKED_IN
    assert seen_threads == [bridge.thread()]
    assert bridge.pending == 0


def test_failures_become_a_signal_not_an_exception(qtbot, demo_station):
    bridge = StationBridge(demo_station)
    with qtbot.waitSignal(bridge.failed) as failed:
        bridge.checkin_person("no-such-person-id-at-all")  # refused, not an error
        bridge.run(lambda: 1 / 0, on_done=lambda _: None)
    assert "division" in failed.args[0]


def test_search_figures_and_settings(qtbot, demo_station):
    bridge = StationBridge(demo_station)
    with qtbot.waitSignal(bridge.people_found) as found:
        bridge.find_people("lxy")
    assert found.args[0] == "lxy" and [p.name for p in found.args[1]] == ["李秀英"]
    with qtbot.waitSignal(bridge.scan_finished):
        bridge.trade_visit(Trade.RIVER)
    with qtbot.waitSignal(bridge.figures_ready) as figures:
        bridge.refresh_figures()
    assert figures.args[0].visits == 1
    with qtbot.waitSignal(bridge.settings_ready) as settings:
        bridge.save_setting("ui.idle_seconds", 60)
    assert settings.args[0]["ui.idle_seconds"] == 60


def test_results_are_delivered_later_never_inside_the_call(qtbot, demo_station):
    """Both ways a result can come back (the database thread, or at once on this thread when
    the station is shutting down) arrive through the event loop, after ``run()`` returned."""
    bridge = StationBridge(demo_station)
    calls: list[str] = []
    with qtbot.waitSignal(bridge.idle_changed):
        bridge.run(lambda: "db", on_done=lambda v: calls.append(f"done {v}"))
        calls.append("returned")
    assert calls == ["returned", "done db"]

    demo_station.close()  # the database thread is gone: submit raises, the future fails here
    calls.clear()
    with qtbot.waitSignal(bridge.failed) as failed:
        bridge.run(lambda: "never", on_done=lambda v: calls.append(f"done {v}"))
        calls.append("returned")
        assert bridge.pending == 1
    assert calls == ["returned"]
    assert failed.args[0] and bridge.pending == 0
