"""导出: a month's visits and study records as XLSX and CSV onto a USB stick (issue 15).

:func:`month_tables` reads the rows (on the database thread); :func:`write_export` writes
them to a folder, outside the database thread. Every file is written under a temporary
name, flushed, and renamed only when all of them were written; on any error the temporary
and already renamed files of this export are removed, so a stick never holds half a file.
The error says in Chinese whether the stick is full, read-only or was pulled out.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.core.checkin import Rules
from kiosk.core.i18n import QT_TRANSLATE_NOOP
from kiosk.core.stats import period_bounds
from kiosk.store.models import Person, QuizAttempt, StudyMaterial, StudySession, Visit

log = logging.getLogger(__name__)


class ExportProblem:
    FULL = "full"
    READ_ONLY = "read_only"
    GONE = "gone"
    OTHER = "other"


MESSAGES = {
    ExportProblem.FULL: QT_TRANSLATE_NOOP(
        "KeeperMessages", "U盘空间不足，请换一个U盘或删掉一些文件"
    ),
    ExportProblem.READ_ONLY: QT_TRANSLATE_NOOP(
        "KeeperMessages", "U盘是只读的，无法写入（请检查U盘侧面的写保护开关）"
    ),
    ExportProblem.GONE: QT_TRANSLATE_NOOP(
        "KeeperMessages", "U盘已拔出，没有写完，请重新插入再导出"
    ),
    ExportProblem.OTHER: QT_TRANSLATE_NOOP("KeeperMessages", "导出失败，U盘上没有留下文件"),
}


class ExportError(Exception):
    """The export failed and left nothing behind; ``problem`` picks the Chinese message."""

    def __init__(self, problem: str, detail: str = "") -> None:
        super().__init__(MESSAGES[problem] + (f" ({detail})" if detail else ""))
        self.problem = problem
        self.message = MESSAGES[problem]


def classify(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return ExportProblem.FULL
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportProblem.READ_ONLY
    if error.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENOTDIR, errno.ENXIO):
        return ExportProblem.GONE
    return ExportProblem.OTHER


@dataclass(frozen=True)
class Table:
    name: str  # file stem and sheet title
    header: list[str]
    rows: list[list[object]]


VISIT_HEADER = ["日期", "签到", "签退", "休息分钟", "姓名", "人员编号", "工种", "方式", "备注"]
STUDY_HEADER = ["日期", "开始", "分钟", "姓名", "人员编号", "学习材料", "读完"]
QUIZ_HEADER = ["日期", "时间", "姓名", "人员编号", "学习材料", "答对", "题数", "得分", "通过"]


def month_tables(session: Session, first: date, last: date) -> list[Table]:
    rules = Rules.load(session)
    start, end = period_bounds(first, last, rules)
    names = {pid: name for pid, name in session.execute(select(Person.id, Person.name))}
    titles = {
        mid: title for mid, title in session.execute(select(StudyMaterial.id, StudyMaterial.title))
    }

    def local(t):
        return t.astimezone(rules.tz) if t is not None else None

    visits = []
    for v in session.scalars(
        select(Visit)
        .where(Visit.checked_in_at >= start, Visit.checked_in_at < end)
        .order_by(Visit.checked_in_at)
    ):
        cin, cout = local(v.checked_in_at), local(v.checked_out_at)
        notes = []
        if v.closed_by == "keeper":
            notes.append("站长关闭")
        if v.auto_closed:
            notes.append("自动关闭")
        if v.unverified:
            notes.append("未核验" if v.verification in (None, "pending") else v.verification)
        minutes = (
            int(min(cout - cin, rules.max_visit).total_seconds() // 60) if cout is not None else ""
        )
        visits.append(
            [
                cin.date().isoformat(),
                cin.strftime("%H:%M"),
                cout.strftime("%H:%M") if cout else "",
                minutes,
                names.get(v.person_id or "", ""),
                v.person_id or "",
                v.trade or "",
                v.method,
                "、".join(notes),
            ]
        )
    study = []
    for s in session.scalars(
        select(StudySession)
        .where(StudySession.started_at >= start, StudySession.started_at < end)
        .order_by(StudySession.started_at)
    ):
        t = local(s.started_at)
        study.append(
            [
                t.date().isoformat(),
                t.strftime("%H:%M"),
                round(s.seconds / 60, 1),
                names.get(s.person_id or "", ""),
                s.person_id or "",
                titles.get(s.material_id, s.material_id),
                "是" if s.finished else "否",
            ]
        )
    quiz = []
    for a in session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.attempted_at >= start, QuizAttempt.attempted_at < end)
        .order_by(QuizAttempt.attempted_at)
    ):
        t = local(a.attempted_at)
        quiz.append(
            [
                t.date().isoformat(),
                t.strftime("%H:%M"),
                names.get(a.person_id or "", ""),
                a.person_id or "",
                titles.get(a.material_id, a.material_id),
                a.correct,
                a.total,
                a.score,
                "是" if a.passed else "否",
            ]
        )
    return [
        Table("到站记录", VISIT_HEADER, visits),
        Table("学习记录", STUDY_HEADER, study),
        Table("测验记录", QUIZ_HEADER, quiz),
    ]


FILE_STEMS = {"到站记录": "visits", "学习记录": "study", "测验记录": "quiz"}


def file_names(month: str) -> list[str]:
    """What an export of ``YYYY-MM`` writes (ASCII: any stick's file system takes them)."""
    return [f"station-{month}.xlsx", *(f"{stem}-{month}.csv" for stem in FILE_STEMS.values())]


def _write_xlsx(path: Path, tables: list[Table]) -> None:
    import io

    from openpyxl import Workbook  # ~0.2 s to import: only when exporting

    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append(table.header)
        for row in table.rows:
            sheet.append(row)
    # Built in memory (a month is a few hundred KB): a stick that fails fails a plain write.
    data = io.BytesIO()
    book.save(data)
    with open(path, "wb") as f:
        f.write(data.getbuffer())
        f.flush()
        os.fsync(f.fileno())


def _write_csv(path: Path, table: Table) -> None:
    # utf-8 with a BOM: spreadsheet programs on the street office's PC read the Chinese.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(table.header)
        out.writerows(table.rows)
        f.flush()
        os.fsync(f.fileno())


def write_export(
    folder: Path,
    month: str,
    tables: list[Table],
    step: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the export of ``month`` into ``folder``; all files or none (``ExportError``).

    ``step(name)`` is called before each file is written (progress on the screen).
    """
    names = file_names(month)
    finals = [folder / n for n in names]
    temps = [folder / f".{n}.part" for n in names]
    renamed: list[Path] = []
    try:
        if not folder.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
        for i, (tmp, name) in enumerate(zip(temps, names, strict=True)):
            if step is not None:
                step(name)
            if i == 0:
                _write_xlsx(tmp, tables)
            else:
                _write_csv(tmp, tables[i - 1])
        for tmp, final in zip(temps, finals, strict=True):
            os.replace(tmp, final)
            renamed.append(final)
        _sync_dir(folder)
    except OSError as e:
        for path in (*temps, *renamed):
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        problem = classify(e)
        log.warning("export of %s to %s failed (%s): %s", month, folder, problem, e)
        raise ExportError(problem, e.strerror or "") from None
    log.info("exported %s to %s: %s", month, folder, ", ".join(names))
    return finals


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
