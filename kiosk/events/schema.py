"""Every event a station writes and the hub stores, declared once: its type, its payload
model and its schema version.

The station builds a model and appends it (``append_event(session, VisitCheckedIn(...),
now)``); the hub validates each pushed payload with the same model (:func:`model_for`) and
dispatches on the type (``kiosk/hub/handlers.py``); ``docs/events.md`` is generated from
these models (``python -m kiosk.events --markdown``).

The wire format predates this module and is kept byte for byte: fields in the order
declared here, times as ``isoformat()`` (:meth:`Payload.wire`). Unknown fields are
allowed, so a newer station may add optional ones without a new version; a payload that
changes shape gets a new model with ``VERSION = 2`` (the hub keeps reading version 1).

This module imports only pydantic, so station (``store``, ``core``), sync and hub may all
import it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError


class EventType(StrEnum):
    STATION_INITIALIZED = "station.initialized"
    PERSON_UPSERTED = "person.upserted"
    BADGE_ISSUED = "badge.issued"
    BADGE_REVOKED = "badge.revoked"
    VISIT_CHECKED_IN = "visit.checked_in"
    VISIT_CHECKED_OUT = "visit.checked_out"
    VISIT_VERIFIED = "visit.verified"
    VISIT_FORGED = "visit.forged"
    SETTING_CHANGED = "setting.changed"
    MATERIAL_INSTALLED = "material.installed"
    MATERIAL_REMOVED = "material.removed"
    STUDY_SESSION_RECORDED = "study.session_recorded"
    QUIZ_ATTEMPTED = "quiz.attempted"
    ACTIVITY_SCHEDULED = "activity.scheduled"
    ACTIVITY_STARTED = "activity.started"
    ACTIVITY_ENDED = "activity.ended"
    ACTIVITY_CANCELLED = "activity.cancelled"
    ATTENDANCE_SIGNED_IN = "attendance.signed_in"
    ATTENDANCE_SIGNED_OUT = "attendance.signed_out"
    KEEPER_ACTION = "keeper.action"


# Validation contexts. ``AS_STORED``: the hub's per-event check on ingest, and the station
# writing a person; roster lengths are not checked (an event the roster cannot hold is still
# stored as a fact, it is only not projected).
AS_STORED: dict[str, bool] = {"as_stored": True}


def _roster_length(low: int, high: int) -> AfterValidator:
    """A length the roster holds (station and hub tables): checked when a record enters a
    roster or the change feed, not when an event is written or stored."""

    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is None or (info.context or {}).get("as_stored"):
            return value
        # The errors pydantic's own length constraints raise, word for word.
        if len(value) < low:
            raise PydanticCustomError(
                "string_too_short",
                "String should have at least {min_length} character",
                {"min_length": low},
            )
        if len(value) > high:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": high},
            )
        return value

    return AfterValidator(check)


_MODELS: dict[tuple[EventType, int], type[Payload]] = {}


class Payload(BaseModel):
    """One event type's payload at one schema version (subclasses register themselves)."""

    # Validators are built at import (after the first paint, when the station opens), not on
    # first use: ``defer_build`` would put ~15-50 ms on the day's first scan of each type.
    model_config = ConfigDict(extra="allow")

    TYPE: ClassVar[EventType]
    VERSION: ClassVar[int] = 1
    # Fields written only when they have a value (added later without a new version).
    OMIT_WHEN_NONE: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        key = (cls.TYPE, cls.VERSION)
        if key in _MODELS:
            raise TypeError(f"{cls.TYPE} v{cls.VERSION} is declared twice")
        _MODELS[key] = cls

    def wire(self) -> dict[str, Any]:
        """The payload as a station stores and sends it."""
        omit = self.OMIT_WHEN_NONE
        return {k: _plain(v) for k, v in self if v is not None or k not in omit}


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, BaseModel):  # a nested record (an attendance's guest)
        return {k: _plain(v) for k, v in value}
    return value


def is_declared(type_: str) -> bool:
    return type_ in EventType._value2member_map_


def model_for(type_: str, version: int) -> type[Payload] | None:
    return _MODELS.get((type_, version))  # type: ignore[call-overload]  # a StrEnum hashes as str


def declared() -> list[type[Payload]]:
    """Every declared model, in the order of :class:`EventType`, then by version."""
    return sorted(_MODELS.values(), key=lambda m: (list(EventType).index(m.TYPE), m.VERSION))


def current_version(type_: EventType) -> int:
    return max(v for t, v in _MODELS if t == type_)


# -- the station ------------------------------------------------------------------------------


class StationInitialized(Payload):
    """The station was set up (`kiosk init`); its badge-signing key enters the keyring."""

    TYPE = EventType.STATION_INITIALIZED
    station_id: str
    name: str
    device_id: str | None = None
    key_id: str
    public_key: str = Field(description="hex of the raw Ed25519 key")
    created_at: AwareDatetime


class SettingChanged(Payload):
    """A keeper changed a setting (`core/settings.py`)."""

    TYPE = EventType.SETTING_CHANGED
    key: str
    value: Any = None


# -- roster and badges ------------------------------------------------------------------------


class PersonUpserted(Payload):
    """A roster entry, whole, so the latest ``updated_at`` wins everywhere. The same model is
    the hub's roster record in the change feed (`sync/protocol.py` `PersonChange`)."""

    TYPE = EventType.PERSON_UPSERTED
    person_id: Annotated[str, _roster_length(1, 36)] = Field(max_length=36)
    name: Annotated[str, _roster_length(1, 50)]
    trade: Annotated[str, _roster_length(0, 10)]
    team: Annotated[str | None, _roster_length(0, 100)] = None
    party_member: bool = False
    phone: Annotated[str | None, _roster_length(0, 30)] = None
    category: str | None = Field(
        default=None,
        max_length=20,
        description="the attendance-report category code (`core/activities/model.Category`); "
        "added later without a new version: when absent (an older side) it changes nothing",
    )
    active: bool
    updated_at: AwareDatetime


class BadgeIssued(Payload):
    TYPE = EventType.BADGE_ISSUED
    person_id: str = Field(max_length=36)
    key_id: str
    serial: int
    issued_on: date
    expires_on: date | None = None


class BadgeRevoked(Payload):
    TYPE = EventType.BADGE_REVOKED
    person_id: str = Field(max_length=36)
    key_id: str
    serial: int
    revoked_at: AwareDatetime


# -- visits -----------------------------------------------------------------------------------


class VisitCheckedIn(Payload):
    TYPE = EventType.VISIT_CHECKED_IN
    OMIT_WHEN_NONE = frozenset({"badge_token"})
    visit_id: str = Field(max_length=64)
    person_id: str | None = Field(
        max_length=36,
        description="null for an anonymous trade visit, and for a badge under a key the "
        "station has not learned",
    )
    trade: str | None = Field(max_length=20)
    method: str = Field(max_length=20, description="`camera`/`scanner`/`manual`/`trade`")
    badge_key_id: str | None = Field(default=None, max_length=16)
    badge_serial: int | None = None
    checked_in_at: AwareDatetime
    unverified: bool = False
    badge_token: str | None = Field(
        default=None,
        max_length=160,
        description="only with `unverified`: the token as scanned (upper case), for the "
        "hub to check; added later without a new version",
    )


class VisitCheckedOut(Payload):
    TYPE = EventType.VISIT_CHECKED_OUT
    OMIT_WHEN_NONE = frozenset({"closed_by"})
    visit_id: str = Field(max_length=64)
    person_id: str | None = Field(max_length=36)
    checked_out_at: AwareDatetime
    rest_seconds: int = Field(ge=0)
    auto_closed: bool = False
    closed_by: str | None = Field(
        default=None,
        max_length=10,
        description="only when someone else closed it: `keeper` (a check-out by touch on "
        "在站人员); added later without a new version",
    )


class VisitVerified(Payload):
    """A pending visit's badge verified once the station learned its key (the station's
    word: the hub checks the badge itself)."""

    TYPE = EventType.VISIT_VERIFIED
    visit_id: str = Field(max_length=64)
    person_id: str = Field(max_length=36)
    trade: str | None = None
    badge_key_id: str | None = None
    badge_serial: int | None = None
    checked_in_at: AwareDatetime | None = None
    verified_at: AwareDatetime


class VisitForged(Payload):
    """It did not: forged, or signed after a revocation."""

    TYPE = EventType.VISIT_FORGED
    visit_id: str = Field(max_length=64)
    verdict: str = Field(default="forged", max_length=12, description="`forged` or `revoked`")
    reason: str | None = Field(
        default=None,
        max_length=40,
        description="`bad_signature`, `malformed`, `key_revoked`, `badge_revoked`",
    )
    badge_key_id: str | None = None
    badge_serial: int | None = None
    checked_in_at: AwareDatetime | None = None
    checked_at: AwareDatetime | None = None


# -- the study corner (讲习所) ------------------------------------------------------------------


class MaterialInstalled(Payload):
    TYPE = EventType.MATERIAL_INSTALLED
    material_id: str
    version: int
    title: str | None = None
    category: str | None = None
    sha256: str | None = Field(
        default=None, description="content digest, see `docs/content-packages.md`"
    )
    size: int | None = None
    question_count: int | None = None
    source: str | None = Field(default=None, description="`starter`/`import`/`sync`")
    installed_at: AwareDatetime | None = None


class MaterialRemoved(Payload):
    TYPE = EventType.MATERIAL_REMOVED
    material_id: str
    version: int | None = None
    removed_at: AwareDatetime | None = None


class StudySessionRecorded(Payload):
    """Study hours are summed from these on the hub."""

    TYPE = EventType.STUDY_SESSION_RECORDED
    session_id: str
    person_id: str | None = Field(default=None, description="null: anonymous")
    material_id: str
    material_version: int | None = None
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    seconds: int = Field(ge=0, le=14_400, description="0–14400: a session is at most four hours")
    pages_seen: int | None = None
    pages_total: int | None = None
    finished: bool = False


class QuizAttempted(Payload):
    """The points ledger is written in the same transaction; ``points`` is that award."""

    TYPE = EventType.QUIZ_ATTEMPTED
    attempt_id: str
    session_id: str | None = Field(default=None, description="may be null")
    person_id: str | None = Field(default=None, description="null: anonymous")
    material_id: str
    material_version: int | None = None
    answers: list[dict[str, Any]] | None = Field(
        default=None, description="list of `{question, chosen: [int], correct: bool}`"
    )
    correct: int = Field(ge=0)
    total: int = Field(ge=1)
    score: int | None = Field(default=None, description="percent")
    passed: bool
    points: int = Field(default=0, ge=0, description="0 unless passed and awarded")
    local_day: date | None = Field(
        default=None, description="station-local date the points count for"
    )
    attempted_at: AwareDatetime | None = None


# -- activities and service hours (issue 14, `docs/activities.md`) ----------------------------

KindCode = Literal["organization-life", "lecture", "volunteer", "meeting", "other"]
CategoryCode = Literal[
    "station-member",
    "mobile-member",
    "new-sector-member",
    "office-member",
    "community-member",
    "public",
    "volunteer",
    "partner-unit",
]
MethodCode = Literal["camera", "scanner", "manual", "guest"]
EndedByCode = Literal["self", "keeper", "activity_end", "automatic"]


class ActivityScheduled(Payload):
    """A keeper created an activity at this station."""

    TYPE = EventType.ACTIVITY_SCHEDULED
    activity_id: str = Field(max_length=36)
    kind: KindCode
    title: str = Field(min_length=1, max_length=100)
    host_unit: str | None = Field(default=None, max_length=100)
    place: str | None = Field(default=None, max_length=100)
    start_at: AwareDatetime
    end_at: AwareDatetime
    signin_opens_at: AwareDatetime
    service_hours: bool
    created_by: Literal["keeper", "hub"]
    created_at: AwareDatetime


class ActivityStarted(Payload):
    """The keeper started it now; ``start_at`` is the new start."""

    TYPE = EventType.ACTIVITY_STARTED
    activity_id: str = Field(max_length=36)
    start_at: AwareDatetime
    signin_opens_at: AwareDatetime
    started_at: AwareDatetime


class ActivityEnded(Payload):
    """Sign-in closed; everyone still in was signed out in this change."""

    TYPE = EventType.ACTIVITY_ENDED
    activity_id: str = Field(max_length=36)
    ended_at: AwareDatetime
    ended_by: Literal["keeper", "automatic"]
    signed_out: int = Field(ge=0)
    to_review: int = Field(ge=0)


class ActivityCancelled(Payload):
    TYPE = EventType.ACTIVITY_CANCELLED
    activity_id: str = Field(max_length=36)
    cancelled_at: AwareDatetime
    reason: str | None = Field(default=None, max_length=200)


class GuestInfo(BaseModel):
    """What a guest gives: a name, a unit, the last 4 phone digits — nothing more (part of
    ``attendance.signed_in``, not an event)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=50)
    unit: str | None = Field(default=None, max_length=100)
    phone_tail: str | None = Field(default=None, pattern=r"^[0-9]{4}$")


class AttendanceSignedIn(Payload):
    """A person (``person_id``) or a guest (``guest``) signed in to an activity."""

    TYPE = EventType.ATTENDANCE_SIGNED_IN
    attendance_id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    person_id: str | None = Field(default=None, max_length=36)
    guest: GuestInfo | None = Field(default=None, description="`{name, unit, phone_tail}`")
    category: CategoryCode | None = None
    method: MethodCode
    badge_key_id: str | None = Field(default=None, max_length=16)
    badge_serial: int | None = None
    signed_in_at: AwareDatetime
    clock_offset_seconds: float | None = None


class AttendanceSignedOut(Payload):
    """The one sign-out of an attendance, with what it credits. ``state`` ``pending``: hours
    to confirm (or, with ``review_reason`` ``no_sign_out``, a forgotten sign-out closed at
    the end, credited 0 until a reviewer confirms it)."""

    TYPE = EventType.ATTENDANCE_SIGNED_OUT
    attendance_id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    person_id: str | None = Field(default=None, max_length=36)
    signed_out_at: AwareDatetime
    ended_by: EndedByCode
    credited_minutes: int = Field(ge=0, le=24 * 60)
    state: Literal["signed_out", "pending"]
    review_reason: Literal["no_sign_out"] | None = None


# -- the keeper's station (issue 15) -----------------------------------------------------------


class KeeperAction(Payload):
    """The keeper's audit trail: who, what, when (stored, not projected; never the PIN).
    The action's details follow ``at``: `visit.check_out` (`visit_id`, `person_id`),
    `visits.close_forgotten` (`count`, `visit_ids`), `pin.locked` (`lock_seconds`),
    `records.exported` (`month`, `files`, `rows` per table), `badge.issued` (`person_id`,
    `serial`), `badge.replaced` (`person_id`, `revoked` serials, the new `serial`),
    `badge.printed` (`person_id`, `serial`, `to`: `printer` or `pdf`)."""

    TYPE = EventType.KEEPER_ACTION
    role: str = Field(max_length=20, description="`keeper`: the kiosk has one keeper PIN")
    action: str = Field(
        max_length=40,
        description="`visit.check_out`, `visits.close_forgotten`, `pin.changed`, "
        "`pin.locked`, `records.exported`, `badge.issued`, `badge.replaced`, `badge.printed`",
    )
    at: AwareDatetime
