"""设备状态: the station's health at a glance, red/amber/green (issue 15), Qt-free.

The camera's state, resolution and frames per second, the last code it read and the USB
scanner's last code come from the screen (the scanner thread and the wedge report there);
everything else is read here: disk free, database size, the last backup, clock and the offset
the hub measured, events waiting to sync, app version and uptime.
"""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path

from kiosk.core.i18n import QT_TRANSLATE_NOOP

GB = 1024**3
MB = 1024**2
DISK_AMBER, DISK_RED = 2 * GB, 500 * MB
CLOCK_AMBER_S = 120  # the issue: a warning above 2 minutes
PENDING_AMBER, PENDING_RED = 500, 20_000
SYNC_AGE_AMBER = timedelta(days=1)
BACKUP_AMBER, BACKUP_RED = timedelta(hours=36), timedelta(days=7)  # one is made every day


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"  # nothing to judge (not enrolled, no camera configured)


@dataclass(frozen=True)
class StatusRow:
    key: str
    label: str  # marked for translation, context "KeeperMessages"
    value: str
    level: Level


LABELS = {
    "camera": QT_TRANSLATE_NOOP("KeeperMessages", "摄像头"),
    "last_code": QT_TRANSLATE_NOOP("KeeperMessages", "摄像头最近读到"),
    "scanner": QT_TRANSLATE_NOOP("KeeperMessages", "扫码枪最近使用"),
    "backup": QT_TRANSLATE_NOOP("KeeperMessages", "最近备份"),
    "disk": QT_TRANSLATE_NOOP("KeeperMessages", "磁盘剩余"),
    "database": QT_TRANSLATE_NOOP("KeeperMessages", "数据库大小"),
    "clock": QT_TRANSLATE_NOOP("KeeperMessages", "时钟"),
    "sync": QT_TRANSLATE_NOOP("KeeperMessages", "待同步事件"),
    "version": QT_TRANSLATE_NOOP("KeeperMessages", "程序版本"),
    "uptime": QT_TRANSLATE_NOOP("KeeperMessages", "已运行"),
}
TEXT = {
    "camera_ok": QT_TRANSLATE_NOOP("KeeperMessages", "正常"),
    "camera_off": QT_TRANSLATE_NOOP("KeeperMessages", "未连接"),
    "offset": QT_TRANSLATE_NOOP("KeeperMessages", "与中心相差 {seconds} 秒"),
    "no_offset": QT_TRANSLATE_NOOP("KeeperMessages", "未与中心对时"),
    "not_enrolled": QT_TRANSLATE_NOOP("KeeperMessages", "未接入中心"),
    "pending": QT_TRANSLATE_NOOP("KeeperMessages", "{n} 条"),
    "uptime": QT_TRANSLATE_NOOP("KeeperMessages", "{hours} 小时 {minutes} 分"),
    "frames": QT_TRANSLATE_NOOP("KeeperMessages", "{width}×{height}，每秒 {fps} 帧"),
    "not_yet": QT_TRANSLATE_NOOP("KeeperMessages", "本次开机后还没有"),
    "no_backup": QT_TRANSLATE_NOOP("KeeperMessages", "还没有备份"),
}


def size_text(n: float) -> str:
    for unit, size in (("GB", GB), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def database_size(database: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            total += (database.parent / (database.name + suffix)).stat().st_size
    return total


def device_status(
    *,
    data_dir: Path,
    database: Path,
    now: datetime,
    started_at: datetime,
    camera: tuple[bool, str] | None,
    enrolled: bool,
    pending: int,
    clock_offset_seconds: float | None,
    last_sync: datetime | None,
    version: str,
    tz: tzinfo | None = None,
    translate=lambda _context, text: text,
    camera_frames: tuple[int, int, float] | None = None,
    last_code_at: datetime | None = None,
    scanner_seen_at: datetime | None = None,
    last_backup: datetime | None = None,
) -> list[StatusRow]:
    """The rows, in order. ``camera_frames``: (width, height, frames per second) of the
    running camera; ``last_code_at``/``scanner_seen_at``: the last code the camera read and
    the last the USB scanner sent (since the kiosk started); ``last_backup``: the newest
    backup in ``<data dir>/backups/``."""

    def t(key: str) -> str:
        return translate("KeeperMessages", TEXT[key])

    def row(key: str, value: str, level: Level) -> StatusRow:
        return StatusRow(key, translate("KeeperMessages", LABELS[key]), value, level)

    rows = []
    if camera is None:
        rows.append(row("camera", t("camera_off"), Level.NONE))
    else:
        ok, message = camera
        rows.append(
            row(
                "camera",
                t("camera_ok") if ok else (message or t("camera_off")),
                Level.GREEN if ok else Level.RED,
            )
        )
    if camera_frames is not None and camera is not None and camera[0]:
        width, height, fps = camera_frames
        value = (
            rows[-1].value
            + " · "
            + t("frames").format(width=width, height=height, fps=f"{fps:.0f}")
        )
        rows[-1] = StatusRow(rows[-1].key, rows[-1].label, value, rows[-1].level)
    local_time = lambda at: f"{at.astimezone(tz):%m-%d %H:%M:%S}"  # noqa: E731
    for key, at in (("last_code", last_code_at), ("scanner", scanner_seen_at)):
        seen = at is not None
        rows.append(
            row(key, local_time(at) if seen else t("not_yet"), Level.GREEN if seen else Level.NONE)
        )
    if last_backup is None:
        rows.append(row("backup", t("no_backup"), Level.AMBER))
    else:
        age = now - last_backup
        level = (
            Level.RED if age > BACKUP_RED else Level.AMBER if age > BACKUP_AMBER else Level.GREEN
        )
        rows.append(row("backup", f"{last_backup.astimezone(tz):%Y-%m-%d %H:%M}", level))
    try:
        free = shutil.disk_usage(data_dir).free
        disk = Level.GREEN if free >= DISK_AMBER else Level.AMBER if free >= DISK_RED else Level.RED
        rows.append(row("disk", size_text(free), disk))
    except OSError:
        rows.append(row("disk", "?", Level.RED))
    rows.append(row("database", size_text(database_size(database)), Level.NONE))
    local = now.astimezone(tz)
    if clock_offset_seconds is None:
        rows.append(row("clock", f"{local:%Y-%m-%d %H:%M} · {t('no_offset')}", Level.NONE))
    else:
        off = round(clock_offset_seconds)
        level = Level.AMBER if abs(off) > CLOCK_AMBER_S else Level.GREEN
        rows.append(
            row("clock", f"{local:%Y-%m-%d %H:%M} · " + t("offset").format(seconds=off), level)
        )
    if not enrolled:
        rows.append(row("sync", t("not_enrolled"), Level.NONE))
    else:
        level = Level.GREEN
        if pending >= PENDING_RED:
            level = Level.RED
        elif pending >= PENDING_AMBER or (
            pending and (last_sync is None or now - last_sync > SYNC_AGE_AMBER)
        ):
            level = Level.AMBER
        rows.append(row("sync", t("pending").format(n=pending), level))
    rows.append(row("version", version, Level.NONE))
    up = max(now - started_at, timedelta())
    hours, rest = divmod(int(up.total_seconds()), 3600)
    rows.append(row("uptime", t("uptime").format(hours=hours, minutes=rest // 60), Level.NONE))
    return rows
