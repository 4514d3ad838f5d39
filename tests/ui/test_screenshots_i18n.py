"""Every screen renders at the three target sizes without growing the window, in zh and en."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from kiosk.core import messages
from kiosk.core.results import Greeting, Outcome, PersonView, ScanResult
from kiosk.resources import resource
from kiosk.screen_names import SCREENSHOT_SCENES as SCREENS
from kiosk.ui.app_setup import load_translation
from kiosk.ui.screenshots import render_screenshot


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (800, 1280)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_fits(demo_station, tmp_path, size, lang):
    for screen in SCREENS:
        out = tmp_path / f"{screen}.png"
        assert render_screenshot(demo_station, screen=screen, out=out, size=size, lang=lang) == 0
        image = QImage(str(out))
        assert (image.width(), image.height()) == size, f"{screen} {lang} clipped/grew"
    assert demo_station.visits(demo_station.today()) == []  # screenshots write nothing


def test_core_scan_messages_are_all_marked():
    used = set(messages.REFUSALS.values())
    seen: list[str] = []

    def spy(context: str, text: str) -> str:
        assert context == "ScanMessages"
        seen.append(text)
        return text

    person = PersonView("p", "欧阳明", "绿化", None, False, True)
    for outcome in Outcome:
        for who in (person, None):
            greeting = Greeting.PERSON if who else Greeting.ANONYMOUS
            messages.describe(
                ScanResult(outcome, greeting, person=who, rest_seconds=60), translate=spy
            )
    root = ET.parse(resource("translations", "kiosk_en.ts")).getroot()
    in_ts = {
        message.findtext("source")
        for context in root.iter("context")
        if context.findtext("name") == "ScanMessages"
        for message in context.iter("message")
    }
    assert used | set(seen) <= in_ts, "re-run pyside6-lupdate (docs/touchscreen.md)"


def test_english_translation_loads(qapp):
    translators = load_translation(qapp, "en")
    try:
        assert translators, "kiosk_en.qm missing: run pyside6-lrelease (see docs/touchscreen.md)"
        assert (
            QCoreApplication.translate("ScanMessages", "{who}，欢迎回家！")
            == "Welcome home, {who}!"
        )
        assert QCoreApplication.translate("Trade", "环卫") == "Sanitation"
        assert QCoreApplication.translate("WelcomePage", "欢迎回家") == "Welcome home"
    finally:
        for t in translators:
            qapp.removeTranslator(t)
