"""The study corner's wiring: its pages' intents → StudyService calls on the DB thread.

``install_study(window)`` adds the five study pages to the window and returns the category
page; the window stays unaware of the rest. All station work goes through the window's
``StationBridge.run`` (results come back on the GUI thread); reading an installed package's
files is the only I/O done here (the reader holds the version it shows open in the
study service's material store).

Who is studying: the person of the last accepted badge scan, kept while the worker goes
greeting → welcome → home → 讲习所, forgotten when the welcome screen is reached any other
way (idle timeout, 返回) and after ``PERSON_MEMORY_S``.

Packages that sync installs or removes while 讲习所 is open (``window.materials_changed``)
reload what it shows; an open reader or quiz stays as it is, and the list behind it is
rebuilt so that 返回 shows the new catalogue.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from kiosk.core.messages import salutation
from kiosk.core.results import Outcome, ScanResult
from kiosk.core.study.catalogue import MaterialView
from kiosk.core.study.mine import MyStudy
from kiosk.core.study.package import MaterialContent
from kiosk.core.study.records import AttemptResult, SessionRecord, order_questions
from kiosk.core.study.service import StudyService
from kiosk.resources import resource
from kiosk.screen_names import Screen
from kiosk.ui.screens.study import MyStudyPage, StudyListPage, StudyPage
from kiosk.ui.screens.study_quiz import QuizPage, QuizRun
from kiosk.ui.screens.study_reader import ReaderPage

log = logging.getLogger(__name__)
PERSON_MEMORY_S = 20 * 60
STUDY_SCREENS = frozenset(
    {Screen.STUDY, Screen.STUDY_LIST, Screen.STUDY_READER, Screen.STUDY_QUIZ, Screen.MY_STUDY}
)
# The list is on screen, or under the reader or quiz (their 返回 goes back to it).
LIST_SHOWN = frozenset({Screen.STUDY_LIST, Screen.STUDY_READER, Screen.STUDY_QUIZ})


class StudyFlow(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.study = StudyService(window.bridge.station)
        self.materials: list[MaterialView] = []
        self.new_ids: set[str] = set()
        self.category: str | None = None
        self.person_id: str | None = None
        self.person_name: str | None = None
        self._person_at = 0.0
        self._previous: Screen | None = None
        self._last_session_id: str | None = None
        self._starter_checked = False

        self.page = StudyPage()
        self.list_page = StudyListPage()
        self.reader = ReaderPage(self.study.store)
        self.quiz = QuizPage()
        self.mine = MyStudyPage()
        self.reader.now = window.now
        self.reader.speech_allowed = bool(getattr(window.announcer, "enabled", False))

        self.page.category_chosen.connect(self.choose_category)
        self.page.my_study_requested.connect(self.open_my_study)
        self.list_page.material_chosen.connect(self.open_material)
        self.mine.material_chosen.connect(self.open_material)
        self.reader.session_ended.connect(self._record_session)
        self.reader.quiz_requested.connect(self.start_quiz)
        self.reader.activity.connect(self._keep_awake)
        self.quiz.quiz_finished.connect(self._submit_quiz)
        self.quiz.reread_requested.connect(self.open_material)
        window.screen_changed.connect(self._on_screen)
        window.greeting_shown.connect(self._on_scan)
        window.materials_changed.connect(self.reload_materials)
        # At start: leftovers of a crash go, earlier layouts move into version folders.
        self.bridge.run(self.study.tidy, on_done=lambda _: None)

    def pages(self) -> list[Any]:
        return [self.page, self.list_page, self.reader, self.quiz, self.mine]

    # -- who is studying --------------------------------------------------------------------

    def _on_scan(self, result: ScanResult) -> None:
        if result.outcome is Outcome.REFUSED or not result.person_id:
            return
        self.person_id = result.person_id
        self.person_name = (
            salutation(result, full_name=False, translate=QCoreApplication.translate)
            if result.person is not None
            else None
        )
        self._person_at = time.monotonic()

    def current_person(self) -> str | None:
        if self.person_id and time.monotonic() - self._person_at > PERSON_MEMORY_S:
            self.forget_person()
        return self.person_id

    def forget_person(self) -> None:
        self.person_id = self.person_name = None

    def _on_screen(self, screen: Screen) -> None:
        if screen is Screen.WELCOME and self._previous is not Screen.GREETING:
            self.forget_person()
        self._previous = screen
        if screen is Screen.STUDY:
            self.refresh()

    def _keep_awake(self) -> None:
        if self.window.current is Screen.STUDY_READER:
            self.window.idle.arm()

    # -- browsing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the catalogue (installing the starter library the first time it is empty)."""
        self.page.set_counts(self._counts(), self.person_name if self.current_person() else None)
        if not self._starter_checked:
            self._starter_checked = True
            self.bridge.run(
                self.study.ensure_starter_library, resource("materials"), on_done=lambda _: None
            )
        self.bridge.run(self.study.materials, on_done=self._got_materials)
        if self.current_person():
            self.bridge.run(self.study.my_study, self.person_id, on_done=self._got_new)

    def _counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.materials:
            counts[m.category] = counts.get(m.category, 0) + 1
        return counts

    def reload_materials(self) -> None:
        """Sync installed or removed packages: reload what 讲习所 shows, if it is open.

        Nothing is navigated and an open material stays open; closed, 讲习所 reloads when it
        opens next (``refresh``). What is new is asked first, so the list is rebuilt once.
        """
        if self.window.current not in STUDY_SCREENS:
            return
        if self.current_person():
            self.bridge.run(self.study.my_study, self.person_id, on_done=self._got_mine)
        self.bridge.run(self.study.materials, on_done=self._got_materials)

    def _got_materials(self, materials: list[MaterialView]) -> None:
        self.materials = materials
        self.page.set_counts(self._counts(), self.person_name if self.current_person() else None)
        if self.category is not None and self.window.current in LIST_SHOWN:
            self._show_list()

    def _got_new(self, mine: MyStudy) -> None:
        self.new_ids = {m.id for m in mine.new_since_last_visit}

    def _got_mine(self, mine: MyStudy) -> None:
        self._got_new(mine)
        if self.window.current is Screen.MY_STUDY and mine.person_id == self.person_id:
            self.mine.show_summary(mine, self.person_name or "")

    def choose_category(self, category: str) -> None:
        self.category = category
        self._show_list()
        self.window.show_screen(Screen.STUDY_LIST)

    def _show_list(self) -> None:
        chosen = [m for m in self.materials if m.category == self.category]
        chosen.sort(key=lambda m: (m.id not in self.new_ids, m.title))
        self.list_page.show_materials(self.category or "", chosen, self.new_ids)

    def open_material(self, material: MaterialView) -> None:
        self.window.show_screen(Screen.STUDY_READER, material)

    # -- records ----------------------------------------------------------------------------

    def _record_session(
        self, material: MaterialView, started: datetime, seen: int, total: int, finished: bool
    ) -> None:
        rec = SessionRecord(
            material_id=material.id,
            material_version=material.version,
            person_id=self.current_person(),
            started_at=started,
            ended_at=self.window.now(),
            pages_seen=seen,
            pages_total=total,
            finished=finished,
        )
        self.bridge.run(self.study.record_session, rec, on_done=self._session_saved)

    def _session_saved(self, session_id: str) -> None:
        self._last_session_id = session_id

    def start_quiz(self, material: MaterialView, content: MaterialContent) -> None:
        if content.quiz is None:
            return

        def begin(review: list[str]) -> None:
            run = QuizRun(material, content, order_questions(content.quiz, review), set(review))
            self.window.show_screen(Screen.STUDY_QUIZ, run)

        self.bridge.run(self.study.review_queue, self.current_person(), material.id, on_done=begin)

    def _submit_quiz(self, run: QuizRun, chosen: dict[str, list[int]]) -> None:
        self.bridge.run(
            self.study.submit_quiz,
            self.current_person(),
            run.material.id,
            run.material.version,
            run.content.quiz,
            chosen,
            self._last_session_id,
            on_done=self._quiz_saved,
        )

    def _quiz_saved(self, result: AttemptResult) -> None:
        self.quiz.show_result(result)

    def open_my_study(self) -> None:
        person = self.current_person()
        if person is None:
            return
        self.window.show_screen(Screen.MY_STUDY)
        name = self.person_name or ""
        self.bridge.run(
            self.study.my_study, person, on_done=lambda mine: self.mine.show_summary(mine, name)
        )


def install_study(window: Any) -> StudyPage:
    """Add the study pages to ``window`` (a MainWindow) and wire them; returns the first."""
    flow = StudyFlow(window)
    window.study_flow = flow
    for page in flow.pages():
        window.add_page(page)
    return flow.page
