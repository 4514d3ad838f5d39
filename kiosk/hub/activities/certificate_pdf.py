"""The 志愿服务证明 as an A4 PDF (the CJK font embedded as a subset, ``core/pdf.py``).

One page for up to ~25 lines (the table continues on more pages with its header): the
title; 一、identity; 二、the hours and a table of the service; 三、the issuing unit and the
person who handled it with contact; 四、the number, date and the check code with a QR code of
the hub's verification page.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from kiosk.core.pdf import MM, PAGE_HEIGHT, PAGE_WIDTH, binary_streams, register_cjk_font
from kiosk.hub.activities.certificate import hours

if TYPE_CHECKING:
    from kiosk.hub.models import HubCertificate

COLUMNS = ("日期", "服务内容", "类别", "服务地点", "时长（小时）", "记录方式")
WIDTHS_MM = (24, 56, 24, 38, 22, 16)  # 180 mm


def certificate_pdf(cert: HubCertificate, tz: ZoneInfo, verify_url: str) -> bytes:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=22, leading=30, alignment=1)
    head = ParagraphStyle("head", fontName=font, fontSize=12.5, leading=20, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12, wordWrap="CJK")
    issued = cert.issued_at.astimezone(tz)
    period = f"{cert.period_from:%Y年%m月%d日} 至 {cert.period_to:%Y年%m月%d日}"
    story: list[object] = [
        Paragraph("志愿服务证明", title),
        Spacer(1, 6 * MM),
        Paragraph("一、志愿者信息", head),
        Paragraph(f"姓名：{escape(cert.person_name)}　　人员编号：{escape(cert.person_id)}", body),
        Paragraph("二、服务时长与内容", head),
        Paragraph(
            f"兹证明该同志于 {period} 在我单位所属城管驿站参加志愿服务，"
            f"经核实确认的服务时长共计 <b>{hours(cert.minutes)} 小时</b>"
            f"（{len(cert.items)} 次），明细如下（仅含经审核确认的记录）：",
            body,
        ),
        Spacer(1, 2 * MM),
    ]
    rows: list[list[object]] = [list(COLUMNS)]
    for item in cert.items:
        rows.append(
            [
                item["day"],
                Paragraph(escape(item["title"]), cell),
                Paragraph(escape(item["kind"]), cell),
                Paragraph(escape(item["station"]), cell),
                hours(int(item["minutes"])),
                item["source"],
            ]
        )
    table = Table(rows, colWidths=[w * MM for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("ALIGN", (4, 1), (5, -1), "CENTER"),
            ]
        )
    )
    story += [
        table,
        Paragraph("三、出具单位", head),
        Paragraph(
            f"出具单位：{escape(cert.issuer_unit)}　　经办人：{escape(cert.handler)}"
            f"　　联系电话：{escape(cert.contact)}",
            body,
        ),
        Paragraph("四、证明编号与核验", head),
    ]
    qr = QrCodeWidget(f"{verify_url}?code={cert.check_code}")
    x0, y0, x1, y1 = qr.getBounds()
    size = 30 * MM
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    check = Paragraph(
        f"证明编号：{escape(cert.number)}<br/>出具日期：{issued:%Y年%m月%d日}<br/>"
        f"核验码：<b>{escape(cert.check_code)}</b><br/>"
        f"核验网址：{escape(verify_url)}（扫描右侧二维码或输入核验码，"
        "可核对本证明的编号、姓名、期间与时长）",
        body,
    )
    block = Table([[check, drawing]], colWidths=[145 * MM, 35 * MM])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [block, Spacer(1, 10 * MM), Paragraph("（出具单位盖章）", body)]

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillGray(0.35)
        canvas.drawString(15 * MM, 10 * MM, f"{cert.number}　核验码 {cert.check_code}")
        canvas.drawRightString(PAGE_WIDTH - 15 * MM, 10 * MM, f"第 {canvas.getPageNumber()} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=15 * MM,
        rightMargin=15 * MM,
        topMargin=18 * MM,
        bottomMargin=18 * MM,
        title=f"志愿服务证明 {cert.number}",
        creator="驿站终端 kiosk-hub",
        initialFontName=font,
    )
    with binary_streams():
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
