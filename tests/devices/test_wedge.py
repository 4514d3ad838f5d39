from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.wedge import WedgeAction, WedgeEvent, WedgeParser

CODE = "YZ1:ABCDEF234567"


def type_keys(parser: WedgeParser, keys: str, start: float, gap: float) -> list[WedgeEvent]:
    return [parser.feed(k, start + i * gap) for i, k in enumerate(keys)]


def test_fast_burst_with_enter_is_a_scan_and_nothing_leaks() -> None:
    p = WedgeParser(max_gap_ms=40, min_length=6)
    events = type_keys(p, CODE + "\r", start=1000, gap=8)
    assert all(e.action is WedgeAction.SWALLOW and e.release == "" for e in events[:-1])
    assert events[-1] == WedgeEvent(WedgeAction.CODE, code=CODE)
    assert p.pending == ""


def test_newline_also_terminates() -> None:
    p = WedgeParser()
    assert type_keys(p, CODE + "\n", 0, 5)[-1].code == CODE


def test_slow_human_typing_is_released_and_enter_passes() -> None:
    p = WedgeParser(max_gap_ms=40, min_length=6)
    events = type_keys(p, "hello\r", start=0, gap=150)
    released = "".join(e.release for e in events)
    assert released == "hello"
    assert events[-1].action is WedgeAction.PASS
    assert all(e.code is None for e in events)


def test_burst_without_enter_is_released_by_flush() -> None:
    p = WedgeParser(max_gap_ms=40)
    type_keys(p, "ABCDEFGH", start=0, gap=5)
    assert p.flush(now_ms=35 + 20) == ""  # still inside the gap: might continue
    assert p.flush(now_ms=35 + 41) == "ABCDEFGH"
    assert p.pending == ""


def test_short_fast_burst_with_enter_is_not_a_scan() -> None:
    p = WedgeParser(min_length=6)
    events = type_keys(p, "ok\r", 0, 10)
    assert events[-1] == WedgeEvent(WedgeAction.PASS, release="ok")


def test_enter_after_a_pause_is_not_a_scan() -> None:
    p = WedgeParser(max_gap_ms=40)
    type_keys(p, CODE, 0, 5)
    event = p.feed("\r", 5 * len(CODE) + 500)
    assert event == WedgeEvent(WedgeAction.PASS, release=CODE)


def test_scan_right_after_typing_keeps_its_first_character() -> None:
    p = WedgeParser(max_gap_ms=40)
    typed = type_keys(p, "hi", 0, 200)
    events = type_keys(p, CODE + "\r", 1000, 5)
    assert "".join(e.release for e in typed) + events[0].release == "hi"
    assert events[-1].code == CODE


def test_control_keys_release_and_pass() -> None:
    p = WedgeParser()
    type_keys(p, "abc", 0, 5)
    assert p.feed("\t", 20) == WedgeEvent(WedgeAction.PASS, release="abc")
    assert p.feed("", 25) == WedgeEvent(WedgeAction.PASS)


def test_overlong_burst_is_released() -> None:
    p = WedgeParser(max_length=10)
    events = type_keys(p, "x" * 11, 0, 1)
    assert events[-1] == WedgeEvent(WedgeAction.PASS, release="x" * 10)


@given(
    st.lists(
        st.tuples(st.sampled_from("ab1:\r\t"), st.floats(0, 200, allow_nan=False)), max_size=60
    )
)
def test_no_key_is_ever_lost(keys) -> None:
    """Every key ends up delivered, released, or inside a reported code (+ its Enter)."""
    p = WedgeParser(max_gap_ms=40, min_length=3)
    now, delivered = 0.0, []
    for char, gap in keys:
        now += gap
        event = p.feed(char, now)
        delivered.append(event.release)
        if event.action is WedgeAction.PASS:
            delivered.append(char)
        elif event.action is WedgeAction.CODE:
            delivered.append(event.code + char)
    delivered.append(p.flush(now + 1000))
    assert "".join(delivered) == "".join(c for c, _ in keys)
