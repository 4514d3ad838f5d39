"""Turn per-frame decode results into "a badge was presented" events.

A decoder sees the same badge in every frame for as long as it is held up, misses it in some
frames (blur, glare) and can, rarely, misread noise. :class:`StableCodeFilter` accepts a code
once it was seen in ``min_frames`` consecutive frames, or at once if ``verify`` vouches for it
(a valid badge signature cannot be noise), and then stays quiet about it until it has been out
of view for ``release_seconds``, so short decode drop-outs do not check a person in twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

log = logging.getLogger(__name__)


class StableCodeFilter:
    """Per-instance state only (Electrum's validator shared a mutable class attribute)."""

    def __init__(
        self,
        min_frames: int = 2,
        release_seconds: float = 1.5,
        verify: Callable[[str], bool] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if min_frames < 1:
            raise ValueError("min_frames must be >= 1")
        self.min_frames = min_frames
        self.release_seconds = release_seconds
        self._verify = verify
        self._clock = clock
        self._streak: dict[str, int] = {}  # not yet accepted: consecutive frames seen
        self._last_seen: dict[str, float] = {}  # accepted and not yet released

    def feed(self, codes: Iterable[str]) -> list[str]:
        """Feed one frame's decoded codes; return the codes accepted on this frame."""
        now = self._clock()
        present = list(dict.fromkeys(codes))
        seen = set(present)
        for code in [c for c, t in self._last_seen.items() if c not in seen]:
            if now - self._last_seen[code] >= self.release_seconds:
                del self._last_seen[code]
        self._streak = {c: n for c, n in self._streak.items() if c in seen}

        accepted = []
        for code in present:
            if code in self._last_seen:
                self._last_seen[code] = now
                continue
            streak = self._streak.get(code, 0) + 1
            self._streak[code] = streak
            if streak >= self.min_frames or (streak == 1 and self._verified(code)):
                del self._streak[code]
                self._last_seen[code] = now
                accepted.append(code)
        return accepted

    def reset(self) -> None:
        """Forget everything, e.g. when the check-in screen is re-entered."""
        self._streak.clear()
        self._last_seen.clear()

    def _verified(self, code: str) -> bool:
        if self._verify is None:
            return False
        try:
            return bool(self._verify(code))
        except Exception:
            log.warning(
                "verify() raised for a scanned code; treating it as unverified", exc_info=True
            )
            return False
