"""The station database schema (SQLAlchemy 2 typed ORM).

Changing a table here means writing an alembic revision under ``migrations/versions``;
``tests/store/test_migrations.py`` fails when the two disagree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kiosk.db.types import NAMING, UtcDateTime


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Station(Base):
    """This device's station: exactly one row after ``kiosk init``."""

    __tablename__ = "station"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    device_id: Mapped[str] = mapped_column(String(36))
    key_id: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KeyringEntry(Base):
    """A public badge-signing key this kiosk trusts: its own, or one learned through sync."""

    __tablename__ = "keyring"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    station_id: Mapped[str | None] = mapped_column(String(36))
    station_name: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(10))  # "own" | "sync"
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # Space-separated search keys: every full-pinyin and initials reading of the name.
    pinyin_keys: Mapped[str] = mapped_column(Text, default="")
    trade: Mapped[str] = mapped_column(String(10))
    team: Mapped[str | None] = mapped_column(String(100))
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The attendance-report category (core/activities/model.Category code); None: not set.
    category: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Badge(Base):
    """A badge issued to a person; ``(key_id, serial)`` names it in the QR token."""

    __tablename__ = "badges"
    __table_args__ = (UniqueConstraint("key_id", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(16))
    serial: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Visit(Base):
    """One 人次: a person (possibly not in the roster) or an anonymous worker of a trade.

    A badge under a key this station has not learned is a visit of nobody in particular
    (``person_id`` None) that keeps the scanned ``badge_token``; ``verification`` follows
    it: ``pending`` until the key is learned, then ``verified`` (now linked to the person),
    ``forged`` or ``revoked`` (see ``core/verification.py``). None: nothing to check.
    """

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_checked_in_at", "checked_in_at"),
        Index("ix_visits_person_open", "person_id", "checked_out_at"),
        Index("ix_visits_badge_token", "badge_token"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # No foreign key: a valid badge of a person not (yet) in the local roster is still a visit.
    person_id: Mapped[str | None] = mapped_column(String(36))
    trade: Mapped[str | None] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(10))  # camera | scanner | manual | trade
    badge_key_id: Mapped[str | None] = mapped_column(String(16))
    badge_serial: Mapped[int | None] = mapped_column(Integer)
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    badge_token: Mapped[str | None] = mapped_column(String(160))
    verification: Mapped[str | None] = mapped_column(String(10))
    rechecked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Who closed an open visit other than its owner's scan: "keeper" (在站人员), else None.
    closed_by: Mapped[str | None] = mapped_column(String(10))


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxEvent(Base):
    """Append-only log of state changes, written in the same transaction as the change.

    ``seq`` is this device's gap-free sequence number; ``id`` is the event's permanent UUID
    that the hub de-duplicates on. Rows are never updated or deleted; delivery state lives
    with the sync engine.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    device_time: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncState(Base):
    """The sync engine's progress: one row (``id`` 1), created at enrolment.

    ``delivered_seq`` is a high-water mark: every outbox event up to it was accepted by the
    hub or quarantined. The API token is not here: it lives in a 0600 file under keys/.
    """

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hub_station_id: Mapped[str] = mapped_column(String(36))
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_seq: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[str | None] = mapped_column(String(80))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clock_offset_seconds: Mapped[float | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SyncQuarantine(Base):
    """An outbox event the hub rejected: kept for the keeper to see and export, never resent."""

    __tablename__ = "sync_quarantine"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(Text)
    quarantined_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- study corner (讲习所, issue 5) ------------------------------------------------------------


class StudyMaterial(Base):
    """An installed content package; its files live in ``<data dir>/materials/<id>/``.

    The folder is the content, this row is the catalogue entry the screens and records use.
    """

    __tablename__ = "study_materials"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(100))
    published_on: Mapped[date | None] = mapped_column(Date)
    path: Mapped[str] = mapped_column(String(200))  # relative to the data dir
    sha256: Mapped[str] = mapped_column(String(64))  # of the package's files, see materials.py
    size: Mapped[int] = mapped_column(Integer)
    question_count: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(10))  # starter | import | sync
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StudySession(Base):
    """One sitting with one material: who (or nobody known), how long, read to the end or not."""

    __tablename__ = "study_sessions"
    __table_args__ = (Index("ix_study_sessions_person_started", "person_id", "started_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(String(36))  # None: anonymous reader
    material_id: Mapped[str] = mapped_column(String(64))
    material_version: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seconds: Mapped[int] = mapped_column(Integer)
    pages_seen: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)


class QuizAttempt(Base):
    """A completed quiz: every answer given, the score, and the points it earned.

    The wrong-question queue is derived from these rows: the questions a person got wrong in
    their latest attempt at a material are asked first next time.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_person_material", "person_id", "material_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str | None] = mapped_column(String(36))
    person_id: Mapped[str | None] = mapped_column(String(36))
    material_id: Mapped[str] = mapped_column(String(64))
    material_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[list[Any]] = mapped_column(JSON)  # [{question, chosen, correct}]
    correct: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)  # percent, 0-100
    passed: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer, default=0)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StudyPoints(Base):
    """The points ledger: one row per award, so a day's total can be capped and audited."""

    __tablename__ = "study_points"
    __table_args__ = (Index("ix_study_points_person_day", "person_id", "local_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))  # quiz_passed
    attempt_id: Mapped[str | None] = mapped_column(String(36))
    material_id: Mapped[str | None] = mapped_column(String(64))
    local_day: Mapped[date] = mapped_column(Date)  # in the station's time zone
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Announcement(Base):
    """A notice from the bureau, pulled from the hub; shown up to and including ``until``."""

    __tablename__ = "announcements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncResyncSeen(Base):
    """What a full resync (after 410) has seen so far; its rows exist only during one.

    The row ``("*", "started")`` marks a resync in progress, so one cut short by a crash
    goes on where it stopped; at its last page whatever was learned through sync and not
    seen again is removed, and this table is emptied.
    """

    __tablename__ = "sync_resync_seen"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), primary_key=True)


class MaterialDownload(Base):
    """The hub's latest word on one study package, and how far this station got with it.

    Written by a pull (never the outbox), worked off by ``kiosk/sync/downloads.py`` after
    the pull. ``state``: ``wanted`` (to download and install), ``installed``, ``failed``
    (given up until the next feed change for it), ``remove`` (withdrawn: uninstall if it
    came through sync), ``removed``. ``sha256``/``size`` are the zip's, as announced.
    """

    __tablename__ = "material_downloads"

    material_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10))
    bytes_done: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    announced_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the hub published it
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- activities and service hours (issue 14) -----------------------------------------------------


class Activity(Base):
    """A scheduled 组织生活, lecture, volunteer service, meeting … at this station.

    ``source`` says who created it: ``keeper`` (here; sent up as ``activity.scheduled``) or
    ``hub`` (arrived through the change feed). ``state`` is the stored state; a scheduled
    activity whose start has passed reads as 进行中 (``model.state_at``).
    """

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_start_at", "start_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    host_unit: Mapped[str | None] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(String(100))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signin_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    service_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10))  # keeper | hub
    state: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(12))  # keeper | automatic | hub
    cancel_reason: Mapped[str | None] = mapped_column(String(200))


class Attendance(Base):
    """One sign-in at an activity: a known person (badge or name) or a guest.

    Sign-out completes the row once; nothing else changes it here. The hub's review
    (confirm, reject, 补录) is written as new records beside it, never into it.
    ``state``: signed_in → signed_out (no hours to confirm) or pending (hours to confirm, or
    a forgotten sign-out to review). ``clock_offset_seconds``: the station's last measured
    offset to the hub when it signed in (hub minus station), for the hub's reviewers.
    """

    __tablename__ = "attendances"
    __table_args__ = (
        Index("ix_attendances_activity", "activity_id"),
        Index("ix_attendances_person", "person_id", "activity_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id"))
    person_id: Mapped[str | None] = mapped_column(String(36))  # None: a guest
    guest_name: Mapped[str | None] = mapped_column(String(50))
    guest_unit: Mapped[str | None] = mapped_column(String(100))
    phone_tail: Mapped[str | None] = mapped_column(String(4))
    category: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))  # camera | scanner | manual | guest
    badge_key_id: Mapped[str | None] = mapped_column(String(16))
    badge_serial: Mapped[int | None] = mapped_column(Integer)
    signed_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(12))
    credited_minutes: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(12))
    review_reason: Mapped[str | None] = mapped_column(String(20))  # no_sign_out
    clock_offset_seconds: Mapped[float | None] = mapped_column()


class AttendanceReview(Base):
    """The hub's decision on an attendance's hours, received through the change feed (never
    written here otherwise, never sent back): the newest ``decided_at`` counts. The
    attendance row stays as the station wrote it."""

    __tablename__ = "attendance_reviews"
    __table_args__ = (
        UniqueConstraint("attendance_id", "decided_at", "decision"),
        Index("ix_attendance_reviews_attendance", "attendance_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attendance_id: Mapped[str] = mapped_column(ForeignKey("attendances.id"))
    decision: Mapped[str] = mapped_column(String(10))  # confirmed | rejected
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[str | None] = mapped_column(String(36))  # a guest linked at the hub
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
