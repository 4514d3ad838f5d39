"""The words for sync state: the welcome indicator and the admin page's details."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication

from kiosk.qtglue.sync import SyncState, SyncView


def _hm(moment: datetime | None, tz: tzinfo) -> str:
    return "" if moment is None else f"{moment.astimezone(tz):%H:%M}"


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return "—" if moment is None else f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"


def indicator(view: SyncView, tz: tzinfo) -> tuple[str, str]:
    """(text, tone) for the small indicator; tone is ok / busy / off / warn for the QSS."""
    match view.state:
        case SyncState.NOT_ENROLLED:
            return QCoreApplication.translate("Sync", "未连接"), "off"
        case SyncState.REVOKED:
            return QCoreApplication.translate("Sync", "同步已停用"), "warn"
        case SyncState.OFFLINE:
            return QCoreApplication.translate("Sync", "离线（自 {time}）").format(
                time=_hm(view.offline_since, tz)
            ), "warn"
        case SyncState.PENDING:
            return QCoreApplication.translate("Sync", "{n} 条待上传").format(n=view.pending), "busy"
        case SyncState.SYNCED:
            return QCoreApplication.translate("Sync", "已同步"), "ok"
    raise AssertionError(view.state)


def details(view: SyncView, tz: tzinfo) -> list[tuple[str, str]]:
    """(label, value) rows for the admin page."""
    offset = view.clock_offset_seconds
    text, _tone = indicator(view, tz)
    return [
        (QCoreApplication.translate("Sync", "状态"), text),
        (
            QCoreApplication.translate("Sync", "上级平台"),
            view.hub_url or QCoreApplication.translate("Sync", "未设置"),
        ),
        (QCoreApplication.translate("Sync", "待上传"), str(view.pending)),
        (QCoreApplication.translate("Sync", "已隔离"), str(view.quarantined)),
        (QCoreApplication.translate("Sync", "上次成功"), _when(view.last_success_at, tz)),
        (QCoreApplication.translate("Sync", "上次错误"), view.last_error or "—"),
        (
            QCoreApplication.translate("Sync", "时钟偏差"),
            "—"
            if offset is None
            else QCoreApplication.translate("Sync", "{s} 秒").format(s=f"{offset:+.1f}"),
        ),
    ]
