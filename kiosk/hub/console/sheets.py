"""Reading an uploaded roster (XLSX or CSV) safely, and writing XLSX.

Checked before anything is parsed, each refusal a Chinese sentence for the clerk:
the size (:data:`MAX_BYTES`); that the file is what its name says (an ``.xlsx`` is a zip
with a workbook inside, a ``.csv`` is text in UTF-8 or GB18030 with no NUL byte); for a
zip, its entries (count, names that climb out or are absolute, total unpacked size and
compression ratio: a zip bomb is refused before a byte is inflated); then, while reading,
formulas and more than :data:`MAX_ROWS` rows.

Writing: a text cell is always stored as text, so a name like ``=HYPERLINK(…)`` opens in
Excel as the characters typed, not as a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed, per entry
ZIP_MAGIC = b"PK\x03\x04"


class SheetError(Exception):
    """The upload is refused; the message is shown to the clerk as it is."""


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise SheetError("文件已损坏，或不是 Excel 的 .xlsx 文件。") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise SheetError("文件内部结构异常（条目过多），已拒绝。")
        total = 0
        for entry in entries:
            path = PurePosixPath(entry.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or ":" in entry.filename:
                raise SheetError("文件内部含有越界路径，已拒绝。")
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if total > MAX_UNPACKED or (entry.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise SheetError("文件解压后过大（疑似压缩炸弹），已拒绝。")
        names = {e.filename for e in entries}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise SheetError("这个 .xlsx 文件里没有 Excel 工作簿。")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    if not data.startswith(ZIP_MAGIC):
        raise SheetError("文件名是 .xlsx，但内容不是 Excel 文件（旧版 .xls 请另存为 .xlsx）。")
    _check_zip(data)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise SheetError("无法读取这个 Excel 文件，请用 Excel 重新保存后再试。") from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows():
            cells = list(row)[:MAX_COLUMNS]
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise SheetError(
                        f"第 {len(rows) + 1} 行含有公式。请把公式转换为数值"
                        "（复制后“选择性粘贴→数值”）再导入。"
                    )
            rows.append([_text(getattr(c, "value", None)) for c in cells])
            if len(rows) > MAX_ROWS + 1:
                raise SheetError(f"超过 {MAX_ROWS} 行，请分成几个文件导入。")
        return rows
    finally:
        book.close()


def _read_csv(data: bytes) -> list[list[str]]:
    if data.startswith(ZIP_MAGIC) or b"\x00" in data:
        raise SheetError("文件名是 .csv，但内容不是文本（Excel 文件请用 .xlsx 上传）。")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves GB18030 by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("无法识别文件编码，请保存为 UTF-8 或 GB18030（GBK）的 CSV。")
    rows: list[list[str]] = []
    try:
        for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            cells = [c.strip() for c in row[:MAX_COLUMNS]]
            if any(c.startswith("=") for c in cells):
                raise SheetError(f"第 {line_no} 行含有公式（以 = 开头的单元格），已拒绝。")
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                raise SheetError(f"超过 {MAX_ROWS} 行，请分成几个文件导入。")
    except csv.Error:
        raise SheetError("CSV 格式有误，无法读取。") from None
    return rows


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The rows of the first sheet (or of the CSV), header first, as text."""
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB。")
    if not data:
        raise SheetError("文件是空的。")
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix == ".csv":
        return _read_csv(data)
    raise SheetError("只能导入 .xlsx 或 .csv 文件。")


def write_xlsx(
    out: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """A one-sheet workbook in write-only mode (rows are not kept in memory)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    book.save(out)
