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
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core import (
    announcements,
    badge_registry,
    checkin,
    roster,
    settings_store,
    stats,
)
from kiosk.core.badge_card import CardSpec, write_card
from kiosk.core.badges import looks_signed
from kiosk.core.clock import Clock, SystemClock
from kiosk.core.db_thread import OnDbThread
from kiosk.core.errors import StationError
from kiosk.core.keys import generate_private_key, key_id_of, load_private_key, public_raw
from kiosk.core.results import DayFigures, Method, PersonView, ScanResult
from kiosk.core.settings import SPECS, Settings
from kiosk.core.settings_store import SettingError
from kiosk.core.station_activities import ActivityOperations
from kiosk.core.station_keeper import KeeperOperations
from kiosk.core.trades import Trade
from kiosk.db.migrations import NewerDatabaseError
from kiosk.events.schema import StationInitialized
from kiosk.paths import StationPaths
from kiosk.store import migrate
from kiosk.store.db import Database
from kiosk.store.models import KeyringEntry, Person, Station, Visit
from kiosk.store.outbox import append_event
from kiosk.store.worker import DbWorker

log = logging.getLogger(__name__)
T = TypeVar("T")
IssuedBadge = badge_registry.IssuedBadge
ISSUE_CHUNK = 100
"""Badges issued per transaction by :meth:`StationService.issue_badges`."""


@dataclass(frozen=True)
class StationInfo:
    id: str
    name: str
    device_id: str
    key_id: str


class StationService(ActivityOperations, KeeperOperations, OnDbThread):
    """The station: roster, check-in, badges, figures, settings; with the activity and keeper
    operations of ``station_activities.py`` and ``station_keeper.py``."""

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

    def _now(self) -> datetime:
        return self.clock.now()

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
