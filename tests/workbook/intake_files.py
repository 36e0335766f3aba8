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
    hidden: Sequence[str] = (),
    cells: dict[str, dict[str, Cell]] | None = None,
) -> bytes:
    """A workbook with the given sheets (name → rows; a bare list of rows is one sheet named "客户名册").

    ``merges``: sheet → ranges such as "A1:D1" to merge (the value stays in the top-left cell, as in Excel).
    ``text_columns``: sheet → 1-based column numbers whose cells are stored as text (Excel's "@" format).
    ``hidden``: sheets hidden in Excel. ``cells``: sheet → {"XFD1048576": value} single cells written anywhere.
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
        for reference, value in (cells or {}).get(name, {}).items():
            sheet[reference] = value
        if name in hidden:
            sheet.sheet_state = "hidden"
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


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows: dict[int, dict[str, object]], *, dimension: str | None = None, prefix: str = "") -> bytes:
    """Worksheet XML as Excel writes it, for rows {row number: {cell reference: value}} (numbers as <v>, text
    inline). Built by hand, so that a test can place a cell anywhere (XFD1048576) in a file of a few KB, which
    no spreadsheet library writes quickly. ``prefix``: a namespace prefix for every element ("x" → <x:c>)."""
    tag = f"{prefix}:" if prefix else ""
    declaration = f' xmlns:{prefix}="{MAIN_NAMESPACE}"' if prefix else f' xmlns="{MAIN_NAMESPACE}"'
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><{tag}worksheet{declaration}>']
    if dimension:
        parts.append(f'<{tag}dimension ref="{dimension}"/>')
    parts.append(f"<{tag}sheetData>")
    for number in sorted(rows):
        parts.append(f'<{tag}row r="{number}">')
        for reference, value in rows[number].items():
            if isinstance(value, (int, float)):
                parts.append(f'<{tag}c r="{reference}"><{tag}v>{value}</{tag}v></{tag}c>')
            else:
                text = str(value).replace("&", "&amp;").replace("<", "&lt;")
                parts.append(f'<{tag}c r="{reference}" t="inlineStr"><{tag}is><{tag}t>{text}</{tag}t></{tag}is>'
                             f"</{tag}c>")
        parts.append(f"</{tag}row>")
    parts.append(f"</{tag}sheetData></{tag}worksheet>")
    return "".join(parts).encode()


def raw_xlsx(sheet: bytes, name: str = "客户名册") -> bytes:
    """A minimal workbook around one worksheet's XML (from :func:`sheet_xml`)."""
    return zip_bytes({
        "[Content_Types].xml": _CONTENT_TYPES.encode(),
        "_rels/.rels": _PACKAGE_RELS.encode(),
        "xl/workbook.xml": _WORKBOOK.format(name=name).encode(),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet,
    })


def table_rows(rows: Rows, first_row: int = 1) -> dict[int, dict[str, object]]:
    """Rows of values as :func:`sheet_xml` wants them, from A``first_row`` on (None cells left out)."""
    from workbook.extent import column_letters

    return {
        first_row + index: {f"{column_letters(position + 1)}{first_row + index}": value
                            for position, value in enumerate(row) if value is not None}
        for index, row in enumerate(rows)
    }
