"""End to end, no screen: real badges → camera-like frames → decoder → check-in → SQLite."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from kiosk.core.results import Method, Outcome
from kiosk.core.station import StationService
from kiosk.devices.decoding import KioskDecoder
from kiosk.devices.frames import MemoryFrameSource
from kiosk.devices.scan_loop import ScanLoop
from kiosk.devices.stability import StableCodeFilter
from kiosk.devices.synthetic import degraded_samples, idle_frames
from kiosk.store.models import Visit


@pytest.fixture
def workers(station: StationService) -> dict[str, str]:
    tokens = {}
    for name, trade in [("张建国", "环卫"), ("李秀英", "绿化"), ("王强", "市政")]:
        person = station.add_person(name=name, trade=trade)
        tokens[person.id] = station.issue_badge(person.id).token
    return tokens


def test_degraded_badge_frames_become_visits(station: StationService, workers) -> None:
    decoder = KioskDecoder()
    for index, (person_id, token) in enumerate(workers.items()):
        # A handful of differently degraded frames of each badge; the first that decodes wins.
        samples = degraded_samples(token, n=9, size=(1280, 720), seed=index)
        decoded = [decoder.decode(s.frame) for s in samples]
        assert sum(codes == [token] for codes in decoded) >= 8, [s.kind for s in samples]
        code = next(codes[0] for codes in decoded if codes)
        result = station.scan(code, Method.CAMERA)
        assert result.outcome is Outcome.CHECKED_IN and result.person_id == person_id
    with station.db.read() as s:
        visits = list(s.scalars(select(Visit)))
    assert sorted(v.person_id for v in visits) == sorted(workers)
    assert {v.method for v in visits} == {"camera"}


def test_scan_loop_checks_each_badge_in_once_while_in_view(station: StationService, workers):
    (a, token_a), (b, token_b), _ = workers.items()
    frames = [
        *idle_frames(3, size=(640, 480)),
        *[s.frame for s in degraded_samples(token_a, n=6, size=(640, 480), seed=1)],
        *idle_frames(2, size=(640, 480), seed=2),
        *[s.frame for s in degraded_samples(token_b, n=4, size=(640, 480), seed=3)],
    ]
    results = []
    loop = ScanLoop(
        MemoryFrameSource(frames),
        KioskDecoder(),
        StableCodeFilter(verify=station.is_signed_badge),
        on_code=lambda code: results.append(station.scan(code, Method.CAMERA)),
        fps=0,
    )
    loop.run(threading.Event())
    assert loop.errors == 0
    assert [(r.person_id, r.outcome) for r in results] == [
        (a, Outcome.CHECKED_IN),
        (b, Outcome.CHECKED_IN),
    ]


def test_foreign_qr_codes_in_view_record_nothing(station: StationService) -> None:
    from kiosk.devices.synthetic import camera_frame, qr_image

    decoder = KioskDecoder()
    for text in ["https://pay.example.com/qr/8f3a", "wxp://f2f0x", "随便什么文字"]:
        codes = decoder.decode(camera_frame(qr_image(text), size=(1280, 720)))
        assert codes == [text]
        assert station.scan(codes[0]).outcome is Outcome.REFUSED
    with station.db.read() as s:
        assert list(s.scalars(select(Visit))) == []
