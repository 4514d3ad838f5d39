"""``kiosk enroll``, ``kiosk sync``, ``kiosk sync-status`` and ``kiosk sync-quarantine``.

Thin, like the other commands: they call :mod:`kiosk.sync` and print. ``sync`` without
``--once`` keeps syncing every ``sync.interval_seconds`` (backing off while the hub is
away) until interrupted.
"""

from __future__ import annotations

import argparse
import threading
from dataclasses import asdict

from kiosk.cli.output import Output
from kiosk.core.errors import StationError
from kiosk.core.health import DEFAULT_RESERVE_MB, DiskStatus, disk_status
from kiosk.core.station import StationService
from kiosk.sync.client import SyncClient
from kiosk.sync.downloads import DownloadState, Item, unfinished
from kiosk.sync.engine import Outcome, RunResult, SyncEngine
from kiosk.sync.enrolment import enroll
from kiosk.sync.state import SyncStatus, quarantined_events, status
from kiosk.sync.transport import SyncError


def cmd_enroll(station: StationService, args: argparse.Namespace, out: Output) -> int:
    try:
        response = enroll(station, args.hub_url, args.code, again=args.again)
    except SyncError as e:
        raise StationError(f"enrolment failed: {e}") from None
    out.emit(
        {
            "hub_station_id": response.station_id,
            "name": response.station_name,
            "hub_url": args.hub_url,
            "keys": len(response.keyring),
        },
        f"enrolled as {response.station_name} ({response.station_id}) at {args.hub_url}; "
        f"{len(response.keyring)} station key(s) known",
    )
    return 0


def _emit_run(result: RunResult, out: Output) -> None:
    record: dict[str, object] = {"outcome": result.outcome.value, "error": result.error}
    if result.report is not None:
        record |= {
            "push": asdict(result.report.push),
            "pull": asdict(result.report.pull),
            "downloads": asdict(result.report.downloads),
        }
    if result.outcome is Outcome.FAILED:
        record["retry_in"] = round(result.retry_in, 1)
    if result.report is not None:
        push, pull = result.report.push, result.report.pull
        human = (
            f"synced: {push.accepted} accepted, {push.duplicate} duplicate, "
            f"{push.rejected} quarantined; {pull.keys_changed} key(s), "
            f"{pull.people_changed} person(s), {pull.badges_changed} badge(s), "
            f"{pull.announcements_changed} announcement(s) updated"
        )
        if pull.resynced:
            human += (
                f"; full resync removed {pull.removed_people} person(s), "
                f"{pull.removed_keys} key(s), {pull.removed_announcements} announcement(s)"
            )
        got = result.report.downloads
        if got.installed or got.removed or got.failed or got.pending:
            human += (
                f"; packages: {got.installed} installed, {got.removed} removed, "
                f"{got.failed} failed, {got.pending} waiting"
            )
    else:
        human = f"{result.outcome.value}: {result.error or ''}".rstrip(": ")
    out.emit(record, human)


def cmd_sync(
    station: StationService,
    args: argparse.Namespace,
    out: Output,
    stop: threading.Event | None = None,
) -> int:
    client = SyncClient(station)
    engine = SyncEngine(client)
    stop = stop or threading.Event()
    try:
        if args.once:
            result = engine.run_once(force=True)
            _emit_run(result, out)
            return 0 if result.outcome is Outcome.SYNCED else 1
        interval = float(station.setting("sync.interval_seconds"))
        while not stop.is_set():
            result = engine.run_once()
            if result.outcome is not Outcome.WAITING:
                _emit_run(result, out)
            if result.outcome is Outcome.REVOKED:
                return 1
            stop.wait(result.retry_in if result.outcome is not Outcome.SYNCED else interval)
        return 0
    finally:
        client.close()


def _download_lines(items: list[Item]) -> list[str]:
    lines = []
    for i in items:
        if i.state == DownloadState.FAILED:
            lines.append(f"  failed   {i.material_id} v{i.version}: {i.last_error or '-'}")
        else:
            note = f" (last error: {i.last_error})" if i.last_error else ""
            lines.append(f"  waiting  {i.material_id} v{i.version} {i.bytes_done}/{i.size} B{note}")
    return lines


def station_disk(station: StationService) -> DiskStatus:
    reserve = station.all_settings().get("disk.reserve_mb", DEFAULT_RESERVE_MB)
    return disk_status(station.paths.data_dir, float(reserve))


def cmd_sync_status(station: StationService, args: argparse.Namespace, out: Output) -> int:
    info = station.worker.call(lambda: _status(station))
    downloads = station.worker.call(lambda: _downloads(station))
    failed = sum(1 for i in downloads if i.state == DownloadState.FAILED)
    disk = station_disk(station)
    record = (
        asdict(info)
        | {
            "downloads_pending": len(downloads) - failed,
            "downloads_failed": failed,
            "downloads": [asdict(i) for i in downloads],
        }
        | disk.as_dict()
    )
    disk_line = (
        f"disk:          {disk.free_mb} MB free, reserve {disk.reserve_bytes // 1_000_000} MB"
        + ("  LOW — check-ins go on, the log file is paused; free some space" if disk.low else "")
    )
    if not info.enrolled:
        human = f"not enrolled; {info.pending} event(s) waiting\n{disk_line}"
    else:
        offset = info.clock_offset_seconds
        human = "\n".join(
            [
                f"hub station:   {info.hub_station_id}"
                + ("  REVOKED — sync stopped, events kept" if info.revoked_at else ""),
                f"pending:       {info.pending}",
                f"quarantined:   {info.quarantined}",
                f"last success:  {info.last_success_at or 'never'}",
                f"last error:    {info.last_error or '-'}",
                f"cursor:        {info.cursor or '-'}",
                f"clock offset:  {'-' if offset is None else f'{offset:+.1f} s'}",
                f"packages:      {len(downloads) - failed} to download, {failed} failed",
                *_download_lines(downloads),
                disk_line,
            ]
        )
    out.emit(record, human)
    return 0


def cmd_sync_quarantine(station: StationService, args: argparse.Namespace, out: Output) -> int:
    """Export quarantined events (one JSON object each): the keeper forwards them by hand."""
    for record in station.worker.call(lambda: _quarantined(station)):
        out.emit(record, f"#{record['seq']} {record['type']}  {record['reason']}")
    return 0


def _status(station: StationService) -> SyncStatus:
    with station.db.read() as s:
        return status(s)


def _downloads(station: StationService) -> list[Item]:
    with station.db.read() as s:
        return unfinished(s)


def _quarantined(station: StationService) -> list[dict[str, object]]:
    with station.db.read() as s:
        return quarantined_events(s)


SYNC_HANDLERS = {
    "enroll": cmd_enroll,
    "sync": cmd_sync,
    "sync-status": cmd_sync_status,
    "sync-quarantine": cmd_sync_quarantine,
}
