"""One sync round for whoever schedules it: the CLI loop now, a Qt worker thread later.

``SyncEngine.run_once()`` is Qt-free and blocking; it pushes, then pulls, and decides when
the next attempt is allowed (exponential backoff with full jitter, Retry-After honoured).
A revoked station does not try again: its events stay in the outbox, exportable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.errors import StationError
from kiosk.sync.backoff import Backoff
from kiosk.sync.client import SyncClient, SyncReport
from kiosk.sync.transport import HubUnavailable, StationRevoked, SyncError

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    SYNCED = "synced"
    WAITING = "waiting"  # backing off; nothing was attempted
    FAILED = "failed"  # try again after ``retry_in`` seconds
    REVOKED = "revoked"  # the hub refused this station; sync stopped


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    report: SyncReport | None = None
    error: str | None = None
    retry_in: float = 0.0


class SyncEngine:
    def __init__(self, client: SyncClient, backoff: Backoff | None = None) -> None:
        self.client = client
        self.backoff = backoff or Backoff()

    def run_once(self, force: bool = False) -> RunResult:
        """Push then pull once; ``force`` ignores the backoff (a keeper pressed "sync now")."""
        if self.client.status().revoked_at is not None:
            return RunResult(Outcome.REVOKED, error="station revoked by the hub")
        if not force and not self.backoff.ready():
            return RunResult(Outcome.WAITING, retry_in=self.backoff.remaining())
        try:
            report = self.client.sync_once()
        except StationRevoked as e:
            return RunResult(Outcome.REVOKED, error=str(e))
        except (SyncError, StationError) as e:
            retry_after = e.retry_after if isinstance(e, HubUnavailable) else None
            delay = self.backoff.failed(retry_after)
            return RunResult(Outcome.FAILED, error=str(e), retry_in=delay)
        self.backoff.succeeded()
        return RunResult(Outcome.SYNCED, report=report)
