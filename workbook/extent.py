"""A worksheet's extent, read from its XML before any reader materialises the sheet.

A spreadsheet reader lays a sheet out as one dense grid from its first to its last used cell: calamine's grid
costs 32 bytes a cell, so a single value in XFD1048576 (the last cell Excel has) asks for 16,384 × 1,048,576
cells, 512 GiB, and the allocation failure aborts the whole process (no exception to catch). A stray value at
row 200,000 / column 1,000 "only" needs 6.4 GB. So the sheet XML is scanned first, streaming through its bytes
without building a tree:

* the declared extent (``<dimension ref="A1:D11"/>``, which Excel writes but nothing guarantees) is kept as
  written, for the record; it is never trusted for size;
* the real extent comes from the cells actually present: in a small sheet every cell's reference; in a large
  one, for every ``</row>`` the last cell before it (writers put cells in column order, so it is the row's
  widest), and the cells of rows whose last cell lies far out;
* cells far from the table (beyond more than ``ROW_GAP`` empty rows or ``COLUMN_GAP`` empty columns from the
  block that holds most cells, or most rows) are *stray*: they are cut out of the XML before the reader sees it
  and listed for the trainee (a 10-row list with one value in XFD1048576 loads its 10 rows and says so);
* what remains is measured against the row, column and cell limits, so an over-size sheet is refused with a
  clear message instead of being parsed.

The scan reads the XML the way honest writers (Excel, WPS, LibreOffice, openpyxl) lay it out: the ``r``
attribute first in each cell, one namespace prefix for the main elements. A crafted file can hide a cell from
it (no ``r``, another attribute order); such a file still cannot hurt the server, because reading runs in a
child process with memory and time limits (``workbook.sandbox``). The scan is what makes honest files with
far cells load, and over-size sheets fail fast and clearly.

Everything here works on bytes with ``bytes.rfind`` and compiled regular expressions: about 100 ms for the
62 MB sheet of a 50,000 × 30 list (inflating it costs about 150 ms more).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from defusedxml import ElementTree

# A gap of more empty rows / columns than this between a cell and the table makes the cell stray.
ROW_GAP = 1_000
COLUMN_GAP = 50
STRAYS_LISTED = 20  # stray cells named one by one in the report; the rest are counted
# Sheets up to this size (about 60,000 cells) are scanned cell by cell; larger ones by the last cell of each row.
EXACT_SCAN_BYTES = 4 * 2**20
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

_MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_RELATIONSHIP_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?(?:v|t)\b[^>]*>[^<]+<")


def column_number(letters: str | bytes) -> int:
    """Excel's column letters as a 1-based number (A → 1, Z → 26, AA → 27, XFD → 16,384)."""
    number = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """The 1-based column number as Excel's letters (1 → A, 27 → AA)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class StrayCell:
    """A cell far from the table, cut out before reading. ``row`` and ``column`` are 1-based, as Excel counts."""

    row: int
    column: int
    has_value: bool  # False for a cell that only carries formatting (nothing to tell the trainee)

    @property
    def ref(self) -> str:
        return f"{column_letters(self.column)}{self.row}"


@dataclass(frozen=True)
class SheetExtent:
    """What the scan found in one worksheet. ``rows`` and ``columns`` are the last row and column (1-based) of
    the table the reader will see, 0 for an empty sheet: the reader's grid is at most ``rows × columns``."""

    declared: str | None  # the <dimension ref> as written ("A1:XFD1048576"), None when absent
    rows: int
    columns: int
    strays: tuple[StrayCell, ...] = ()  # stray cells holding a value, at most STRAYS_LISTED
    stray_values: int = 0  # how many stray cells hold a value (listed or not)
    xml: bytes | None = field(default=None, repr=False)  # the sheet without its stray cells; None: nothing cut

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def scan_sheet(xml: bytes) -> SheetExtent:
    """The extent of one worksheet's XML, its stray cells, and the XML without them when there are any."""
    head = xml[:4096]
    root = _ROOT.search(head)
    prefix = root.group(1) + b":" if root and root.group(1) else b""
    declared_match = re.search(rb"<" + re.escape(prefix) + rb'dimension\s+ref="([^"]*)"', head)
    declared = declared_match.group(1).decode("ascii", "replace") if declared_match else None
    if len(xml) <= EXACT_SCAN_BYTES:
        return _scan_every_cell(xml, prefix, declared)
    return _scan_row_ends(xml, prefix, declared)


def _scan_every_cell(xml: bytes, prefix: bytes, declared: str | None) -> SheetExtent:
    """Small sheets: every cell's reference is read, and the table is the block that holds most cells."""
    cell_start = b"<" + prefix + b'c r="'
    pattern = re.compile(re.escape(cell_start) + rb"([A-Z]{1,3})([0-9]{1,7})")
    positions: list[int] = []
    numbers: list[int] = []
    columns: list[int] = []
    for match in pattern.finditer(xml):
        positions.append(match.start())
        numbers.append(int(match.group(2)))
        columns.append(column_number(match.group(1)))
    if not positions:
        return SheetExtent(declared, 0, 0)
    low, high = _main_cluster(numbers, ROW_GAP)
    left, right = _main_cluster([c for n, c in zip(numbers, columns, strict=True) if low <= n <= high], COLUMN_GAP)
    cuts: list[tuple[int, int]] = []
    strays: list[StrayCell] = []
    last_row = last_column = 0
    for position, number, column in zip(positions, numbers, columns, strict=True):
        if low <= number <= high and left <= column <= right:
            last_row, last_column = max(last_row, number), max(last_column, column)
            continue
        end, has_value = _cell_end(xml, position, len(xml))
        strays.append(StrayCell(number, column, has_value))
        cuts.append((position, end))
    return _extent(xml, declared, last_row, last_column, strays, cuts)


def _scan_row_ends(xml: bytes, prefix: bytes, declared: str | None) -> SheetExtent:
    """Large sheets: only the last cell of each row is read (writers put a row's cells in column order, so it
    is the row's widest); rows whose last cell lies far out are then read cell by cell. With many rows the
    table's rows outnumber any stray ones, so the majority of rows decides the table's width."""
    rows = _rows(xml, prefix)
    if not rows.numbers:
        return SheetExtent(declared, 0, 0)
    low, high = _main_cluster(rows.numbers, ROW_GAP)
    in_block = [low <= number <= high for number in rows.numbers]
    # The table's width is that of most of its rows; a cell more than COLUMN_GAP empty columns to its right is
    # stray, one nearer widens the table.
    width = _main_cluster([c for c, keep in zip(rows.columns, in_block, strict=True) if keep], COLUMN_GAP)[1]
    far = width + COLUMN_GAP + 1
    cuts: list[tuple[int, int]] = []  # byte spans to remove
    strays: list[StrayCell] = []
    last_row = last_column = 0
    cell_start = b"<" + prefix + b'c r="'
    for index, (number, column) in enumerate(zip(rows.numbers, rows.columns, strict=True)):
        if in_block[index] and column <= width:
            last_row, last_column = max(last_row, number), max(last_column, column)
            continue
        start, end = rows.span(xml, index, prefix)
        for cell, span in _cells(xml, start, end, cell_start):
            if in_block[index] and cell.column <= far:
                last_row, last_column = max(last_row, cell.row), max(last_column, cell.column)
            else:
                strays.append(cell)
                cuts.append(span)
    return _extent(xml, declared, last_row, last_column, strays, cuts)


def _extent(xml: bytes, declared: str | None, rows: int, columns: int, strays: list[StrayCell],
            cuts: list[tuple[int, int]]) -> SheetExtent:
    if not cuts:
        return SheetExtent(declared, rows, columns)
    valued = [cell for cell in strays if cell.has_value]
    return SheetExtent(declared, rows, columns, tuple(valued[:STRAYS_LISTED]), len(valued), _without(xml, cuts))


@dataclass
class _Rows:
    """The rows that end with a referenced cell: where each ends in the XML, and its last cell's position.

    A row's element starts after the previous row's end; :meth:`span` finds it (only stray rows need it)."""

    previous_ends: list[int]
    ends: list[int]  # just past "</row>"
    numbers: list[int]  # row number of the last cell (1-based)
    columns: list[int]  # column number of the last cell (1-based)

    def span(self, xml: bytes, index: int, prefix: bytes) -> tuple[int, int]:
        start = xml.rfind(b"<" + prefix + b"row", self.previous_ends[index], self.ends[index])
        return max(start, self.previous_ends[index]), self.ends[index]


def _rows(xml: bytes, prefix: bytes) -> _Rows:
    """One pass over the XML: each ``</row>``, and the last cell reference before it (a short backward search:
    writers put a row's cells in column order, so the last is the widest)."""
    cell_start = b"<" + prefix + b'c r="'
    skip = len(cell_start)
    rfind, match_ref = xml.rfind, _REF.match
    rows = _Rows([], [], [], [])
    letters: dict[bytes, int] = {}
    previous = 0
    for found in re.finditer(re.escape(b"</" + prefix + b"row>"), xml):
        end = found.start()
        cell = rfind(cell_start, previous, end)
        ref = match_ref(xml, cell + skip) if cell >= 0 else None
        if ref is not None:  # else formatting only, or cells without references (the child's limits cover those)
            column, number = ref.groups()
            rows.previous_ends.append(previous)
            rows.ends.append(found.end())
            rows.numbers.append(int(number))
            if column not in letters:
                letters[column] = column_number(column)
            rows.columns.append(letters[column])
        previous = found.end()
    return rows


def _main_cluster(values: Iterable[int], gap: int) -> tuple[int, int]:
    """The lowest and highest value of the cluster holding most values, clusters being split wherever two
    neighbouring values are more than ``gap`` apart. The first of equally large clusters wins."""
    ordered = sorted(values)
    best = (0, ordered[0], ordered[0])
    start, count = ordered[0], 1
    for previous, value in itertools.pairwise(ordered):
        if value - previous > gap + 1:
            if count > best[0]:
                best = (count, start, previous)
            start, count = value, 0
        count += 1
    if count > best[0]:
        best = (count, start, ordered[-1])
    return best[1], best[2]


def _cells(xml: bytes, start: int, end: int, cell_start: bytes) -> Iterable[tuple[StrayCell, tuple[int, int]]]:
    """The referenced cells between ``start`` and ``end``, with their byte spans."""
    position = start
    while (position := xml.find(cell_start, position, end)) >= 0:
        ref = _REF.match(xml, position + len(cell_start))
        if ref is None:
            break
        cell_end, has_value = _cell_end(xml, position, end)
        yield StrayCell(int(ref.group(2)), column_number(ref.group(1)), has_value), (position, cell_end)
        position = max(cell_end, position + 1)


def _cell_end(xml: bytes, position: int, limit: int) -> tuple[int, bool]:
    """Just past the end of the cell element starting at ``position``, and whether it holds a value."""
    tag_end = xml.find(b">", position, limit)
    if tag_end < 0:
        return limit, False
    if xml[tag_end - 1:tag_end] == b"/":  # <c r="B2" s="1"/>: formatting, no value
        return tag_end + 1, False
    close = _CELL_END.search(xml, tag_end + 1, limit)
    end = close.end() if close else limit
    return end, _VALUE.search(xml, tag_end + 1, end) is not None


def _without(xml: bytes, cuts: list[tuple[int, int]]) -> bytes:
    parts: list[bytes] = []
    position = 0
    for start, end in sorted(cuts):
        if start < position:
            continue  # a cell inside a row already cut
        parts.append(xml[position:start])
        position = end
    parts.append(xml[position:])
    return b"".join(parts)


# ---- the workbook around the sheets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it: its name, whether it is shown, and its XML member in the zip."""

    name: str
    visible: bool
    path: str | None  # None when the relationship is missing or points outside the package


def sheet_entries(archive: zipfile.ZipFile) -> tuple[SheetEntry, ...]:
    """The sheets of ``xl/workbook.xml`` in order, read with defusedxml (no entity expansion, no DTD)."""
    workbook_path = "xl/workbook.xml"
    relations = _relationships(archive, "xl/_rels/workbook.xml.rels")
    root = ElementTree.fromstring(archive.read(workbook_path))
    entries = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        name = element.get("name", "")
        state = element.get("state", "visible")
        relation = next((element.get(f"{{{ns}}}id") for ns in _RELATIONSHIP_NAMESPACES
                         if element.get(f"{{{ns}}}id") is not None), None)
        target = relations.get(relation or "")
        path = None
        if target is not None:
            path = normpath(target.lstrip("/") if target.startswith("/") else join(dirname(workbook_path), target))
        entries.append(SheetEntry(name=name, visible=state == "visible", path=path))
    return tuple(entries)


def _relationships(archive: zipfile.ZipFile, path: str) -> Mapping[str, str]:
    try:
        root = ElementTree.fromstring(archive.read(path))
    except KeyError:
        return {}
    return {
        element.get("Id", ""): element.get("Target", "")
        for element in root.iter(f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship")
    }


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def replace_members(data: bytes, replacements: Mapping[str, bytes]) -> bytes:
    """The zip ``data`` with some members' content replaced (the others copied as they are)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            content = replacements.get(info.filename)
            target.writestr(info.filename, source.read(info) if content is None else content)
    return buffer.getvalue()
