"""Spreadsheets for import tests, made with openpyxl as Excel would save them."""

from __future__ import annotations

import io
import zipfile

import openpyxl

HEADER = ["姓名", "工种", "班组", "党员", "电话"]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A zip named like a workbook whose one entry inflates to 200 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()


def climbing_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("../../etc/cron.d/evil", "x")
    return out.getvalue()
