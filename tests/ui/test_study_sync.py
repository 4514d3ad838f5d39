"""讲习所 while sync installs and withdraws packages: the open library updates itself.

A real hub on 127.0.0.1 (SQLite), the demo station enrolled with it, the real SyncWorker
attached to the real window: a round downloads the package and installs it with the
station's importer; the open reader stays where the worker is, the list behind it changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.qtglue.sync import SyncWorker
from kiosk.screen_names import Screen
from kiosk.store.models import StudySession
from kiosk.sync.enrolment import enroll
from tests.hub.fixtures import hub  # noqa: F401 — a real hub per test
from tests.hub.harness import HubServer
from tests.sync.material_helpers import make_package, publish, withdraw


@pytest.fixture
def hub_url_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def worker(window, demo_station, hub) -> Iterator[SyncWorker]:  # noqa: F811
    """The demo station enrolled with the hub; its sync worker runs rounds only on request."""
    _, code = hub.add_station("测试驿站")
    enroll(demo_station, hub.url, code)
    sync = SyncWorker(demo_station, parent=window, debounce_ms=600_000, interval_s=3_600)
    window.attach_sync(sync)
    sync.start()
    yield sync
    sync.stop()


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.bridge.pending == 0, timeout=10_000)


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def sync_round(qtbot, worker: SyncWorker) -> list[str]:
    """Run one round now: ["materials_changed"] if it was emitted, then the round's outcome."""
    events: list[str] = []

    def changed() -> None:
        events.append("materials_changed")

    worker.materials_changed.connect(changed)
    try:
        with qtbot.waitSignal(worker.round_finished, timeout=20_000) as finished:
            worker.sync_now()
    finally:
        worker.materials_changed.disconnect(changed)
    return [*events, str(finished.args[0])]


def card_ids(flow) -> list[str]:
    return [card.material.id for card in flow.list_page.cards]


def sessions(station) -> list[StudySession]:
    with station.db.read() as s:
        return list(s.scalars(select(StudySession)))


def test_an_open_library_takes_in_synced_packages_without_disturbing_the_reader(
    qtbot,
    window,
    demo_station,
    hub: HubServer,  # noqa: F811
    worker: SyncWorker,
    tmp_path: Path,
) -> None:
    window.timing.idle_ms = 600_000  # the reader stays open however long the round takes
    flow = window.study_flow
    window.show_screen(Screen.STUDY)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(flow.materials), timeout=10_000)
    assert sync_round(qtbot, worker) == ["synced"]  # nothing new: no reload
    safety = flow.page.tiles["安全"].text_label.text()

    click(qtbot, flow.page.tiles["安全"])
    before = card_ids(flow)
    assert "night-work" not in before
    click(qtbot, next(c for c in flow.list_page.cards if c.material.id == "heat-cold"))
    reader = flow.reader
    click(qtbot, reader.next)
    opened = (reader.material, reader.view.content, reader.started_at, reader.view.page)
    assert opened[3] == 1

    publish(hub, make_package(tmp_path / "pkg", "night-work", title="夜间作业安全"))
    assert sync_round(qtbot, worker) == ["materials_changed", "synced"]
    settle(qtbot, window)

    # The reader was not touched: same material, same content, same page, still open.
    assert window.current is Screen.STUDY_READER
    assert (reader.material, reader.view.content, reader.started_at, reader.view.page) == opened
    assert sessions(demo_station) == []  # leaving the reader would have recorded a session
    # Behind it, the catalogue, the category count and the list already have the package.
    assert "night-work" in {m.id for m in flow.materials}
    assert flow.page.tiles["安全"].text_label.text() != safety
    assert sorted(card_ids(flow)) == sorted([*before, "night-work"])

    click(qtbot, reader.bar.back)  # 返回: the list with the new package
    assert window.current is Screen.STUDY_LIST
    settle(qtbot, window)
    click(qtbot, next(c for c in flow.list_page.cards if c.material.id == "night-work"))
    assert window.current is Screen.STUDY_READER and reader.material.id == "night-work"
    assert reader.view.page_count >= 1 and reader.view.content.body.strip()
    click(qtbot, reader.bar.back)
    settle(qtbot, window)

    # Withdrawn by the hub while the list is on screen: the card goes, the screen stays.
    withdraw(hub, "night-work")
    assert sync_round(qtbot, worker) == ["materials_changed", "synced"]
    settle(qtbot, window)
    assert window.current is Screen.STUDY_LIST
    assert sorted(card_ids(flow)) == sorted(before)
    assert flow.page.tiles["安全"].text_label.text() == safety


def test_my_study_shows_a_package_synced_while_it_is_open(
    qtbot,
    window,
    demo_station,
    hub: HubServer,  # noqa: F811
    worker: SyncWorker,
    tmp_path: Path,
) -> None:
    from kiosk.core.results import Method
    from kiosk.ui.screens.study import MaterialCard

    window.timing.idle_ms = 600_000
    flow = window.study_flow
    with qtbot.waitSignal(window.greeting_shown):
        window.submit_code(next(iter(demo_station.badges.values())), Method.SCANNER)
    window.show_screen(Screen.WELCOME)  # 好的: the worker is remembered
    window.show_screen(Screen.STUDY)
    settle(qtbot, window)
    click(qtbot, flow.page.mine)
    settle(qtbot, window)
    assert window.current is Screen.MY_STUDY

    def shown() -> set[str]:
        return {w.material.id for w in flow.mine.dynamic if isinstance(w, MaterialCard)}

    assert "night-work" not in shown()
    demo_station.clock.advance(minutes=5)  # installed after the starter library: listed first
    publish(hub, make_package(tmp_path / "pkg", "night-work", title="夜间作业安全"))
    assert sync_round(qtbot, worker) == ["materials_changed", "synced"]
    settle(qtbot, window)
    assert window.current is Screen.MY_STUDY
    assert "night-work" in shown() and "night-work" in flow.new_ids
