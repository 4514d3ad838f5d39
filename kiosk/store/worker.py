"""All database work on one thread.

Like Anki's task manager, every read and write goes through one single-thread executor,
so there are no cross-thread sessions and no "database is locked" between our own threads.
The CLI waits on results with :meth:`DbWorker.call`; Qt services use :meth:`DbWorker.submit`
and hand the result back to the GUI thread by a signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


class DbWorker:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="kiosk-db", initializer=self._remember_thread
        )
        self._thread: threading.Thread | None = None

    def _remember_thread(self) -> None:
        self._thread = threading.current_thread()

    def on_worker_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self._executor.submit(fn, *args, **kwargs)

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the database thread and wait for it, re-raising its error.

        Already on that thread (a submitted function calling another operation), it runs
        inline instead of deadlocking.
        """
        if self.on_worker_thread():
            return fn(*args, **kwargs)
        return self._executor.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
