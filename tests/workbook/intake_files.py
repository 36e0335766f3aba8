"""Builders of hand-made upload files for the intake tests: real xlsx (openpyxl) and CSV bytes, built in code.

Nothing here is a stub: each builder writes the bytes a bank employee's Excel or export tool would produce
(title rows, merged group headers, several sheets, GBK text, a "sep=" line …).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence

import openpyxl

Cell = object
Rows = Sequence[Sequence[Cell]]


def xlsx_bytes(
    sheets: dict[str, Rows] | Rows,
    *,
    merges: dict[str, Sequence[str]] | None = None,
    text_columns: dict[str, Sequence[int]] | None = None,
) -> bytes:
    """A workbook with the given sheets (name → rows; a bare list of rows is one sheet named "客户名册").

    ``merges``: sheet → ranges such as "A1:D1" to merge (the value stays in the top-left cell, as in Excel).
    ``text_columns``: sheet → 1-based column numbers whose cells are stored as text (Excel's "@" format).
    """
    if not isinstance(sheets, dict):
        sheets = {"客户名册": sheets}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for cell_range in (merges or {}).get(name, ()):
            sheet.merge_cells(cell_range)
        for column in (text_columns or {}).get(name, ()):
            for (cell,) in sheet.iter_rows(min_col=column, max_col=column):
                cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Rows, delimiter: str = ",") -> str:
    """Rows as delimited text; a cell holding the delimiter, a quote or a newline is quoted."""
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if any(mark in text for mark in (delimiter, '"', "\n", "\r")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


def csv_bytes(rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """CSV bytes in an encoding: "utf-8", "utf-8-sig" (Excel's CSV UTF-8), "gbk", "utf-16" (with BOM)."""
    return csv_text(rows, delimiter).encode(encoding)


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """The zip ``data`` with ``member``'s uncompressed size rewritten in its local and central headers.

    This is how a zip bomb lies: the headers claim one size, the deflate stream unpacks to another.
    """
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", buffer, info.header_offset + 22, size)  # local file header: uncompressed size
    position = 0
    while (position := bytes(buffer).find(b"PK\x01\x02", position)) >= 0:
        name_length = struct.unpack_from("<H", buffer, position + 28)[0]
        if bytes(buffer[position + 46 : position + 46 + name_length]) == member.encode():
            struct.pack_into("<I", buffer, position + 24, size)  # central directory: uncompressed size
        position += 4
    return bytes(buffer)
