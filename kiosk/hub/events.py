"""Per-event validation of pushed events, so one bad event is rejected, not the batch.

Each known ``(type, schema_version)`` has a payload model; required fields must be there
with the right types, extra fields are allowed (a newer station may add some). Ids and
short fields have the lengths the hub's projected tables hold.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from kiosk.sync.protocol import PushEvent


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow")


class StationInitialized(_Payload):
    station_id: str
    name: str
    key_id: str
    public_key: str
    created_at: AwareDatetime


class PersonUpserted(_Payload):
    person_id: str = Field(max_length=36)
    name: str
    trade: str
    active: bool
    updated_at: AwareDatetime


class BadgeIssued(_Payload):
    person_id: str = Field(max_length=36)
    key_id: str
    serial: int
    issued_on: date
    expires_on: date | None = None


class BadgeRevoked(_Payload):
    person_id: str = Field(max_length=36)
    key_id: str
    serial: int
    revoked_at: AwareDatetime


class VisitCheckedIn(_Payload):
    visit_id: str = Field(max_length=64)
    person_id: str | None = Field(max_length=36)
    trade: str | None = Field(max_length=20)
    method: str = Field(max_length=20)
    checked_in_at: AwareDatetime
    unverified: bool = False
    badge_key_id: str | None = Field(default=None, max_length=16)
    # Only with ``unverified``: the token as scanned, for the hub's own check.
    badge_token: str | None = Field(default=None, max_length=160)


class VisitVerified(_Payload):
    """The station learned the key and the badge verified (information: the hub checks)."""

    visit_id: str = Field(max_length=64)
    person_id: str = Field(max_length=36)
    verified_at: AwareDatetime


class VisitForged(_Payload):
    """The station learned the key and the badge did not verify, or was revoked."""

    visit_id: str = Field(max_length=64)
    verdict: str = Field(default="forged", max_length=12)
    reason: str | None = Field(default=None, max_length=40)


class VisitCheckedOut(_Payload):
    visit_id: str = Field(max_length=64)
    person_id: str | None = Field(max_length=36)
    checked_out_at: AwareDatetime
    rest_seconds: int = Field(ge=0)
    auto_closed: bool = False


class SettingChanged(_Payload):
    key: str
    value: Any = None


class MaterialInstalled(_Payload):
    material_id: str
    version: int


class MaterialRemoved(_Payload):
    material_id: str
    version: int | None = None


class StudySessionRecorded(_Payload):
    session_id: str
    material_id: str
    person_id: str | None = None
    # Study hours are summed from these on the hub: a session is at most four hours.
    seconds: int = Field(ge=0, le=14_400)
    finished: bool = False


class QuizAttempted(_Payload):
    attempt_id: str
    material_id: str
    person_id: str | None = None
    correct: int = Field(ge=0)
    total: int = Field(ge=1)
    passed: bool
    points: int = Field(default=0, ge=0)


class KeeperAction(_Payload):
    """The keeper's audit trail (who: the role; what; when); stored, not projected."""

    role: str = Field(max_length=20)
    action: str = Field(max_length=40)
    at: AwareDatetime


PAYLOADS: dict[str, dict[int, type[_Payload]]] = {
    "station.initialized": {1: StationInitialized},
    "person.upserted": {1: PersonUpserted},
    "badge.issued": {1: BadgeIssued},
    "badge.revoked": {1: BadgeRevoked},
    "visit.checked_in": {1: VisitCheckedIn},
    "visit.checked_out": {1: VisitCheckedOut},
    "visit.verified": {1: VisitVerified},
    "visit.forged": {1: VisitForged},
    "setting.changed": {1: SettingChanged},
    "material.installed": {1: MaterialInstalled},
    "material.removed": {1: MaterialRemoved},
    "study.session_recorded": {1: StudySessionRecorded},
    "quiz.attempted": {1: QuizAttempted},
    "keeper.action": {1: KeeperAction},
}


def check_event(event: PushEvent) -> tuple[datetime | None, str | None]:
    """``(device_time, None)`` for a storable event, else ``(None, reason)``."""
    try:
        if str(uuid.UUID(event.id)) != event.id.lower():
            raise ValueError
    except ValueError:
        return None, "bad_id: not a UUID"
    versions = PAYLOADS.get(event.type)
    if versions is None:
        return None, f"unknown_type: {event.type}"
    model = versions.get(event.schema_version)
    if model is None:
        return None, f"unsupported_schema_version: {event.type} v{event.schema_version}"
    try:
        device_time = datetime.fromisoformat(event.device_time)
    except ValueError:
        return None, "bad_device_time"
    if device_time.tzinfo is None:
        return None, "bad_device_time: no UTC offset"
    try:
        model.model_validate(event.payload)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return None, f"bad_payload: {where}: {first['msg']}"[:300]
    return device_time, None
