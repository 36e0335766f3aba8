"""Intake: a trainee's own customer list (xlsx / csv) read into the canonical book of ``schema.FIELDS``.

Two steps, as the book page shows them:

1. :func:`preview_source` — what the file holds: the sheet and header row found, its columns, the field each
   column maps to by the schema's aliases, and a masked glimpse of the first rows (for the mapping step).
2. :func:`read_book` — the book itself, with a report of what was read, kept, mapped, scaled and every cell or
   row that needs the trainee's attention (issue kinds below, each with the Excel row and source column).

Nothing is guessed silently: a cell that cannot be read is reported (``bad_number``, ``bad_date``…), never a
quiet NaN; rows are dropped only when blank, a total line (合计) or a repeated customer number, and each drop
is reported. Every failure raises :class:`BookError` with a Chinese message naming the file and, where it
applies, the row and column; no other exception leaves this module, whatever the bytes.

The book keeps only canonical columns (unmapped source columns are listed in the report, not carried: less
personal data held), plus ``schema.UNREADABLE`` when some cells held a value that could not be read. It is never
written anywhere: the caller keeps it in the trainee's session.

The uploaded bytes are parsed only in a child process (``workbook.sandbox``): a file that makes a reader abort
or run away ends that child, not the server every trainee shares, and the trainee gets a clear message. Before
any reader sees a workbook, each sheet's real extent is scanned from its XML (``workbook.extent``): cells far
from the table are cut out and reported, over-size sheets refused.

What the mapping step asks the trainee (:class:`IntakeChoices`): which sheet, whether a transaction log is
summed per customer, the unit of balance columns whose header names none but whose magnitudes look like 万元,
and whether a risk column of product grades (R1–R5) is read as customer grades.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import TypeVar

# Installing defusedxml makes openpyxl parse workbook XML safely; intake reads with calamine (Rust, no entity
# expansion), but the import keeps the dependency real for every path that opens workbooks with openpyxl.
import defusedxml  # noqa: F401
import numpy as np
import pandas as pd

from workbook import cells, i18n, privacy, sandbox, schema, sources, transactions
from workbook.schema import FIELD_BY_KEY, Kind
from workbook.sources import HEADER_SCAN_ROWS, SourceError

T = TypeVar("T")

MAX_ISSUES = 10_000  # listed one by one; beyond this the report counts the rest in one line
PREVIEW_ROWS = 5
PII_SAMPLE_ROWS = 500
GENERATED_ID_PREFIX = "C"  # rows numbered C00001… when the file has no customer-number column
MISSING_ID_PREFIX = "R"  # a row without a customer number gets R + its Excel row number
TOTAL_ROW_WORDS = frozenset({"合计", "总计", "小计", "总合计", "累计", "total", "subtotal", "grandtotal", "sum"})
ISSUE_KINDS: tuple[str, ...] = (
    "per_customer",
    "stray_cells",
    "headerless",
    "unit_unconfirmed",
    "product_grade",
    "ids_generated",
    "missing_id",
    "duplicate_id",
    "total_row",
    "duplicate_column",
    "bad_number",
    "bad_date",
    "bad_category",
    "not_whole",
    "out_of_range",
    "negative_aum",
    "missing_aum",
    "precision_lost",
    "issues_truncated",
)
_KIND_ORDER = {kind: position for position, kind in enumerate(ISSUE_KINDS)}
# Issue kinds of a cell that held something intake could not read: the book marks those cells (schema.UNREADABLE)
# so that a module can tell "unreadable" from "blank".
UNREADABLE_KINDS = frozenset({"bad_number", "bad_date", "bad_category", "product_grade"})
# Balances (not costs or fees, which are small in 元 too): a column of them whose header names no unit and whose
# typical value is below this is probably kept in 万元, and the mapping step asks.
UNIT_QUESTION_BELOW = 1_000.0
TEN_THOUSAND = 10_000.0
# In a row with no field named, this share of data-like cells (numbers, dates, ID/phone/card numbers) means the
# file has no header row: the row is data, and its values must not become column labels.
HEADERLESS_SHARE = 0.5


class BookError(i18n.LocalisedError):
    """The file cannot become a customer book. ``str(err)`` is the Chinese message for the trainee (naming
    the file and, where it applies, the row and column); :meth:`text` gives it in another language."""

    catalogue_prefix = "intake.error"

    def __init__(self, code: str, filename: str, /, **values: object) -> None:
        self.filename = filename  # set first: the message quotes it
        row, column = values.get("row"), values.get("column")
        self.row: int | None = row if isinstance(row, int) else None
        self.column: str | None = column if isinstance(column, str) else None
        super().__init__(code, **values)

    def message_values(self, lang: str) -> Mapping[str, object]:
        return {"filename": self.filename, **self.values}

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in the reading child and re-raised in the server: rebuilt from its code and values.
        return (_book_error, (self.code, self.filename, dict(self.values)))


def _book_error(code: str, filename: str, values: dict[str, object]) -> BookError:
    return BookError(code, filename, **values)


@dataclass(frozen=True)
class IntakeChoices:
    """What the trainee decided in the mapping step (every default reads the file as it is)."""

    sheet: str | None = None  # read this sheet instead of the one intake finds
    per_customer: bool = False  # the file is a transaction log: sum it per customer
    units: Mapping[str, float] = field(default_factory=dict)  # source column -> 1 (元) or 10,000 (万元)
    product_grades_as_customer: bool = False  # read a risk column's R1–R5 as C1–C5


@dataclass(frozen=True)
class SheetInfo:
    """A worksheet of the file, for the sheet choice: its name, whether it is shown in Excel, and whether it is
    too large to read."""

    name: str
    visible: bool
    readable: bool


@dataclass(frozen=True)
class IntakeIssue:
    """One thing the trainee should look at: a cell, a row, or the file. ``row`` is the row number Excel
    shows; ``column`` the source header; ``value`` the cell as typed (masked when the column is personal)."""

    kind: str
    row: int | None
    column: str | None
    value: str | None
    message: str  # Chinese
    detail: str = ""  # what the message adds (the range, the first row of a duplicate, the generated id …)

    def text(self, lang: str) -> str:
        return issue_text(self.kind, lang, self.row, self.column, self.value, self.detail)


ALLOWED_PREFIX = "allowed."


def issue_text(kind: str, lang: str, row: int | None, column: str | None, value: str | None, detail: str) -> str:
    if detail.startswith(ALLOWED_PREFIX):  # a field's allowed values, worded per language in the catalogue
        detail = i18n.t(f"intake.{detail}", lang)
    shown = None if column is None else column_label(column, lang)
    return i18n.t(f"intake.msg.{kind}", lang, row=row, column=shown, value=value, detail=detail)


def column_label(column: str, lang: str, summed: bool = False) -> str:
    """A source column's name for display. The columns of a transaction log summed per customer have
    language-neutral names (``txn_amount_total``): they show as the catalogue names them (交易金额合计)."""
    if column in transactions.SUMMARY_COLUMNS and (summed or column not in FIELD_BY_KEY):
        return i18n.t(f"intake.txn.{column}", lang)
    return column


@dataclass(frozen=True)
class IntakeReport:
    filename: str
    file_format: str  # "xlsx" or "csv"
    sheet: str | None
    encoding: str | None
    header_row: int  # 1-based, as the trainee sees it in Excel
    rows_read: int  # data rows below the header that hold anything (blank rows not counted)
    rows_kept: int
    fields_mapped: dict[str, str]  # canonical key -> source header
    unmapped_columns: tuple[str, ...]
    scaled: dict[str, float]  # canonical key -> factor applied from the header unit (万元 → 10000)
    ids_generated: bool
    issues: tuple[IntakeIssue, ...]
    blank_rows: int = 0
    delimiter: str | None = None
    pii_columns: dict[str, str] = field(default_factory=dict)  # source column -> PII kind
    hidden: bool = False  # the sheet read is hidden in Excel (no visible sheet held the table)
    headerless: bool = False  # the file has no header row: columns are named by their letters
    transactions: int = 0  # a transaction log summed per customer: the rows summed (0: not summed)

    def issues_by_kind(self) -> dict[str, list[IntakeIssue]]:
        grouped: dict[str, list[IntakeIssue]] = {}
        for issue in self.issues:
            grouped.setdefault(issue.kind, []).append(issue)
        return dict(sorted(grouped.items(), key=lambda item: _KIND_ORDER.get(item[0], len(_KIND_ORDER))))

    def issue_table(self, lang: str) -> pd.DataFrame:
        """The issues as a table to show: kind label, row, column, value, detail. Values were masked when the
        issues were collected (as their column's kind, or cell by cell); they are masked again here, so a
        report built elsewhere cannot show more."""
        labels = {kind: i18n.t(f"intake.kind.{kind}", lang) for kind in {issue.kind for issue in self.issues}}
        values = [
            _masked(issue.value, self.pii_columns.get(issue.column or "")) for issue in self.issues
        ]
        return pd.DataFrame(
            {
                i18n.t("intake.table.kind", lang): pd.Series([labels[i.kind] for i in self.issues], dtype="str"),
                i18n.t("intake.table.row", lang): pd.array([i.row for i in self.issues], dtype="Int64"),
                i18n.t("intake.table.column", lang): pd.Series(
                    [None if i.column is None else column_label(i.column, lang) for i in self.issues], dtype="str"),
                i18n.t("intake.table.value", lang): pd.Series(values, dtype="str"),
                i18n.t("intake.table.detail", lang): pd.Series([i.text(lang) for i in self.issues], dtype="str"),
            }
        )


@dataclass(frozen=True)
class BookLoad:
    book: pd.DataFrame
    report: IntakeReport


@dataclass(frozen=True)
class SourcePreview:
    filename: str
    file_format: str
    sheet: str | None
    header_row: int  # 0: no header row
    columns: tuple[str, ...]
    suggested: dict[str, str]  # source column -> canonical key, by the schema's aliases
    head: pd.DataFrame  # first ≤5 data rows as text, personal values and free text masked
    encoding: str | None = None
    data_rows: int = 0  # rows below the header (blank rows included); customers when summed
    pii_columns: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None
    sheets: tuple[SheetInfo, ...] = ()  # every worksheet, for the sheet choice
    hidden: bool = False  # the sheet shown is hidden in Excel
    headerless: bool = False
    strays: tuple[str, ...] = ()  # cells far from the table that were left out ("XFD1048576"), listed ones
    stray_count: int = 0
    transactions: transactions.TransactionLog | None = None  # the file looks like a transaction log
    summed: bool = False  # the columns are the log summed per customer (IntakeChoices.per_customer)
    summed_rows: int = 0  # the transactions summed (data_rows then counts customers)
    magnitudes: dict[str, float] = field(default_factory=dict)  # source column -> median of its positive numbers
    product_grade_columns: tuple[str, ...] = ()  # columns whose values are product risk grades (R1–R5)

    def unit_question(self, mapping: Mapping[str, str | None]) -> tuple[str, ...]:
        """The mapped balance columns to ask the unit of: no unit in the header, and a typical value below
        UNIT_QUESTION_BELOW (120.5 is 120.5万元 far more often than 120.5 元 for a customer's assets)."""
        return unit_question(self.magnitudes, mapping)

    def product_grade_question(self, mapping: Mapping[str, str | None]) -> str | None:
        """The column mapped to the risk level when it holds product grades (R1–R5), else None."""
        return next((c for c, key in mapping.items() if key == "risk_level" and c in self.product_grade_columns),
                    None)


def unit_question(magnitudes: Mapping[str, float], mapping: Mapping[str, str | None]) -> tuple[str, ...]:
    """See :meth:`SourcePreview.unit_question`."""
    return tuple(
        column for column, key in mapping.items()
        if key in schema.BALANCE_KEYS and schema.header_unit(column) is None
        and 0 < magnitudes.get(column, 0.0) < UNIT_QUESTION_BELOW
    )


# ---- the two entry points -------------------------------------------------------------------------------------


def preview_source(data: bytes, filename: str, choices: IntakeChoices | None = None) -> SourcePreview:
    """What the file holds, for the mapping step. Raises only BookError."""
    name = _display_name(filename)
    return _isolated(_preview_in_child, data, name, choices or IntakeChoices())


def read_book(
    data: bytes, filename: str, mapping: Mapping[str, str | None] | None = None,
    choices: IntakeChoices | None = None,
) -> BookLoad:
    """The customer book in the canonical schema, and the intake report. Raises only BookError.

    ``mapping`` = {source column: canonical key}; it overrides the alias auto-mapping for the columns it names
    ("" or None ignores that column). ``choices``: the trainee's answers in the mapping step.
    """
    name = _display_name(filename)
    return _isolated(_read_in_child, data, name, dict(mapping or {}), choices or IntakeChoices())


def _isolated(function: Callable[..., T], data: object, name: str, *args: object) -> T:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise BookError("unreadable", name)
    try:
        return sandbox.run(function, bytes(data), name, *args)
    except sandbox.SandboxError as err:
        raise BookError("reader_timeout" if err.reason == "timeout" else "reader_stopped", name) from err


def warm_up() -> None:
    """Read a tiny file in-process: the reader worker calls this once before it forks, so that each child
    starts with every lazy import done and the text catalogue loaded."""
    sample = "客户号,金融资产,风险等级,最近交易日期\nC1,1.5万,R2,2026-03-15\nC2,x,C3,\n".encode()
    with contextlib.suppress(BookError):
        _preview_in_child(sample, "warm-up.csv", IntakeChoices())
    with contextlib.suppress(BookError):
        _read_in_child(sample, "warm-up.csv", {}, IntakeChoices())


def _preview_in_child(data: bytes, name: str, choices: IntakeChoices) -> SourcePreview:
    try:
        return _preview(data, name, choices)
    except BookError:
        raise
    except SourceError as err:
        raise BookError(err.code, name, **err.values) from err
    except MemoryError as err:
        raise BookError("reader_stopped", name) from err
    except Exception as err:  # any other surprise in a damaged file: still a clear message, never a traceback
        raise BookError("unreadable", name) from err


def _read_in_child(data: bytes, name: str, mapping: Mapping[str, str | None], choices: IntakeChoices) -> BookLoad:
    try:
        return _read(data, name, mapping, choices)
    except BookError:
        raise
    except SourceError as err:
        raise BookError(err.code, name, **err.values) from err
    except MemoryError as err:
        raise BookError("reader_stopped", name) from err
    except Exception as err:
        raise BookError("unreadable", name) from err


# ---- locating the table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where the customer table is: which sheet, which row is the header (none: ``header_index`` −1), and
    what its columns are called."""

    table: sources.Table
    header_index: int  # index into table rows; −1 when the file has no header row
    columns: tuple[str, ...]
    file_format: str
    encoding: str | None
    delimiter: str | None
    sheets: tuple[SheetInfo, ...]

    @property
    def headerless(self) -> bool:
        return self.header_index < 0

    @property
    def header_row(self) -> int:
        """The header's row as Excel shows it; 0 when there is none."""
        return 0 if self.headerless else self.table.first_row + self.header_index

    @property
    def first_data_row(self) -> int:
        return self.table.first_row + self.header_index + 1


def _locate(data: bytes, filename: str, mapping_keys: frozenset[str], sheet: str | None = None) -> _Layout:
    source = sources.open_source(data)
    sheets = tuple(SheetInfo(t.name or "", t.visible, t.refusal is None) for t in source.tables if t.name)
    tables = list(source.tables)
    if sheet is not None:
        tables = [t for t in tables if t.name == sheet]
        if not tables:
            raise BookError("sheet_not_found", filename, sheet=sheet)
    best: tuple[tuple[int, int, int, int, int], sources.Table, int] | None = None
    for position, table in enumerate(tables):
        head = table.head()
        if table.refusal is not None or not head:
            continue
        index, (matched, named) = _header_row(head, mapping_keys)
        # A visible sheet wins over a hidden one whenever it names a field at all; among equals, more fields
        # named, then more headers, then the first sheet.
        score = (int(matched > 0), int(table.visible), matched, named, -position)
        if best is None or score > best[0]:
            best = (score, table, index)
    if best is None:
        refused = next((t.refusal for t in tables if t.refusal is not None), None)
        if refused is not None:
            raise refused
        raise BookError("no_data", filename)
    (matched, *_), table, index = best
    head = table.head()
    if not matched and _is_data(head[index]):
        index = -1  # no header row: the first row is a customer, and its values must not become labels
    width = max(table.width, max(len(r) for r in head))
    columns = _column_names(head, index, table.first_column, width)
    return _Layout(table, index, columns, source.file_format, source.encoding, source.delimiter, sheets)


def _is_data(row: list[object]) -> bool:
    """Whether a row (taken for the header, though it names no field) is data: most of its filled cells are
    numbers, dates, or ID / phone / card numbers or names."""
    filled = [cell for cell in row if _header_text(cell)]
    if not filled:
        return False
    data_like = sum(1 for cell in filled if _data_like(cell))
    return data_like >= HEADERLESS_SHARE * len(filled)


def _data_like(cell: object) -> bool:
    if isinstance(cell, (int, float, np.integer, np.floating)) or not isinstance(cell, str):
        return True  # numbers, dates, booleans: a header is text
    text = _header_text(cell)
    if _DATA_TEXT.fullmatch(text):
        return True
    return privacy.value_kind(pd.Series([text], dtype="str")) is not None


_DATA_TEXT = re.compile(r"[\d\s.,:/+\-¥%()]+|[\d.,]+\s*(?:万|亿|元|万元)")


def _header_row(head: list[list[object]], mapping_keys: frozenset[str]) -> tuple[int, tuple[int, int]]:
    """The header's index in ``head``: the row naming the most fields (aliases, or columns the mapping names);
    when no row names any, the first row with the most filled cells. Earliest wins ties (a title row or a
    merged group header above the real header names fewer fields)."""
    best_index, best = 0, (-1, -1)
    for index, row in enumerate(head[:HEADER_SCAN_ROWS]):
        keys: set[str] = set()
        named = 0
        for cell in row:
            text = _header_text(cell)
            if not text:
                continue
            named += 1
            if text in mapping_keys:
                keys.add("\0" + text)
            key = schema.match_header(text)
            if key is not None:
                keys.add(key)
        score = (len(keys), named)
        if score > best:
            best_index, best = index, score
    return best_index, best


def _column_names(head: list[list[object]], index: int, first_column: int, width: int) -> tuple[str, ...]:
    """Display names of the columns: the header text; a blank header cell under a vertically merged header
    takes the text above it; otherwise (and in a file without a header row, ``index`` −1) the Excel column
    letter in brackets. Repeated names get their letter. A number in a header that looks like an ID, phone or
    card number is masked: labels and messages never echo one."""
    row = list(head[index]) if index >= 0 else []
    row += [""] * (width - len(row))
    above = list(head[index - 1]) if index > 0 else []
    above_named = sum(1 for cell in above if _header_text(cell))
    names: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(row[:width]):
        letter = column_letter(first_column + position)
        text = _header_text(cell)
        if not text and above_named >= 2 and position < len(above):
            text = _header_text(above[position])
        text = privacy.mask_text(text)
        if not text:
            text = f"[{letter}]"
        if text in seen:
            text = f"{text} [{letter}]"
        seen.add(text)
        names.append(text)
    return tuple(names)


def _header_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    text = cells.display_text(cell)
    return " ".join(text.split())


def column_letter(index: int) -> str:
    """Excel's column letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _display_name(filename: object) -> str:
    text = str(filename or "").strip()
    text = PureWindowsPath(PurePosixPath(text).name).name or "?"
    return text if len(text) <= 80 else text[:77] + "…"


# ---- preview --------------------------------------------------------------------------------------------------


def _preview(data: bytes, filename: str, choices: IntakeChoices) -> SourcePreview:
    layout = _locate(data, filename, frozenset(), choices.sheet)
    start = layout.header_index + 1
    sample = _text_frame(layout.table.top(start + PII_SAMPLE_ROWS)[start:], layout.columns)
    suggested = _auto_mapping(layout.columns)
    log = transactions.detect(sample, suggested)
    grid = _grid(layout, choices, filename, log) if log is not None and choices.per_customer else None
    columns = layout.columns
    data_rows = max(layout.table.height - start, 0)
    if grid is not None:
        columns, data_rows = grid.columns, len(grid.body)
        sample = _text_frame(grid.body[:PII_SAMPLE_ROWS], columns)
        suggested = _auto_mapping(columns, grid.defaults)
    kinds = _pii_columns(sample, suggested)
    filled = sample[(sample != "").any(axis=1)] if not sample.empty else sample
    head = privacy.mask_frame(filled.head(PREVIEW_ROWS).reset_index(drop=True), kinds)
    for column in head.columns:
        # A column intake cannot name may hold names, addresses or notes: its words show as their first letter.
        if column not in kinds and column not in suggested:
            head[column] = privacy.mask_words(head[column])
    table = layout.table
    return SourcePreview(
        filename=filename,
        file_format=layout.file_format,
        sheet=table.name,
        header_row=layout.header_row,
        columns=columns,
        suggested=suggested,
        head=head,
        encoding=layout.encoding,
        data_rows=data_rows,
        pii_columns=kinds,
        delimiter=layout.delimiter,
        sheets=layout.sheets,
        hidden=not table.visible,
        headerless=layout.headerless,
        strays=tuple(cell.ref for cell in table.strays),
        stray_count=table.stray_values,
        transactions=log,
        summed=grid is not None,
        summed_rows=grid.summary.transactions if grid is not None and grid.summary is not None else 0,
        magnitudes=_magnitudes(sample),
        product_grade_columns=tuple(c for c in columns if cells.is_product_grade(sample[c])),
    )


def _magnitudes(sample: pd.DataFrame) -> dict[str, float]:
    """Each column's median positive number (as money: 1.2万 counts as 12,000), where it has numbers."""
    found: dict[str, float] = {}
    for column in sample.columns:
        text = sample[column][sample[column] != ""]
        if text.empty:
            continue
        values = cells.read_money(text).values
        positive = values[values > 0]
        if len(positive) >= max(1, len(text) // 2):
            found[column] = float(positive.median())
    return found


@dataclass(frozen=True)
class _Grid:
    """The table intake maps: column names, data rows, and each row's number as Excel shows it. For a
    transaction log summed per customer, the rows are customers (numbered by their first transaction)."""

    columns: tuple[str, ...]
    body: list[list[object]]
    row_numbers: np.ndarray
    defaults: Mapping[str, str]  # mapping suggestions beyond the aliases (a summed log's total amount → AUM)
    summary: transactions.Summary | None = None
    log: transactions.TransactionLog | None = None


def _grid(layout: _Layout, choices: IntakeChoices, filename: str,
          log: transactions.TransactionLog | None = None) -> _Grid:
    body = layout.table.rows()[layout.header_index + 1:]
    if not choices.per_customer:
        numbers = np.arange(len(body), dtype="int64") + layout.first_data_row
        return _Grid(layout.columns, body, numbers, {})
    if log is None:
        sample = _text_frame(body[:PII_SAMPLE_ROWS], layout.columns)
        log = transactions.detect(sample, _auto_mapping(layout.columns))
        if log is None:
            raise BookError("not_a_log", filename)
    summary = transactions.summarise(body, layout.columns, log, layout.first_data_row)
    columns = transactions.summary_columns(log)
    return _Grid(columns, summary.rows, summary.first_rows, dict(transactions.SUGGESTED), summary, log)


def _text_frame(rows: list[list[object]], columns: tuple[str, ...], only: set[str] | None = None) -> pd.DataFrame:
    """Raw cells as text (what the trainee typed), one column per source column (or those in ``only``)."""
    positions = [p for p, column in enumerate(columns) if only is None or column in only]
    text = [[_header_text(row[p]) if p < len(row) else "" for p in positions] for row in rows]
    return pd.DataFrame(text, columns=[columns[p] for p in positions], dtype="str")


def _auto_mapping(columns: tuple[str, ...], defaults: Mapping[str, str] | None = None) -> dict[str, str]:
    """Source column -> canonical key by alias (or by ``defaults``); when two columns name one field, the first
    keeps it."""
    suggested: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        key = (defaults or {}).get(column) or schema.match_header(column)
        if key is not None and key not in taken:
            suggested[column] = key
            taken.add(key)
    return suggested


def _pii_columns(sample: pd.DataFrame, mapped: Mapping[str, str]) -> dict[str, str]:
    kinds = {column: key for column, key in mapped.items() if key in privacy.PII_KINDS}
    text = sample.replace("", np.nan) if not sample.empty else sample
    for column, kind in privacy.detect_pii(text).items():
        kinds.setdefault(column, kind)
    return kinds


def _masked(value: str | None, kind: str | None) -> str | None:
    """A cell's text fit to show: masked as its column's personal kind, else any ID / phone / card number in
    it masked where it stands."""
    if value is None:
        return None
    if kind is None:
        return privacy.mask_text(value)
    masked = privacy.mask_value(value, kind)
    return None if masked is None else str(masked)


# ---- reading the book -----------------------------------------------------------------------------------------


def _resolve_mapping(
    columns: tuple[str, ...], mapping: Mapping[str, str | None] | None, filename: str, header_row: int,
    defaults: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Source column -> key after the trainee's overrides, and (ignored column, column kept) pairs where two
    columns named one field by alias (the first keeps it)."""
    explicit: dict[str, str | None] = {}
    for column, key in (mapping or {}).items():
        column = str(column)
        if column not in columns:
            raise BookError("mapping_unknown_column", filename, column=column, row=header_row)
        if key and key not in FIELD_BY_KEY:
            raise BookError("mapping_unknown_field", filename, column=column, field=str(key))
        explicit[column] = key or None
    chosen: dict[str, str] = {}
    owner: dict[str, str] = {}
    for column, key in explicit.items():
        if key is None:
            continue
        if key in owner:
            raise BookError("mapping_duplicate", filename, column=column, other=owner[key],
                            field=schema.field_label(key, "zh"), field_en=schema.field_label(key, "en"))
        chosen[column] = key
        owner[key] = column
    clashes: list[tuple[str, str]] = []
    for column in columns:
        if column in explicit:
            continue
        key = (defaults or {}).get(column) or schema.match_header(column)
        if key is None:
            continue
        if key in owner:
            clashes.append((column, owner[key]))
            continue
        chosen[column] = key
        owner[key] = column
    return chosen, clashes


class _Issues:
    """Issues collected column by column as (row, column position, kind, value, detail) and listed in row
    order; beyond MAX_ISSUES they are counted, not listed."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []
        self.file_level: list[IntakeIssue] = []

    def add_file(self, kind: str, column: str | None = None, detail: str = "") -> None:
        message = issue_text(kind, "zh", None, column, None, detail)
        self.file_level.append(IntakeIssue(kind, None, column, None, message, detail))

    def add(self, kind: str, rows: np.ndarray, position: int, column: str, values: pd.Series,
            detail: pd.Series | str = "") -> None:
        if len(rows) == 0:
            return
        self.parts.append(
            pd.DataFrame(
                {
                    "row": np.asarray(rows, dtype="int64"),
                    "position": position,
                    "order": _KIND_ORDER[kind],
                    "kind": kind,
                    "column": column,
                    "value": values.to_numpy(dtype=object),
                    "detail": detail.to_numpy(dtype=object) if isinstance(detail, pd.Series) else detail,
                }
            )
        )

    def collect(self, pii: Mapping[str, str]) -> tuple[IntakeIssue, ...]:
        issues = list(self.file_level)
        if not self.parts:
            return tuple(issues)
        table = pd.concat(self.parts, ignore_index=True).sort_values(["row", "position", "order"], kind="stable")
        shown = table.head(MAX_ISSUES)
        for row, column, kind, value, detail in zip(
            shown["row"].tolist(), shown["column"].tolist(), shown["kind"].tolist(), shown["value"].tolist(),
            shown["detail"].tolist(), strict=True,
        ):
            text = _masked(cells.display_text(value) if value is not None else None, pii.get(column))
            detail_text = "" if detail is None else str(detail)
            message = issue_text(kind, "zh", row, column, text, detail_text)
            issues.append(IntakeIssue(kind, int(row), column, text, message, detail_text))
        if len(table) > MAX_ISSUES:
            rest = str(len(table) - MAX_ISSUES)
            issues.append(
                IntakeIssue("issues_truncated", None, None, None,
                            issue_text("issues_truncated", "zh", None, None, None, rest), rest)
            )
        return tuple(issues)


def _read(data: bytes, filename: str, mapping: Mapping[str, str | None], choices: IntakeChoices) -> BookLoad:
    mapping_keys = frozenset(str(column) for column in mapping)
    layout = _locate(data, filename, mapping_keys, choices.sheet)
    grid = _grid(layout, choices, filename)
    columns = grid.columns
    chosen, clashes = _resolve_mapping(columns, mapping, filename, layout.header_row, grid.defaults)
    if "aum" not in chosen.values():
        aum = FIELD_BY_KEY["aum"]
        named = [c for c in columns if not c.startswith("[")]
        shown = named[:30] + (["…"] if len(named) > 30 else [])
        aliases = list(dict.fromkeys((aum.zh, *aum.aliases)))
        raise BookError(
            "no_aum", filename, row=layout.header_row,
            columns="、".join(shown) or "—", columns_en=", ".join(shown) or "—",
            aliases="、".join(aliases), aliases_en=", ".join(aliases),
        )

    body = grid.body
    width = len(columns)
    positions = {column: position for position, column in enumerate(columns)}
    ordered = sorted(chosen.items(), key=lambda item: schema.CANONICAL_KEYS.index(item[1]))
    # Only the mapped columns (and the first, for total lines) are taken out of the rows: less to convert.
    wanted = sorted({positions[column] for column, _ in ordered} | {0})
    raw = _columns_of(body, wanted, width)
    row_numbers = grid.row_numbers

    read: dict[str, cells.Column] = {
        key: cells.read_column(raw[positions[column]], FIELD_BY_KEY[key], column, unit=choices.units.get(column),
                               product_grades_as_customer=choices.product_grades_as_customer)
        for column, key in ordered
    }
    blank = np.ones(len(body), dtype=bool)
    for column_read in read.values():
        blank &= column_read.blank.to_numpy()
    total = _total_rows(raw, positions, chosen, read) & ~blank
    keep = ~blank & ~total
    rows_read = int((~blank).sum()) if grid.summary is None else grid.summary.transactions
    if rows_read > sources.MAX_DATA_ROWS:
        raise BookError("too_many_rows", filename, limit=sources.MAX_DATA_ROWS, sheet=layout.table.name or "")
    if int(keep.sum()) == 0:
        raise BookError("no_rows", filename, row=layout.header_row)

    issues = _Issues()
    if grid.summary is not None and grid.log is not None:
        _summary_issues(issues, grid, layout, len(body))
    if layout.table.stray_values:
        listed = "、".join(cell.ref for cell in layout.table.strays)
        more = layout.table.stray_values - len(layout.table.strays)
        issues.add_file("stray_cells", layout.table.name, listed + (f" … (+{more})" if more > 0 else ""))
    if layout.headerless:
        issues.add_file("headerless", None, str(layout.first_data_row))
    for column, kept in clashes:
        issues.add_file("duplicate_column", column, kept)
    first = raw[0]
    total_index = np.flatnonzero(total)
    issues.add("total_row", row_numbers[total_index], 0, columns[0], first.iloc[total_index])

    index = np.flatnonzero(keep)
    numbers = row_numbers[index]
    book: dict[str, pd.Series] = {}
    scaled: dict[str, float] = {}
    unreadable = np.zeros(len(index), dtype=object)
    unreadable[:] = ""
    for column, key in ordered:
        field_ = FIELD_BY_KEY[key]
        position = positions[column]
        column_read = read[key]
        values = column_read.values.iloc[index].reset_index(drop=True)
        source = raw[position].iloc[index].reset_index(drop=True)
        for kind, flags in column_read.flags.items():
            hit = np.flatnonzero(flags.to_numpy()[index])
            if kind in UNREADABLE_KINDS and len(hit):
                unreadable[hit] += "," + key
            if kind == "product_grade":
                if len(hit):
                    issues.add_file("product_grade", column, str(len(hit)))
                continue
            issues.add(kind, numbers[hit], position, column, source.iloc[hit], _kind_detail(kind, field_))
        if column_read.factor is not None:
            scaled[key] = column_read.factor
        elif key in schema.BALANCE_KEYS and column not in choices.units:
            median = _median_positive(values)
            if column in unit_question({column: median}, {column: key}):
                issues.add_file("unit_unconfirmed", column, f"{median:,.4g}")
        _range_issues(issues, field_, values, source, numbers, position, column)
        book[key] = values

    ids_generated = "customer_id" not in book
    book_ids, keep_rows = _customer_ids(book, numbers, issues, chosen, positions, raw, index)
    if ids_generated:
        issues.add_file("ids_generated", None, f"{book_ids.iloc[0]}–{book_ids.iloc[-1]}" if len(book_ids) else "")
    book["customer_id"] = book_ids
    frame = pd.DataFrame({key: book[key] for key in schema.CANONICAL_KEYS if key in book})
    if (unreadable != "").any():
        marks = pd.Series(unreadable, dtype=object).str[1:]
        frame[schema.UNREADABLE] = marks.where(marks != "").astype("str")
    if keep_rows is not None:
        frame = frame[keep_rows].reset_index(drop=True)

    # Personal data by value pattern: only columns that could hold it (not those read as numbers or dates).
    candidates = {c for c in columns if chosen.get(c) is None or FIELD_BY_KEY[chosen[c]].kind is Kind.TEXT}
    pii = _pii_columns(_text_frame(body[:PII_SAMPLE_ROWS], columns, candidates), chosen)
    fields_mapped = {key: column for column, key in ordered}
    unmapped = tuple(
        column for position, column in enumerate(columns)
        if column not in chosen and (not column.startswith("[") or _has_data(body, position))
    )
    report = IntakeReport(
        filename=filename,
        file_format=layout.file_format,
        sheet=layout.table.name,
        encoding=layout.encoding,
        header_row=layout.header_row,
        rows_read=rows_read,
        rows_kept=len(frame),
        fields_mapped=fields_mapped,
        unmapped_columns=unmapped,
        scaled=scaled,
        ids_generated=ids_generated,
        issues=issues.collect(pii),
        blank_rows=int(blank.sum()) if grid.summary is None else 0,
        delimiter=layout.delimiter,
        pii_columns=pii,
        hidden=not layout.table.visible,
        headerless=layout.headerless,
        transactions=grid.summary.transactions if grid.summary is not None else 0,
    )
    return BookLoad(book=frame, report=report)


def _summary_issues(issues: _Issues, grid: _Grid, layout: _Layout, customers: int) -> None:
    """What summing a transaction log did: one line for the whole, and each transaction cell left out."""
    assert grid.summary is not None and grid.log is not None
    summary, log = grid.summary, grid.log
    issues.add_file("per_customer", None, f"{summary.transactions:,} → {customers:,}")
    source_rows = layout.table.rows()
    start = layout.header_index + 1
    positions = {column: position for position, column in enumerate(layout.columns)}
    for kind, rows, column in (("bad_number", summary.bad_amounts, log.amount), ("bad_date", summary.bad_dates,
                                                                                  log.date)):
        if not len(rows):
            continue
        position = positions[column]
        values = [source_rows[start + int(row) - layout.first_data_row][position] for row in rows]
        issues.add(kind, rows, position, column, pd.Series(values, dtype=object))


def _median_positive(values: pd.Series) -> float:
    numbers = pd.to_numeric(values, errors="coerce")
    positive = numbers[numbers > 0]
    return float(positive.median()) if len(positive) else 0.0


def _columns_of(body: list[list[object]], wanted: list[int], width: int) -> dict[int, pd.Series]:
    """The wanted columns of the data rows as object Series (a ragged CSV row is padded with blanks)."""
    if not body:
        return {position: pd.Series([], dtype=object) for position in wanted}
    if all(len(row) == width for row in body):
        grid = np.empty((len(body), width), dtype=object)
        grid[:] = body
    else:
        grid = np.empty((len(body), width), dtype=object)
        grid[:] = [list(row[:width]) + [None] * (width - len(row)) for row in body]
    return {position: pd.Series(grid[:, position], dtype=object) for position in wanted}


def _total_rows(
    raw: dict[int, pd.Series], positions: Mapping[str, int], chosen: Mapping[str, str],
    read: Mapping[str, cells.Column],
) -> np.ndarray:
    """Rows that are a total line (合计 / 总计 / Total) in the first column or the customer-number or name
    column (text already read there, so this stays vectorised)."""
    texts = [read[key].values for key in ("customer_id", "name") if key in read]
    first_key = next((key for column, key in chosen.items() if positions[column] == 0), None)
    if first_key not in ("customer_id", "name"):
        texts.append(cells.read_text(raw[0], "").values)
    total = np.zeros(len(raw[0]), dtype=bool)
    for text in texts:
        # Plain (non-regex) string kernels: this runs over every row of the id and name columns.
        words = text.astype("str").str.replace(" ", "", regex=False).str.replace("\u3000", "", regex=False)
        words = words.str.rstrip(":：").str.lower()
        total |= words.isin(TOTAL_ROW_WORDS).to_numpy()
    return total


def _kind_detail(kind: str, field_: schema.Field) -> str:
    if kind == "bad_category" and field_.key in ("risk_level", "purchase_intent"):
        return f"{ALLOWED_PREFIX}{field_.key}"
    return ""


def _range_issues(
    issues: _Issues, field_: schema.Field, values: pd.Series, source: pd.Series, numbers: np.ndarray,
    position: int, column: str,
) -> None:
    if field_.kind not in (Kind.MONEY, Kind.NUMBER, Kind.COUNT, Kind.SHARE):
        return
    numeric = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
    if field_.key == "aum":
        negative = np.flatnonzero(numeric < 0)
        issues.add("negative_aum", numbers[negative], position, column, source.iloc[negative])
        blank = np.flatnonzero(np.isnan(numeric) & _blank_cells(source))
        issues.add("missing_aum", numbers[blank], position, column, source.iloc[blank])
        return
    outside = np.zeros(len(numeric), dtype=bool)
    with np.errstate(invalid="ignore"):
        if field_.minimum is not None:
            outside |= numeric < field_.minimum
        if field_.maximum is not None:
            outside |= numeric > field_.maximum
    hit = np.flatnonzero(outside)
    if len(hit):
        low = "" if field_.minimum is None else f"{field_.minimum:g}"
        high = "" if field_.maximum is None else f"{field_.maximum:g}"
        issues.add("out_of_range", numbers[hit], position, column, source.iloc[hit], f"{low}–{high}")


def _blank_cells(source: pd.Series) -> np.ndarray:
    text = source.map(lambda cell: cell.strip().lower() if isinstance(cell, str) else cell)
    return (text.isna() | text.isin(cells.NUMBER_MISSING_TOKENS)).to_numpy()


def _customer_ids(
    book: dict[str, pd.Series], numbers: np.ndarray, issues: _Issues, chosen: Mapping[str, str],
    positions: Mapping[str, int], raw: dict[int, pd.Series], index: np.ndarray,
) -> tuple[pd.Series, np.ndarray | None]:
    """The customer numbers, and which rows to keep (None: all). No id column: C00001… in row order. A blank
    id: R + the Excel row. A repeated id: the first row stays, each later one is reported and dropped."""
    count = len(numbers)
    if "customer_id" not in book:
        digits = max(5, len(str(count)))
        return pd.Series([f"{GENERATED_ID_PREFIX}{i:0{digits}d}" for i in range(1, count + 1)], dtype="str"), None
    column = next(c for c, k in chosen.items() if k == "customer_id")
    position = positions[column]
    source = raw[position].iloc[index].reset_index(drop=True)
    ids = book["customer_id"].astype("str")
    missing = ids.isna().to_numpy()
    if missing.any():
        existing = set(ids.dropna().tolist())
        generated = []
        for row in numbers[missing]:
            candidate = f"{MISSING_ID_PREFIX}{row:06d}"
            while candidate in existing:
                candidate += "_"
            existing.add(candidate)
            generated.append(candidate)
        filled = ids.to_numpy(dtype=object).copy()
        filled[missing] = generated
        ids = pd.Series(filled, dtype="str")
        hit = np.flatnonzero(missing)
        issues.add("missing_id", numbers[hit], position, column, source.iloc[hit], pd.Series(generated))
    repeated = ids.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return ids, None
    first_row = pd.Series(numbers, index=ids.index).groupby(ids.to_numpy()).transform("first")
    hit = np.flatnonzero(repeated)
    issues.add("duplicate_id", numbers[hit], position, column, ids.iloc[hit], first_row.iloc[hit].astype(str))
    return ids, ~repeated


def _has_data(body: list[list[object]], position: int) -> bool:
    for row in body:
        if position < len(row):
            cell = row[position]
            if cell is not None and cell != "" and not (isinstance(cell, str) and not cell.strip()):
                return True
    return False

