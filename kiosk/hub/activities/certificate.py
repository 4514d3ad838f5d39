"""志愿服务证明: a person's confirmed service hours over a period, issued by the hub.

谁组织谁记录、谁记录谁证明: a certificate lists only hours our stations recorded and a
reviewer confirmed (the newest decision on an attendance is ``confirmed``; a linked guest's
attendance counts for the person it was linked to) and 补录 that a second person approved;
a keeper certifies only what his stations recorded. It carries the four parts such a
certificate has — identity; the hours and what the service was; the issuing unit and the
person who handled it, with contact; a number and date — and a check code (80 random bits)
under which the hub keeps exactly what it printed, so ``/console/verify`` can confirm it.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.activities.model import KIND_LABELS
from kiosk.hub.activities.review import (
    CONFIRMED,
    ReviewError,
    Scope,
    activity_scope,
    in_scope,
    required_text,
)
from kiosk.hub.models import (
    HubActivity,
    HubAttendance,
    HubBackfill,
    HubCertificate,
    HubGuestLink,
    HubPerson,
    HubStation,
)

MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Item:
    """One line of the certificate."""

    day: str  # YYYY-MM-DD, local
    title: str
    kind: str  # Chinese
    station: str
    minutes: int
    source: str  # 核验 | 补录

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if end < start:
        raise ReviewError("the period ends before it starts", "结束日期早于开始日期。")
    if (end - start).days > MAX_DAYS:
        raise ReviewError("a certificate covers at most three years", "一份证明最多三年。")
    return (
        datetime.combine(start, time(), tz),
        datetime.combine(end + timedelta(days=1), time(), tz),
    )


def certified_items(
    session: Session, person_id: str, start: date, end: date, tz: ZoneInfo, scope: Scope = None
) -> list[Item]:
    """The confirmed hours of one person over the days (by the activity's start)."""
    since, until = _bounds(start, end, tz)
    names = dict(session.execute(select(HubStation.id, HubStation.name)).all())
    link = select(HubGuestLink.attendance_pk).where(HubGuestLink.person_id == person_id)
    query = (
        select(HubActivity, HubAttendance.station_id, HubAttendance.decided_minutes)
        .join(HubActivity, HubActivity.id == HubAttendance.activity_id)
        .where(
            (HubAttendance.person_id == person_id) | HubAttendance.id.in_(link),
            HubAttendance.decision == CONFIRMED,
            HubAttendance.decided_minutes > 0,
            HubActivity.state != "cancelled",
            HubActivity.start_at >= since,
            HubActivity.start_at < until,
        )
    )
    if scope is not None:
        query = query.where(HubAttendance.station_id.in_(list(scope)))
    items = [
        _item(a, names.get(station, ""), minutes, "核验", tz)
        for a, station, minutes in session.execute(query)
    ]
    backfills = session.execute(
        select(HubActivity, HubBackfill.minutes)
        .join(HubBackfill, HubBackfill.activity_id == HubActivity.id)
        .where(
            HubBackfill.person_id == person_id,
            HubBackfill.approved_at.is_not(None),
            HubActivity.state != "cancelled",
            HubActivity.start_at >= since,
            HubActivity.start_at < until,
        )
    )
    for a, minutes in backfills:
        if in_scope(a, scope):
            at = sorted(activity_scope(a) or [])
            where = "、".join(names.get(s, "") for s in at) if at else "各驿站"
            items.append(_item(a, where, minutes, "补录", tz))
    return sorted(items, key=lambda i: (i.day, i.title, i.source))


def _item(a: HubActivity, station: str, minutes: int, source: str, tz: ZoneInfo) -> Item:
    kind = KIND_LABELS.get(a.kind, a.kind)  # type: ignore[call-overload]
    day = a.start_at.astimezone(tz).date().isoformat()
    return Item(day, a.title, kind, station, minutes, source)


def new_code() -> str:
    """80 random bits as 16 base32 letters and digits, in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise(code: str) -> str:
    letters = "".join(c for c in code.upper() if c.isalnum())[:16]
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def issue(
    session: Session,
    person_id: str,
    start: date,
    end: date,
    tz: ZoneInfo,
    *,
    issuer_unit: str,
    handler: str,
    contact: str,
    by: str,
    now: datetime,
    scope: Scope = None,
) -> HubCertificate:
    """Record a certificate (refused when there are no confirmed hours to certify)."""
    person = session.get(HubPerson, person_id.strip())
    if person is None:
        raise ReviewError(f"no person with id {person_id}", "没有这个人员编号。")
    unit = required_text(issuer_unit, "the issuing unit", "出具单位", 100)
    who = required_text(handler, "the person handling it", "经办人", 50)
    phone = required_text(contact, "the contact", "联系电话", 50)
    items = certified_items(session, person.id, start, end, tz, scope)
    if not items:
        raise ReviewError(
            "no confirmed hours in that period", "这段时间没有已确认的服务时长，无法出具证明。"
        )
    row = HubCertificate(
        number=new_code(),  # replaced below, once the id is known
        check_code=new_code(),
        person_id=person.id,
        person_name=person.name,
        period_from=start,
        period_to=end,
        minutes=sum(i.minutes for i in items),
        items=[i.as_json() for i in items],
        issuer_unit=unit,
        handler=who,
        contact=phone,
        issued_by=by[:50],
        issued_at=now,
    )
    session.add(row)
    session.flush()
    row.number = f"ZYFW-{now.astimezone(tz):%Y}-{row.id:06d}"
    session.flush()
    return row


def find(session: Session, code: str) -> HubCertificate | None:
    """The certificate a check code names (any spacing or case), or None."""
    wanted = normalise(code)
    if len(wanted) != 19:
        return None
    return session.scalar(select(HubCertificate).where(HubCertificate.check_code == wanted))


def hours(minutes: int) -> str:
    """Hours as printed: one decimal place at most (95 min → 1.6)."""
    return f"{minutes / 60:.1f}".removesuffix(".0")
