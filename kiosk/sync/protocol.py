"""The wire format between a station and the hub, shared by both sides.

Version 1, JSON over HTTPS. The envelope is validated strictly (a broken envelope is a 422),
but each pushed event is only loosely typed here: the hub validates events one by one so
that one malformed event is *rejected* and quarantined while the rest of the batch flows.
Every response carries ``server_time`` so a station can measure its clock offset.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Discriminator, Field, Tag

from kiosk.events.schema import PersonUpserted

MAX_BATCH_EVENTS = 500
MAX_BATCH_BYTES = 1024 * 1024
# The hub's request limit: a full batch plus room for the envelope.
MAX_REQUEST_BYTES = MAX_BATCH_BYTES + 64 * 1024
CLOCK_OFFSET_FLAG_SECONDS = 120.0

_HEX64 = r"^[0-9a-f]{64}$"
_HEX16 = r"^[0-9a-f]{16}$"


class _Model(BaseModel):
    # Unknown fields are ignored, so either side can add optional fields without a new version.
    model_config = ConfigDict(extra="ignore")


class KeyInfo(_Model):
    """A station's public badge-signing key, as other stations learn it."""

    key_id: str = Field(pattern=_HEX16)
    public_key: str = Field(pattern=_HEX64, description="raw Ed25519 public key, hex")
    station_id: str = Field(max_length=36)
    station_name: str = Field(max_length=100)
    # Set when the bureau revoked the station's key: its badges are refused from then on.
    revoked_at: AwareDatetime | None = None


class EnrollRequest(_Model):
    code: str = Field(min_length=4, max_length=64)
    key_id: str = Field(pattern=_HEX16)
    public_key: str = Field(pattern=_HEX64)
    local_station_id: str | None = Field(default=None, max_length=36)
    device_id: str | None = Field(default=None, max_length=36)


class EnrollResponse(_Model):
    station_id: str
    station_name: str
    token: str
    keyring: list[KeyInfo]
    server_time: AwareDatetime


class PushEvent(_Model):
    """One outbox row as sent; types and payloads are checked by the hub per event."""

    id: str = Field(max_length=64)
    seq: int = Field(ge=1)
    type: str = Field(max_length=64)
    schema_version: int
    payload: dict[str, Any]
    device_time: str = Field(max_length=64)


class PushRequest(_Model):
    station_id: str = Field(max_length=36)
    sent_at: AwareDatetime = Field(description="station clock when the batch was sent")
    events: list[PushEvent] = Field(min_length=1, max_length=MAX_BATCH_EVENTS)


class StationHealth(_Model):
    """What a station says about itself once a sync round (``POST /v1/station-health``)."""

    app_version: str = Field(max_length=32)
    disk_free_mb: int | None = None
    disk_low: bool = False
    camera: str = Field(default="unknown", max_length=16)  # ok | unavailable | unknown
    last_backup_at: AwareDatetime | None = None
    reported_at: AwareDatetime


class HealthAck(_Model):
    received_at: AwareDatetime


class EventStatus(StrEnum):
    ACCEPTED = "accepted"  # stored now
    DUPLICATE = "duplicate"  # stored before (a retry); safe to treat as delivered
    REJECTED = "rejected"  # never stored; the station quarantines it


class EventResult(_Model):
    id: str
    status: EventStatus
    reason: str | None = None


class PushResponse(_Model):
    results: list[EventResult]
    clock_offset_seconds: float = Field(description="station clock minus hub clock")
    server_time: AwareDatetime
    # The highest seq of this station the hub had answered for before this batch (None from
    # an older hub). Below the station's mark means the hub lost events (a restored backup).
    answered_seq_before: int | None = None


class BadgeInfo(_Model):
    """A badge the hub knows of; once ``revoked_at`` is set it stays set."""

    person_id: str = Field(min_length=1, max_length=36)
    key_id: str = Field(pattern=_HEX16)
    serial: int = Field(ge=0)
    issued_on: date | None = None
    expires_on: date | None = None
    revoked_at: AwareDatetime | None = None


class AnnouncementInfo(_Model):
    """A notice from the bureau, shown on stations up to and including ``until``."""

    id: str = Field(min_length=1, max_length=36)
    text: str = Field(min_length=1, max_length=2000)
    until: date | None = None
    created_at: AwareDatetime
    withdrawn: bool = False


class MaterialInfo(_Model):
    """A study package the bureau published (or withdrew), as stations learn it.

    ``sha256`` and ``size`` describe the zip served at ``GET /v1/materials/{id}/{sha256}``
    (verified after download); ``content_sha256`` is the package's content digest, so a
    station that already holds that content need not download it.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    version: int = Field(ge=1)
    title: str = Field(max_length=100)
    category: str = Field(max_length=10)
    sha256: str = Field(pattern=_HEX64)
    size: int = Field(ge=1)
    content_sha256: str | None = Field(default=None, pattern=_HEX64)
    published_at: AwareDatetime
    withdrawn: bool = False


class ActivityInfo(_Model):
    """An activity the bureau scheduled (issue 14), for ``station_ids`` (hub station ids) or,
    when empty, every station. A change or a cancellation is the same record again."""

    activity_id: str = Field(min_length=1, max_length=36)
    kind: str = Field(max_length=20)
    title: str = Field(min_length=1, max_length=100)
    host_unit: str | None = Field(default=None, max_length=100)
    place: str | None = Field(default=None, max_length=100)
    start_at: AwareDatetime
    end_at: AwareDatetime
    signin_opens_at: AwareDatetime
    service_hours: bool = False
    station_ids: list[str] = Field(default_factory=list)
    cancelled: bool = False
    updated_at: AwareDatetime


class ReviewInfo(_Model):
    """The hub's decision on one attendance's hours (issue 14), for the station that recorded
    it (the feed sends it to that station only): the newest one counts."""

    attendance_id: str = Field(min_length=1, max_length=36)
    station_id: str = Field(min_length=1, max_length=36)
    decision: Literal["confirmed", "rejected"]
    minutes: int = Field(ge=0, le=24 * 60)
    reason: str | None = Field(default=None, max_length=200)
    person_id: str | None = Field(default=None, max_length=36)  # a guest linked to a person
    decided_at: AwareDatetime


class KeyChange(_Model):
    kind: Literal["key"] = "key"
    key: KeyInfo


class PersonChange(_Model):
    kind: Literal["person"] = "person"
    person: PersonUpserted  # the roster entry: the same model as the station's event


class BadgeChange(_Model):
    kind: Literal["badge"] = "badge"
    badge: BadgeInfo


class AnnouncementChange(_Model):
    kind: Literal["announcement"] = "announcement"
    announcement: AnnouncementInfo


class MaterialChange(_Model):
    kind: Literal["material"] = "material"
    material: MaterialInfo


class ActivityChange(_Model):
    kind: Literal["activity"] = "activity"
    activity: ActivityInfo


class ReviewChange(_Model):
    kind: Literal["review"] = "review"
    review: ReviewInfo


class OtherChange(_Model):
    """A kind this version does not know (a newer hub): skipped, never a failed page."""

    kind: str


KNOWN_KINDS = frozenset(
    {"key", "person", "badge", "announcement", "material", "activity", "review"}
)


def _change_kind(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in KNOWN_KINDS else "other"


Change = Annotated[
    Annotated[KeyChange, Tag("key")]
    | Annotated[PersonChange, Tag("person")]
    | Annotated[BadgeChange, Tag("badge")]
    | Annotated[AnnouncementChange, Tag("announcement")]
    | Annotated[MaterialChange, Tag("material")]
    | Annotated[ActivityChange, Tag("activity")]
    | Annotated[ReviewChange, Tag("review")]
    | Annotated[OtherChange, Tag("other")],
    Discriminator(_change_kind),
]


class ChangesPage(_Model):
    """One page of the change feed; apply it and store ``cursor`` in one transaction.

    A page from the start of the feed (no cursor) replays everything the hub still holds;
    after such a full replay a station removes what it learned before and the hub no
    longer has.
    """

    changes: list[Change]
    cursor: str
    more: bool
    server_time: AwareDatetime
    # The highest seq of the calling station the hub has answered for (None: an older hub).
    answered_seq: int | None = None
