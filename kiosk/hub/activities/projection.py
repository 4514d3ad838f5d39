"""The hub's mirror of the stations' activity records (see the package docstring)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.hub.models import HubActivity, HubAttendance, HubVisit
from kiosk.hub.verification import COUNTED

OPEN_HORIZON = timedelta(hours=12)  # an attendance never signed out counts as this long
OVERLAP_WINDOW = timedelta(days=2)


def _aware(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else None


def project_scheduled(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``activity.scheduled``: a keeper's activity enters the hub's mirror (once)."""
    if session.get(HubActivity, p["activity_id"]) is None:
        session.add(
            HubActivity(
                id=p["activity_id"],
                kind=p["kind"],
                title=p["title"],
                host_unit=p.get("host_unit"),
                place=p.get("place"),
                start_at=_aware(p["start_at"]),
                end_at=_aware(p["end_at"]),
                signin_opens_at=_aware(p["signin_opens_at"]),
                service_hours=bool(p["service_hours"]),
                created_by="keeper",
                origin_station_id=station_id,
                station_ids=[station_id],
                state="scheduled",
                updated_at=now,
            )
        )


def _own_activity(session: Session, station_id: str, p: dict[str, Any]) -> HubActivity | None:
    activity = session.get(HubActivity, p["activity_id"])
    if activity is None or activity.origin_station_id not in (None, station_id):
        return None  # another station's activity: not this station's to change
    return activity


def project_started(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.start_at = _aware(p["start_at"]) or activity.start_at
        activity.signin_opens_at = _aware(p["signin_opens_at"]) or activity.signin_opens_at
        activity.state = "in_progress"
    activity.updated_at = now


def project_ended(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.state, activity.ended_at = "ended", _aware(p["ended_at"])
    activity.updated_at = now


def project_cancelled(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    activity = _own_activity(session, station_id, p)
    if activity is None:
        return
    if activity.origin_station_id == station_id:
        activity.state = "cancelled"
    activity.updated_at = now


def project_signed_in(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``attendance.signed_in``: once per attendance; the 人次 flags are decided here."""
    if session.scalar(
        select(HubAttendance.id).where(HubAttendance.attendance_id == p["attendance_id"])
    ):
        return
    guest = p.get("guest") or {}
    row = HubAttendance(
        station_id=station_id,
        attendance_id=p["attendance_id"],
        activity_id=p["activity_id"],
        person_id=p.get("person_id"),
        guest_name=guest.get("name"),
        guest_unit=guest.get("unit"),
        category=p.get("category"),
        method=p["method"],
        signed_in_at=_aware(p["signed_in_at"]),
        credited_minutes=0,
        station_state="signed_in",
        clock_offset_seconds=p.get("clock_offset_seconds"),
        overlap=False,
        first_at_activity=True,
        during_visit=False,
    )
    if row.person_id:
        row.first_at_activity, row.during_visit = _first_and_resting(session, row)
    session.add(row)
    session.flush()
    if row.person_id:
        refresh_overlaps(session, row.person_id, row.signed_in_at)


def project_signed_out(session: Session, station_id: str, p: dict[str, Any], now: datetime) -> None:
    """``attendance.signed_out``: the station's word on the hours (the review is beside it)."""
    row = session.scalar(
        select(HubAttendance).where(HubAttendance.attendance_id == p["attendance_id"])
    )
    if row is None or row.station_id != station_id:
        return
    row.signed_out_at = _aware(p["signed_out_at"])
    row.ended_by = p["ended_by"]
    row.credited_minutes = int(p["credited_minutes"])
    row.station_state = p["state"]
    row.review_reason = p.get("review_reason")
    session.flush()
    if row.person_id:
        refresh_overlaps(session, row.person_id, row.signed_in_at)


def _first_and_resting(session: Session, row: HubAttendance) -> tuple[bool, bool]:
    """Is this the person's first attendance at the activity; were they inside a counted
    rest visit at this station when they signed in (the station's visits come before its
    attendance in its outbox, and ``handlers.project`` projects a batch's visits first)."""
    earlier = session.scalar(
        select(HubAttendance.id)
        .where(
            HubAttendance.activity_id == row.activity_id,
            HubAttendance.person_id == row.person_id,
        )
        .limit(1)
    )
    inside = session.scalar(
        select(HubVisit.id)
        .where(
            HubVisit.person_id == row.person_id,
            HubVisit.station_id == row.station_id,
            HubVisit.verification.in_(COUNTED),
            HubVisit.checked_in_at >= row.signed_in_at - OPEN_HORIZON,
            HubVisit.checked_in_at <= row.signed_in_at,
            (HubVisit.checked_out_at.is_(None)) | (HubVisit.checked_out_at >= row.signed_in_at),
        )
        .limit(1)
    )
    return earlier is None, inside is not None


def end_of(a: HubAttendance) -> datetime:
    return a.signed_out_at or a.signed_in_at + OPEN_HORIZON


def refresh_overlaps(session: Session, person_id: str, around: datetime) -> None:
    """Flag a person's attendances that overlap one at another station (both are kept)."""
    rows = list(
        session.scalars(
            select(HubAttendance).where(
                HubAttendance.person_id == person_id,
                HubAttendance.signed_in_at >= around - OVERLAP_WINDOW,
                HubAttendance.signed_in_at <= around + OVERLAP_WINDOW,
            )
        )
    )
    for a in rows:
        a.overlap = any(
            b.station_id != a.station_id
            and b.signed_in_at < end_of(a)
            and a.signed_in_at < end_of(b)
            for b in rows
        )
