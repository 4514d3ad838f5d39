"""The keeper's station by touch (issue 15): a part of ``StationService``.

The rules are ``core/keeper.py``; these methods run them on the database thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from kiosk.core import checkin, keeper, keeper_badges
from kiosk.core.admin_pin import PinCheck
from kiosk.core.db_thread import OnDbThread
from kiosk.core.errors import StationError

if TYPE_CHECKING:
    from kiosk.sync.state import SyncStatus

log = logging.getLogger(__name__)


class PinChange(StrEnum):
    CHANGED = "changed"
    WRONG_OLD = "wrong_old"
    MISMATCH = "mismatch"
    INVALID = "invalid"
    LOCKED = "locked"


class KeeperOperations(OnDbThread):
    """The keeper's operations on ``StationService`` (which provides ``paths`` and ``clock``)."""

    def present(self) -> list[keeper.PresentVisit]:
        """在站人员: everyone checked in and not out, newest first."""
        return self._read(keeper.present)

    def keeper_check_out(self, visit_id: str) -> bool:
        """The keeper checks one person out; False if the visit was no longer open."""
        return self._write(lambda s, now: keeper.check_out(s, visit_id, now))

    def close_forgotten_visits(self) -> int:
        """The keeper closes every open visit (end of the day); returns how many."""
        return self._write(keeper.close_forgotten)

    def person_page(self, person_id: str) -> keeper.PersonPage:
        page = self._read(lambda s: keeper.person_page(s, person_id, self.clock.now()))
        if page is None:
            raise StationError(f"no person with id {person_id}")
        return page

    def check_admin_pin(self, pin: str) -> PinCheck:
        """The 管理 PIN, with the lockout; a lock that starts is logged and sent upstream."""
        from kiosk.core.admin_pin import PinGuard, PinStore

        data = self.paths.data_dir

        def check(s: Session, now: datetime) -> PinCheck:
            result = PinGuard.in_dir(data).check(PinStore.in_dir(data), pin, now.timestamp())
            if result.lock_started:
                log.warning("admin PIN pad locked for %d s after wrong PINs", result.locked_seconds)
                keeper.keeper_event(
                    s, keeper.Action.PIN_LOCKED, now, lock_seconds=result.locked_seconds
                )
            return result

        return self._write(check)

    def change_admin_pin(self, old: str, new: str, again: str) -> PinChange:
        """Old PIN, new PIN twice; a wrong old PIN counts towards the lockout."""
        from kiosk.core.admin_pin import PinError, PinStore

        if new != again:
            return PinChange.MISMATCH
        if not (4 <= len(new) <= 12 and new.isdigit()):
            return PinChange.INVALID
        checked = self.check_admin_pin(old)
        if not checked.ok:
            return PinChange.LOCKED if checked.locked_seconds else PinChange.WRONG_OLD

        def change(s: Session, now: datetime) -> PinChange:
            try:
                PinStore.in_dir(self.paths.data_dir).set(new)
            except PinError:
                return PinChange.INVALID
            log.info("admin PIN changed on the touchscreen")
            keeper.keeper_event(s, keeper.Action.PIN_CHANGED, now)
            return PinChange.CHANGED

        return self._write(change)

    def export_month(
        self, month: str, folder: Path, step: Callable[[str], None] | None = None
    ) -> list[Path]:
        """导出: the month's visits, study and quiz records to ``folder`` (a USB stick) as
        XLSX and CSV. Reads on the database thread, writes on the caller's (call it from a
        thread of its own: a stick is slow); raises ``ExportError`` with nothing written."""
        from kiosk.core import export

        first, last = keeper.month_days(month)
        tables = self._read(lambda s: export.month_tables(s, first, last))
        files = export.write_export(folder, month, tables, step)
        rows = {t.name: len(t.rows) for t in tables}
        self._write(
            lambda s, now: keeper.keeper_event(
                s,
                keeper.Action.EXPORTED,
                now,
                month=month,
                files=[f.name for f in files],
                rows=rows,
            )
        )
        return files

    def device_status(
        self,
        started_at: datetime,
        camera: tuple[bool, str] | None,
        sync: SyncStatus,
        translate=None,
        **seen: Any,
    ) -> list[Any]:
        """设备状态 rows (``core/device_status.py``); ``camera`` is the screen's (ok, text),
        ``sync`` the sync tables' status (read by the caller: sync sits above core); ``seen``
        what the screen saw (``camera_frames``, ``last_code_at``, ``scanner_seen_at``)."""
        from kiosk import __version__
        from kiosk.core import device_status as ds
        from kiosk.store.backup import last_backup_at

        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        return ds.device_status(
            tz=tz,
            data_dir=self.paths.data_dir,
            database=self.paths.database,
            now=self.clock.now(),
            started_at=started_at,
            camera=camera,
            enrolled=sync.enrolled,
            pending=sync.pending,
            clock_offset_seconds=sync.clock_offset_seconds,
            last_sync=sync.last_success_at,
            version=__version__,
            last_backup=last_backup_at(self.paths.data_dir),
            **seen,
            **({"translate": translate} if translate else {}),
        )

    # -- 工牌 behind the PIN (issue 15; core/keeper_badges.py) -------------------------------

    def badge_view(self, person_id: str) -> keeper_badges.BadgeView:
        key_id, today = self.info().key_id, self.today()
        view = self._read(lambda s: keeper_badges.badge_view(s, person_id, key_id, today))
        if view is None:
            raise StationError(f"no person with id {person_id}")
        return view

    def keeper_card(self, person_id: str, *, lost: bool = False) -> keeper_badges.CardToPrint:
        """The card to print: the live one again, or (``lost``) a replacement for it."""
        info, key, today = self.info(), self._signing_key(), self.today()
        make = keeper_badges.replace_lost if lost else keeper_badges.card_for
        return self._write(
            lambda s, now: make(s, key, info.key_id, person_id, info.name, today, now)
        )

    def keeper_card_printed(self, card: keeper_badges.CardToPrint, where: str) -> None:
        self._write(lambda s, now: keeper_badges.printed(s, card, where, now))

    def read_badge(self, text: str) -> keeper_badges.BadgeReading:
        """摄像头检查: what a scan of ``text`` would say, with nothing recorded."""
        ring, today = self.keyring(), self.today()
        return self._read(lambda s: keeper_badges.read_badge(s, text, today, ring))
