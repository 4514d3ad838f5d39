"""The one way services run work on the station's database thread.

``StationService`` and ``StudyService`` (and the parts ``StationService`` is made of) run
every operation as one transaction on the single database thread (``store/worker.py``):
``_write`` in ``BEGIN IMMEDIATE`` with the clock's current instant, ``_read`` in a read
transaction. Each returns only after its transaction has ended, so a result the caller shows
is already durable.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from kiosk.store.db import Database
from kiosk.store.worker import DbWorker

T = TypeVar("T")


class OnDbThread:
    """A base for services: subclasses provide ``db``, ``worker`` and ``_now``."""

    db: Database
    worker: DbWorker

    def _now(self) -> datetime:
        raise NotImplementedError

    def _write(self, fn: Callable[[Session, datetime], T]) -> T:
        def run() -> T:
            with self.db.write() as session:
                return fn(session, self._now())

        return self.worker.call(run)

    def _read(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.db.read() as session:
                return fn(session)

        return self.worker.call(run)
