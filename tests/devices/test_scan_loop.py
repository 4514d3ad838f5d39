from __future__ import annotations

import threading

import numpy as np

from kiosk.devices.frames import MemoryFrameSource
from kiosk.devices.scan_loop import ScanLoop
from kiosk.devices.stability import StableCodeFilter


class StepClock:
    """Advances 1/15 s per call of the filter: frames as a 15 fps camera would deliver them."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1 / 15
        return self.now


def run_loop(frames, decoder, **kwargs) -> tuple[list[str], list[Exception], ScanLoop]:
    codes: list[str] = []
    errors: list[Exception] = []
    stable = kwargs.pop("stable", None) or StableCodeFilter(min_frames=2, clock=StepClock())
    loop = ScanLoop(
        MemoryFrameSource(frames),
        decoder,
        stable,
        on_code=codes.append,
        on_error=errors.append,
        fps=0,
        **kwargs,
    )
    run_to_end(loop)
    return codes, errors, loop


def run_to_end(loop: ScanLoop) -> None:
    """run() must return by itself once the memory source is finished; fail, don't hang."""
    stop = threading.Event()
    worker = threading.Thread(target=loop.run, args=(stop,), daemon=True)
    worker.start()
    worker.join(timeout=10)
    stop.set()
    assert not worker.is_alive(), "ScanLoop.run() did not return at the end of the source"
    worker.join(timeout=2)


def test_badge_fires_once_while_in_view_and_again_after_returning(
    badge_frame, idle_frame, payload, decoder
) -> None:
    frames = [badge_frame] * 6 + [idle_frame] * 30 + [badge_frame] * 6  # 2 s away
    codes, errors, loop = run_loop(frames, decoder)
    assert codes == [payload, payload]
    assert errors == [] and loop.frames_read == len(frames)


def test_brief_dropout_and_camera_hiccups_do_not_refire(
    badge_frame, idle_frame, payload, decoder
) -> None:
    frames = [badge_frame] * 4 + [idle_frame] * 5 + [None] * 3 + [badge_frame] * 4
    codes, _, loop = run_loop(frames, decoder)
    assert codes == [payload]
    assert loop.frames_read == len(frames) - 3


def test_errors_are_reported_and_the_loop_carries_on(badge_frame, payload, decoder) -> None:
    calls = {"n": 0}

    class Flaky:
        def decode(self, frame: np.ndarray) -> list[str]:
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("decoder hiccup")
            return decoder.decode(frame)

    def on_frame(frame: np.ndarray) -> None:
        raise ValueError("preview widget gone")

    codes, errors, _ = run_loop([badge_frame] * 4, Flaky(), on_frame=on_frame)
    assert codes == [payload]
    assert [type(e) for e in errors] == [ValueError, RuntimeError] + [ValueError] * 3


def test_failing_on_code_does_not_kill_the_loop(badge_frame) -> None:
    class TwoCodes:
        def decode(self, frame: np.ndarray) -> list[str]:
            return ["A", "B"]

    got: list[str] = []

    def on_code(code: str) -> None:
        got.append(code)
        if code == "A":
            raise KeyError("no such badge")

    errors: list[Exception] = []
    stable = StableCodeFilter(min_frames=1, clock=StepClock())
    source = MemoryFrameSource([badge_frame] * 3)
    run_to_end(ScanLoop(source, TwoCodes(), stable, on_code, on_error=errors.append, fps=0))
    assert got == ["A", "B"]
    assert len(errors) == 1 and isinstance(errors[0], KeyError)


def test_stop_event_ends_an_endless_source_from_another_thread(idle_frame, decoder) -> None:
    stop = threading.Event()
    source = MemoryFrameSource([idle_frame], loop=True)
    loop = ScanLoop(source, decoder, StableCodeFilter(), on_code=lambda c: None, fps=200)
    worker = threading.Thread(target=loop.run, args=(stop,))
    worker.start()
    while loop.frames_read < 3:
        stop.wait(0.01)
    stop.set()
    worker.join(timeout=2)
    assert not worker.is_alive()


def test_pacing_waits_on_the_stop_event(idle_frame) -> None:
    class Decoder:
        def decode(self, frame: np.ndarray) -> list[str]:
            return []

    waits: list[float | None] = []

    class RecordingStop(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout)
            return False

    source = MemoryFrameSource([idle_frame] * 3)
    ScanLoop(source, Decoder(), StableCodeFilter(), lambda c: None, fps=10).run(RecordingStop())
    assert len(waits) == 3 and all(0.05 < w <= 0.1 for w in waits)
