"""The station looks after itself while the touchscreen runs: free disk and the daily backup.

A GUI-thread timer starts a check each minute on a short-lived thread of its own (not the
database thread: scans must not wait for it): free disk against ``disk.reserve_mb``
(reported by ``disk_checked``, and handed to the log file's filter, which stops writing
first), then :func:`kiosk.store.backup.daily_backup`, which does nothing when today's backup
exists — and is skipped on a low disk, where a copy of the database would eat the reserve
that check-ins need. Errors are logged, never raised.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.core.health import DEFAULT_RESERVE_MB, DiskStatus, FreeSpace, disk_status, free_bytes
from kiosk.logs import set_disk_reserve
from kiosk.store.backup import BackupError, daily_backup

log = logging.getLogger(__name__)

CHECK_MS = 60_000


class Housekeeping(QObject):
    disk_checked = Signal(object)
    """A :class:`kiosk.core.health.DiskStatus`, after every check (on the GUI thread)."""

    def __init__(
        self, station: Any, parent: QObject | None = None, free: FreeSpace = free_bytes
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.free = free
        self.last_disk: DiskStatus | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.run_now)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.timer.start()
        self.run_now()

    def run_now(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._work, name="kiosk-housekeeping")
        self._thread.start()

    def _work(self) -> None:
        paths = self.station.paths
        try:
            reserve = float(self.station.all_settings().get("disk.reserve_mb", DEFAULT_RESERVE_MB))
            disk = disk_status(paths.data_dir, reserve, self.free)
        except Exception:  # a closing station, an unreadable folder: next minute again
            log.warning("disk check failed", exc_info=True)
            return
        set_disk_reserve(reserve)
        if disk.low and (self.last_disk is None or not self.last_disk.low):
            log.warning("free disk %d MB is below the reserve of %d MB", disk.free_mb, reserve)
        self.last_disk = disk
        self.disk_checked.emit(disk)
        if disk.low:
            return
        try:
            daily_backup(paths.database, paths.data_dir, datetime.now(UTC))
        except (BackupError, OSError) as e:
            log.error("daily backup failed: %s", e)

    def stop(self) -> None:
        self.timer.stop()
        if self._thread is not None:
            self._thread.join(120)
