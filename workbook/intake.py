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
personal data held). It is never written anywhere: the caller keeps it in the trainee's session.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

# Installing defusedxml makes openpyxl parse workbook XML safely; intake reads with calamine (Rust, no entity
# expansion), but the import keeps the dependency real for every path that opens workbooks with openpyxl.
import defusedxml  # noqa: F401
import numpy as np
import pandas as pd

from workbook import cells, i18n, privacy, schema, sources
from workbook.schema import FIELD_BY_KEY, Kind
from workbook.sources import HEADER_SCAN_ROWS, SourceError

MAX_ISSUES = 10_000  # listed one by one; beyond this the report counts the rest in one line
PREVIEW_ROWS = 5
PII_SAMPLE_ROWS = 500
GENERATED_ID_PREFIX = "C"  # rows numbered C00001… when the file has no customer-number column
MISSING_ID_PREFIX = "R"  # a row without a customer number gets R + its Excel row number
TOTAL_ROW_WORDS = frozenset({"合计", "总计", "小计", "总合计", "累计", "total", "subtotal", "grandtotal", "sum"})
ISSUE_KINDS: tuple[str, ...] = (
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
    return i18n.t(f"intake.msg.{kind}", lang, row=row, column=column, value=value, detail=detail)


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

    def issues_by_kind(self) -> dict[str, list[IntakeIssue]]:
        grouped: dict[str, list[IntakeIssue]] = {}
        for issue in self.issues:
            grouped.setdefault(issue.kind, []).append(issue)
        return dict(sorted(grouped.items(), key=lambda item: _KIND_ORDER.get(item[0], len(_KIND_ORDER))))

    def issue_table(self, lang: str) -> pd.DataFrame:
        """The issues as a table to show: kind label, row, column, value (masked for personal columns), detail."""
        labels = {kind: i18n.t(f"intake.kind.{kind}", lang) for kind in {issue.kind for issue in self.issues}}
        values = [
            _masked(issue.value, self.pii_columns.get(issue.column or "")) for issue in self.issues
        ]
        return pd.DataFrame(
            {
                i18n.t("intake.table.kind", lang): pd.Series([labels[i.kind] for i in self.issues], dtype="str"),
                i18n.t("intake.table.row", lang): pd.array([i.row for i in self.issues], dtype="Int64"),
                i18n.t("intake.table.column", lang): pd.Series([i.column for i in self.issues], dtype="str"),
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
    header_row: int
    columns: tuple[str, ...]
    suggested: dict[str, str]  # source column -> canonical key, by the schema's aliases
    head: pd.DataFrame  # first ≤5 data rows as text, personal columns masked
    encoding: str | None = None
    data_rows: int = 0  # rows below the header (blank rows included)
    pii_columns: dict[str, str] = field(default_factory=dict)


# ---- the two entry points -------------------------------------------------------------------------------------


def preview_source(data: bytes, filename: str) -> SourcePreview:
    """What the file holds, for the mapping step. Raises only BookError."""
    name = _display_name(filename)
    try:
        return _preview(data, name)
    except BookError:
        raise
    except SourceError as err:
        raise BookError(err.code, name, **err.values) from err
    except Exception as err:  # any other surprise in a damaged file: still a clear message, never a traceback
        raise BookError("unreadable", name) from err


def read_book(data: bytes, filename: str, mapping: Mapping[str, str | None] | None = None) -> BookLoad:
    """The customer book in the canonical schema, and the intake report. Raises only BookError.

    ``mapping`` = {source column: canonical key}; it overrides the alias auto-mapping for the columns it names
    ("" or None ignores that column).
    """
    name = _display_name(filename)
    try:
        return _read(data, name, mapping)
    except BookError:
        raise
    except SourceError as err:
        raise BookError(err.code, name, **err.values) from err
    except Exception as err:
        raise BookError("unreadable", name) from err


# ---- locating the table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where the customer table is: which sheet, which row is the header, and what its columns are called."""

    table: sources.Table
    header_index: int  # index into table rows
    columns: tuple[str, ...]
    file_format: str
    encoding: str | None
    delimiter: str | None

    @property
    def header_row(self) -> int:
        return self.table.first_row + self.header_index


def _locate(data: bytes, filename: str, mapping_keys: frozenset[str]) -> _Layout:
    source = sources.open_source(data)
    best: tuple[tuple[int, int, int, int], sources.Table, int] | None = None
    for position, table in enumerate(source.tables):
        head = table.head()
        if not head:
            continue
        index, (matched, named) = _header_row(head, mapping_keys)
        score = (matched, named, int(table.visible), -position)
        if best is None or score > best[0]:
            best = (score, table, index)
    if best is None:
        raise BookError("no_data", filename)
    _, table, index = best
    head = table.head()
    columns = _column_names(head, index, table.first_column, max(table.width, max(len(r) for r in head)))
    return _Layout(table, index, columns, source.file_format, source.encoding, source.delimiter)


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
    takes the text above it; otherwise the Excel column letter in brackets. Repeated names get their letter."""
    row = list(head[index]) + [""] * (width - len(head[index]))
    above = list(head[index - 1]) if index > 0 else []
    above_named = sum(1 for cell in above if _header_text(cell))
    names: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(row[:width]):
        letter = column_letter(first_column + position)
        text = _header_text(cell)
        if not text and above_named >= 2 and position < len(above):
            text = _header_text(above[position])
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


def _preview(data: bytes, filename: str) -> SourcePreview:
    layout = _locate(data, filename, frozenset())
    rows = layout.table.top(layout.header_index + 1 + PII_SAMPLE_ROWS)
    sample = _text_frame(rows[layout.header_index + 1:], layout.columns)
    suggested = _auto_mapping(layout.columns)
    kinds = _pii_columns(sample, suggested)
    filled = sample[(sample != "").any(axis=1)] if not sample.empty else sample
    head = privacy.mask_frame(filled.head(PREVIEW_ROWS).reset_index(drop=True), kinds)
    return SourcePreview(
        filename=filename,
        file_format=layout.file_format,
        sheet=layout.table.name,
        header_row=layout.header_row,
        columns=layout.columns,
        suggested=suggested,
        head=head,
        encoding=layout.encoding,
        data_rows=max(layout.table.height - layout.header_index - 1, 0),
        pii_columns=kinds,
    )


def _text_frame(rows: list[list[object]], columns: tuple[str, ...], only: set[str] | None = None) -> pd.DataFrame:
    """Raw cells as text (what the trainee typed), one column per source column (or those in ``only``)."""
    positions = [p for p, column in enumerate(columns) if only is None or column in only]
    text = [[_header_text(row[p]) if p < len(row) else "" for p in positions] for row in rows]
    return pd.DataFrame(text, columns=[columns[p] for p in positions], dtype="str")


def _auto_mapping(columns: tuple[str, ...]) -> dict[str, str]:
    """Source column -> canonical key by alias; when two columns name one field, the first keeps it."""
    suggested: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        key = schema.match_header(column)
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
    if value is None or kind is None:
        return value
    masked = privacy.mask_value(value, kind)
    return None if masked is None else str(masked)


# ---- reading the book -----------------------------------------------------------------------------------------


def _resolve_mapping(
    columns: tuple[str, ...], mapping: Mapping[str, str | None] | None, filename: str, header_row: int
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
        key = schema.match_header(column)
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


def _read(data: bytes, filename: str, mapping: Mapping[str, str | None] | None) -> BookLoad:
    mapping_keys = frozenset(str(column) for column in (mapping or {}))
    layout = _locate(data, filename, mapping_keys)
    columns = layout.columns
    chosen, clashes = _resolve_mapping(columns, mapping, filename, layout.header_row)
    if "aum" not in chosen.values():
        aum = FIELD_BY_KEY["aum"]
        named = [c for c in columns if not c.startswith("[")]
        shown = named[:30] + (["…"] if len(named) > 30 else [])
        aliases = list(dict.fromkeys((aum.zh, *aum.aliases)))
        raise BookError(
            "no_aum", filename, row=layout.header_row,
            columns="、".join(shown), columns_en=", ".join(shown),
            aliases="、".join(aliases), aliases_en=", ".join(aliases),
        )

    rows = layout.table.rows()
    body = rows[layout.header_index + 1:]
    width = len(columns)
    positions = {column: position for position, column in enumerate(columns)}
    ordered = sorted(chosen.items(), key=lambda item: schema.CANONICAL_KEYS.index(item[1]))
    # Only the mapped columns (and the first, for total lines) are taken out of the rows: less to convert.
    wanted = sorted({positions[column] for column, _ in ordered} | {0})
    raw = _columns_of(body, wanted, width)
    row_numbers = np.arange(len(body), dtype="int64") + layout.header_row + 1

    read: dict[str, cells.Column] = {key: cells.read_column(raw[positions[column]], FIELD_BY_KEY[key], column)
                                     for column, key in ordered}
    blank = np.ones(len(body), dtype=bool)
    for column_read in read.values():
        blank &= column_read.blank.to_numpy()
    total = _total_rows(raw, positions, chosen, read) & ~blank
    keep = ~blank & ~total
    rows_read = int((~blank).sum())
    if rows_read > sources.MAX_DATA_ROWS:
        raise BookError("too_many_rows", filename, limit=sources.MAX_DATA_ROWS, sheet=layout.table.name or "")
    if rows_read - int(total.sum()) == 0:
        raise BookError("no_rows", filename, row=layout.header_row)

    issues = _Issues()
    for column, kept in clashes:
        issues.add_file("duplicate_column", column, kept)
    first = raw[0]
    total_index = np.flatnonzero(total)
    issues.add("total_row", row_numbers[total_index], 0, columns[0], first.iloc[total_index])

    index = np.flatnonzero(keep)
    numbers = row_numbers[index]
    book: dict[str, pd.Series] = {}
    scaled: dict[str, float] = {}
    for column, key in ordered:
        field_ = FIELD_BY_KEY[key]
        position = positions[column]
        column_read = read[key]
        values = column_read.values.iloc[index].reset_index(drop=True)
        source = raw[position].iloc[index].reset_index(drop=True)
        for kind, flags in column_read.flags.items():
            hit = np.flatnonzero(flags.to_numpy()[index])
            issues.add(kind, numbers[hit], position, column, source.iloc[hit], _kind_detail(kind, field_))
        if column_read.factor is not None:
            scaled[key] = column_read.factor
        _range_issues(issues, field_, values, source, numbers, position, column)
        book[key] = values

    ids_generated = "customer_id" not in book
    book_ids, keep_rows = _customer_ids(book, numbers, issues, chosen, positions, raw, index)
    if ids_generated:
        issues.add_file("ids_generated", None, f"{book_ids.iloc[0]}–{book_ids.iloc[-1]}" if len(book_ids) else "")
    book["customer_id"] = book_ids
    frame = pd.DataFrame({key: book[key] for key in schema.CANONICAL_KEYS if key in book})
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
        blank_rows=int(blank.sum()),
        delimiter=layout.delimiter,
        pii_columns=pii,
    )
    return BookLoad(book=frame, report=report)


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

