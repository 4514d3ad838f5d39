"""管理 → 工牌 (issue 15), tapped through the real window, station and SQLite file.

The printer is the true edge: a ``QPrinter`` in ``PdfFormat``. Its page is rendered with
poppler's ``pdftoppm`` at 300 dpi, the card's code read by the kiosk's own decoder, and the
code scanned at the kiosk: the new card greets by name, a replaced card is refused.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import pytest
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from kiosk.core.results import Method, Outcome
from kiosk.devices.decoding import KioskDecoder
from kiosk.screen_names import Screen
from kiosk.store.models import OutboxEvent
from tests.core.test_keeper import read_only_stick, small_stick  # noqa: F401 (fixtures)
from tests.ui.test_keeper_screens import keeper_actions, open_keeper, tap

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is missing (./dev installs it)"
)


@pytest.fixture
def timing():
    """A keeper's pace: no return to the welcome screen halfway (idle is tested elsewhere)."""
    from kiosk.ui.window import Timing

    return Timing(
        idle_ms=60_000, greeting_ms=250, refusal_ms=400, clock_ms=1000, idle_from_settings=False
    )


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def read_codes(pdf: Path) -> list[str]:
    """The codes on the PDF's first page, rendered as a print would be."""
    prefix = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-gray", "-png", str(pdf), str(prefix)],
        check=True,
    )
    [png] = pdf.parent.glob(f"{prefix.name}*.png")
    page = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    png.unlink()
    return KioskDecoder("still").decode(page)


def open_person(qtbot, window, initials: str, name: str):
    open_keeper(qtbot, window, Screen.KEEPER_BADGE)
    find = window.keeper.badges.find
    for letter in initials:
        tap(qtbot, find.keys[letter])
    found = lambda: [b for b in find.result_buttons() if name in b.text() and b.isVisible()]  # noqa: E731
    qtbot.waitUntil(lambda: bool(found()))
    tap(qtbot, found()[0])
    page = window.keeper.badges.page
    assert window.current is Screen.KEEPER_BADGE_PERSON
    qtbot.waitUntil(lambda: page.view is not None and page.print_button.isEnabled())
    return page


def scan(qtbot, window, token: str):
    with qtbot.waitSignal(window.greeting_shown, timeout=10_000) as shown:
        window.submit_code(token, Method.CAMERA)
    return shown.args[0]


def test_print_a_card_then_scan_it(qtbot, window, demo_station, tmp_path):
    pdf = tmp_path / "printed.pdf"
    window.keeper.badges.printer_factory = lambda: pdf_printer(pdf)
    page = open_person(qtbot, window, "ZJG", "张建国")
    assert page.person.text().startswith("张建国")
    assert "第" in page.card.text() and "printed.pdf" in page.printer.text()
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: "已送去打印" in page.result.text())
    assert "作废" not in page.result.text()
    [token] = read_codes(pdf)
    assert token == demo_station.badges["张建国"]  # a reprint: the same card, no new serial
    result = scan(qtbot, window, token)
    assert result.outcome is Outcome.CHECKED_IN and result.person.name == "张建国"
    assert window.greeting.headline.text() == "张师傅，欢迎回家！"
    assert [a["action"] for a in keeper_actions(demo_station)] == ["badge.printed"]
    assert keeper_actions(demo_station)[0]["to"] == "printer"


def test_lost_card_revoked_and_replaced_in_one_flow(qtbot, window, demo_station, tmp_path):
    pdf = tmp_path / "new.pdf"
    window.keeper.badges.printer_factory = lambda: pdf_printer(pdf)
    old = demo_station.badges["王强"]
    page = open_person(qtbot, window, "WQ", "王强")
    serial = page.view.serial
    tap(qtbot, page.lost_button)  # first it says what will happen
    assert page.confirm.isVisible()
    text = page.confirm_text.text()
    assert f"第 {serial} 号" in text and "作废" in text and "新工牌" in text
    tap(qtbot, page.confirm_no)
    assert not page.confirm.isVisible() and not pdf.exists()
    assert demo_station.badge_view(page.person_id).serial == serial  # nothing changed
    tap(qtbot, page.lost_button)
    tap(qtbot, page.confirm_yes)
    qtbot.waitUntil(lambda: "已送去打印" in page.result.text())
    assert f"第 {serial} 号）已作废" in page.result.text()
    qtbot.waitUntil(lambda: page.view.serial not in (None, serial))
    [new] = read_codes(pdf)
    assert new != old

    refused = scan(qtbot, window, old)
    assert refused.outcome is Outcome.REFUSED
    greeted = scan(qtbot, window, new)
    assert greeted.outcome is Outcome.CHECKED_IN and greeted.person.name == "王强"
    actions = keeper_actions(demo_station)
    assert [a["action"] for a in actions] == ["badge.replaced", "badge.printed"]
    assert actions[0]["revoked"] == [serial] and actions[0]["serial"] == page.view.serial
    with demo_station.db.read() as s:
        types = [e.type for e in s.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))]
    assert types.index("badge.revoked") < types.index("keeper.action")
    assert "badge.issued" in types[types.index("badge.revoked") :]


def test_no_printer_saves_the_card_to_a_stick(qtbot, window, demo_station, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    window.keeper.badges.printer_factory = lambda: None
    window.keeper.export.find_volumes = lambda: []
    page = open_person(qtbot, window, "ZJG", "张建国")
    assert "没有打印机" in page.printer.text()
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: "请插入U盘" in page.result.text())
    assert keeper_actions(demo_station) == []

    window.keeper.export.find_volumes = lambda: [("测试U盘", stick)]
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: "已存到U盘" in page.result.text(), timeout=10_000)
    [pdf] = stick.iterdir()  # one whole file, no temporary left
    assert pdf.name == f"工牌_张建国_{page.view.serial}.pdf"
    assert read_codes(pdf) == [demo_station.badges["张建国"]]
    assert keeper_actions(demo_station)[-1]["to"] == "pdf"


@pytest.mark.parametrize(
    ("stick", "says"), [("read_only_stick", "只读"), ("small_stick", "空间不足")]
)
def test_no_printer_and_a_stick_that_refuses(qtbot, window, demo_station, stick, says, request):
    """Real tmpfs mounts (read-only, 8 KiB): a clear message, no file, nothing audited."""
    folder = request.getfixturevalue(stick)
    window.keeper.badges.printer_factory = lambda: None
    window.keeper.export.find_volumes = lambda: [("U盘", folder)]
    page = open_person(qtbot, window, "ZJG", "张建国")
    tap(qtbot, page.print_button)
    qtbot.waitUntil(lambda: says in page.result.text(), timeout=10_000)
    assert list(folder.iterdir()) == []
    assert keeper_actions(demo_station) == []
