"""Existing outboxes and hub data keep working: every event type a station writes is stored
byte for byte as before the schema moved to ``kiosk/events`` (``golden_outbox.json``)."""

from __future__ import annotations

import json

from kiosk.events.schema import EventType
from tests.events.scenario import GOLDEN, outbox_rows


def test_a_station_day_writes_the_same_bytes_as_before(tmp_path, monkeypatch) -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert {t for t, _, _ in golden} == set(EventType)  # the day covers every type

    found = outbox_rows(tmp_path, monkeypatch)

    assert len(found) == len(golden)
    for (gtype, gversion, gpayload), row in zip(golden, found, strict=True):
        assert row == [gtype, gversion, gpayload]
