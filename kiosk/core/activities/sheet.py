"""The 签到表 of one activity as an A4 PDF, for the station's 台账.

Heading: the activity's title, then kind, host unit, place and time; a table of every
attendance in sign-in order (no., name, unit, category, sign-in, sign-out, an empty
signature column) whose header row repeats on each page; a footer with the counts and the
page number. The CJK font is embedded as a subset (``core/pdf.py``, shared with the badge
sheets), so the sheet prints the same anywhere and ``pdftotext`` reads it back.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kiosk.core.activities.model import Category
from kiosk.core.activities.views import ActivityDetail
from kiosk.core.pdf import MM, PAGE_HEIGHT, PAGE_WIDTH, binary_streams, register_cjk_font
from kiosk.core.pdf import write_atomically as _write

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

COLUMNS = ("序号", "姓名", "单位", "类别", "签到", "签退", "签名")
WIDTHS_MM = (12, 30, 44, 30, 17, 17, 30)  # 180 mm of the 210 mm page
ROW_MM = 10  # room to sign by hand


def write_signin_sheet(
    detail: ActivityDetail, out: Path, *, tz: ZoneInfo, station_name: str = ""
) -> int:
    """Write the sheet to ``out`` (atomically); the number of pages. Raises ``PdfError``."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_cjk_font()
    a = detail.activity

    def local(t: datetime | None, fmt: str = "%H:%M") -> str:
        return t.astimezone(tz).strftime(fmt) if t else ""

    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    info = ParagraphStyle("info", fontName=font, fontSize=10.5, leading=16)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12, wordWrap="CJK")
    same_day = a.start_at.astimezone(tz).date() == a.end_at.astimezone(tz).date()
    end_format = "%H:%M" if same_day else "%m月%d日 %H:%M"
    when = f"{local(a.start_at, '%Y年%m月%d日 %H:%M')} — {local(a.end_at, end_format)}"
    story = [
        Paragraph(f"{_escape(a.title)} 签到表", title),
        Spacer(1, 3 * MM),
        Paragraph(
            f"类别：{a.kind.label}　　主办：{_escape(a.host_unit or '—')}"
            f"　　地点：{_escape(a.place or station_name or '—')}",
            info,
        ),
        Paragraph(
            f"时间：{when}　　{'计入志愿服务时长' if a.service_hours else '不计服务时长'}", info
        ),
        Spacer(1, 4 * MM),
    ]
    rows: list[list[object]] = [list(COLUMNS)]
    for number, att in enumerate(detail.attendances, start=1):
        category = att.category.label if isinstance(att.category, Category) else ""
        name = att.name or "（未登记）"
        if att.guest:
            name += "（来宾）"
        rows.append(
            [
                str(number),
                Paragraph(_escape(name), cell),
                Paragraph(_escape(att.unit or ""), cell),
                Paragraph(category, cell),
                local(att.signed_in_at),
                local(att.signed_out_at),
                "",
            ]
        )
    table = Table(
        rows,
        colWidths=[w * MM for w in WIDTHS_MM],
        rowHeights=[8 * MM] + [ROW_MM * MM] * (len(rows) - 1),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("FONT", (0, 0), (-1, 0), font, 10.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, -1), "CENTER"),
                ("ALIGN", (4, 0), (5, -1), "CENTER"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ]
        )
    )
    story.append(table)
    summary = _summary(detail)

    def footer(canvas: Canvas, doc: object) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillGray(0.35)
        canvas.drawString(15 * MM, 10 * MM, summary)
        canvas.drawRightString(PAGE_WIDTH - 15 * MM, 10 * MM, f"第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=15 * MM,
        rightMargin=15 * MM,
        topMargin=15 * MM,
        bottomMargin=18 * MM,
        title=f"{a.title} 签到表",
        creator="驿站终端 kiosk",
        initialFontName=font,
    )
    with binary_streams():
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    _write(out, buffer.getvalue())
    return doc.page


def _summary(detail: ActivityDetail) -> str:
    parts = [f"共 {detail.people} 人次"]
    for category in Category:
        n = detail.by_category.get(category.value)
        if n:
            parts.append(f"{category.label} {n}")
    if detail.by_category.get("unset"):
        parts.append(f"未分类 {detail.by_category['unset']}")
    return "　".join(parts)


def _escape(text: str) -> str:
    """Paragraph text is a small markup language: names must not be read as tags."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
