"""Applying pulled changes to the station database: keys, people and badges here;
announcements, study packages, activities and review decisions in ``apply_content.py``.

Everything here runs in the caller's transaction on the station's database thread, one
page at a time together with its cursor. What came from the hub is written directly with
the models and never appended to the outbox: echoing it back would loop. Rules:

* a person: the newest ``updated_at`` wins (a local edit newer than the hub's copy stays);
* a badge: a revocation is never undone; a badge of a person this station does not know is
  skipped (the hub sends a person before their badges);
* a key: learned with ``source="sync"``; the station's own key is never overwritten; the
  pending visits of the last 30 days under a newly learned key are checked at once
  (``core/verification.py``);
* an announcement: stored, or removed when withdrawn;
* a study package: recorded in ``material_downloads`` as wanted (or to remove, when
  withdrawn); the files are fetched and installed after the pull (``downloads.py``). An
  older version than the one recorded, or the same announcement again, changes nothing.

After a full resync (410) whatever was learned through sync and not seen again is removed:
other stations' keys, announcements, and people this station never wrote itself; packages
the hub no longer has are marked to remove.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from kiosk.core.pinyin import search_keys
from kiosk.core.verification import recheck_pending
from kiosk.events.schema import EventType, PersonUpserted
from kiosk.store.models import (
    Announcement,
    Badge,
    KeyringEntry,
    MaterialDownload,
    OutboxEvent,
    Person,
    SyncResyncSeen,
)
from kiosk.sync.apply_content import (
    apply_activity,
    apply_announcement,
    apply_material,
    apply_review,
)
from kiosk.sync.downloads import DownloadState
from kiosk.sync.protocol import (
    ActivityChange,
    AnnouncementChange,
    BadgeChange,
    BadgeInfo,
    Change,
    KeyChange,
    KeyInfo,
    MaterialChange,
    PersonChange,
    ReviewChange,
)

log = logging.getLogger(__name__)
RESYNC_MARK = ("*", "started")


@dataclass
class Applied:
    """How many local rows a page changed, by kind."""

    keys: int = 0
    people: int = 0
    badges: int = 0
    announcements: int = 0
    materials: int = 0
    activities: int = 0
    reviews: int = 0
    skipped: int = 0
    removed_keys: int = 0
    removed_people: int = 0
    removed_announcements: int = 0
    removed_materials: int = 0  # marked to remove; uninstalled after the pull

    def add(self, other: Applied) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def keyring_changed(self) -> bool:
        return bool(self.keys or self.removed_keys)


def apply_key(
    s: Session, key: KeyInfo, now: datetime, learned: list[KeyInfo] | None = None
) -> bool:
    """Learn or update another station's key; True when the keyring changed.

    A new key (or a new public key under a known id) has its pending visits checked: at
    once, or, given ``learned``, by the caller after the rest of the page (:func:`recheck`),
    so the people on the same page are known when their visits are linked to them.
    """
    raw = bytes.fromhex(key.public_key)
    entry = s.get(KeyringEntry, key.key_id)
    if entry is None:
        s.add(
            KeyringEntry(
                key_id=key.key_id,
                public_key=raw,
                station_id=key.station_id,
                station_name=key.station_name,
                source="sync",
                added_at=now,
                revoked_at=key.revoked_at,
            )
        )
        _learned(s, key, now, learned)
        return True
    if entry.source != "sync":
        return False
    changed = False
    if entry.public_key != raw or entry.station_name != key.station_name:
        if entry.public_key != raw:
            revoked = entry.revoked_at or key.revoked_at
            _learned(s, key.model_copy(update={"revoked_at": revoked}), now, learned)
        entry.public_key, entry.station_name = raw, key.station_name
        changed = True
    if key.revoked_at is not None and entry.revoked_at is None:
        entry.revoked_at = key.revoked_at
        changed = True
    return changed


def _learned(s: Session, key: KeyInfo, now: datetime, learned: list[KeyInfo] | None) -> None:
    if learned is None:
        recheck(s, [key], now)
    else:
        learned.append(key)


def recheck(s: Session, keys: Sequence[KeyInfo], now: datetime) -> None:
    """Check the pending visits under keys just learned (``core/verification.py``)."""
    for key in keys:
        recheck_pending(s, key.key_id, bytes.fromhex(key.public_key), key.revoked_at, now)


def search_keys_for(changes: Sequence[Change]) -> dict[str, str]:
    """The pinyin search keys of every name in a page, by name. Worked out before the
    page's transaction (pypinyin is most of the cost of applying a roster page), so scans
    waiting on the database thread wait less."""
    names = {c.person.name for c in changes if isinstance(c, PersonChange)}
    return {name: " ".join(search_keys(name)) for name in names}


def apply_person(
    s: Session,
    info: PersonUpserted,
    known: dict[str, Person] | None = None,
    keys: Mapping[str, str] | None = None,
) -> bool:
    """Upsert one roster entry. ``known``: the page's people already loaded, by id (saves a
    query per person; kept up to date). ``keys``: search keys by name (``search_keys_for``)."""
    person = known.get(info.person_id) if known is not None else s.get(Person, info.person_id)
    if person is not None and person.updated_at > info.updated_at:
        return False  # our copy is newer: it reaches the hub through our own outbox
    values = {
        "name": info.name,
        "trade": info.trade,
        "team": info.team,
        "party_member": info.party_member,
        "phone": info.phone,
        "active": info.active,
    }
    if "category" in info.model_fields_set:  # an older hub says nothing of it
        values["category"] = info.category
    if person is None:
        person = Person(id=info.person_id, created_at=info.updated_at)
        s.add(person)
        if known is not None:
            known[info.person_id] = person
    elif all(getattr(person, k) == v for k, v in values.items()):
        if person.updated_at != info.updated_at:
            person.updated_at = info.updated_at
        return False
    for k, v in values.items():
        setattr(person, k, v)
    cached = keys.get(info.name) if keys is not None else None
    person.pinyin_keys = cached if cached is not None else " ".join(search_keys(info.name))
    person.updated_at = info.updated_at
    return True


def apply_badge(s: Session, info: BadgeInfo, now: datetime) -> bool | None:
    """True when changed, False when nothing to do, None when skipped (person unknown)."""
    badge = s.scalar(select(Badge).where(Badge.key_id == info.key_id, Badge.serial == info.serial))
    if badge is None:
        if s.get(Person, info.person_id) is None:
            log.warning(
                "badge %s/%d skipped: person %s not in the roster",
                info.key_id,
                info.serial,
                info.person_id,
            )
            return None
        issued_on = info.issued_on or (info.revoked_at or now).date()
        s.add(
            Badge(
                person_id=info.person_id,
                key_id=info.key_id,
                serial=info.serial,
                issued_on=issued_on,
                expires_on=info.expires_on,
                revoked_at=info.revoked_at,
            )
        )
        s.flush()
        return True
    if info.revoked_at is not None and badge.revoked_at is None:
        badge.revoked_at = info.revoked_at
        return True
    return False


def _ref(change: Change) -> tuple[str, str] | None:
    match change:
        case KeyChange(key=key):
            return "key", key.key_id
        case PersonChange(person=person):
            return "person", person.person_id
        case AnnouncementChange(announcement=a) if not a.withdrawn:
            return "announcement", a.id
        case MaterialChange(material=m):
            return "material", m.id
        case ActivityChange(activity=a):
            return "activity", a.activity_id
    return None


def apply_changes(
    s: Session,
    changes: Sequence[Change],
    now: datetime,
    keys: Mapping[str, str] | None = None,
) -> Applied:
    """Apply one page in the caller's transaction; ``keys`` from ``search_keys_for``."""
    applied = Applied()
    resyncing = resync_in_progress(s)
    seen: set[tuple[str, str]] = set()
    # The page's people in one query (a page may carry hundreds): the write transaction,
    # which scans wait behind, stays short. New people are flushed by the next query that
    # needs them (autoflush), e.g. a badge of theirs later in the page.
    person_ids = [c.person.person_id for c in changes if isinstance(c, PersonChange)]
    known = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(person_ids)))}
    learned: list[KeyInfo] = []
    for change in changes:
        match change:
            case KeyChange(key=key):
                applied.keys += apply_key(s, key, now, learned)
            case PersonChange(person=person):
                applied.people += apply_person(s, person, known, keys)
            case BadgeChange(badge=badge):
                result = apply_badge(s, badge, now)
                if result is None:
                    applied.skipped += 1
                else:
                    applied.badges += result
            case AnnouncementChange(announcement=announcement):
                applied.announcements += apply_announcement(s, announcement, now)
            case MaterialChange(material=material):
                applied.materials += apply_material(s, material, now)
            case ActivityChange(activity=activity):
                applied.activities += apply_activity(s, activity, now)
            case ReviewChange(review=review):
                applied.reviews += apply_review(s, review, now)
            case _:
                applied.skipped += 1
        if resyncing and (ref := _ref(change)) is not None:
            seen.add(ref)
    recheck(s, learned, now)
    if seen:
        rows = s.execute(
            select(SyncResyncSeen.kind, SyncResyncSeen.ref).where(
                SyncResyncSeen.ref.in_([ref for _, ref in seen])
            )
        )
        known = {(kind, ref) for kind, ref in rows}
        s.add_all(SyncResyncSeen(kind=k, ref=r) for k, r in seen - known)
        s.flush()
    return applied


# -- full resync ----------------------------------------------------------------------------


def resync_in_progress(s: Session) -> bool:
    return s.get(SyncResyncSeen, RESYNC_MARK) is not None


def start_resync(s: Session) -> None:
    """Forget any earlier, unfinished resync and mark a new one as started."""
    s.execute(delete(SyncResyncSeen))
    s.add(SyncResyncSeen(kind=RESYNC_MARK[0], ref=RESYNC_MARK[1]))


def _own_people() -> Select[tuple[str]]:
    """People this station wrote itself (its outbox says so): never removed by a resync."""
    person_id = OutboxEvent.payload["person_id"].as_string()
    return select(person_id).where(
        OutboxEvent.type.in_([EventType.PERSON_UPSERTED.value, EventType.BADGE_ISSUED.value])
    )


def finish_resync(s: Session) -> Applied:
    """Remove what the hub no longer has, then clear the resync bookkeeping."""
    removed = Applied()

    def seen(kind: str) -> Select[tuple[str]]:
        return select(SyncResyncSeen.ref).where(SyncResyncSeen.kind == kind)

    removed.removed_keys = (
        s.execute(
            delete(KeyringEntry).where(
                KeyringEntry.source == "sync", KeyringEntry.key_id.not_in(seen("key"))
            )
        ).rowcount
        or 0
    )
    removed.removed_announcements = (
        s.execute(delete(Announcement).where(Announcement.id.not_in(seen("announcement")))).rowcount
        or 0
    )
    removed.removed_materials = (
        s.execute(
            update(MaterialDownload)
            .where(
                MaterialDownload.material_id.not_in(seen("material")),
                MaterialDownload.withdrawn.is_(False),
            )
            .values(withdrawn=True, state=DownloadState.REMOVE, attempts=0, last_error=None)
        ).rowcount
        or 0
    )
    gone = select(Person.id).where(
        Person.id.not_in(seen("person")), Person.id.not_in(_own_people())
    )
    gone_ids = list(s.scalars(gone))
    for start in range(0, len(gone_ids), 500):
        chunk = gone_ids[start : start + 500]
        s.execute(delete(Badge).where(Badge.person_id.in_(chunk)))
        result = s.execute(delete(Person).where(Person.id.in_(chunk)))
        removed.removed_people += result.rowcount or 0
    s.execute(delete(SyncResyncSeen))
    if (
        removed.removed_keys
        or removed.removed_people
        or removed.removed_announcements
        or removed.removed_materials
    ):
        log.info(
            "resync removed %d key(s), %d person(s), %d announcement(s) and %d package(s) "
            "the hub no longer has",
            removed.removed_keys,
            removed.removed_people,
            removed.removed_announcements,
            removed.removed_materials,
        )
    return removed
