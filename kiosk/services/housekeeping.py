"""The station looks after itself while the touchscreen runs: the daily database backup.

An hourly GUI-thread timer starts :func:`kiosk.store.backup.daily_backup` on a short-lived
thread of its own (not the database thread: a backup only reads, and scans must not wait
for it); it does nothing when today's backup exists. Errors are logged, never raised.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

HOUR_MS = 3_600_000


class Housekeeping(QObject):
    def __init__(self, database: Path, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.data_dir = data_dir
        self.timer = QTimer(self)
        self.timer.setInterval(HOUR_MS)
        self.timer.timeout.connect(self.run_now)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.timer.start()
        self.run_now()

    def run_now(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._work, name="kiosk-backup")
        self._thread.start()

    def _work(self) -> None:
        from kiosk.store.backup import BackupError, daily_backup

        try:
            daily_backup(self.database, self.data_dir, datetime.now(UTC))
        except (BackupError, OSError) as e:
            log.error("daily backup failed: %s", e)

    def stop(self) -> None:
        self.timer.stop()
        if self._thread is not None:
            self._thread.join(120)
