"""The outbox events of activities and attendance: one pydantic model per event type.

Self-contained on purpose (pydantic and the stdlib only): these models are the declaration
of each payload, the station writes ``model.model_dump(mode="json")`` with
``store/outbox.append_event`` and the hub validates what it receives with the same model.
Times are ISO 8601 with an offset. Unknown fields are ignored so either side can add an
optional field without a new schema version.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

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


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ActivityScheduled(_Payload):
    """``activity.scheduled``: a keeper created an activity at this station."""

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


class ActivityStarted(_Payload):
    """``activity.started``: the keeper started it now; ``start_at`` is the new start."""

    activity_id: str = Field(max_length=36)
    start_at: AwareDatetime
    signin_opens_at: AwareDatetime
    started_at: AwareDatetime


class ActivityEnded(_Payload):
    """``activity.ended``: sign-in closed; everyone still in was signed out in this change."""

    activity_id: str = Field(max_length=36)
    ended_at: AwareDatetime
    ended_by: Literal["keeper", "automatic"]
    signed_out: int = Field(ge=0)
    to_review: int = Field(ge=0)


class ActivityCancelled(_Payload):
    """``activity.cancelled``."""

    activity_id: str = Field(max_length=36)
    cancelled_at: AwareDatetime
    reason: str | None = Field(default=None, max_length=200)


class GuestInfo(_Payload):
    """What a guest gives: a name, a unit, the last 4 phone digits — nothing more."""

    name: str = Field(min_length=1, max_length=50)
    unit: str | None = Field(default=None, max_length=100)
    phone_tail: str | None = Field(default=None, pattern=r"^[0-9]{4}$")


class AttendanceSignedIn(_Payload):
    """``attendance.signed_in``: a person (``person_id``) or a guest (``guest``) signed in."""

    attendance_id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    person_id: str | None = Field(default=None, max_length=36)
    guest: GuestInfo | None = None
    category: CategoryCode | None = None
    method: MethodCode
    badge_key_id: str | None = Field(default=None, max_length=16)
    badge_serial: int | None = None
    signed_in_at: AwareDatetime
    clock_offset_seconds: float | None = None


class AttendanceSignedOut(_Payload):
    """``attendance.signed_out``: the one sign-out of an attendance, with what it credits.

    ``state`` ``pending``: hours to confirm (or, with ``review_reason`` ``no_sign_out``, a
    forgotten sign-out closed at the end, credited 0 until a reviewer confirms it).
    """

    attendance_id: str = Field(max_length=36)
    activity_id: str = Field(max_length=36)
    person_id: str | None = Field(default=None, max_length=36)
    signed_out_at: AwareDatetime
    ended_by: EndedByCode
    credited_minutes: int = Field(ge=0, le=24 * 60)
    state: Literal["signed_out", "pending"]
    review_reason: Literal["no_sign_out"] | None = None


PAYLOADS: dict[str, type[_Payload]] = {
    "activity.scheduled": ActivityScheduled,
    "activity.started": ActivityStarted,
    "activity.ended": ActivityEnded,
    "activity.cancelled": ActivityCancelled,
    "attendance.signed_in": AttendanceSignedIn,
    "attendance.signed_out": AttendanceSignedOut,
}
"""Every event type of this module and its payload model (the hub validates with these)."""
