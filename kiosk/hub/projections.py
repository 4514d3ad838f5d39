"""What the hub derives from stored events: the roster, badges, visits; and feed changes.

The handlers (:mod:`kiosk.hub.handlers`, one per event type) call these for each event in
the transaction that stored it (never for a duplicate),
so the projected tables and the change feed commit together with the events. People and
badges changed here enter the change feed for the other stations; the hub's own commands
(import, revoke, announce) use the same functions with no origin, so every station gets
them.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from kiosk.events.schema import EventType, PersonUpserted
from kiosk.hub import feed, person_search, verification
from kiosk.hub.models import HubAnnouncement, HubBadge, HubPerson, HubVisit
from kiosk.hub.verification import Verification
from kiosk.sync.protocol import AnnouncementInfo, BadgeInfo

log = logging.getLogger(__name__)
# An open visit counts as ongoing this long (a station closes it at its visit cap, 12 h by
# default), so two open visits of one person at two stations are seen as overlapping.
OPEN_VISIT_HORIZON = timedelta(hours=12)
# Visits further apart than this cannot overlap (longer than any station's cap).
OVERLAP_WINDOW = timedelta(days=2)
PERSON_FIELDS = ("name", "trade", "team", "party_member", "phone", "active")


# -- people -----------------------------------------------------------------------------------


def person_info(p: HubPerson) -> PersonUpserted:
    return PersonUpserted(
        person_id=p.id,
        name=p.name,
        trade=p.trade,
        team=p.team,
        party_member=p.party_member,
        phone=p.phone,
        active=p.active,
        category=p.category,
        updated_at=p.updated_at,
    )


def upsert_person(
    session: Session, info: PersonUpserted, origin: str | None, now: datetime
) -> bool:
    """Newest ``updated_at`` wins; a real change enters the feed. True when changed."""
    feed.lock_feed(session)
    person = session.get(HubPerson, info.person_id)
    if person is not None and person.updated_at > info.updated_at:
        return False
    values = {f: getattr(info, f) for f in PERSON_FIELDS}
    if "category" in info.model_fields_set:  # an older station says nothing of it
        values["category"] = info.category
    if person is None:
        person = HubPerson(id=info.person_id)
        session.add(person)
    elif all(getattr(person, f) == v for f, v in values.items()):
        return False
    renamed = person.name != info.name
    for f, v in values.items():
        setattr(person, f, v)
    person.updated_at = info.updated_at
    person.origin_station_id = origin
    session.flush()
    if renamed:
        person_search.set_keys(session, person.id, person.name)
    feed.append(session, "person", origin, person_info(person).model_dump(mode="json"), now)
    return True


# -- badges -----------------------------------------------------------------------------------


def badge_info(b: HubBadge) -> BadgeInfo:
    return BadgeInfo(
        person_id=b.person_id,
        key_id=b.key_id,
        serial=b.serial,
        issued_on=b.issued_on,
        expires_on=b.expires_on,
        revoked_at=b.revoked_at,
    )


def upsert_badge(session: Session, info: BadgeInfo, origin: str | None, now: datetime) -> bool:
    """Record an issue or a revocation (which is never undone); changes enter the feed."""
    feed.lock_feed(session)
    badge = session.scalar(
        select(HubBadge).where(HubBadge.key_id == info.key_id, HubBadge.serial == info.serial)
    )
    if badge is None:
        badge = HubBadge(
            key_id=info.key_id,
            serial=info.serial,
            person_id=info.person_id,
            issued_on=info.issued_on,
            expires_on=info.expires_on,
            revoked_at=info.revoked_at,
            updated_at=now,
        )
        session.add(badge)
    else:
        before = badge_info(badge)
        if badge.issued_on is None and info.issued_on is not None:
            badge.issued_on, badge.expires_on = info.issued_on, info.expires_on
        if badge.revoked_at is None and info.revoked_at is not None:
            badge.revoked_at = info.revoked_at
        if badge_info(badge) == before:
            return False
        badge.updated_at = now
    session.flush()
    feed.append(session, "badge", origin, badge_info(badge).model_dump(mode="json"), now)
    return True


def revoke_person_badges(session: Session, person_id: str, now: datetime) -> list[HubBadge]:
    """Revoke every live badge the hub knows of for a person; every station gets it.

    Badges issued before ``now`` that the hub has not seen yet (made at a station that is
    offline) are revoked when they arrive (:func:`_issued_after_revocation`).
    """
    feed.lock_feed(session)
    person = session.get(HubPerson, person_id)
    if person is not None:
        person.badges_revoked_at = now
    live = list(
        session.scalars(
            select(HubBadge)
            .where(HubBadge.person_id == person_id, HubBadge.revoked_at.is_(None))
            .order_by(HubBadge.id)
        )
    )
    for badge in live:
        info = badge_info(badge).model_copy(update={"revoked_at": now})
        upsert_badge(session, info, None, now)
    return live


# -- announcements ----------------------------------------------------------------------------


def announcement_info(a: HubAnnouncement) -> AnnouncementInfo:
    return AnnouncementInfo(
        id=a.id,
        text=a.text,
        until=a.until,
        created_at=a.created_at,
        withdrawn=a.withdrawn_at is not None,
    )


def announce(
    session: Session, announcement_id: str, text: str, until: date | None, now: datetime
) -> HubAnnouncement:
    row = HubAnnouncement(id=announcement_id, text=text, until=until, created_at=now)
    announcement_info(row)  # validates the text's length before anything is stored
    session.add(row)
    session.flush()
    feed.append(session, "announcement", None, announcement_info(row).model_dump(mode="json"), now)
    return row


def withdraw(session: Session, announcement_id: str, now: datetime) -> HubAnnouncement | None:
    row = session.get(HubAnnouncement, announcement_id)
    if row is None or row.withdrawn_at is not None:
        return row
    row.withdrawn_at = now
    feed.append(session, "announcement", None, announcement_info(row).model_dump(mode="json"), now)
    return row


# -- visits -----------------------------------------------------------------------------------


def _aware(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else None


def _end(v: HubVisit) -> datetime:
    assert v.checked_in_at is not None
    return v.checked_out_at or v.checked_in_at + OPEN_VISIT_HORIZON


def refresh_overlaps(session: Session, person_id: str, around: datetime) -> None:
    """Recompute the overlap flag of one person's visits near ``around``."""
    rows = list(
        session.scalars(
            select(HubVisit).where(
                HubVisit.person_id == person_id,
                HubVisit.checked_in_at >= around - 2 * OVERLAP_WINDOW,
                HubVisit.checked_in_at <= around + 2 * OVERLAP_WINDOW,
            )
        )
    )
    for v in rows:
        assert v.checked_in_at is not None
        if abs(v.checked_in_at - around) > OVERLAP_WINDOW:
            continue  # its partners may lie outside what was read
        v.overlap = any(
            w.station_id != v.station_id
            and w.checked_in_at is not None
            and w.checked_in_at < _end(v)
            and v.checked_in_at < _end(w)
            for w in rows
        )


class _Checker:
    """The hub's check of a batch's unverified badges; the keyring is read at most once."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self._ring: dict[str, verification.HubKey] | None = None

    def check(self, p: dict[str, Any], checked_in_at: datetime | None) -> dict[str, Any]:
        token = p.get("badge_token") if isinstance(p.get("badge_token"), str) else None
        if self._ring is None and token:
            self._ring = verification.keyring(self.session)
        verdict = verification.judge(
            self.session, token, p.get("badge_key_id"), checked_in_at, self._ring or {}
        )
        values: dict[str, Any] = {"badge_token": token, "verification": verdict.verification.value}
        if verdict.verification is Verification.HUB:
            values |= {"person_id": verdict.person_id, "verified_at": self.now}
        elif token:
            values["person_id"] = None  # a badge that did not verify names nobody
        return values


def project_visits(
    session: Session, station_id: str, events: list[tuple[str, dict[str, Any]]], now: datetime
) -> None:
    """One station's visit events, in order; new visits are inserted in one statement."""
    checker = _Checker(session, now)
    ids = {str(p["visit_id"]) for _, p in events}
    known = {
        v.visit_id: v
        for v in session.scalars(
            select(HubVisit).where(HubVisit.station_id == station_id, HubVisit.visit_id.in_(ids))
        )
    }
    new: dict[str, dict[str, Any]] = {}
    touched: list[tuple[str | None, datetime | None]] = []
    for type_, p in events:
        visit_id = str(p["visit_id"])
        row: Any = known.get(visit_id)
        if row is None:
            row = new.setdefault(
                visit_id,
                {
                    "station_id": station_id,
                    "visit_id": visit_id,
                    "person_id": None,
                    "trade": None,
                    "method": None,
                    "checked_in_at": None,
                    "checked_out_at": None,
                    "rest_seconds": None,
                    "auto_closed": False,
                    "unverified": False,
                    "overlap": False,
                    "badge_key_id": None,
                    "badge_token": None,
                    "verification": Verification.STATION.value,
                    "verified_at": None,
                    "station_verdict": None,
                },
            )
        values = _visit_values(type_, p, row, checker)
        if isinstance(row, dict):
            row.update(values)
        else:
            for k, v in values.items():
                setattr(row, k, v)
        touched.append((values.get("person_id"), _get(row, "checked_in_at")))
    if new:
        # Core executemany on the table: the ORM's bulk path inserted row by row here.
        session.execute(insert(HubVisit.__table__), list(new.values()))
    session.flush()
    _refresh_touched(session, station_id, touched)


def _get(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)


def _visit_values(type_: str, p: dict[str, Any], row: Any, checker: _Checker) -> dict[str, Any]:
    if type_ == EventType.VISIT_CHECKED_IN:
        values = {
            "person_id": p.get("person_id"),
            "trade": p.get("trade"),
            "method": p.get("method"),
            "checked_in_at": _aware(p.get("checked_in_at")),
            "unverified": bool(p.get("unverified")),
            "badge_key_id": p.get("badge_key_id"),
        }
        if values["unverified"]:
            values |= checker.check(p, values["checked_in_at"])
        return values
    if type_ in (EventType.VISIT_VERIFIED, EventType.VISIT_FORGED):
        said = (
            "verified" if type_ == EventType.VISIT_VERIFIED else str(p.get("verdict") or "forged")
        )
        ours = _get(row, "verification")
        if (said == "verified") != (ours in verification.COUNTED) and ours != "pending":
            log.warning(
                "station says %s of visit %s, the hub's own check says %s (the hub's counts)",
                said,
                p.get("visit_id"),
                ours,
            )
        return {"station_verdict": said[:12]}
    checked_in = _get(row, "checked_in_at") is not None
    return {
        "person_id": _get(row, "person_id") if checked_in else p.get("person_id"),
        "checked_out_at": _aware(p.get("checked_out_at")),
        "rest_seconds": int(p.get("rest_seconds") or 0),
        "auto_closed": bool(p.get("auto_closed")),
    }


def _refresh_touched(
    session: Session, station_id: str, touched: list[tuple[str | None, datetime | None]]
) -> None:
    """Recompute overlap flags only for people who have visits at other stations nearby."""
    timed = {(p, t) for p, t in touched if p and t is not None}
    if not timed:
        return
    first = min(t for _, t in timed)
    last = max(t for _, t in timed)
    elsewhere = set(
        session.scalars(
            select(HubVisit.person_id)
            .where(
                HubVisit.person_id.in_({p for p, _ in timed}),
                HubVisit.station_id != station_id,
                HubVisit.checked_in_at >= first - OVERLAP_WINDOW,
                HubVisit.checked_in_at <= last + OVERLAP_WINDOW,
            )
            .distinct()
        )
    )
    for person_id, checked_in_at in sorted(timed):
        if person_id in elsewhere:
            refresh_overlaps(session, person_id, checked_in_at)


# -- locks ------------------------------------------------------------------------------------


def lock_people(session: Session, person_ids: set[str]) -> None:
    """One advisory lock per person, in one round trip, taken in sorted order (no deadlocks
    between pushes touching the same people)."""
    if not person_ids or session.get_bind().dialect.name != "postgresql":
        return
    session.execute(
        text(
            "SELECT pg_advisory_xact_lock(:c, hashtext(t.p))"
            " FROM unnest(CAST(:people AS text[])) WITH ORDINALITY AS t(p, n) ORDER BY t.n"
        ),
        {"c": feed.PERSON_LOCK_CLASS, "people": sorted(person_ids)},
    )


def revoked_before_it_arrived(
    session: Session, info: BadgeInfo, issued_at: datetime | None
) -> BadgeInfo | None:
    """The badge as revoked, when the bureau revoked its holder's badges after it was
    issued but before it reached the hub (an offline station); else None."""
    person = session.get(HubPerson, info.person_id)
    if person is None or person.badges_revoked_at is None or info.revoked_at is not None:
        return None
    if issued_at is not None and issued_at > person.badges_revoked_at:
        return None  # a replacement card made after the revocation
    log.info(
        "badge %s/%d arrived after its holder's badges were revoked: revoked",
        info.key_id,
        info.serial,
    )
    return info.model_copy(update={"revoked_at": person.badges_revoked_at})


def key_arrived(session: Session, key_id: str, now: datetime) -> int:
    """Check the pending visits under a key the hub just learned (a station enrolled late);
    those older than :data:`verification.WINDOW` stay unverifiable. Returns how many now
    count."""
    pending = list(
        session.scalars(
            select(HubVisit)
            .where(
                HubVisit.verification == Verification.PENDING.value,
                HubVisit.badge_key_id == key_id,
                HubVisit.checked_in_at >= now - verification.WINDOW,
            )
            .order_by(HubVisit.id)
        )
    )
    if not pending:
        return 0
    lock_people(session, {p for v in pending if (p := verification.token_person(v.badge_token))})
    ring = verification.keyring(session)
    counted = 0
    for visit in pending:
        verdict = verification.judge(
            session, visit.badge_token, visit.badge_key_id, visit.checked_in_at, ring
        )
        visit.verification = verdict.verification.value
        if verdict.verification is Verification.HUB:
            visit.person_id, visit.verified_at = verdict.person_id, now
            counted += 1
    session.flush()
    for visit in pending:
        if visit.person_id and visit.checked_in_at is not None:
            refresh_overlaps(session, visit.person_id, visit.checked_in_at)
    log.info("key %s arrived: %d of %d pending visit(s) verified", key_id, counted, len(pending))
    return counted
