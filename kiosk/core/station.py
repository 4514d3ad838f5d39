"""The station as the CLI and the screens use it: one object, every operation on the DB worker.

``StationService`` opens (and migrates) the database, holds the keyring in memory for
offline badge checks, and runs each operation as one ``BEGIN IMMEDIATE`` transaction on the
single database thread. A method returns only after its transaction has committed, so a
result the caller shows is already durable.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core import (
    announcements,
    badge_registry,
    checkin,
    keeper,
    keeper_badges,
    roster,
    settings_store,
    stats,
)
from kiosk.core.activities import records as activity_records
from kiosk.core.activities.model import ActivityError
from kiosk.core.activities.views import ActivityDetail, ActivityView, SignInResult
from kiosk.core.admin_pin import PinCheck
from kiosk.core.badge_card import CardSpec, write_card
from kiosk.core.badges import looks_signed
from kiosk.core.clock import Clock, SystemClock
from kiosk.core.keys import generate_private_key, key_id_of, load_private_key, public_raw
from kiosk.core.results import DayFigures, Method, PersonView, ScanResult
from kiosk.core.settings import SPECS, Settings
from kiosk.core.settings_store import SettingError
from kiosk.core.trades import Trade
from kiosk.db.migrations import NewerDatabaseError
from kiosk.events.schema import StationInitialized
from kiosk.paths import StationPaths
from kiosk.store import migrate
from kiosk.store.db import Database
from kiosk.store.models import KeyringEntry, Person, Station, Visit
from kiosk.store.outbox import append_event
from kiosk.store.worker import DbWorker

if TYPE_CHECKING:
    from kiosk.sync.state import SyncStatus

log = logging.getLogger(__name__)
T = TypeVar("T")
IssuedBadge = badge_registry.IssuedBadge
ISSUE_CHUNK = 100
"""Badges issued per transaction by :meth:`StationService.issue_badges`."""


class PinChange(StrEnum):
    CHANGED = "changed"
    WRONG_OLD = "wrong_old"
    MISMATCH = "mismatch"
    INVALID = "invalid"
    LOCKED = "locked"


class StationError(Exception):
    """A problem the person at the keyboard can fix; its message says how."""


@dataclass(frozen=True)
class StationInfo:
    id: str
    name: str
    device_id: str
    key_id: str


class StationService:
    def __init__(self, paths: StationPaths, clock: Clock | None = None) -> None:
        self.paths = paths
        self.clock = clock or SystemClock()
        self.db = Database(paths.database)
        self.worker = DbWorker()
        self._keyring: dict[str, bytes] = {}
        self._private_key: Ed25519PrivateKey | None = None
        self._keyring_lock = threading.Lock()
        try:
            self.worker.call(self._open)
        except BaseException:
            self.close()
            raise

    # -- plumbing ---------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            migrate.upgrade(self.db.engine)
        except NewerDatabaseError as e:
            raise StationError(f"{self.paths.database}: {e}") from None
        self._reload_keyring()

    def _reload_keyring(self) -> None:
        with self.db.read() as s:
            ring = {
                k.key_id: k.public_key
                for k in s.scalars(select(KeyringEntry).where(KeyringEntry.revoked_at.is_(None)))
            }
        with self._keyring_lock:
            self._keyring = ring

    def reload_keyring(self) -> None:
        """Re-read the keyring after another component (the sync engine) changed it."""
        self.worker.call(self._reload_keyring)

    def keyring(self) -> dict[str, bytes]:
        with self._keyring_lock:
            return dict(self._keyring)

    def _write(self, fn: Callable[[Session, datetime], T]) -> T:
        def run() -> T:
            with self.db.write() as session:
                return fn(session, self.clock.now())

        return self.worker.call(run)

    def _read(self, fn: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.db.read() as session:
                return fn(session)

        return self.worker.call(run)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run any public method on the database thread without waiting (for the UI)."""
        return self.worker.submit(fn, *args)

    def close(self) -> None:
        self.worker.shutdown()
        self.db.close()

    def today(self) -> date:
        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        return self.clock.now().astimezone(tz).date()

    # -- station ----------------------------------------------------------------------------

    def init(self, name: str) -> StationInfo:
        name = name.strip()
        if not name:
            raise StationError("a station name is required")
        if self.info_or_none() is not None:
            raise StationError(f"station already initialised in {self.paths.data_dir}")
        if self.paths.private_key.exists():
            raise StationError(f"a signing key already exists at {self.paths.private_key}")
        key = generate_private_key(self.paths.private_key)
        raw = public_raw(key)

        def create(s: Session, now: datetime) -> StationInfo:
            station = Station(
                id=str(uuid.uuid4()),
                name=name,
                device_id=str(uuid.uuid4()),
                key_id=key_id_of(raw),
                created_at=now,
            )
            s.add(station)
            s.add(
                KeyringEntry(
                    key_id=station.key_id,
                    public_key=raw,
                    station_id=station.id,
                    station_name=name,
                    source="own",
                    added_at=now,
                )
            )
            s.flush()
            append_event(
                s,
                StationInitialized(
                    station_id=station.id,
                    name=name,
                    device_id=station.device_id,
                    key_id=station.key_id,
                    public_key=raw.hex(),
                    created_at=now,
                ),
                now,
            )
            return StationInfo(station.id, name, station.device_id, station.key_id)

        info = self._write(create)
        self.worker.call(self._reload_keyring)
        log.info("station %s initialised with key %s", info.id, info.key_id)
        return info

    def info_or_none(self) -> StationInfo | None:
        def get(s: Session) -> StationInfo | None:
            st = s.scalar(select(Station))
            return None if st is None else StationInfo(st.id, st.name, st.device_id, st.key_id)

        return self._read(get)

    def info(self) -> StationInfo:
        info = self.info_or_none()
        if info is None:
            raise StationError(
                f"no station in {self.paths.data_dir}; run: kiosk init --station-name NAME"
            )
        return info

    def _signing_key(self) -> Ed25519PrivateKey:
        if self._private_key is None:
            try:
                self._private_key = load_private_key(self.paths.private_key)
            except (OSError, ValueError) as e:
                raise StationError(f"cannot read the signing key: {e}") from None
        return self._private_key

    # -- check-in ---------------------------------------------------------------------------

    def scan(self, text: str, method: Method = Method.CAMERA) -> ScanResult:
        ring = self.keyring()
        return self._write(lambda s, now: checkin.record_badge_scan(s, text, method, now, ring))

    def is_signed_badge(self, text: str) -> bool:
        """Cheap, thread-safe check the camera loop uses to accept a code at once."""
        return looks_signed(text, self.keyring())

    def checkin_person(self, person_id: str) -> ScanResult:
        return self._write(lambda s, now: checkin.record_manual_checkin(s, person_id, now))

    def trade_visit(self, trade: Trade) -> ScanResult:
        return self._write(lambda s, now: checkin.record_trade_visit(s, trade, now))

    def close_stale_visits(self) -> int:
        return self._write(checkin.close_stale_visits)

    # -- activities (issue 14) -------------------------------------------------------------

    def _activity_write(
        self, fn: Callable[[Session, datetime], T], *, close_overdue: bool = True
    ) -> T:
        """An activity change: overdue activities are ended first, in the same transaction;
        a refusal (``ActivityError``) is a ``StationError`` and rolls everything back."""

        def run(s: Session, now: datetime) -> T:
            try:
                if close_overdue:
                    activity_records.close_overdue(s, now)
                return fn(s, now)
            except ActivityError as e:
                raise StationError(str(e)) from None

        return self._write(run)

    def add_activity(self, **fields: Any) -> ActivityView:
        return self._activity_write(
            lambda s, now: activity_records.create_activity(s, now, **fields)
        )

    def activities(self, day: date | None = None) -> list[ActivityView]:
        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        self._activity_write(lambda s, now: None)
        return self._read(lambda s: activity_records.list_activities(s, day, tz))

    def activity(self, activity_id: str) -> ActivityDetail:
        self._activity_write(lambda s, now: None)

        def get(s: Session) -> ActivityDetail:
            try:
                return activity_records.detail(s, activity_id)
            except ActivityError as e:
                raise StationError(str(e)) from None

        return self._read(get)

    def next_activity(self) -> ActivityView | None:
        now = self.clock.now()
        return self._read(lambda s: activity_records.next_activity(s, now))

    def activity_scan(
        self, activity_id: str, text: str, method: checkin.Method = checkin.Method.CAMERA
    ) -> SignInResult:
        ring = self.keyring()
        return self._activity_write(
            lambda s, now: activity_records.scan(s, activity_id, text, method.value, now, ring)
        )

    def activity_sign_in_person(self, activity_id: str, person_id: str) -> SignInResult:
        return self._activity_write(
            lambda s, now: activity_records.sign_in_person(s, activity_id, person_id, now)
        )

    def activity_guest(self, activity_id: str, **guest: Any) -> SignInResult:
        return self._activity_write(
            lambda s, now: activity_records.sign_in_guest(s, activity_id, now, **guest)
        )

    def activity_sign_out(self, attendance_id: str) -> SignInResult:
        """The keeper signs one attendance out now (``ended_by`` ``keeper``)."""
        return self._activity_write(
            lambda s, now: activity_records.sign_out_by_keeper(s, attendance_id, now)
        )

    def start_activity(self, activity_id: str) -> ActivityView:
        return self._activity_write(lambda s, now: activity_records.start_now(s, activity_id, now))

    def end_activity(self, activity_id: str) -> tuple[int, int]:
        # Not closed as overdue first: the keeper's end does the same, under the keeper's name.
        return self._activity_write(
            lambda s, now: activity_records.end_activity(s, activity_id, now),
            close_overdue=False,
        )

    def cancel_activity(self, activity_id: str, reason: str | None = None) -> ActivityView:
        return self._activity_write(
            lambda s, now: activity_records.cancel(s, activity_id, now, reason)
        )

    def write_activity_sheet(self, activity_id: str, out: Path) -> int:
        """The activity's 签到表 as an A4 PDF at ``out``; its page count."""
        from kiosk.core.activities.sheet import write_signin_sheet
        from kiosk.core.pdf import PdfError

        detail = self.activity(activity_id)
        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        try:
            return write_signin_sheet(detail, out, tz=tz, station_name=self.info().name)
        except PdfError as e:
            raise StationError(str(e)) from None

    # -- roster -----------------------------------------------------------------------------

    def add_person(self, **fields: Any) -> PersonView:
        def add(s: Session, now: datetime) -> PersonView:
            try:
                return PersonView.of(roster.add_person(s, now, **fields))
            except roster.RosterError as e:
                raise StationError(str(e)) from None

        return self._write(add)

    def import_people(self, path: Path) -> roster.ImportSummary:
        """Import a roster CSV: every row in one transaction, or none if a row is refused."""
        try:
            rows = roster.check_roster_file(path)
        except roster.RosterError as e:
            raise StationError(str(e)) from None
        return self._write(lambda s, now: roster.import_rows(s, rows, now))

    def set_person_active(self, person_id: str, active: bool) -> None:
        def update(s: Session, now: datetime) -> None:
            person = s.get(Person, person_id)
            if person is None:
                raise StationError(f"no person with id {person_id}")
            roster.set_active(s, person, active, now)

        self._write(update)

    def people(self, include_inactive: bool = False) -> list[PersonView]:
        return self._read(
            lambda s: [PersonView.of(p) for p in roster.list_people(s, include_inactive)]
        )

    def find_people(self, query: str, limit: int = 12) -> list[PersonView]:
        return self._read(lambda s: [PersonView.of(p) for p in roster.find_people(s, query, limit)])

    def resolve_person_id(self, text: str) -> str:
        """A full person id, or a unique prefix of at least 4 characters (for typing)."""
        text = text.strip().lower()

        def find(s: Session) -> list[str]:
            if len(text) < 4:
                return []
            return list(s.scalars(select(Person.id).where(Person.id.startswith(text)).limit(2)))

        ids = self._read(find)
        if len(ids) != 1:
            raise StationError(f"no single person with id {text!r}")
        return ids[0]

    # -- badges -----------------------------------------------------------------------------

    def issue_badge(
        self, person_id: str, out: Path | None = None, expires_on: date | None = None
    ) -> badge_registry.IssuedBadge:
        """Issue the person's next badge; with ``out``, also draw its printable card there."""
        info, key, today = self.info(), self._signing_key(), self.today()

        def issue(s: Session, now: datetime) -> badge_registry.IssuedBadge:
            person = s.get(Person, person_id)
            if person is None or not person.active:
                raise StationError(f"no active person with id {person_id}")
            return badge_registry.issue_badge(s, key, info.key_id, person, today, now, expires_on)

        return self._draw(self._write(issue), out, info)

    def issue_badges(
        self,
        person_ids: list[str],
        expires_on: date | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[badge_registry.IssuedBadge]:
        """A new badge for each person, in this order, ``ISSUE_CHUNK`` per transaction.

        Short transactions let a running touchscreen check people in meanwhile (its busy
        timeout is 5 s); each committed chunk is whole. ``progress(n)`` after each chunk.
        """
        info, key, today = self.info(), self._signing_key(), self.today()

        def issue(chunk: list[str]) -> Callable[[Session, datetime], list[IssuedBadge]]:
            def run(s: Session, now: datetime) -> list[IssuedBadge]:
                found = s.scalars(select(Person).where(Person.id.in_(chunk)))
                people = {p.id: p for p in found}
                issued = []
                for person_id in chunk:
                    person = people.get(person_id)
                    if person is None or not person.active:
                        raise StationError(f"no active person with id {person_id}")
                    issued.append(
                        badge_registry.issue_badge(
                            s, key, info.key_id, person, today, now, expires_on
                        )
                    )
                return issued

            return run

        issued: list[IssuedBadge] = []
        for start in range(0, len(person_ids), ISSUE_CHUNK):
            issued += self._write(issue(person_ids[start : start + ISSUE_CHUNK]))
            if progress is not None:
                progress(len(issued))
        return issued

    def reprint_badge(self, person_id: str, out: Path | None = None) -> badge_registry.IssuedBadge:
        """The person's current badge (same token, same serial), or a new one if none is live."""
        info, key, today = self.info(), self._signing_key(), self.today()

        def find(s: Session) -> badge_registry.IssuedBadge | None:
            person = s.get(Person, person_id)
            if person is None:
                raise StationError(f"no person with id {person_id}")
            return badge_registry.live_badge(s, key, info.key_id, person, today)

        current = self._read(find)
        if current is None:
            return self.issue_badge(person_id, out)
        return self._draw(current, out, info)

    def _draw(
        self, issued: badge_registry.IssuedBadge, out: Path | None, info: StationInfo
    ) -> badge_registry.IssuedBadge:
        if out is None:
            return issued
        try:
            write_card(out, CardSpec(issued.token, issued.name, issued.trade, info.name))
        except OSError as e:
            raise StationError(f"cannot write {out}: {e.strerror}") from None
        return replace(issued, file=out)

    def revoke_badges(self, person_id: str) -> int:
        return self._write(lambda s, now: len(badge_registry.revoke_badges(s, person_id, now)))

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

    # -- announcements ----------------------------------------------------------------------

    def announcements(self) -> list[announcements.AnnouncementView]:
        """The bureau's announcements to show today (they arrive through sync)."""
        today = self.today()
        return self._read(lambda s: announcements.current_announcements(s, today))

    # -- figures ----------------------------------------------------------------------------

    def visits(self, day: date) -> list[Visit]:
        return self._read(lambda s: stats.visits_on(s, day))

    def figures(self, day: date) -> DayFigures:
        return self._read(lambda s: stats.day_figures(s, day))

    def period_figures(self, first: date, last: date) -> stats.PeriodFigures:
        """``first``..``last`` inclusive, by the same rules as :meth:`figures`."""
        return self._read(lambda s: stats.period_figures(s, first, last))

    # -- the keeper's station (issue 15; core/keeper.py) ------------------------------------

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

    # -- settings ---------------------------------------------------------------------------

    def setting(self, key: str) -> Any:
        if key not in SPECS:
            raise StationError(f"unknown setting {key!r}")
        return self._read(lambda s: settings_store.get_setting(s, key))

    def all_settings(self) -> Settings:
        return self._read(settings_store.all_settings)

    def set_setting(self, key: str, value: Any) -> Any:
        def put(s: Session, now: datetime) -> Any:
            try:
                return settings_store.set_setting(s, key, value, now)
            except SettingError as e:
                raise StationError(str(e)) from None

        return self._write(put)
