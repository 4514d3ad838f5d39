"""Activities and service hours: the fixed vocabularies and the hours rules, pure Python.

No database and no clock here: ``lifecycle.py`` and ``signin.py`` apply these rules in a
write transaction, the hub applies the same ones to what stations send. ``docs/activities.md``
explains each rule and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MAX_TITLE = 100
MAX_NAME = 50
MAX_UNIT = 100
MAX_ACTIVITY_HOURS = 24  # one activity is at most a day long
DEFAULT_SIGNIN_LEAD_MINUTES = 60
DEFAULT_CREDIT_STEP_MINUTES = 5


class ActivityError(ValueError):
    """Input that cannot become an activity or an attendance; the message says why."""


class ActivityKind(StrEnum):
    """Stable codes (events, CLI, reports); the Chinese name is for people."""

    ORGANIZATION_LIFE = "organization-life"
    LECTURE = "lecture"
    VOLUNTEER = "volunteer"
    MEETING = "meeting"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[ActivityKind, str] = {
    ActivityKind.ORGANIZATION_LIFE: "组织生活",
    ActivityKind.LECTURE: "讲习所宣讲",
    ActivityKind.VOLUNTEER: "志愿服务",
    ActivityKind.MEETING: "联席会",
    ActivityKind.OTHER: "其他",
}


class ActivityState(StrEnum):
    SCHEDULED = "scheduled"  # 已安排
    IN_PROGRESS = "in_progress"  # 进行中
    ENDED = "ended"  # 已结束
    ARCHIVED = "archived"  # 已归档
    CANCELLED = "cancelled"  # 已取消

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[ActivityState, str] = {
    ActivityState.SCHEDULED: "已安排",
    ActivityState.IN_PROGRESS: "进行中",
    ActivityState.ENDED: "已结束",
    ActivityState.ARCHIVED: "已归档",
    ActivityState.CANCELLED: "已取消",
}
OPEN_STATES = frozenset({ActivityState.SCHEDULED, ActivityState.IN_PROGRESS})


class Category(StrEnum):
    """A person's category in attendance reports; stable codes, Chinese names for people."""

    STATION_MEMBER = "station-member"
    MOBILE_MEMBER = "mobile-member"
    NEW_SECTOR_MEMBER = "new-sector-member"
    OFFICE_MEMBER = "office-member"
    COMMUNITY_MEMBER = "community-member"
    PUBLIC = "public"
    VOLUNTEER = "volunteer"
    PARTNER_UNIT = "partner-unit"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.STATION_MEMBER: "驿站党员",
    Category.MOBILE_MEMBER: "流动党员",
    Category.NEW_SECTOR_MEMBER: "两新党员",
    Category.OFFICE_MEMBER: "机关党员（下沉）",
    Category.COMMUNITY_MEMBER: "社区党员",
    Category.PUBLIC: "群众",
    Category.VOLUNTEER: "志愿者",
    Category.PARTNER_UNIT: "共建单位",
}


def parse_category(text: str | None) -> Category:
    """A category from its code or its Chinese name (``机关党员`` also without ``（下沉）``)."""
    raw = (text or "").strip()
    for category in Category:
        if raw in (category.value, category.label) or (
            category is Category.OFFICE_MEMBER and raw in ("机关党员", "机关党员(下沉)")
        ):
            return category
    known = "、".join(c.label for c in Category)
    raise ActivityError(f"unknown category {raw!r}; one of: {known} (or their codes)")


def parse_kind(text: str) -> ActivityKind:
    raw = text.strip()
    for kind in ActivityKind:
        if raw in (kind.value, kind.label):
            return kind
    raise ActivityError(f"unknown kind {raw!r}; one of: {', '.join(k.value for k in ActivityKind)}")


class AttendanceState(StrEnum):
    SIGNED_IN = "signed_in"  # 已签到
    SIGNED_OUT = "signed_out"  # 已签退
    PENDING = "pending"  # 待确认
    CONFIRMED = "confirmed"  # 已确认
    REJECTED = "rejected"  # 已驳回

    @property
    def label(self) -> str:
        return ATTENDANCE_LABELS[self]


ATTENDANCE_LABELS: dict[AttendanceState, str] = {
    AttendanceState.SIGNED_IN: "已签到",
    AttendanceState.SIGNED_OUT: "已签退",
    AttendanceState.PENDING: "待确认",
    AttendanceState.CONFIRMED: "已确认",
    AttendanceState.REJECTED: "已驳回",
}


class EndedBy(StrEnum):
    """How an attendance ended."""

    SELF = "self"  # the person scanned again
    KEEPER = "keeper"  # the keeper signed this one person out
    ACTIVITY_END = "activity_end"  # the keeper ended the activity with this person still in
    AUTOMATIC = "automatic"  # the activity's end passed with nobody ending it


def clean_text(value: str | None, what: str, limit: int, *, required: bool) -> str | None:
    """Trimmed text of at most ``limit`` characters, or :class:`ActivityError`."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise ActivityError(f"{what} is required")
        return None
    if len(text) > limit:
        raise ActivityError(f"{what} is longer than {limit} characters")
    return text


def clean_phone_tail(value: str | None) -> str | None:
    """The last 4 digits of a phone number, nothing more (a guest's only contact detail)."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) != 4 or not text.isdigit():
        raise ActivityError("the phone tail is exactly 4 digits")
    return text


@dataclass(frozen=True)
class Schedule:
    """When an activity runs and when sign-in is open."""

    start: datetime
    end: datetime
    signin_lead: timedelta = timedelta(minutes=DEFAULT_SIGNIN_LEAD_MINUTES)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ActivityError("times need a time zone")
        if self.end <= self.start:
            raise ActivityError("the end must be after the start")
        if self.end - self.start > timedelta(hours=MAX_ACTIVITY_HOURS):
            raise ActivityError(f"an activity lasts at most {MAX_ACTIVITY_HOURS} hours")
        if self.signin_lead < timedelta(0):
            raise ActivityError("the sign-in window cannot open after the start")

    @property
    def signin_opens(self) -> datetime:
        return self.start - self.signin_lead

    def signin_open(self, now: datetime) -> bool:
        """Sign-in (and sign-out) is possible from ``signin_opens`` up to the end."""
        return self.signin_opens <= now <= self.end

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def credited_minutes(
    signed_in: datetime, signed_out: datetime, schedule: Schedule, step_minutes: int
) -> int:
    """Sign-out minus sign-in, clamped to the scheduled start and end, rounded down to the
    step. Early arrival and staying late earn nothing; a clock that went back earns 0."""
    start = max(signed_in, schedule.start)
    end = min(signed_out, schedule.end)
    if end <= start:
        return 0
    minutes = int((end - start).total_seconds() // 60)
    step = max(1, int(step_minutes))
    return minutes - minutes % step


def backfill_limit(schedule: Schedule) -> int:
    """A 补录 never credits more than the activity's scheduled length."""
    return schedule.minutes


def state_at(stored: ActivityState, schedule: Schedule, now: datetime) -> ActivityState:
    """The state a person sees: a scheduled activity whose start has passed is 进行中."""
    if stored is ActivityState.SCHEDULED and now >= schedule.start:
        return ActivityState.IN_PROGRESS
    return stored
