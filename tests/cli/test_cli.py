"""The ``kiosk`` command, run in-process through ``kiosk.app.main`` on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import cv2
import pytest

from kiosk.app import main
from kiosk.resources import resource
from tests.image_bombs import write_png_bomb


class Kiosk:
    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self.capsys = capsys

    def __call__(self, *argv: str, expect: int = 0) -> list[dict]:
        self.capsys.readouterr()
        code = main(["--data-dir", str(self.data_dir), "--json", *argv])
        captured = self.capsys.readouterr()
        assert code == expect, captured.err
        self.err = captured.err
        return [json.loads(line) for line in captured.out.splitlines() if line.strip()]


@pytest.fixture
def kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    k = Kiosk(tmp_path / "data", capsys)
    k("init", "--station-name", "命令行测试站")
    return k


def test_person_badge_scan_stats_round_trip(kiosk: Kiosk, tmp_path: Path) -> None:
    [added] = kiosk("person", "add", "--name", "张三", "--trade", "环卫", "--party-member")
    kiosk("person", "add", "--name", "赵四", "--trade", "市政")
    found = kiosk("person", "find", "zs")
    assert {p["name"] for p in found} == {"张三", "赵四"}

    card = tmp_path / "zhang.png"
    [issued] = kiosk("badge", "issue", added["id"], "--out", str(card))
    assert issued["person_id"] == added["id"] and Path(issued["file"]) == card
    assert card.stat().st_size > 1000

    [first, again] = kiosk("scan", issued["token"], issued["token"])
    assert first["outcome"] == "checked_in" and first["message"] == "张师傅，欢迎回家！"
    assert again["outcome"] == "already_in" and again["visit_id"] == first["visit_id"]

    [stats] = kiosk("stats")
    assert stats["visits"] == 1 and stats["distinct_people"] == 1
    [visit] = kiosk("visits")
    assert visit["visit_id"] == first["visit_id"] and visit["method"] == "scanner"
    [month] = kiosk("stats", "--month", stats["date"][:7])  # the keeper's 统计 figures
    assert month["visits"] == 1 and month["distinct_people"] == 1
    assert month["visits_by_trade"] == stats["visits_by_trade"]
    assert [d for d in month["days"] if d["date"] == stats["date"]] == [stats]
    kiosk("stats", "--month", "2026-13", expect=2)


def test_scan_image_decodes_a_printed_card(kiosk: Kiosk, tmp_path: Path) -> None:
    [person] = kiosk("person", "add", "--name", "欧阳明", "--trade", "绿化")
    out_dir = tmp_path / "cards"
    [issued] = kiosk("badge", "issue", "--all", "--out-dir", str(out_dir))
    # A phone photo of the card: smaller, rotated, JPEG-compressed.
    card = cv2.imread(issued["file"], cv2.IMREAD_GRAYSCALE)
    small = cv2.resize(card, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    h, w = small.shape
    turned = cv2.warpAffine(
        small, cv2.getRotationMatrix2D((w / 2, h / 2), 17, 1.0), (w, h), borderValue=200
    )
    photo = tmp_path / "photo.jpg"
    cv2.imwrite(str(photo), turned, [cv2.IMWRITE_JPEG_QUALITY, 70])

    [decoded] = kiosk("decode", str(photo))
    assert decoded["codes"] == [issued["token"]] and decoded["ms"] >= 0
    [result] = kiosk("scan-image", str(photo))
    assert result["file"] == str(photo)
    assert result["outcome"] == "checked_in" and result["person_id"] == person["id"]
    assert result["message"] == "欧阳师傅，欢迎回家！"


def test_decode_reads_a_dark_mode_sideways_photo_of_two_badges(kiosk: Kiosk, tmp_path) -> None:
    """A worker's phone screenshot in dark mode, sent sideways: both badges, light on dark."""
    import numpy as np

    kiosk("person", "add", "--name", "李雷", "--trade", "环卫")
    kiosk("person", "add", "--name", "韩梅", "--trade", "绿化")
    issued = kiosk("badge", "issue", "--all", "--out-dir", str(tmp_path / "cards"))
    cards = [cv2.imread(i["file"], cv2.IMREAD_GRAYSCALE) for i in issued]
    h = max(c.shape[0] for c in cards)
    cards = [
        cv2.copyMakeBorder(c, 0, h - c.shape[0], 0, 40, cv2.BORDER_CONSTANT, value=255)
        for c in cards
    ]
    screen = 255 - np.hstack(cards)  # dark mode: light modules on black
    photo = tmp_path / "screenshot.jpg"
    cv2.imwrite(str(photo), np.rot90(screen).copy(), [cv2.IMWRITE_JPEG_QUALITY, 80])

    [decoded] = kiosk("decode", str(photo))
    assert sorted(decoded["codes"]) == sorted(i["token"] for i in issued)
    rows = kiosk("scan-image", str(photo))
    assert sorted(r["outcome"] for r in rows) == ["checked_in", "checked_in"]
    assert {r["message"] for r in rows} == {"李师傅，欢迎回家！", "韩师傅，欢迎回家！"}


def test_scan_image_without_a_code_and_unreadable_files(kiosk: Kiosk, tmp_path: Path) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), 255 * __import__("numpy").ones((200, 200), "uint8"))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really a jpeg")
    rows = kiosk("scan-image", str(blank), str(broken), expect=1)
    assert rows[0]["reason"] == "no_code" and rows[0]["outcome"] == "refused"
    assert rows[1]["file"] == str(broken) and "error" in rows[1]


def test_refusals_explain_in_chinese(kiosk: Kiosk) -> None:
    rows = kiosk("scan", "https://example.com", "YZ1:AAAA")
    assert [r["reason"] for r in rows] == ["not_a_badge", "malformed"]
    assert all(r["outcome"] == "refused" and r["visit_id"] is None for r in rows)
    assert "工牌" in rows[0]["message"]


def test_revoke_then_scan_is_refused(kiosk: Kiosk) -> None:
    [person] = kiosk("person", "add", "--name", "王强", "--trade", "交警")
    [issued] = kiosk("badge", "issue", person["id"][:8], "--out", str(kiosk.data_dir / "w.png"))
    [revoked] = kiosk("badge", "revoke", person["id"])
    assert revoked["revoked"] == 1
    [result] = kiosk("scan", issued["token"])
    assert result["reason"] == "revoked"


def test_config_round_trip_and_validation(kiosk: Kiosk) -> None:
    assert kiosk("config", "get", "checkin.guard_seconds") == [
        {"key": "checkin.guard_seconds", "value": 60}
    ]
    kiosk("config", "set", "checkin.guard_seconds", "90")
    assert kiosk("config", "get", "checkin.guard_seconds")[0]["value"] == 90
    kiosk("config", "set", "checkin.guard_seconds", "abc", expect=2)
    assert kiosk.err.count("\n") == 1 and "int" in kiosk.err
    kiosk("config", "set", "no.such.key", "1", expect=2)
    assert {r["key"] for r in kiosk("config", "get")} >= {"checkin.max_visit_hours"}


def test_csv_import_and_list(kiosk: Kiosk, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("name,trade,team,party_member,phone\n李秀英,环卫,一班,1,\n", encoding="utf-8")
    row, summary = kiosk("person", "import", str(csv))
    assert (row["line"], row["action"], row["name"]) == (2, "added", "李秀英") and row["id"]
    assert summary == {
        "file": str(csv),
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "refused": 0,
        "imported": True,
    }
    assert [p["name"] for p in kiosk("person", "list")] == ["李秀英"]


def _import(kiosk: Kiosk, *argv: str) -> tuple[int, str, str]:
    kiosk.capsys.readouterr()
    code = main(["--data-dir", str(kiosk.data_dir), *argv])
    captured = kiosk.capsys.readouterr()
    return code, captured.out, captured.err


def test_importing_2000_people_prints_one_summary_line(kiosk: Kiosk, tmp_path: Path) -> None:
    """Issue 17: it printed 2,000 lines (every id and name) and nothing about what happened."""
    big = _people_csv(tmp_path / "big.csv", 2000)
    code, out, err = _import(kiosk, "person", "import", str(big))
    assert code == 0 and err == ""
    assert out.splitlines() == [f"{big}: 2000 added, 0 updated, 0 unchanged, 0 refused"]

    lines = big.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",环卫,", ",绿化,")  # 工人004 changes trade
    small = tmp_path / "again.csv"
    small.write_text("\n".join([*lines[:11], "新来的,环卫,,,"]) + "\n", encoding="utf-8")
    code, out, _ = _import(kiosk, "person", "import", str(small))
    assert out.splitlines() == [f"{small}: 1 added, 1 updated, 9 unchanged, 0 refused"]
    code, out, _ = _import(kiosk, "-v", "person", "import", str(small))
    assert len(out.splitlines()) == 12 and out.splitlines()[4].startswith(
        "line 6: unchanged 工人004"
    )
    assert len(kiosk("person", "list")) == 2002


def test_refused_rows_are_listed_and_nothing_is_imported(kiosk: Kiosk, tmp_path: Path) -> None:
    rows = [f"工人{i},环卫,,,1390000{i:04d}" for i in range(30)]
    rows[3] = "王五,厨师,,,"
    for i in range(10, 30):
        rows[i] = f",环卫,,,1390000{i:04d}"
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "name,trade,team,party_member,phone\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    code, out, err = _import(kiosk, "person", "import", str(csv))
    assert code == 2
    assert out.splitlines() == [f"{csv}: 0 added, 0 updated, 0 unchanged, 21 refused"]
    head, *listed = err.splitlines()
    assert head.startswith(f"kiosk: error: {csv}: nothing imported") and "21 row(s) refused" in head
    assert listed[0].startswith("  line 5 王五: unknown trade '厨师'")
    assert listed[1] == "  line 12 (no name): a name is required"
    assert len(listed) == 21 and listed[-1] == "  … and 1 more (-v or --json lists them all)"
    assert "Traceback" not in err and kiosk("person", "list") == []
    records = kiosk("person", "import", str(csv), expect=2)
    assert [r["line"] for r in records[:-1]] == [5, *range(12, 32)]
    assert records[-1]["refused"] == 21 and records[-1]["imported"] is False


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["person", "add", "--name", "张三"],
        ["person", "add", "--name", "张三", "--trade", "厨师"],
        ["badge", "issue"],
        ["badge", "issue", "nope", "--out", "x.png"],
        ["stats", "--date", "yesterday"],
        ["scan"],
    ],
)
def test_bad_usage_is_one_line_and_status_2(kiosk: Kiosk, argv: list[str]) -> None:
    kiosk(*argv, expect=2)
    assert kiosk.err.count("\n") == 1
    assert "Traceback" not in kiosk.err


def test_commands_before_init_say_how_to_start(tmp_path: Path, capsys) -> None:
    assert main(["--data-dir", str(tmp_path / "empty"), "person", "list"]) == 2
    assert "kiosk init" in capsys.readouterr().err


def test_init_twice_is_refused(kiosk: Kiosk) -> None:
    kiosk("init", "--station-name", "again", expect=2)
    assert "already" in kiosk.err


def test_private_key_is_owner_only(kiosk: Kiosk) -> None:
    key = kiosk.data_dir / "keys" / "badge-signing.pem"
    assert key.stat().st_mode & 0o777 == 0o600


def test_headless_demo_scans_its_cards(tmp_path: Path, capsys) -> None:
    code = main(["--data-dir", str(tmp_path / "demo"), "--json", "run", "--demo", "--headless"])
    assert code == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 6
    assert all(r["outcome"] == "checked_in" for r in rows)


def test_admin_pin_is_set_from_stdin_and_stored_hashed(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from kiosk.core.admin_pin import PinStore

    monkeypatch.setattr("sys.stdin", io.StringIO("864209\n"))
    assert kiosk("admin", "set-pin") == [{"admin_pin": "set"}]
    store = PinStore.in_dir(kiosk.data_dir)
    assert store.check("864209") and not store.check("2580")
    assert "864209" not in store.path.read_text()
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    kiosk("admin", "set-pin", expect=2)
    assert "digits" in kiosk.err


def test_materials_import_refuses_an_image_bomb_in_one_line(kiosk: Kiosk, tmp_path: Path) -> None:
    """Issue 17: a 20,000 × 20,000 PNG (well under 1 MB) in the documented layout."""
    before = kiosk("materials", "list")
    package = tmp_path / "bomb-pack"
    shutil.copytree(resource("materials", "road-safety"), package)
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    manifest["id"] = "bomb-pack"
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_png_bomb(package / "cover.png")
    assert (package / "cover.png").stat().st_size < 1024 * 1024

    kiosk.capsys.readouterr()
    code = main(["--data-dir", str(kiosk.data_dir), "materials", "import", str(package)])
    captured = kiosk.capsys.readouterr()
    assert code == 1
    [line] = captured.out.splitlines()
    assert line.startswith(f"{package}: refused: cover.png: bad image: too large")
    assert "decompression bomb" in line
    assert captured.err == ""  # no traceback, no second message
    assert kiosk("materials", "list") == before
    materials = kiosk.data_dir / "materials"
    assert not (materials / "bomb-pack").exists()
    assert [p.name for p in materials.iterdir() if p.name.startswith(".")] == []


def _people_csv(path: Path, count: int) -> Path:
    rows = "".join(
        f"工人{i:03d},环卫,{'一班' if i % 2 else '二班'},,1390000{i:04d}\n" for i in range(count)
    )
    path.write_text("name,trade,team,party_member,phone\n" + rows, encoding="utf-8")
    return path


def test_badge_issue_all_prints_progress_and_one_summary_not_a_line_per_card(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    kiosk("person", "import", str(_people_csv(tmp_path / "p.csv", 25)))
    cards, pdf = tmp_path / "cards", tmp_path / "sheet.pdf"
    argv = ["badge", "issue", "--all", "--out-dir", str(cards), "--sheet", str(pdf)]
    kiosk.capsys.readouterr()
    assert main(["--data-dir", str(kiosk.data_dir), *argv]) == 0
    captured = kiosk.capsys.readouterr()
    assert captured.out.splitlines() == [
        f"issued 25 badge(s); cards in {cards}, sheet {pdf} (3 A4 pages)"
    ]
    # stderr is not a terminal here: a few plain lines, no bar (no carriage returns).
    progress = captured.err.splitlines()
    assert "\r" not in captured.err and len(progress) <= 23
    assert progress[0] == "badges issued: 25/25 (100%)"  # one transaction of up to 100
    assert progress[-1] == "A4 sheet: 25/25 (100%)" and "badge cards: 25/25 (100%)" in progress
    assert len(list(cards.glob("*.png"))) == 25 and pdf.read_bytes().startswith(b"%PDF")

    assert main(["--data-dir", str(kiosk.data_dir), "-v", *argv]) == 0  # -v: a line per card
    out = kiosk.capsys.readouterr().out.splitlines()
    assert len(out) == 26 and out[0].startswith("工人000: ")  # 二班 (èr) before 一班 (yī)
    records = kiosk(*argv)
    assert len(records) == 25 and {r["page"] for r in records} == {1, 2, 3}
    code = main(["--data-dir", str(kiosk.data_dir), "badge", "issue", "--all", "--sheet", str(pdf)])
    progress = kiosk.capsys.readouterr().err.splitlines()
    assert code == 0 and progress[-1] == "A4 sheet: 25/25 (100%)"
    assert progress[0].startswith("badges issued: ") and len(progress) <= 12
    assert all(line.startswith("A4 sheet: ") for line in progress[1:])


def test_progress_is_a_bar_on_a_terminal() -> None:
    import io

    from kiosk.cli.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = Progress(40, "badge cards", stream=screen)
    for _ in range(40):
        progress.advance()
    progress.close()
    assert "\r" in screen.getvalue() and "40/40" in screen.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["badge", "issue", "--all"],
        ["badge", "issue", "--all", "--sheet", "cards.png"],
        ["badge", "issue", "--all", "--out", "x.png"],
        ["badge", "issue", "--all", "--sheet", "x.pdf", "--expires", "next year"],
    ],
)
def test_badge_issue_usage(kiosk: Kiosk, argv: list[str]) -> None:
    kiosk(*argv, expect=2)
    assert kiosk.err.count("\n") == 1 and "Traceback" not in kiosk.err
