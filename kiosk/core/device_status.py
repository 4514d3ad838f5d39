"""设备状态: the station's health at a glance, red/amber/green (issue 15), Qt-free.

The camera's state comes from the screen (the scanner thread reports it there); everything
else is read here: disk free, database size, clock and the offset the hub measured, events
waiting to sync, app version and uptime.
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
) -> list[StatusRow]:
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
