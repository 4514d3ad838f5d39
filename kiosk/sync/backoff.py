"""When to try the hub again: exponential backoff with full jitter, honouring Retry-After.

Full jitter (a uniform draw between 0 and the exponential cap) spreads a thousand stations
that lost the hub at the same moment, so they do not all come back at once. Qt-free; the
random source and the monotonic clock are injectable for tests.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable


class Backoff:
    def __init__(
        self,
        base: float = 2.0,
        cap: float = 600.0,
        *,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.cap = base, cap
        self._rand, self._clock = rand, clock
        self.failures = 0
        self._not_before = 0.0

    def failed(self, retry_after: float | None = None) -> float:
        """Record a failure; returns the delay before the next attempt."""
        ceiling = min(self.cap, self.base * 2**self.failures)
        self.failures += 1
        delay = self._rand() * ceiling
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.cap))
        self._not_before = self._clock() + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self._not_before = 0.0

    def remaining(self) -> float:
        """Seconds until an attempt is allowed (0 when it is)."""
        return max(0.0, self._not_before - self._clock())

    def ready(self) -> bool:
        return self.remaining() == 0.0
