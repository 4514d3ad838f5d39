"""``kiosk-hub report period``, ``export attendance``, ``certificate issue|verify`` and
``hours link`` refuse bad input with one line and exit 2, writing nothing; and a review
decision the station already has is not stored twice (a resync replays the feed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.core.activities.model import ActivityKind
from kiosk.core.clock import ManualClock
from kiosk.core.trades import Trade
from kiosk.hub.cli import main
from kiosk.store.models import AttendanceReview
from kiosk.sync.apply_content import apply_review
from kiosk.sync.protocol import ReviewInfo
from tests.sync.conftest import MakeStation, make_station  # noqa: F401 — shared fixture


def run(db: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", db, "--json", *argv])
    captured = capsys.readouterr()
    return code, captured.err.strip()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["report", "period", "--from", "2026-11-30", "--to", "2026-11-01"], "--to is before"),
        (["report", "period", "--from", "2020-01-01", "--to", "2026-01-01"], "three years"),
        (["report", "period", "--from", "2026-13-01", "--to", "2026-12-01"], "YYYY-MM-DD"),
        (["report", "period", "--from", "2026-11-01", "--to", "2026-11-30", "--kind", "party"],
         "unknown kind"),
        (["report", "period", "--from", "2026-11-01", "--to", "2026-11-30", "--xlsx", "x.csv"],
         ".xlsx"),
        (["export", "attendance", "--from", "2026-11-30", "--to", "2026-11-01", "--out",
          "a.csv"], "--to is before"),
        (["certificate", "verify", "AAAA-BBBB-CCCC-DDDD"], "no certificate"),
        (["certificate", "issue", "nobody", "--from", "2026-01-01", "--to", "2026-12-31",
          "--unit", "局", "--handler", "钱", "--contact", "1", "--by", "钱", "--out", "c.pdf",
          "--verify-url", "https://hub/console/verify"], "no person"),
        (["hours", "link", "nothing", "someone", "--by", "钱"], "no attendance"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch, argv, says
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(db, capsys, *argv)
    assert code == 2 and says in err and err.count("\n") == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub.sqlite3"]  # nothing written


def test_a_replayed_review_decision_is_stored_once(make_station: MakeStation, hub) -> None:  # noqa: F811
    clock = ManualClock(datetime(2026, 11, 3, 1, 0, tzinfo=UTC))
    station = make_station("东站", hub, clock=clock)
    person = station.add_person(name="张三", trade=Trade.SANITATION)
    activity = station.add_activity(
        kind=ActivityKind.VOLUNTEER, title="志愿服务", start=clock.now(),
        end=clock.now() + timedelta(hours=1), service_hours=True,
    ).id  # fmt: skip
    attendance = station.activity_sign_in_person(activity, person.id).attendance_id
    assert attendance is not None
    info = ReviewInfo(
        attendance_id=attendance, station_id="hub-id", decision="rejected", minutes=0,
        reason="同时段在西站签到", decided_at=clock.now(),
    )  # fmt: skip
    elsewhere = info.model_copy(update={"attendance_id": "not-here"})
    with station.db.write() as s:
        assert apply_review(s, info, clock.now()) is True
        assert apply_review(s, info, clock.now()) is False
        assert apply_review(s, elsewhere, clock.now()) is False
    with station.db.read() as s:
        assert s.scalar(select(func.count()).select_from(AttendanceReview)) == 1
    [view] = station.activity(activity).attendances
    assert view.state.value == "rejected" and view.credited_minutes == 0
