"""Tell a USB keyboard-wedge barcode scanner from a person typing, key by key, without Qt.

A wedge scanner "types" the code as a burst of key presses a few ms apart, then Enter; people
type 80+ ms apart. The Qt event filter feeds every key press to :meth:`WedgeParser.feed` and
does what the returned :class:`WedgeEvent` says: first re-deliver ``event.release`` (keys it
held back earlier) to normal handling, then apply ``event.action`` to the current key.

Timing rules (``gap`` = time since the previous key press):

* A printable key always starts or extends a held-back burst (``SWALLOW``), unless ``gap`` >
  ``max_gap_ms``: then the burst so far was a person (released) and this key starts a new one.
* Enter (``"\\r"`` or ``"\\n"``) with ``gap`` <= ``max_gap_ms`` and a burst of >= ``min_length``
  keys completes a scan (``CODE``, Enter swallowed). Otherwise the burst is released and Enter
  passes through (``PASS``).
* Any other key (Tab, Backspace, arrows as "") releases the burst and passes through.
* A burst that stops without Enter is a person or a stuck key: :meth:`WedgeParser.flush`,
  called from a timer ``max_gap_ms`` after the last swallowed key, returns it for release.
* A burst longer than ``max_length`` is released (nothing scans that long).

A person's keys are therefore delayed by at most ``max_gap_ms`` (unnoticeable), and a scan
never reaches the focused text field.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

ENTER_KEYS = frozenset({"\r", "\n"})


class WedgeAction(enum.Enum):
    SWALLOW = "swallow"  # hold the current key back; it may be released later
    PASS = "pass"  # deliver the current key normally
    CODE = "code"  # the current key (Enter) completed a scan: swallow it, handle event.code


@dataclass(frozen=True)
class WedgeEvent:
    """The parser's verdict on one key press."""

    action: WedgeAction
    release: str = ""  # held-back keys to re-deliver, in order, before handling the current key
    code: str | None = None


class WedgeParser:
    """Stateful per-keyboard parser; timestamps are in ms (``QKeyEvent.timestamp()``)."""

    def __init__(self, max_gap_ms: float = 40, min_length: int = 6, max_length: int = 4096):
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.max_length = max_length
        self._buffer: list[str] = []
        self._last_ms: float | None = None

    @property
    def pending(self) -> str:
        """Keys currently held back."""
        return "".join(self._buffer)

    def feed(self, char: str, timestamp_ms: float) -> WedgeEvent:
        fast = self._last_ms is not None and timestamp_ms - self._last_ms <= self.max_gap_ms
        self._last_ms = timestamp_ms
        if char in ENTER_KEYS:
            if fast and len(self._buffer) >= self.min_length:
                return WedgeEvent(WedgeAction.CODE, code=self._take())
            return WedgeEvent(WedgeAction.PASS, release=self._take())
        if len(char) != 1 or not char.isprintable():
            return WedgeEvent(WedgeAction.PASS, release=self._take())
        release = "" if fast else self._take()
        self._buffer.append(char)
        if len(self._buffer) > self.max_length:
            return WedgeEvent(WedgeAction.PASS, release=release + self._take()[:-1])
        return WedgeEvent(WedgeAction.SWALLOW, release=release)

    def flush(self, now_ms: float) -> str:
        """Release a burst that went quiet without Enter; returns "" if it may still continue."""
        if self._last_ms is None or now_ms - self._last_ms <= self.max_gap_ms:
            return ""
        return self._take()

    def reset(self) -> str:
        """Drop state (e.g. focus changed) and return whatever was held back."""
        self._last_ms = None
        return self._take()

    def _take(self) -> str:
        text = "".join(self._buffer)
        self._buffer.clear()
        return text
