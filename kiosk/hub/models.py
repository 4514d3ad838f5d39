"""The hub's schema: its own metadata, separate from the station database's.

SQL stays portable (no SQLite-only types) so PostgreSQL can run the same revisions.
Instants are stored as naive UTC through :class:`kiosk.db.types.UtcDateTime`, as on the station.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
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


class HubBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HubMeta(HubBase):
    """Hub-wide values: ``epoch`` (changes when the feed restarts), ``feed_floor``."""

    __tablename__ = "hub_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class HubStation(HubBase):
    """A station the bureau created; enrolled once its code was exchanged for a token."""

    __tablename__ = "hub_stations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # sha256 hex of the one-time enrolment code; cleared once used.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # sha256 hex of the API token: the token itself is never stored.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    key_id: Mapped[str | None] = mapped_column(String(16), unique=True)
    public_key: Mapped[str | None] = mapped_column(String(64))
    local_station_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    clock_offset_seconds: Mapped[float | None] = mapped_column(Float)
    clock_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by ``station revoke --key``: stations refuse the badges this key signed.
    key_revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The highest outbox seq of this station the hub has answered for (accepted, duplicate
    # or rejected). A restored backup brings it back down; the station then resends.
    answered_seq: Mapped[int | None] = mapped_column(Integer)
    # The station's last health report (``POST /v1/station-health``, once a sync round):
    # app version, free disk, camera and last backup; shown by ``kiosk-hub station list``.
    app_version: Mapped[str | None] = mapped_column(String(32))
    health: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    health_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class HubEvent(HubBase):
    """One station event, stored exactly once (unique ``event_id``)."""

    __tablename__ = "hub_events"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40), index=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    device_time: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    clock_offset_seconds: Mapped[float] = mapped_column(Float)
    clock_flagged: Mapped[bool] = mapped_column(Boolean, default=False)


class HubChange(HubBase):
    """The change feed stations pull; ``id`` orders it and is what a cursor points past."""

    __tablename__ = "hub_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The station whose event caused the change (it does not get it back); None: the hub.
    origin_station_id: Mapped[str | None] = mapped_column(ForeignKey("hub_stations.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HubPerson(HubBase):
    """The roster across stations: the newest ``updated_at`` of any station (or the hub) wins."""

    __tablename__ = "hub_people"
    # ``kiosk-hub person import`` matches rows on name and phone (migration 0005).
    __table_args__ = (Index("ix_hub_people_name_phone", "name", "phone"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    trade: Mapped[str] = mapped_column(String(10))
    team: Mapped[str | None] = mapped_column(String(100))
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    category: Mapped[str | None] = mapped_column(String(20))  # issue 14: attendance reports
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    origin_station_id: Mapped[str | None] = mapped_column(String(36))  # None: imported on the hub
    # ``kiosk-hub badge revoke``: badges issued before this that arrive later are revoked too.
    badges_revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class HubBadge(HubBase):
    """Every badge any station issued or revoked; a revocation is never undone."""

    __tablename__ = "hub_badges"
    __table_args__ = (UniqueConstraint("key_id", "serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(String(16))
    serial: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)  # None: only its revocation is known
    expires_on: Mapped[date | None] = mapped_column(Date)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HubAnnouncement(HubBase):
    __tablename__ = "hub_announcements"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class HubVisit(HubBase):
    """One visit per station and visit id, projected from its check-in and check-out events.

    ``overlap``: the same person had a visit at another station at the same time (both
    kept, since facts are never refused; the flag is for the bureau to look at).
    ``verification``: whose check makes the visit count (``station``, ``hub``), or why it is
    left out of every figure (``kiosk/hub/verification.py``); ``station_verdict``: what the
    station itself later said of a badge it could not check at the scan.
    """

    __tablename__ = "hub_visits"
    __table_args__ = (
        UniqueConstraint("station_id", "visit_id"),
        Index("ix_hub_visits_person_in", "person_id", "checked_in_at"),
        Index("ix_hub_visits_checked_in_at", "checked_in_at"),
        Index("ix_hub_visits_verification_key", "verification", "badge_key_id"),
        # the activity report counts a year's counted visits from this index alone
        Index("ix_hub_visits_in_verification", "checked_in_at", "verification"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"))
    visit_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[str | None] = mapped_column(String(36))
    trade: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str | None] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rest_seconds: Mapped[int | None] = mapped_column(Integer)
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    overlap: Mapped[bool] = mapped_column(Boolean, default=False)
    badge_key_id: Mapped[str | None] = mapped_column(String(16))
    badge_token: Mapped[str | None] = mapped_column(String(160))
    verification: Mapped[str] = mapped_column(String(12), default="station")
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    station_verdict: Mapped[str | None] = mapped_column(String(12))


class HubMaterial(HubBase):
    """A study package the bureau published; the newest version only (older ones are gone).

    ``sha256`` and ``size`` are those of the zip stations download (a transport checksum);
    ``content_sha256`` is the package's content digest (``kiosk.core.study.importer``), which a
    station compares with what it already has installed.
    """

    __tablename__ = "hub_materials"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class HubMaterialChunk(HubBase):
    """A slice of a published package's zip, kept in the database so hub processes stay
    stateless. A download reads only the slices its range needs, one at a time."""

    __tablename__ = "hub_material_chunks"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    byte_offset: Mapped[int] = mapped_column(Integer, primary_key=True)  # of its first byte
    material_id: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# -- activities and service hours (issue 14) -----------------------------------------------------


class HubActivity(HubBase):
    """An activity: scheduled on the hub (``created_by`` ``hub``, for ``station_ids`` or, when
    empty, every station) or created by a station's keeper (``origin_station_id``)."""

    __tablename__ = "hub_activities"
    __table_args__ = (Index("ix_hub_activities_start_at", "start_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(100))
    host_unit: Mapped[str | None] = mapped_column(String(100))
    place: Mapped[str | None] = mapped_column(String(100))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signin_opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    service_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(10))  # keeper | hub
    origin_station_id: Mapped[str | None] = mapped_column(String(36))
    station_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(12))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HubAttendance(HubBase):
    """One station's attendance record, projected from its sign-in and sign-out events.

    ``station_state`` and ``credited_minutes`` are the station's word; the review's decisions
    are :class:`HubHoursDecision` rows beside it. ``overlap``: the same person was signed in
    at another station's activity at the same time (kept; flagged for the bureau).
    """

    __tablename__ = "hub_attendances"
    __table_args__ = (
        UniqueConstraint("attendance_id"),
        Index("ix_hub_attendances_activity", "activity_id"),
        Index("ix_hub_attendances_person_in", "person_id", "signed_in_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"))
    attendance_id: Mapped[str] = mapped_column(String(36))
    activity_id: Mapped[str] = mapped_column(String(36))
    person_id: Mapped[str | None] = mapped_column(String(36))
    guest_name: Mapped[str | None] = mapped_column(String(50))
    guest_unit: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))
    signed_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(12))
    credited_minutes: Mapped[int] = mapped_column(Integer, default=0)
    station_state: Mapped[str] = mapped_column(String(12))
    review_reason: Mapped[str | None] = mapped_column(String(20))
    clock_offset_seconds: Mapped[float | None] = mapped_column(Float)
    overlap: Mapped[bool] = mapped_column(Boolean, default=False)
    # Decided once, when the sign-in is projected, so the year's report is one pass:
    # the person's first attendance at this activity (人次 count a person once), and whether
    # the person was inside a rest visit at this station then (not again in 累计服务人次).
    first_at_activity: Mapped[bool] = mapped_column(Boolean, default=True)
    during_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    # The newest review decision (a copy of the newest HubHoursDecision row, written with
    # it), so reports need no join over the decisions: confirmed | rejected | None.
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class HubHoursDecision(HubBase):
    """A reviewer's decision on an attendance's hours; the newest one counts, none is edited."""

    __tablename__ = "hub_hours_decisions"
    __table_args__ = (Index("ix_hub_hours_decisions_attendance", "attendance_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attendance_pk: Mapped[int] = mapped_column(ForeignKey("hub_attendances.id"))
    decision: Mapped[str] = mapped_column(String(10))  # confirmed | rejected
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str] = mapped_column(String(50))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HubBackfill(HubBase):
    """A 补录: hours entered afterwards for one person at one activity (at most one), with a
    reason, capped at the activity's length, counted once a different person approved it."""

    __tablename__ = "hub_backfills"
    __table_args__ = (UniqueConstraint("activity_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("hub_activities.id"))
    person_id: Mapped[str] = mapped_column(String(36))
    minutes: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(String(50))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class HubGuestLink(HubBase):
    """A guest's attendance linked to a person afterwards (at the console): from then on it
    is that person's, and its hours can be confirmed like anyone's. The attendance row is
    not edited; one link per attendance."""

    __tablename__ = "hub_guest_links"
    __table_args__ = (UniqueConstraint("attendance_pk"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attendance_pk: Mapped[int] = mapped_column(ForeignKey("hub_attendances.id"))
    person_id: Mapped[str] = mapped_column(String(36))
    linked_by: Mapped[str] = mapped_column(String(50))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class HubCertificate(HubBase):
    """A 志愿服务证明 the hub issued: what it printed, so anyone holding the check code can
    confirm it (``/console/verify``) and nothing more."""

    __tablename__ = "hub_certificates"
    __table_args__ = (UniqueConstraint("number"), UniqueConstraint("check_code"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(24))
    check_code: Mapped[str] = mapped_column(String(24))
    person_id: Mapped[str] = mapped_column(String(36))
    person_name: Mapped[str] = mapped_column(String(50))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    issuer_unit: Mapped[str] = mapped_column(String(100))
    handler: Mapped[str] = mapped_column(String(50))
    contact: Mapped[str] = mapped_column(String(50))
    issued_by: Mapped[str] = mapped_column(String(50))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- the console (kiosk.hub.console) ----------------------------------------------------------


class ConsoleUser(HubBase):
    """A person who logs in to the web console; ``role`` is admin, keeper or viewer."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsoleUserStation(HubBase):
    """The stations a keeper (or a scoped viewer) may see and change."""

    __tablename__ = "console_user_stations"

    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"), primary_key=True)


class ConsoleSession(HubBase):
    """A logged-in browser; ``id`` is the SHA-256 of the cookie (the cookie is not stored)."""

    __tablename__ = "console_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsoleLoginFailure(HubBase):
    """One wrong password (or unknown name), counted per account and per address."""

    __tablename__ = "console_login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(40), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ConsoleAudit(HubBase):
    """Who did what, when and from where; written in the transaction of the change."""

    __tablename__ = "console_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)


class ConsolePersonStation(HubBase):
    """A person's home station(s) as set in the console: who a keeper may see and change."""

    __tablename__ = "console_person_stations"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("hub_stations.id"), primary_key=True)


class HubPersonKey(HubBase):
    """A pinyin search key of a person's name (full or initials, every reading): the console's
    人员 search finds "zs" → 张三 by an index range, not by reading the whole roster.
    Kept by :func:`kiosk.hub.person_search.set_keys` whenever a name is written."""

    __tablename__ = "hub_person_keys"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
