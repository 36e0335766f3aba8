"""An uploaded file as tables of raw cells: what it is (sniffed from its bytes), whether it is safe to open,
and its rows.

The format comes from the bytes, never the file name: Chinese bank systems export ``.xls`` files that are CSV
text, and ``.xlsx`` files renamed by hand. Guards run before any parser sees the data: the size limit, and for
zip containers the total unpacked size and compression ratio (a zip bomb is refused before it is unpacked).

Everything that goes wrong raises :class:`SourceError` with a code and values; intake turns it into the
trainee's Chinese message (``intake.error.<code>`` in the catalogue).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from workbook import extent

MAX_BYTES = 20 * 1024 * 1024
MAX_DATA_ROWS = 200_000
MAX_COLUMNS = 1_000
# Cells in a sheet's grid (rows × columns from its first to its last used cell): the reader holds the whole
# grid at once, about 32 bytes a cell in calamine and 8 more per Python reference. 200,000 rows × 30 columns.
MAX_CELLS = 6_000_000
# Unpacked size of all members of an xlsx. A 50,000 × 30 book unpacks to about 60 MB (8 MB packed), so a
# legitimate file under MAX_BYTES stays well below; the ratio cap catches a small file claiming to be huge.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # below this, a high ratio (a sheet of zeros) is harmless
MAX_ZIP_MEMBERS = 10_000
# The header row is looked for in the first rows of a sheet (a title row, a merged group header, notes).
HEADER_SCAN_ROWS = 20
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
WHITESPACE = " "  # the delimiter recorded for columns separated by runs of spaces or tabs
SNIFF_LINES = 50
CONTROL_SHARE = 0.01  # decoded text with more control characters than this is a binary file

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
    (b"\x1f\x8b", "gzip"),
)
_SEP_HINT = re.compile(r"^\ufeff?sep=(.)\s*$")


class SourceError(Exception):
    """The file cannot be read as a customer table. ``code`` names the catalogue message; ``values`` fill it."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


@dataclass
class Table:
    """One sheet of a workbook, or the rows of a text file.

    ``first_row`` is the 1-based row number (as Excel shows it) of ``rows[0]``; ``first_column`` the 0-based
    column index of ``rows[i][0]``. A sheet's rows load lazily: choosing the sheet needs only its head.
    """

    name: str | None
    first_row: int
    first_column: int
    height: int
    width: int
    visible: bool = True
    refusal: SourceError | None = None  # why the sheet is too large to read; it is then never parsed
    strays: tuple[extent.StrayCell, ...] = ()  # cells far from the table, cut out before reading (listed ones)
    stray_values: int = 0  # how many stray cells held a value
    _head: list[list[Any]] = field(default_factory=list, repr=False)
    _rows: list[list[Any]] | None = field(default=None, repr=False)
    _sheet: Any = field(default=None, repr=False)  # a python_calamine CalamineSheet

    def head(self) -> list[list[Any]]:
        return self._head

    def top(self, count: int) -> list[list[Any]]:
        """The first ``count`` rows, without converting the whole sheet when it is not loaded yet."""
        if self._rows is not None or self._sheet is None:
            return (self._rows or [])[:count]
        return list(self._sheet.to_python(nrows=count))

    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            if self.height > MAX_DATA_ROWS + HEADER_SCAN_ROWS + 1:
                raise SourceError("too_many_rows", limit=MAX_DATA_ROWS, sheet=self.name or "")
            if self.width > MAX_COLUMNS:
                raise SourceError("too_many_columns", limit=MAX_COLUMNS, sheet=self.name or "")
            self._rows = list(self._sheet.to_python()) if self._sheet is not None else []
        return self._rows


@dataclass(frozen=True)
class Source:
    file_format: str  # "xlsx" or "csv"
    encoding: str | None  # text files only: "utf-8", "utf-8-sig", "gb18030", "utf-16"
    delimiter: str | None
    tables: tuple[Table, ...]


def open_source(data: bytes) -> Source:
    """The tables of a file, sniffed from its bytes. Raises SourceError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SourceError("unreadable")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise SourceError("too_large", size_mb=f"{len(data) / 2**20:.1f}", limit_mb=MAX_BYTES // 2**20)
    if not data.strip():
        raise SourceError("empty")
    if data.startswith(OLE2_SIGNATURE):
        raise SourceError("legacy_or_encrypted")
    if data.startswith(ZIP_SIGNATURES):
        return _open_workbook(data)
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise SourceError("not_a_table", kind=name)
    return _open_text(data)


# ---- workbooks ------------------------------------------------------------------------------------------------


def check_zip(data: bytes) -> set[str]:
    """Member names of a zip container after the bomb guard (declared sizes; calamine also refuses a member
    that unpacks beyond its declared size, so a forged header cannot get past this)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as err:  # BadZipFile, struct.error, ValueError … on a damaged container
        raise SourceError("bad_workbook") from err
    if len(members) > MAX_ZIP_MEMBERS:
        raise SourceError("zip_bomb", size_mb="?", ratio="?")
    unpacked = sum(max(member.file_size, 0) for member in members)
    packed = sum(max(member.compress_size, 0) for member in members)
    ratio = unpacked / max(packed, 1)
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > RATIO_FLOOR_BYTES and ratio > MAX_RATIO):
        raise SourceError("zip_bomb", size_mb=f"{unpacked / 2**20:,.0f}", ratio=f"{ratio:,.0f}")
    return {member.filename for member in members}


def _open_workbook(data: bytes) -> Source:
    names = check_zip(data)
    if "xl/workbook.bin" in names:
        raise SourceError("xlsb")
    if "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:
            raise SourceError("ods")
        if "word/document.xml" in names or "ppt/presentation.xml" in names:
            raise SourceError("office_document")
        if "[Content_Types].xml" in names:
            raise SourceError("bad_workbook")
        raise SourceError("zip_archive")
    data, extents = _checked_extents(data, names)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        tables = []
        for metadata in workbook.sheets_metadata:
            if "WorkSheet" not in str(metadata.typ):
                continue  # chart sheets and macro sheets hold no rows
            visible = metadata.visible == SheetVisibleEnum.Visible
            found = extents.get(metadata.name)
            refusal = _refusal(found, metadata.name) if found is not None else None
            if found is not None and refusal is not None:
                tables.append(Table(name=metadata.name, first_row=1, first_column=0, height=found.rows,
                                    width=found.columns, visible=visible, refusal=refusal))
                continue
            sheet = workbook.get_sheet_by_name(metadata.name)
            start = sheet.start or (0, 0)
            tables.append(
                Table(
                    name=metadata.name,
                    first_row=int(start[0]) + 1,
                    first_column=int(start[1]),
                    height=int(sheet.height),
                    width=int(sheet.width),
                    visible=visible,
                    _head=sheet.to_python(nrows=HEADER_SCAN_ROWS) if sheet.height else [],
                    _sheet=sheet,
                    strays=found.strays if found else (),
                    stray_values=found.stray_values if found else 0,
                )
            )
    except SourceError:
        raise
    except Exception as err:  # calamine: XmlError, ZipError, PasswordError, CalamineError …
        raise SourceError("bad_workbook") from err
    if not tables:
        raise SourceError("no_data")
    return Source(file_format="xlsx", encoding=None, delimiter=None, tables=tuple(tables))


def _checked_extents(data: bytes, names: set[str]) -> tuple[bytes, dict[str, extent.SheetExtent]]:
    """Each worksheet's real extent (by sheet name), scanned from its XML before any reader sees it, and the
    workbook the reader gets: the same bytes, or (when a sheet had stray cells far from its table) the workbook
    without them."""
    found: dict[str, extent.SheetExtent] = {}
    replacements: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in extent.sheet_entries(archive):
                if entry.path is None or entry.path not in names:
                    continue
                # Bounded: check_zip capped the declared sizes, and zipfile stops at a member's declared size.
                scanned = extent.scan_sheet(archive.read(entry.path))
                found[entry.name] = scanned
                if scanned.xml is not None:
                    replacements[entry.path] = scanned.xml
    except Exception as err:  # damaged zip, XML with a DTD or entities (defusedxml refuses), bad CRC …
        raise SourceError("bad_workbook") from err
    if replacements:
        data = extent.replace_members(data, replacements)
    return data, found


def _refusal(found: extent.SheetExtent, sheet: str) -> SourceError | None:
    """Why a sheet is too large to read (before reading it), or None."""
    if found.rows > MAX_DATA_ROWS + HEADER_SCAN_ROWS + 1:
        return SourceError("too_many_rows", limit=MAX_DATA_ROWS, sheet=sheet)
    if found.columns > MAX_COLUMNS:
        return SourceError("too_many_columns", limit=MAX_COLUMNS, sheet=sheet)
    if found.cells > MAX_CELLS:
        return SourceError("too_many_cells", rows=found.rows, columns=found.columns, sheet=sheet,
                           limit=MAX_CELLS)
    return None


# ---- text files -----------------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """Text and its encoding: UTF-16 (by BOM), strict UTF-8 with or without BOM, strict GB18030 (covers
    GBK and GB2312, what Chinese Excel writes), else SourceError. Binary content is refused as well."""
    text: str | None = None
    encoding = ""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    if not encoding and b"\x00" in data[:20_000]:
        raise SourceError("binary")  # no text but UTF-16 holds NUL bytes: an image, an executable, a database…
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise SourceError("encoding") from err
    else:
        for candidate in ("utf-8", "gb18030"):
            try:
                text = data.decode(candidate)
            except UnicodeDecodeError:
                continue
            encoding = candidate
            break
    if text is None:
        raise SourceError("encoding")
    sample = text[:20_000]
    controls = sum(1 for char in sample if unicodedata.category(char) == "Cc" and char not in "\t\r\n\f\v")
    if "\x00" in sample or controls > CONTROL_SHARE * max(len(sample), 1):
        raise SourceError("binary")
    return text, encoding


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample lines into the most rows of one consistent width (> 1 field).

    A thousands separator in a ``;`` file makes the comma count vary from line to line, so ``;`` wins there.
    """
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:
            continue
        counts: dict[int, int] = {}
        for width in widths:
            if width > 1:
                counts[width] = counts.get(width, 0) + 1
        if not counts:
            continue
        width, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        score = (frequency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _whitespace_separated(lines: list[str], delimiter: str) -> bool:
    """Whether the sample has no delimited columns but splits into the same number (> 1) of fields on runs of
    whitespace in most lines: ``00001 19970101 1 11.77``."""
    if not lines:
        return False
    try:
        delimited = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
    except csv.Error:
        delimited = []
    if sum(1 for width in delimited if width > 1) > len(lines) // 2:
        return False
    widths = [len(line.split()) for line in lines]
    common = max(set(widths), key=widths.count)
    return common > 1 and widths.count(common) >= 0.8 * len(widths)


def _open_text(data: bytes) -> Source:
    text, encoding = decode(data)
    lines = text.splitlines()
    first_row = 1
    hint = _SEP_HINT.match(lines[0]) if lines else None
    if hint:
        # Excel's "sep=;" line names the delimiter and is not shown as a row.
        delimiter = hint.group(1)
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        sample = [line for line in lines[: SNIFF_LINES * 2] if line.strip()][:SNIFF_LINES]
        delimiter = sniff_delimiter(sample)
        if _whitespace_separated(sample, delimiter):
            delimiter = WHITESPACE
    limit = MAX_DATA_ROWS + HEADER_SCAN_ROWS + 1
    if delimiter == WHITESPACE:
        # Columns separated by runs of spaces or tabs (fixed-width exports, the CDNOW log): no quoting.
        rows: list[list[Any]] = [line.split() for line in itertools.islice(text.splitlines(), limit + 1)]
    else:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows = list(itertools.islice(reader, limit + 1))
        except csv.Error as err:
            raise SourceError("csv_error", row=reader.line_num) from err
    if len(rows) > limit:
        raise SourceError("too_many_rows", limit=MAX_DATA_ROWS, sheet="")
    if not any(any(str(cell).strip() for cell in row) for row in rows):
        raise SourceError("no_data")
    width = max((len(row) for row in rows), default=0)
    if width > MAX_COLUMNS:
        raise SourceError("too_many_columns", limit=MAX_COLUMNS, sheet="")
    table = Table(
        name=None,
        first_row=first_row,
        first_column=0,
        height=len(rows),
        width=width,
        _head=rows[:HEADER_SCAN_ROWS],
        _rows=rows,
    )
    return Source(file_format="csv", encoding=encoding, delimiter=delimiter, tables=(table,))
