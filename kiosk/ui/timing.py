"""How long the touchscreen's screens stay up, and the clock's zone before the settings come.

Qt-free; the window reads it (``MainWindow.show_screen``, its idle timer and clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from typing import Any

from kiosk.core.results import Outcome, ScanResult
from kiosk.core.settings import SPECS
from kiosk.screen_names import Screen

# Asia/Shanghai, the default zone, has been UTC+8 without daylight saving since 1991: the
# clock is right before the settings arrive, and zoneinfo (~5 ms, it imports sysconfig) is
# imported after the first paint, with the station's own zone.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


@dataclass
class Timing:
    """How long screens stay up; tests shorten these instead of sleeping."""

    idle_ms: int = SPECS["ui.idle_seconds"].default * 1000  # until the settings arrive
    greeting_ms: int = 6_000
    refusal_ms: int = 9_000
    clock_ms: int = 1_000
    idle_from_settings: bool = True  # False: keep idle_ms even when ui.idle_seconds changes

    def timeout_for(self, screen: Screen, payload: Any) -> int:
        """Milliseconds ``screen`` (showing ``payload``) stays up untouched: a refusal stays
        longer, a greeting no longer than any other screen."""
        if screen is Screen.GREETING:
            refused = isinstance(payload, ScanResult) and payload.outcome is Outcome.REFUSED
            limit = self.refusal_ms if refused else self.greeting_ms
            return limit if refused else min(limit, self.idle_ms)
        return self.idle_ms
