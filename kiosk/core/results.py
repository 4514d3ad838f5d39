"""The value types a check-in produces and the screens show, free of SQLAlchemy and crypto.

The touchscreen imports these before the station's database is open, so this module must
stay cheap to import: stdlib only. This is their one home: import them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.store.models import Person


class Method(StrEnum):
    CAMERA = "camera"
    SCANNER = "scanner"
    MANUAL = "manual"
    TRADE = "trade"


class Outcome(StrEnum):
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    ALREADY_IN = "already_in"  # scanned again inside the guard window after checking in
    ALREADY_OUT = "already_out"  # scanned again inside the guard window after checking out
    REFUSED = "refused"


class Greeting(StrEnum):
    """Who the screen is talking to."""

    PERSON = "person"  # a roster member, greeted by name
    UNKNOWN_PERSON = "unknown_person"  # valid badge, person not in the local roster yet
    UNVERIFIED = "unverified"  # badge signed by a key this kiosk has not learned yet
    ANONYMOUS = "anonymous"  # no badge: a trade tap
    NONE = "none"  # refused


class BadgeProblem(StrEnum):
    """Why a scanned text is not accepted as a badge (the ``reason`` a screen explains)."""

    NOT_A_BADGE = "not_a_badge"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    REVOKED = "revoked"
    PERSON_INACTIVE = "person_inactive"


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    trade: str
    team: str | None
    party_member: bool
    active: bool

    @classmethod
    def of(cls, p: Person) -> PersonView:
        return cls(p.id, p.name, p.trade, p.team, p.party_member, p.active)


@dataclass(frozen=True)
class ScanResult:
    outcome: Outcome
    greeting: Greeting = Greeting.NONE
    reason: str | None = None  # a BadgeProblem value when refused, else a Greeting detail
    person_id: str | None = None
    visit_id: str | None = None
    person: PersonView | None = None
    trade: str | None = None
    checked_in_at: datetime | None = None
    checked_out_at: datetime | None = None
    rest_seconds: int | None = None
    month_visits: int | None = None  # 本月第 N 次到站


def refused(problem: BadgeProblem) -> ScanResult:
    return ScanResult(Outcome.REFUSED, reason=problem.value)


@dataclass(frozen=True)
class DayFigures:
    date: date
    visits: int  # 人次
    distinct_people: int
    anonymous_by_trade: dict[str, int] = field(default_factory=dict)
    visits_by_trade: dict[str, int] = field(default_factory=dict)
    rest_hours: float = 0.0  # closed visits only, each capped at max_visit_hours
    open_visits: int = 0
    # Included in ``visits``: badges under a key this station had not learned (yet). Anyone
    # can print such a token, so keepers and the hub may want to read them apart.
    unverified_visits: int = 0
    # Not in ``visits``: once the key was learned, the badge did not verify (forged) or was
    # signed after a revocation.
    rejected_visits: int = 0
