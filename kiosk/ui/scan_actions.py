"""What a worker can do right after a scan: the greeting screen's action buttons.

The greeting screen renders a list of :class:`ScanAction` (big buttons under the greeting);
where they come from is open: each feature registers an :class:`ActionProvider` in
``window.scan_actions.providers`` and, when a greeting is shown, offers the actions that
apply to it (the activity sign-in "参加【title】" of ``ui/activity_flow.py``; another feature
adds its own provider the same way). Providers may answer later (after a station call): an
action offered for a greeting that is no longer showing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject

from kiosk.core.results import Greeting, Method, Outcome, ScanResult
from kiosk.screen_names import Screen

if TYPE_CHECKING:
    from kiosk.ui.window import MainWindow


@dataclass(frozen=True)
class ScanContext:
    """A greeting being shown, and the badge text when it came from a badge scan."""

    result: ScanResult
    code: str | None = None  # None for a name pick or a trade tap
    method: Method = Method.MANUAL

    @property
    def named(self) -> bool:
        """A verified person was greeted (not a refusal, a trade visit or a foreign badge)."""
        r = self.result
        return (
            r.outcome is not Outcome.REFUSED and r.greeting is Greeting.PERSON and bool(r.person_id)
        )


@dataclass(frozen=True)
class ScanAction:
    key: str  # stable: the button's objectName is ``ScanAction_<key>``
    text: str
    run: Callable[[], None]
    tone: str = "accent"


class ActionProvider(Protocol):
    def offer(self, scan: ScanContext, add: Callable[[ScanAction], None]) -> None:
        """Call ``add`` (now or later) with each action that applies to ``scan``."""


class ScanActions(QObject):
    """Asks every provider for actions whenever the window shows a greeting."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.providers: list[ActionProvider] = []
        window.greeting_shown.connect(self._on_greeting)

    def _on_greeting(self, result: ScanResult) -> None:
        greeting = self.window.greeting
        greeting.set_actions([])
        code: tuple[Any, ...] = ()
        last = getattr(self.window.bridge, "last_badge", None)
        if last is not None and last[0] is result:  # the very result of this badge scan
            code = last[1:]
        scan = ScanContext(result, *code)
        for provider in self.providers:
            provider.offer(scan, lambda action, r=result: self._add(r, action))

    def _add(self, result: ScanResult, action: ScanAction) -> None:
        w = self.window
        if w.current is not Screen.GREETING or w.greeting.result is not result:
            return  # the greeting it was meant for is gone
        w.greeting.add_action(action)
        w.idle.arm(max(w.timing.idle_ms, w.timing.greeting_ms))  # time to read and tap
