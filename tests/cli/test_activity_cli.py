"""``kiosk activity …`` (issue 14, section 4), in-process through ``kiosk.app.main``.

The sign-in sheet is rendered back with poppler (``pdftoppm``/``pdftotext``/``pdffonts``).
The command runs on the real clock, so the activities are scheduled around now.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import cv2
import pytest
from sqlalchemy import func, select

from kiosk.store.db import Database
from kiosk.store.models import Activity, Attendance, OutboxEvent
from tests.cli.test_cli import Kiosk

TZ = ZoneInfo("Asia/Shanghai")


def at(delta: timedelta) -> str:
    return (datetime.now(TZ) + delta).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    k = Kiosk(tmp_path / "data", capsys)
    k("init", "--station-name", "东湖驿站")
    return k


def rows(kiosk: Kiosk) -> tuple[int, int, int]:
    db = Database(kiosk.data_dir / "station.sqlite3")
    try:
        with db.read() as s:
            return (
                s.scalar(select(func.count(Activity.id))),
                s.scalar(select(func.count(Attendance.id))),
                s.scalar(select(func.count(OutboxEvent.seq))),
            )
    finally:
        db.close()


def add(kiosk: Kiosk, *extra: str) -> str:
    [added] = kiosk(
        "activity", "add", "--title", "开放式组织生活", "--kind", "organization-life",
        "--start", at(timedelta(minutes=-30)), "--end", at(timedelta(hours=2)),
        "--host", "城管局第一党支部", *extra,
    )  # fmt: skip
    return added["id"]


def test_scan_guest_show_end_round_trip(kiosk: Kiosk, tmp_path: Path) -> None:
    [person] = kiosk("person", "add", "--name", "张建国", "--trade", "环卫")
    [badge] = kiosk("badge", "issue", person["id"], "--out", str(tmp_path / "c.png"))
    activity = add(kiosk, "--service-hours")
    [listed] = kiosk("activity", "list")
    assert listed["id"] == activity and listed["state"] == "in_progress"
    assert listed["kind"] == "organization-life" and listed["kind_name"] == "组织生活"

    first, again, junk = kiosk("activity", "scan", activity, badge["token"], badge["token"], "x")
    assert first["outcome"] == "signed_in" and first["person_id"] == person["id"]
    assert first["message"] == "张师傅，已签到【开放式组织生活】"
    assert again["outcome"] == "already_signed_in"
    assert again["attendance_id"] == first["attendance_id"]
    assert junk["outcome"] == "refused" and junk["reason"] == "not_a_badge"
    [guest] = kiosk(
        "activity", "guest", activity, "--name", "李梅", "--category", "两新党员",
        "--unit", "某物业公司", "--phone-tail", "1234",
    )  # fmt: skip
    [shown] = kiosk("activity", "show", activity)
    assert shown["people"] == 2 and shown["by_category"] == {"new-sector-member": 1, "unset": 1}
    names = {a["name"]: a for a in shown["attendance"]}
    assert names["李梅"]["attendance_id"] == guest["attendance_id"] and names["李梅"]["guest"]

    [ended] = kiosk("activity", "end", activity)
    assert ended == {"signed_out": 2, "to_review": 0}
    kiosk("activity", "end", activity, expect=2)
    assert "ended" in kiosk.err and kiosk.err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["activity", "show", "no-such-id"],
        ["activity", "scan", "no-such-id", "text"],
        ["activity", "guest", "ACT", "--name", "", "--category", "群众"],
        ["activity", "guest", "ACT", "--name", "长" * 500, "--category", "群众"],
        ["activity", "guest", "ACT", "--name", "王五", "--category", "党员"],
        ["activity", "guest", "ACT", "--name", "王五", "--category", "群众", "--phone-tail", "1"],
        ["activity", "add", "--title", "x", "--kind", "lecture", "--start", "2027-01-05 10:00",
         "--end", "2027-01-05 09:00"],
        ["activity", "add", "--title", "x", "--kind", "party", "--start", "2027-01-05 10:00",
         "--end", "2027-01-05 11:00"],
        ["activity", "add", "--title", "", "--kind", "lecture", "--start", "2027-01-05 10:00",
         "--end", "2027-01-05 11:00"],
        ["activity", "add", "--title", "x", "--kind", "lecture", "--start", "tomorrow",
         "--end", "2027-01-05 11:00"],
        ["activity", "sheet", "ACT", "--out", "sheet.png"],
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_records_nothing(kiosk: Kiosk, argv: list[str]) -> None:
    activity = add(kiosk)
    before = rows(kiosk)
    kiosk(*[activity if a == "ACT" else a for a in argv], expect=2)
    assert kiosk.err.strip() and kiosk.err.count("\n") == 1, kiosk.err
    assert rows(kiosk) == before


def test_an_ended_activity_refuses_more_sign_ins(kiosk: Kiosk) -> None:
    activity = add(kiosk)
    kiosk("activity", "end", activity)
    before = rows(kiosk)
    kiosk("activity", "guest", activity, "--name", "王五", "--category", "群众", expect=2)
    kiosk("activity", "scan", activity, "anything", expect=2)
    assert rows(kiosk) == before


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is missing")
def test_the_signin_sheet_renders_chinese(kiosk: Kiosk, tmp_path: Path) -> None:
    activity = add(kiosk)
    guests = ["欧阳秀英", "阿卜杜热合曼·买买提", *[f"来宾{i}号" for i in range(30)]]
    for name in guests:
        kiosk("activity", "guest", activity, "--name", name, "--category", "社区党员",
              "--unit", "<b>街道</b>&社区")  # fmt: skip
    pdf = tmp_path / "签到表.pdf"
    [written] = kiosk("activity", "sheet", activity, "--out", str(pdf))
    assert written["pages"] == 2

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    listed = fonts.stdout.splitlines()[2:]
    assert listed and all(" yes yes " in line for line in listed), fonts.stdout  # embedded
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("开放式组织生活 签到表", "城管局第一党支部", "东湖驿站", "签名",
                     "欧阳秀英", "阿卜杜热合曼", "来宾29号", "社区党员",
                     "<b>街道</b>&社区", "共 32 人次", "第2页"):  # fmt: skip
        assert expected in text.replace("第 ", "第").replace(" 页", "页"), expected
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-gray", "-png", str(pdf),
         str(tmp_path / "p")], check=True,
    )  # fmt: skip
    [png] = tmp_path.glob("p*.png")
    page = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    mm = 100 / 25.4
    title = page[int(12 * mm) : int(24 * mm), int(40 * mm) : int(170 * mm)]
    # The title's Chinese glyphs are drawn: ink, and many separate strokes (not a few boxes).
    ink = title < 128
    assert ink.mean() > 0.02
    count, _labels = cv2.connectedComponents(ink.astype("uint8"))
    assert count > 20
