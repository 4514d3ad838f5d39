"""Badge cards on A4 for a printer (``core/badge_sheet.py``, issue 17).

The PDF is rendered back with poppler's ``pdftoppm`` at 300 dpi, as a print would be, and
each card's code is read by the kiosk's own decoder; poppler's ``pdftotext`` and
``pdffonts`` check the Chinese text and the embedded font.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.app import main
from kiosk.core import badge_sheet as sheet
from kiosk.core.badge_card import CardSpec, render_card
from kiosk.core.badge_sheet import SheetError, sheet_order, write_badge_sheet
from kiosk.devices.decoding import KioskDecoder

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is missing (./dev installs it)"
)

DPI = 300
PEOPLE = [  # name, trade, team: more than one page, two teams, no team, a long name
    ("张建国", "环卫", "二班"),
    ("欧阳秀英", "绿化", "一班"),
    ("李四", "市政", "一班"),
    ("王五", "快递外卖", None),
    ("赵六", "交警", "二班"),
    ("阿卜杜热合曼·买买提", "环卫", "一班"),
    ("陈静", "河道", "二班"),
    ("刘强", "停车", None),
    ("周敏", "执法", "一班"),
    ("吴磊", "环卫", "二班"),
    ("郑洋", "其他", "一班"),
    ("孙丽", "环卫", "二班"),
    ("黄勇", "绿化", None),
]


def render_page(pdf: Path, page: int, out: Path) -> np.ndarray:
    prefix = out / f"page{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-gray",
            "-png",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    [png] = out.glob(f"page{page}*.png")
    return cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)


def slot_box(slot: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) in pixels of a card slot on a 300 dpi render."""
    px = DPI / 72
    column, row = slot % sheet.COLUMNS, slot // sheet.COLUMNS
    left = (sheet.GRID_LEFT + column * sheet.CARD_W) * px
    grid_top = sheet.PAGE_HEIGHT - sheet.GRID_BOTTOM - sheet.ROWS * sheet.CARD_H  # from the top
    top = (grid_top + row * sheet.CARD_H) * px
    return round(left), round(top), round(left + sheet.CARD_W * px), round(top + sheet.CARD_H * px)


@pytest.fixture
def issued(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, list[dict]]:
    """``kiosk badge issue --all --sheet`` on a station of ``PEOPLE``: the PDF and records."""
    import json

    data = tmp_path / "data"
    csv = tmp_path / "people.csv"
    csv.write_text(
        "name,trade,team\n" + "".join(f"{n},{t},{team or ''}\n" for n, t, team in PEOPLE),
        encoding="utf-8",
    )
    for argv in (["init", "--station-name", "东城驿站"], ["person", "import", str(csv)]):
        assert main(["--data-dir", str(data), *argv]) == 0
    capsys.readouterr()
    pdf = tmp_path / "out" / "badges.pdf"
    code = main(["--data-dir", str(data), "--json", "badge", "issue", "--all", "--sheet", str(pdf)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return pdf, [json.loads(line) for line in captured.out.splitlines()]


def test_every_card_on_the_first_page_decodes_from_a_300_dpi_print(
    issued: tuple[Path, list[dict]], tmp_path: Path
) -> None:
    pdf, records = issued
    assert [r["page"] for r in records] == [1] * 12 + [2]
    assert all(r["sheet"] == str(pdf) and r["file"] is None for r in records)
    page = render_page(pdf, 1, tmp_path)
    assert page.shape == (3508, 2480) or abs(page.shape[1] - 2480) <= 1  # A4 at 300 dpi
    decoder = KioskDecoder()
    for slot, record in enumerate(records[:12]):
        left, top, right, bottom = slot_box(slot)
        card = page[top:bottom, left:right]
        assert decoder.decode(card) == [record["token"]], f"slot {slot}"
        # Ink where the name is: under the code, in the card's middle band.
        name_band = card[int(card.shape[0] * 0.76) : int(card.shape[0] * 0.86), :]
        assert (name_band < 100).sum() > 500, f"slot {slot}: no name printed"
    # Cut marks: every vertical cut line continues into the top margin.
    grid_top = slot_box(0)[1]
    for column in range(sheet.COLUMNS + 1):
        x = slot_box(0)[0] + round(column * sheet.CARD_W * DPI / 72)
        margin = page[grid_top - 70 : grid_top - 15, x - 3 : x + 3]
        assert (margin < 128).any(), f"no cut mark at column line {column}"


def test_the_order_is_team_then_name_and_chinese_is_text_in_an_embedded_font(
    issued: tuple[Path, list[dict]],
) -> None:
    pdf, records = issued
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Team 一班 (yī) after 二班 (èr) in pinyin order, names in pinyin order, no team last.
    expected = [
        ("二班", ["陈静", "孙丽", "吴磊", "张建国", "赵六"]),
        ("一班", ["阿卜杜热合曼·买买提", "李四", "欧阳秀英", "郑洋", "周敏"]),
        (None, ["黄勇", "刘强", "王五"]),
    ]
    names = [n for _, group in expected for n in group]
    positions = [text.find(n) for n in names[:12]]
    assert -1 not in positions, text
    lines = [line for line in text.splitlines() if line.strip()]
    first_row = next(line for line in lines if "陈静" in line)
    assert first_row.split() == ["陈静", "孙丽", "吴磊"]
    assert "环卫 · 东城驿站" in text and "东城驿站 工牌 · 第 1 页" in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts, "no font in the PDF"
    for line in fonts:  # every font is embedded (emb = yes), none left to the printer
        assert line.split()[-5] == "yes", line
    assert len(records) == 13
    assert (
        names[12]
        in subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )


def test_sheet_order_is_stable_and_images_can_be_placed(tmp_path: Path) -> None:
    cards = [
        CardSpec(f"T{i}", name, "环卫", "站", team) for i, (name, _, team) in enumerate(PEOPLE)
    ]
    assert sheet_order(cards) == sheet_order(reversed(cards))
    buffer = io.BytesIO()
    result = write_badge_sheet([render_card(cards[0]), cards[1]], buffer, title="测试")
    assert (result.cards, result.pages) == (2, 1) and buffer.getvalue().startswith(b"%PDF")
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(buffer.getvalue())
    page = render_page(pdf, 1, tmp_path)
    decoder = KioskDecoder()
    for slot, token in enumerate(["T0", "T1"]):  # the placed image decodes like a drawn card
        left, top, right, bottom = slot_box(slot)
        assert decoder.decode(page[top:bottom, left:right]) == [token]


def test_a_failed_sheet_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "sheet.pdf"

    def broken_cards():
        yield CardSpec("T1", "张三", "环卫", "站")
        raise SheetError("stopped")

    with pytest.raises(SheetError):
        write_badge_sheet(broken_cards(), out)
    assert list(tmp_path.iterdir()) == []
    assert write_badge_sheet([], out).pages == 1 and out.read_bytes().startswith(b"%PDF")
