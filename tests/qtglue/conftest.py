from __future__ import annotations

import pytest

from tests.ui.qt_guard import demo_station, gc_on_this_thread, qt_leak_guard  # noqa: F401


@pytest.fixture(autouse=True)
def _no_qt_leaks(qt_leak_guard):  # noqa: F811
    yield


@pytest.fixture(autouse=True)
def _garbage_collected_on_this_thread(gc_on_this_thread):  # noqa: F811
    yield
