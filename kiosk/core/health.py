"""The station's own health: free disk against a reserve, and what it reports to the hub.

Qt-free and cheap (no SQLAlchemy): the log handler asks it too. When free space drops
below ``disk.reserve_mb`` the kiosk keeps greeting and recording (SQLite goes on writing
until the disk is truly full, and a full disk fails a transaction whole, never half), but
it stops writing its log file first and warns the keeper on the admin page and in
``kiosk sync-status``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_RESERVE_MB = 200
MB = 1_000_000

FreeSpace = Callable[[Path], int]


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged writer may still use on ``path``'s file system."""
    while not path.exists() and path.parent != path:
        path = path.parent
    stats = os.statvfs(path)
    return stats.f_bavail * stats.f_frsize


@dataclass(frozen=True)
class DiskStatus:
    free_bytes: int
    reserve_bytes: int

    @property
    def low(self) -> bool:
        return self.free_bytes < self.reserve_bytes

    @property
    def free_mb(self) -> int:
        return self.free_bytes // MB

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "disk_free_mb": self.free_mb,
            "disk_reserve_mb": self.reserve_bytes // MB,
            "disk_low": self.low,
        }


def disk_status(path: Path, reserve_mb: float, free: FreeSpace = free_bytes) -> DiskStatus:
    return DiskStatus(free(path), int(reserve_mb * MB))


def health_report(
    data_dir: Path, reserve_mb: float, camera: str, free: FreeSpace = free_bytes
) -> dict[str, object]:
    """The station's health as sent upstream each sync (``sync.protocol.StationHealth``)."""
    from kiosk import __version__
    from kiosk.store.backup import last_backup_at

    disk = disk_status(data_dir, reserve_mb, free)
    return {
        "app_version": __version__,
        "disk_free_mb": disk.free_mb,
        "disk_low": disk.low,
        "camera": camera,
        "last_backup_at": last_backup_at(data_dir),
    }
