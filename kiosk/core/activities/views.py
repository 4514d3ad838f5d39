"""What the CLI, the screens and the sheet read about activities: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kiosk.core.activities.model import (
    ActivityKind,
    ActivityState,
    AttendanceState,
    Category,
    Schedule,
    state_at,
)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    SIGNED_OUT = "signed_out"
    ALREADY_SIGNED_IN = "already_signed_in"
    REFUSED = "refused"


class SignInRefusal(StrEnum):
    """Why a scan did not sign anyone in, beside the badge problems of ``core/badges``."""

    NOT_OPEN = "not_open"  # before the sign-in window opens
    CLOSED = "closed"  # after the scheduled end
    UNVERIFIED = "unverified"  # a badge under a key this station has not learned: nobody


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    reason: str | None = None
    person_id: str | None = None
    person_name: str | None = None
    attendance_id: str | None = None
    activity_title: str = ""
    credited_minutes: int = 0
    opens_at: datetime | None = None


@dataclass(frozen=True)
class ActivityView:
    id: str
    kind: ActivityKind
    title: str
    host_unit: str | None
    place: str | None
    start_at: datetime
    end_at: datetime
    signin_opens_at: datetime
    service_hours: bool
    source: str
    stored_state: ActivityState
    ended_at: datetime | None

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.start_at, self.end_at, self.start_at - self.signin_opens_at)

    def state(self, now: datetime) -> ActivityState:
        return state_at(self.stored_state, self.schedule, now)

    def record(self, now: datetime) -> dict[str, object]:
        state = self.state(now)
        return {
            "id": self.id,
            "kind": self.kind.value,
            "kind_name": self.kind.label,
            "title": self.title,
            "host_unit": self.host_unit,
            "place": self.place,
            "start_at": self.start_at,
            "end_at": self.end_at,
            "signin_opens_at": self.signin_opens_at,
            "service_hours": self.service_hours,
            "source": self.source,
            "state": state.value,
            "state_name": state.label,
        }


@dataclass(frozen=True)
class AttendanceView:
    id: str
    person_id: str | None
    name: str  # the person's roster name, the guest's name, or "" (not in the roster)
    unit: str | None
    category: Category | None
    guest: bool
    method: str
    signed_in_at: datetime
    signed_out_at: datetime | None
    ended_by: str | None
    credited_minutes: int
    state: AttendanceState
    review_reason: str | None

    def record(self) -> dict[str, object]:
        return {
            "attendance_id": self.id,
            "person_id": self.person_id,
            "name": self.name,
            "unit": self.unit,
            "category": self.category.value if self.category else None,
            "category_name": self.category.label if self.category else None,
            "guest": self.guest,
            "method": self.method,
            "signed_in_at": self.signed_in_at,
            "signed_out_at": self.signed_out_at,
            "ended_by": self.ended_by,
            "credited_minutes": self.credited_minutes,
            "state": self.state.value,
            "state_name": self.state.label,
            "review_reason": self.review_reason,
        }


@dataclass(frozen=True)
class ActivityDetail:
    activity: ActivityView
    attendances: list[AttendanceView]
    by_category: dict[str, int] = field(default_factory=dict)  # code ("unset") → 人次

    @property
    def people(self) -> int:
        """人次 of the activity: distinct known people plus each guest sign-in."""
        known = {a.person_id for a in self.attendances if a.person_id}
        return len(known) + sum(1 for a in self.attendances if a.person_id is None)

    @property
    def still_in(self) -> int:
        return sum(1 for a in self.attendances if a.signed_out_at is None)

    @property
    def credited_minutes(self) -> int:
        return sum(a.credited_minutes for a in self.attendances)
