from __future__ import annotations

from kiosk.devices.stability import StableCodeFilter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def feed_frames(f: StableCodeFilter, clock: FakeClock, frames, dt: float = 0.1) -> list[str]:
    out: list[str] = []
    for codes in frames:
        out += f.feed(codes)
        clock.now += dt
    return out


def test_code_needs_consecutive_frames() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=3, clock=clock)
    assert f.feed(["A"]) == []
    assert f.feed(["A"]) == []
    assert f.feed(["A"]) == ["A"]
    assert f.feed(["A"]) == []


def test_a_gap_resets_the_streak() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=2, clock=clock)
    assert feed_frames(f, clock, [["A"], [], ["A"], [], ["A"]]) == []
    assert feed_frames(f, clock, [["A"]]) == ["A"]


def test_verified_code_is_accepted_at_once() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=5, verify=lambda c: c.startswith("YZ1:"), clock=clock)
    assert f.feed(["YZ1:X", "noise"]) == ["YZ1:X"]
    assert f.feed(["YZ1:X", "noise"]) == []


def test_verify_raising_counts_as_unverified() -> None:
    def boom(code: str) -> bool:
        raise ValueError("bad signature blob")

    clock = FakeClock()
    f = StableCodeFilter(min_frames=2, verify=boom, clock=clock)
    assert f.feed(["A"]) == []
    assert f.feed(["A"]) == ["A"]


def test_code_in_view_fires_once_despite_dropouts_and_again_after_release() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=2, release_seconds=1.5, clock=clock)
    held = [["A"]] * 10 + [[]] * 5 + [["A"]] * 10  # 0.5 s drop-out: same presentation
    assert feed_frames(f, clock, held) == ["A"]
    assert feed_frames(f, clock, [[]] * 16) == []  # 1.6 s away
    assert feed_frames(f, clock, [["A"]] * 3) == ["A"]


def test_codes_are_tracked_independently() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=2, clock=clock)
    assert feed_frames(f, clock, [["A"], ["A", "B"], ["A", "B"]]) == ["A", "B"]
    assert f.feed(["A", "A"]) == []


def test_instances_do_not_share_state() -> None:
    clock = FakeClock()
    first, second = StableCodeFilter(clock=clock), StableCodeFilter(clock=clock)
    feed_frames(first, clock, [["A"], ["A"]])
    assert second.feed(["A"]) == []
    assert second.feed(["A"]) == ["A"]


def test_reset_forgets_accepted_codes() -> None:
    clock = FakeClock()
    f = StableCodeFilter(min_frames=1, clock=clock)
    assert f.feed(["A"]) == ["A"]
    f.reset()
    assert f.feed(["A"]) == ["A"]
