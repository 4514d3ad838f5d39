"""The motion gate through real parts: rendered QR badges, the real decoder and scan loop.

Frames come from a source that advances a shared clock by 1/15 s per read, as a 15 fps camera
delivers them; the gate and the stability filter read that clock, so nothing sleeps.
"""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.devices.decoding import KioskDecoder
from kiosk.devices.frames import Frame
from kiosk.devices.motion_gate import MotionGate, thumbnail
from kiosk.devices.scan_loop import ScanLoop
from kiosk.devices.stability import StableCodeFilter
from kiosk.devices.synthetic import background, badge_payload, camera_frame, idle_frames, qr_image

from .test_scan_loop import run_to_end

FPS = 15
SIZE = (640, 480)


class Camera:
    """Serves frames once each and moves the clock on by one frame period per read."""

    description = "test camera"

    def __init__(self, frames: list[Frame]) -> None:
        self._frames = list(frames)
        self._pos = 0
        self.now = 0.0
        self.finished = False

    def read(self) -> Frame | None:
        if self._pos >= len(self._frames):
            self.finished = True
            return None
        self.now = self._pos / FPS
        self._pos += 1
        return self._frames[self._pos - 1]

    def clock(self) -> float:
        return self.now

    def close(self) -> None:
        self.finished = True


def noisy(frame: Frame, rng: np.random.Generator, sigma: float = 3.0) -> Frame:
    """The frame with fresh sensor noise, as every real camera frame has."""
    return np.clip(frame + rng.normal(0.0, sigma, frame.shape), 0, 255).astype(np.uint8)


def scene_and_badge(badge_qr: np.ndarray, seed: int, scale: float) -> tuple[Frame, Frame]:
    """An empty scene and the same scene with the badge held up in it."""
    empty = background(SIZE, np.random.default_rng(seed))  # camera_frame's first draw
    with_badge = camera_frame(badge_qr, size=SIZE, scale=scale, angle=12, seed=seed)
    return empty, with_badge


def scan(
    frames: list[Frame], decoder: KioskDecoder | None = None, **gate_options: float
) -> tuple[list[int], ScanLoop]:
    """Run the real loop with a gate; return the frame numbers (1-based) codes fired on."""
    camera = Camera(frames)
    fired: list[int] = []
    loop = ScanLoop(
        camera,
        decoder or KioskDecoder(),
        # As in the app, a code whose signature verifies is accepted on its first read.
        StableCodeFilter(verify=lambda code: code.startswith("YZ1:"), clock=camera.clock),
        on_code=lambda code: fired.append(loop.frames_read),
        fps=0,
        gate=MotionGate(clock=camera.clock, **gate_options),
    )
    run_to_end(loop)
    return fired, loop


# Arrivals off the interval decodes (frames 8, 11, 14, ...), so only change detection can read
# them on their first frame; 0.18 is the smallest badge in the decode benchmark.
@pytest.mark.parametrize(("arrival", "scale"), [(30, 0.4), (31, 0.3), (33, 0.18), (46, 0.25)])
def test_a_badge_appearing_in_a_static_scene_is_read_on_its_first_frame(
    badge_qr, arrival, scale
) -> None:
    rng = np.random.default_rng(arrival)
    empty, with_badge = scene_and_badge(badge_qr, seed=arrival, scale=scale)
    frames = [noisy(empty, rng) for _ in range(arrival - 1)]
    frames += [noisy(with_badge, rng) for _ in range(10)]
    fired, loop = scan(frames)
    assert fired == [arrival]  # one frame after the gate had been skipping
    assert loop.gate is not None and loop.gate.skipped >= (arrival - 1) // 2


def test_the_same_idle_frame_object_then_a_badge_is_read_at_once(badge_frame) -> None:
    idle = np.full_like(badge_frame, 90)  # kiosk.bench.ui's GatedSource hands out one object
    frames = [idle] * 40 + [badge_frame] + [idle] * 5
    fired, loop = scan(frames)
    assert fired == [41]
    assert loop.frames_decoded < len(frames) // 2


def test_badges_shown_one_after_another_are_each_read_at_once(badge_frame) -> None:
    # kiosk.bench.ui's scan benchmark: each badge is in view for a single frame, the next one
    # follows two frames later, and the idle frame is one unchanging object.
    badges = [
        camera_frame(qr_image(badge_payload(i)), size=SIZE, scale=0.4, seed=i) for i in range(3)
    ]
    idle = np.full_like(badge_frame, 90)
    frames = [idle] * 20
    for badge in badges:
        frames += [badge, idle]
    fired, _ = scan(frames)
    assert fired == [21, 23, 25]


@pytest.mark.parametrize("settle_seconds", [0.0, 0.3])
def test_a_badge_held_still_from_the_start_is_read_within_the_interval(
    badge_frame, settle_seconds
) -> None:
    class GlareAtFirst(KioskDecoder):
        """The real decoder, except that a glare flash hides the badge on its first look."""

        looks = 0

        def decode(self, frame: Frame) -> list[str]:
            self.looks += 1
            return [] if self.looks == 1 else super().decode(frame)

    # Identical frames and a miss on frame 1: without the settle window only the interval
    # rule can bring the decoder back to the badge.
    fired, loop = scan([badge_frame] * 20, GlareAtFirst(), settle_seconds=settle_seconds)
    assert fired and (fired[0] - 1) / FPS <= 0.25
    if settle_seconds == 0:
        assert fired == [4]  # frames 2 and 3 skipped, frame 4 is 0.2 s >= 0.18 s later
        assert loop.gate is not None and loop.gate.skipped == 2


def test_a_static_empty_scene_skips_most_decodes_but_decodes_four_times_a_second() -> None:
    rng = np.random.default_rng(0)
    empty = background(SIZE, np.random.default_rng(5))
    frames = [noisy(empty, rng, sigma=4.0) for _ in range(10 * FPS)]  # ten seconds
    fired, loop = scan(frames)
    assert fired == []
    assert loop.frames_read == 150
    assert 40 <= loop.frames_decoded <= 55  # was 150: a decode every 3rd frame


def test_a_located_but_unread_symbol_is_decoded_on_every_frame(badge_qr) -> None:
    covered = badge_qr.copy()  # a sticker over the middle: finders intact, data unreadable
    side = covered.shape[0]
    covered[int(side * 0.3) : int(side * 0.7), int(side * 0.3) : int(side * 0.7)] = 255
    frame = camera_frame(covered, size=SIZE, scale=0.45, seed=1)
    decoder = KioskDecoder()
    assert decoder.decode(frame) == [] and decoder.last_located > 0
    fired, loop = scan([frame] * 30, decoder=decoder)
    assert fired == [] and loop.frames_decoded == 30


def test_a_scene_that_keeps_changing_decodes_every_other_frame(badge_frame) -> None:
    scenes = idle_frames(30, size=SIZE, seed=2)  # a new scene every frame: people passing
    fired, loop = scan(scenes)
    assert fired == [] and 15 <= loop.frames_decoded <= 16
    for arrival in (11, 12):  # whichever phase of the alternation the badge lands on
        fired, _ = scan([*scenes[: arrival - 1], badge_frame, badge_frame])
        assert fired and fired[0] - arrival <= 1  # its first or second frame


def test_a_badge_shown_again_after_leaving_fires_again(badge_frame, payload) -> None:
    rng = np.random.default_rng(1)
    empty = noisy(np.full_like(badge_frame, 120), rng)
    frames = [badge_frame] * 6 + [empty] * 30 + [badge_frame] * 6  # two seconds away
    fired, _ = scan(frames)
    assert fired == [1, 37]  # skipped frames count as empty, so the filter lets go in time


@pytest.mark.parametrize(
    ("shape", "expected"),
    [((480, 640, 3), (60, 80)), ((720, 1280, 3), (45, 80)), ((480, 640), (60, 80))],
)
def test_thumbnail_is_small_and_gray(shape, expected) -> None:
    thumb = thumbnail(np.zeros(shape, np.uint8))
    assert thumb is not None and thumb.shape == expected and thumb.dtype == np.uint8


@pytest.mark.parametrize(
    "frame",
    [None, "frame", np.zeros((0, 0), np.uint8), np.zeros((4, 4), np.float32)],
    ids=repr,
)
def test_non_images_are_always_passed_to_the_decoder(frame) -> None:
    gate = MotionGate(clock=lambda: 0.0)
    for _ in range(3):
        assert gate.admit(frame)
        gate.report(False)
    assert thumbnail(frame) is None
