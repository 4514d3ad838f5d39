"""The station's activity operations (issue 14): a part of ``StationService``.

The records themselves are ``core/activities/records.py``; these methods run them on the
database thread, ending overdue activities first in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from kiosk.core import checkin
from kiosk.core.activities import lifecycle, reading, signin
from kiosk.core.activities.model import ActivityError
from kiosk.core.activities.views import ActivityDetail, ActivityView, SignInResult
from kiosk.core.db_thread import OnDbThread
from kiosk.core.errors import StationError

T = TypeVar("T")


class ActivityOperations(OnDbThread):
    """Activities on ``StationService`` (which provides ``info``)."""

    def _activity_write(
        self, fn: Callable[[Session, datetime], T], *, close_overdue: bool = True
    ) -> T:
        """An activity change: overdue activities are ended first, in the same transaction;
        a refusal (``ActivityError``) is a ``StationError`` and rolls everything back."""

        def run(s: Session, now: datetime) -> T:
            try:
                if close_overdue:
                    lifecycle.close_overdue(s, now)
                return fn(s, now)
            except ActivityError as e:
                raise StationError(str(e)) from None

        return self._write(run)

    def add_activity(self, **fields: Any) -> ActivityView:
        return self._activity_write(lambda s, now: lifecycle.create_activity(s, now, **fields))

    def activities(self, day: date | None = None) -> list[ActivityView]:
        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        self._activity_write(lambda s, now: None)
        return self._read(lambda s: reading.list_activities(s, day, tz))

    def activity(self, activity_id: str) -> ActivityDetail:
        self._activity_write(lambda s, now: None)

        def get(s: Session) -> ActivityDetail:
            try:
                return reading.detail(s, activity_id)
            except ActivityError as e:
                raise StationError(str(e)) from None

        return self._read(get)

    def next_activity(self) -> ActivityView | None:
        now = self.clock.now()
        return self._read(lambda s: reading.next_activity(s, now))

    def unsent_activity_records(self) -> int:
        """Activity and attendance records the hub has not accepted yet."""
        return self._read(reading.unsent_records)

    def activity_scan(
        self, activity_id: str, text: str, method: checkin.Method = checkin.Method.CAMERA
    ) -> SignInResult:
        ring = self.keyring()
        return self._activity_write(
            lambda s, now: signin.scan(s, activity_id, text, method.value, now, ring)
        )

    def activity_sign_in_person(self, activity_id: str, person_id: str) -> SignInResult:
        return self._activity_write(
            lambda s, now: signin.sign_in_person(s, activity_id, person_id, now)
        )

    def activity_guest(self, activity_id: str, **guest: Any) -> SignInResult:
        return self._activity_write(
            lambda s, now: signin.sign_in_guest(s, activity_id, now, **guest)
        )

    def activity_sign_out(self, attendance_id: str) -> SignInResult:
        """The keeper signs one attendance out now (``ended_by`` ``keeper``)."""
        return self._activity_write(lambda s, now: signin.sign_out_by_keeper(s, attendance_id, now))

    def start_activity(self, activity_id: str) -> ActivityView:
        return self._activity_write(lambda s, now: lifecycle.start_now(s, activity_id, now))

    def end_activity(self, activity_id: str) -> tuple[int, int]:
        # Not closed as overdue first: the keeper's end does the same, under the keeper's name.
        return self._activity_write(
            lambda s, now: lifecycle.end_activity(s, activity_id, now),
            close_overdue=False,
        )

    def cancel_activity(self, activity_id: str, reason: str | None = None) -> ActivityView:
        return self._activity_write(lambda s, now: lifecycle.cancel(s, activity_id, now, reason))

    def write_activity_sheet(self, activity_id: str, out: Path) -> int:
        """The activity's 签到表 as an A4 PDF at ``out``; its page count."""
        from kiosk.core.activities.sheet import write_signin_sheet
        from kiosk.core.pdf import PdfError

        detail = self.activity(activity_id)
        tz = self._read(lambda s: checkin.Rules.load(s).tz)
        try:
            return write_signin_sheet(detail, out, tz=tz, station_name=self.info().name)
        except PdfError as e:
            raise StationError(str(e)) from None
