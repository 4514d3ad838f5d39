"""工牌 behind the PIN (issue 15): the badge pages' intents → station, printer or USB stick.

The badge is issued or replaced on the database thread (``StationService.keeper_card``);
the card is then printed on the GUI thread (``qtglue/printing.py``, one page, well under a
second) or, with no printer, saved as a PDF to the first USB stick on a thread of its own (a
stick can be slow to flush). Either way the printing is audited (``badge.printed``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.screen_names import Screen
from kiosk.ui.screens.keeper_badge import KeeperBadgeFindPage, KeeperBadgePage

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("KeeperMessages", text)


def _default_printer() -> Any:
    # QtPrintSupport (and CUPS) load when 工牌 is first opened, not with the station (~4 MB).
    from kiosk.qtglue.printing import default_printer

    return default_printer()


class BadgeFlow(QObject):
    _saved = Signal(object, object, object)  # (card, file or None, error message or None)

    def __init__(self, keeper: Any) -> None:
        super().__init__(keeper)
        self.window = keeper.window
        self.bridge = keeper.bridge
        self.find_volumes: Callable[[], list[tuple[str, Path]]] = lambda: (
            keeper.export.find_volumes()
        )
        self.printer_factory: Callable[[], Any] = _default_printer  # tests: a PDF printer
        self.find = KeeperBadgeFindPage()
        self.page = KeeperBadgePage()
        self.find.query_changed.connect(self._search)
        self.find.person_chosen.connect(
            lambda pid: self.window.show_screen(Screen.KEEPER_BADGE_PERSON, pid)
        )
        self.page.view_requested.connect(self.load)
        self.page.print_requested.connect(lambda pid: self._card(pid, lost=False))
        self.page.replace_requested.connect(lambda pid: self._card(pid, lost=True))
        self._saved.connect(self._after_save)
        self.saving: threading.Thread | None = None

    def pages(self) -> list[Any]:
        return [self.find, self.page]

    def _search(self, query: str) -> None:
        if query:
            self.bridge.call(
                lambda s: s.find_people(query, 8),
                on_done=lambda people: self.find.show_results(query, people),
            )

    def load(self, person_id: str) -> None:
        printer = self.printer_factory()
        if printer is None:
            self.page.show_printer(None)
        else:
            from kiosk.qtglue.printing import printer_label

            self.page.show_printer(printer_label(printer))
        self.bridge.call(lambda s: s.badge_view(person_id), on_done=self.page.show_view)

    def _card(self, person_id: str, *, lost: bool) -> None:
        def make(station: Any) -> tuple[Any, str | None]:
            from kiosk.core.errors import StationError
            from kiosk.core.keeper_badges import CardRefused

            try:
                return station.keeper_card(person_id, lost=lost), None
            except (StationError, CardRefused):
                log.exception("no card for %s", person_id)
                return None, _tr("这个人不能发工牌（已停用或已删除）")

        self.bridge.call(make, on_done=lambda r: self._output(*r))

    def _output(self, card: Any, error: str | None) -> None:
        if card is None:
            self.page.show_result(error or "")
            return
        self.load(card.person_id)  # the old card is revoked: show the new number at once
        printer = self.printer_factory()
        if printer is not None:
            from kiosk.qtglue.printing import print_card

            if print_card(printer, card.spec):
                self._printed(card, "printer")
                self.page.show_result(
                    _tr("已送去打印：{name} 的工牌（第 {serial} 号）").format(
                        name=card.spec.name, serial=card.serial
                    )
                    + self._revoked_note(card)
                )
                return
            self.page.show_result(_tr("打印机没有响应，请检查打印机后再点“打印工牌”"))
            return
        sticks = self.find_volumes()
        if not sticks:
            self.page.show_result(
                _tr("没有打印机，也没有U盘：请插入U盘后再点“打印工牌”") + self._revoked_note(card)
            )
            return
        folder = sticks[0][1]

        def run() -> None:
            from kiosk.core.export import ExportError
            from kiosk.core.keeper_badges import save_pdf

            try:
                self._saved.emit(card, save_pdf(card, folder), None)
            except ExportError as e:
                self._saved.emit(card, None, _tr(e.message))
            except Exception:  # logged; the keeper gets a plain message
                log.exception("saving the card failed")
                self._saved.emit(card, None, _tr("保存失败，U盘上没有留下文件"))

        self.page.result.setText(_tr("正在存到U盘，请不要拔出…"))
        self.saving = threading.Thread(target=run, name="kiosk-badge-pdf", daemon=True)
        self.saving.start()

    def _after_save(self, card: Any, file: Path | None, error: str | None) -> None:
        if file is None:
            self.page.show_result((error or "") + self._revoked_note(card))
            return
        self._printed(card, "pdf")
        self.page.show_result(
            _tr("已存到U盘：{file}，拿到有打印机的电脑上打印").format(file=file.name)
            + self._revoked_note(card)
        )

    def _printed(self, card: Any, where: str) -> None:
        self.bridge.call(lambda s: s.keeper_card_printed(card, where), on_done=lambda _: None)

    @staticmethod
    def _revoked_note(card: Any) -> str:
        if not card.revoked_serials:
            return ""
        serials = "、".join(str(n) for n in card.revoked_serials)
        return "\n" + _tr("旧工牌（第 {serials} 号）已作废").format(serials=serials)
