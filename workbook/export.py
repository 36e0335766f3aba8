"""The trainee's workbook in Excel (DESIGN §6): what they did in the app, as a workbook that still computes.

:func:`export_xlsx` writes, in the trainee's language:

* **Summary** (总览): who, when, the book's size, progress per module, the key figures (live links into the
  module sheets) and how to use the file.
* **Customer book** (客户名册): the book with personal data masked as on screen, a tier column per segmentation
  scheme (the trainee's parameters from 3.2 where set), and the columns modules add as live formulas (1.4 adds
  the cost tier, assumed hours where the book has none, revenue, cost, net, kind, justified hours and the truly
  variable cost, which follow the hourly cost and the cost-to-serve assumptions on the 1.4 sheet; each is one
  shared formula per column). Intake's marker of unreadable cells is counted on the summary, not listed.
* **One sheet per module**, written by a :class:`ModuleSheet` (``workbook/sheets/``): inputs in blue on yellow
  (editable), results as formulas where the app's arithmetic allows, native charts.
* A very hidden sheet carrying the workspace and the manifest of input cells (:mod:`workbook.carrier`), so the
  app resumes from the file (:mod:`workbook.resume`).

Module sheets are data-driven: every module of ``workbook/sheets/`` that defines ``SHEET = ModuleSheet(...)`` is
picked up, ordered by the course; a new section adds its sheet by adding a module there (or a caller passes
``sheets=``). A writer gets an :class:`ExportContext`: the book, the workspace, the language, the customer
sheet's columns, and the means to place input cells, define names and offer key figures to the summary. A
writer that fails on a damaged saved value writes a note on its sheet instead of failing the whole export.
"""

from __future__ import annotations

import copy
import importlib
import io
import json
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from workbook import carrier, clock, course, i18n, privacy, xlsx
from workbook import workspace as ws
from workbook.schema import FIELD_BY_KEY, UNREADABLE, Kind, field_label
from workbook.segmentation import SCHEME_IDS, SCHEMES, SchemeParamError, Segmentation, segment_detail

BOOK_MARKER = "\u2063tcw-bulk-rows\u2063"  # invisible separators: no book text can contain it
FIRST_DATA_ROW = 2
SHEET_TITLE_LIMIT = 31
_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
# Saved values a writer may meet in a damaged or hand-made workspace; anything else is a bug and raises.
WRITER_FAILURES = (ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError)


# ---- what a module contributes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleSheet:
    """A module's sheet. ``prepare`` (optional) adds formula columns to the customer sheet before any sheet is
    written; ``write`` fills the module's canvas. ``page_id`` is the workspace module and catalogue id; the sheet's
    name is the catalogue entry ``export.sheet.<page_id>`` (else the page's navigation title)."""

    page_id: str
    write: Callable[[ExportContext, xlsx.Canvas], None]
    prepare: Callable[[ExportContext], None] | None = None


def module_sheets() -> tuple[ModuleSheet, ...]:
    """Every ``SHEET`` defined in ``workbook/sheets/``, in course order."""
    from workbook import sheets

    found: list[ModuleSheet] = []
    for info in pkgutil.iter_modules(sheets.__path__):
        module = importlib.import_module(f"{sheets.__name__}.{info.name}")
        sheet = getattr(module, "SHEET", None)
        if isinstance(sheet, ModuleSheet):
            found.append(sheet)
    return tuple(sorted(found, key=lambda s: course_position(s.page_id)))


def course_position(page_id: str) -> tuple[int, str]:
    """Sort key in course order; a page not yet in the registry sorts by its id after the registered ones."""
    ids = [entry.id for entry in course.PAGES]
    return (ids.index(page_id), page_id) if page_id in ids else (len(ids), page_id)


@dataclass(frozen=True)
class KeyFigure:
    """A figure the summary shows, linked live to the module sheet cell that computes it."""

    page_id: str
    label: str
    ref: str  # a reference usable in a formula, e.g. '1.4 客户'!$C$9
    number_format: str
    unit: str = ""


@dataclass(frozen=True)
class BookColumn:
    key: str
    header: str
    formula: str  # with {r} for the row number
    number_format: str
    width: float
    letter: str


# ---- the context writers work in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Both:
    """A text in both languages (a value for :meth:`ExportContext.both`)."""

    zh: str
    en: str

    def pick(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class ExportContext:
    book: pd.DataFrame
    masked: pd.DataFrame
    workspace: ws.Workspace
    lang: str
    book_title: str
    book_fields: list[str]  # the book's columns, in sheet order (A, B, …)
    tier_schemes: list[str]  # the schemes with a tier column, after the fields
    book_source: str | None = None  # "sample" or "upload"
    inputs: list[carrier.InputCell] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # defined name -> reference
    key_figures: list[KeyFigure] = field(default_factory=list)
    book_columns: list[BookColumn] = field(default_factory=list)
    _segmentations: dict[str, tuple[Segmentation, dict[str, Any], SchemeParamError | None]] = field(
        default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    # -- language --
    def t(self, key: str, /, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def both(self, key: str, /, **values: Any) -> tuple[str, str]:
        """The text in Chinese and in English (an input's label travels in both). A value that is itself a
        :class:`Both` (e.g. ``ctx.pair("s1.formula.period_word.month")``) is taken in each language."""
        return tuple(  # type: ignore[return-value]
            i18n.t(key, lang, **{k: v.pick(lang) if isinstance(v, Both) else v for k, v in values.items()})
            for lang in ("zh", "en"))

    def pair(self, key: str, /, **values: Any) -> Both:
        zh, en = self.both(key, **values)
        return Both(zh, en)

    # -- the trainee's work --
    def values(self, module_id: str, defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return ws.module_values(self.workspace, module_id, defaults)

    def memo(self, name: str, compute: Callable[[], Any]) -> Any:
        """Compute once per export (several sheets need the same profitability or segmentation)."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def segmentation(self, scheme_id: str) -> tuple[Segmentation, dict[str, Any], SchemeParamError | None]:
        """The book under ``scheme_id`` with the trainee's parameters from 3.2, as the pages use it: on invalid
        saved parameters, the defaults and the error. Returns (segmentation, overrides used, error)."""
        if scheme_id not in self._segmentations:
            saved = self.values("s3_2", {"params": {}}).get("params") or {}
            overrides = dict(saved.get(scheme_id) or {}) if isinstance(saved, Mapping) else {}
            result: tuple[Segmentation, dict[str, Any], SchemeParamError | None]
            try:
                result = (segment_detail(self.book, scheme_id, overrides or None), overrides, None)
            except SchemeParamError as err:
                result = (segment_detail(self.book, scheme_id, None), {}, err)
            except (TypeError, ValueError) as err:  # a damaged saved value the scheme cannot even read
                result = (segment_detail(self.book, scheme_id, None), {},
                          SchemeParamError("bad_number", key=str(err)[:40], value="?"))
            self._segmentations[scheme_id] = result
        return self._segmentations[scheme_id]

    # -- the customer sheet --
    @property
    def customers(self) -> int:
        return len(self.book)

    @property
    def last_row(self) -> int:
        """Last data row of the customer sheet (an empty book still gets one, blank, so ranges stay valid)."""
        return max(FIRST_DATA_ROW + len(self.book) - 1, FIRST_DATA_ROW)

    def book_letter(self, key: str) -> str | None:
        """Column letter of a book field, a tier column (``tier:<scheme>``) or an added column; None if absent."""
        if key in self.book_fields:
            return get_column_letter(self.book_fields.index(key) + 1)
        if key.startswith("tier:") and key[5:] in self.tier_schemes:
            return get_column_letter(len(self.book_fields) + self.tier_schemes.index(key[5:]) + 1)
        for column in self.book_columns:
            if column.key == key:
                return column.letter
        return None

    def book_range(self, key: str) -> str | None:
        """The whole data range of a customer-sheet column, e.g. ``'客户名册'!$X$2:$X$301``."""
        letter = self.book_letter(key)
        if letter is None:
            return None
        return xlsx.sheet_ref(self.book_title, f"${letter}${FIRST_DATA_ROW}:${letter}${self.last_row}")

    def add_book_column(self, key: str, header: str, formula: str, number_format: str,
                        width: float = 14.0) -> str:
        """A formula column on the customer sheet (``{r}``: the row). Returns its letter."""
        position = len(self.book_fields) + len(self.tier_schemes) + len(self.book_columns) + 1
        letter = get_column_letter(position)
        self.book_columns.append(BookColumn(key, header, formula, number_format, width, letter))
        return letter

    # -- names, inputs, key figures --
    def define_name(self, name: str, ref: str) -> None:
        self.names[name] = ref

    def key_figure(self, page_id: str, label: str, ref: str, number_format: str, unit: str = "") -> None:
        self.key_figures.append(KeyFigure(page_id, label, ref, number_format, unit))

    def input(
        self,
        canvas: xlsx.Canvas,
        row: int,
        column: int,
        *,
        module: str,
        path: Sequence[str | int],
        kind: str,
        value: Any,
        label: tuple[str, str],
        unit: str = "plain",
        scale: float = 1.0,
        number_format: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        blank: str = carrier.BLANK_NONE,
        choices: Mapping[str, Any] | None = None,
        seed: tuple[int, Any] | None = None,
    ) -> str:
        """Place an editable cell holding ``value`` (in workspace units; the cell shows value ÷ scale) and record
        where it belongs. ``seed`` = (depth, value): what path[:depth] holds at export, set in the workspace
        before a change when the workspace lacks it (see ``carrier.InputCell``). Returns the cell's reference."""
        written: Any
        if kind == carrier.TEXT:
            written = None if value is None else xlsx.clean_text(value)
            if written:
                canvas.text(row, column, written, "input_text")
            else:
                written = None
                canvas.style(row, column, "input_text")
        elif kind == carrier.CHOICE:
            shown = next((text for text, stored in (choices or {}).items() if stored == value), None)
            written = shown
            if shown is None:
                canvas.style(row, column, "input")
            else:
                canvas.text(row, column, shown, "input")
            if choices:
                canvas.validations.append(xlsx.list_validation(list(choices), xlsx.relative(row, column)))
        else:
            number = _finite(value)
            written = None if number is None else (number if scale == 1 else _clean_number(number / scale))
            if kind == carrier.INTEGER and written is not None:
                written = round(written)
            number_format = number_format or xlsx.GENERAL
            if written is not None and float(written).is_integer() and number_format in xlsx.FRACTION_FORMATS:
                number_format = xlsx.COUNT  # 600 万元, not 600.0: no needless decimals
            look = xlsx.Look("input", number_format)
            if written is None:
                canvas.style(row, column, look)
            else:
                canvas.number(row, column, written, look)
        name = f"tcw_in_{len(self.inputs) + 1}"
        self.inputs.append(carrier.InputCell(
            name=name, sheet=canvas.title, cell=xlsx.relative(row, column), module=module, path=tuple(path),
            kind=kind, written=written, label_zh=label[0], label_en=label[1], unit=unit, scale=scale,
            minimum=minimum, maximum=maximum, blank=blank,
            choices=None if choices is None else dict(choices),
            seed_depth=seed[0] if seed else 0, seed=copy.deepcopy(seed[1]) if seed else None,
        ))
        self.define_name(name, canvas.ref(row, column))
        return canvas.ref(row, column)


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _clean_number(value: float) -> float:
    """Binary noise off a scaled value (1.0 ÷ 100 → 0.01, not 0.010000000000000002): 15 significant digits."""
    return float(f"{value:.15g}")


# ---- names ------------------------------------------------------------------------------------------------------

_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s]+')


def export_filename(workspace: ws.Workspace | None, lang: str = "zh", now: datetime | None = None) -> str:
    """The download's file name: the workbook's title, the trainee's name if known, the date — e.g.
    ``客户分层经营训练手册_王芳_2026-12-05.xlsx``. Characters a file system refuses are dropped."""
    name = str(((workspace or {}).get("trainee") or {}).get("name") or "")
    parts = [i18n.t("export.filename", lang), name, (now or datetime.now(UTC)).strftime("%Y-%m-%d")]
    cleaned = [_FILENAME_UNSAFE.sub("_", part).strip("._ ")[:40] for part in parts]
    return "_".join(part for part in cleaned if part) + ".xlsx"


# ---- sheet titles ---------------------------------------------------------------------------------------------


def sheet_title(page_id: str, lang: str) -> str:
    key = f"export.sheet.{page_id}"
    text = i18n.t(key, lang) if i18n.has_key(key) else i18n.t(f"nav.{page_id}", lang)
    return text.translate(_TITLE_FORBIDDEN).strip("'")[:SHEET_TITLE_LIMIT]


# ---- the export -------------------------------------------------------------------------------------------------


def export_xlsx(
    book: pd.DataFrame,
    workspace: ws.Workspace | None = None,
    *,
    lang: str = "zh",
    book_source: str | None = None,
    sheets: Sequence[ModuleSheet] | None = None,
    now: datetime | None = None,
    strict: bool = False,
) -> bytes:
    """The trainee's workbook as xlsx bytes (see the module docstring). User text is never a formula.

    ``book``: the customer book in the canonical schema (masked here); ``workspace``: the trainee's work (a new,
    empty one when None); ``book_source``: "sample" or "upload" (shown on the summary); ``sheets``: the module
    sheets to write (default: :func:`module_sheets`); ``strict``: a writer's failure raises instead of leaving a
    note on its sheet (tests use it, so a bug is never mistaken for damaged saved work).
    """
    language = i18n.normalise_language(lang)
    work = ws.from_json(ws.to_json(workspace)) if workspace is not None else ws.new_workspace()
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    masked = privacy.mask_frame(book)
    context = ExportContext(
        book=book, masked=masked, workspace=work, lang=language,
        # Intake's marker column (which cells could not be read) is not a customer field: the summary counts it.
        book_title=sheet_title("book", language), book_fields=[str(c) for c in book.columns if c != UNREADABLE],
        tier_schemes=list(SCHEME_IDS), book_source=book_source,
    )
    chosen = tuple(module_sheets() if sheets is None else sheets)
    notes: dict[str, str] = {}
    for sheet in chosen:
        if sheet.prepare is not None:
            before = len(context.book_columns)
            try:
                sheet.prepare(context)
            except WRITER_FAILURES:
                if strict:
                    raise
                del context.book_columns[before:]
                notes[sheet.page_id] = "failed"
    canvases: list[xlsx.Canvas] = []
    for sheet in chosen:
        canvas = xlsx.Canvas(sheet_title(sheet.page_id, language))
        if notes.get(sheet.page_id) is None:
            inputs_before, names_before = len(context.inputs), dict(context.names)
            figures_before = len(context.key_figures)
            try:
                sheet.write(context, canvas)
            except WRITER_FAILURES:
                if strict:
                    raise
                # A damaged saved value must not cost the trainee the whole workbook: this sheet says so.
                del context.inputs[inputs_before:]
                del context.key_figures[figures_before:]
                context.names = names_before
                canvas = xlsx.Canvas(canvas.title)
                notes[sheet.page_id] = "failed"
        if notes.get(sheet.page_id) == "failed":
            canvas.text(1, 1, i18n.t(f"nav.{sheet.page_id}", language), "title")
            canvas.text(3, 1, context.t("export.writer_failed"), "warning")
            canvas.width(1, 80)
        canvases.append(canvas)

    summary = _summary_canvas(context, stamp, book_source)
    return _assemble(context, summary, canvases, stamp)


# ---- the summary sheet --------------------------------------------------------------------------------------


def _summary_canvas(ctx: ExportContext, stamp: datetime, book_source: str | None) -> xlsx.Canvas:
    canvas = xlsx.Canvas(sheet_title("summary", ctx.lang))
    canvas.width(1, 34)
    canvas.width(2, 26)
    canvas.width(3, 16)
    canvas.width(4, 60)
    canvas.text(1, 1, ctx.t("export.summary.title"), "title")
    canvas.text(2, 1, ctx.t("export.summary.subtitle"), "note")

    trainee = ctx.workspace.get("trainee", {})
    row = 4
    canvas.text(row, 1, ctx.t("export.summary.who"), "subtitle")
    row += 1
    for key in ("name", "group", "workshop"):
        canvas.text(row, 1, ctx.t(f"export.summary.{key}"), "header")
        canvas.text(row, 2, str(trainee.get(key) or "") or "—")
        row += 1
    canvas.text(row, 1, ctx.t("export.summary.exported_at"), "header")
    canvas.text(row, 2, clock.local_time_text(stamp, ctx.lang))  # the classroom's time, its zone named
    row += 1
    if book_source in ("sample", "upload"):  # unknown: say nothing rather than guess
        canvas.text(row, 1, ctx.t("export.summary.book"), "header")
        canvas.text(row, 2, ctx.t(f"export.summary.source.{book_source}"))
        row += 1
    canvas.text(row, 1, ctx.t("export.summary.customers"), "header")
    canvas.number(row, 2, ctx.customers, "body", xlsx.COUNT)
    row += 1
    if UNREADABLE in ctx.book.columns:
        unreadable = int(ctx.book[UNREADABLE].notna().sum())
        if unreadable:
            canvas.text(row, 1, ctx.t("export.summary.unreadable"), "header")
            canvas.number(row, 2, unreadable, "body", xlsx.COUNT)
            canvas.text(row, 3, ctx.t("export.summary.unreadable_note"), "note")
            row += 1
    aum = ctx.book_range("aum")
    canvas.text(row, 1, ctx.t("export.summary.total_aum"), "header")
    if aum is not None:
        canvas.formula(row, 2, f"SUM({aum})/{xlsx.WAN_DIVISOR}", "body", xlsx.WAN)
    row += 2

    canvas.text(row, 1, ctx.t("export.summary.progress"), "subtitle")
    row += 1
    canvas.text(row, 1, ctx.t("export.summary.col.module"), "header")
    canvas.text(row, 2, ctx.t("export.summary.col.status"), "header")
    row += 1
    for page in course.worksheet_pages():
        status = ("done" if ws.is_done(ctx.workspace, page.id)
                  else "started" if ws.is_started(ctx.workspace, page.id) else "open")
        canvas.text(row, 1, i18n.t(page.title_key, ctx.lang))
        canvas.text(row, 2, ctx.t(f"export.summary.status.{status}"))
        row += 1
    done, total = ws.progress(ctx.workspace, (p.id for p in course.worksheet_pages()))
    canvas.text(row, 1, ctx.t("export.summary.done_count"), "key")
    canvas.text(row, 2, ctx.t("export.summary.done_value", done=done, total=total), "key")
    row += 2

    canvas.text(row, 1, ctx.t("export.summary.figures"), "subtitle")
    canvas.text(row, 4, ctx.t("export.summary.figures_note"), "note")
    row += 1
    canvas.text(row, 1, ctx.t("export.summary.col.figure"), "header")
    canvas.text(row, 2, ctx.t("export.summary.col.value"), "header")
    canvas.text(row, 3, ctx.t("export.summary.col.unit"), "header")
    canvas.text(row, 4, ctx.t("export.summary.col.module"), "header")
    row += 1
    for figure in ctx.key_figures:
        canvas.text(row, 1, figure.label)
        canvas.formula(row, 2, figure.ref, "key", figure.number_format)
        canvas.text(row, 3, figure.unit)
        canvas.text(row, 4, i18n.t(f"nav.{figure.page_id}", ctx.lang), "note")
        row += 1
    row += 1
    canvas.text(row, 1, ctx.t("export.summary.how"), "subtitle")
    row += 1
    for index in range(1, 6):
        canvas.text(row, 1, ctx.t(f"export.summary.how_{index}"))
        row += 1
    canvas.text(row, 1, ctx.t("export.summary.input_example"), "input")
    canvas.text(row, 2, ctx.t("export.summary.input_legend"), "note")
    return canvas


# ---- the customer sheet ---------------------------------------------------------------------------------------


def _field_header(key: str, lang: str) -> str:
    spec = FIELD_BY_KEY.get(key)
    label = field_label(key, lang)
    if spec is not None and spec.kind is Kind.MONEY:
        return i18n.t("export.unit.yuan_header", lang, label=label)
    return label


def _field_format(key: str, series: pd.Series) -> tuple[str, str, float]:
    """(kind, number format, width) of a book column on the customer sheet."""
    spec = FIELD_BY_KEY.get(key)
    kind = xlsx.column_kind(series)
    if spec is None:
        return kind, xlsx.DATE if kind == "date" else xlsx.GENERAL, 14.0
    if spec.kind is Kind.MONEY:
        return kind, xlsx.YUAN, 14.0
    if spec.kind is Kind.SHARE:
        return kind, xlsx.PERCENT0, 10.0
    if spec.kind is Kind.COUNT:
        return kind, xlsx.COUNT, 10.0
    if spec.kind is Kind.DATE:
        return "date" if kind == "date" else kind, xlsx.DATE, 12.0
    if spec.kind is Kind.TEXT:
        return "text", xlsx.GENERAL, 16.0 if key in ("customer_id", "name") else 14.0
    return kind, xlsx.GENERAL, 10.0


def book_columns(ctx: ExportContext) -> list[xlsx.BulkColumn]:
    """Every column of the customer sheet: the masked fields, a tier per scheme, the modules' formulas."""
    columns: list[xlsx.BulkColumn] = []
    for key in ctx.book_fields:
        series = ctx.masked[key]
        kind, number_format, width = _field_format(key, series)
        if kind == "text":
            series = series.astype("object")
        header = _field_header(key, ctx.lang)
        width = max(width, xlsx.fitting_width(header, series))
        columns.append(xlsx.BulkColumn(header, kind, series, None, number_format, width))
    for scheme_id in ctx.tier_schemes:
        detail, _, _ = ctx.segmentation(scheme_id)
        labels = detail.labels(ctx.lang)
        codes = detail.tiers.cat.codes.to_numpy()
        names = np.array([labels[c] for c in detail.tiers.cat.categories], dtype=object)
        values = pd.Series(names[codes] if len(codes) else np.array([], dtype=object), dtype=object)
        header = ctx.t("export.book.tier_header", scheme=SCHEMES[scheme_id].name(ctx.lang))
        columns.append(xlsx.BulkColumn(header, "text", values, None, xlsx.GENERAL, 14.0))
    for column in ctx.book_columns:
        columns.append(xlsx.BulkColumn(column.header, "formula", None, column.formula, column.number_format,
                                       column.width))
    return columns


# ---- putting it together ----------------------------------------------------------------------------------------


def _assemble(ctx: ExportContext, summary: xlsx.Canvas, canvases: list[xlsx.Canvas], stamp: datetime) -> bytes:
    workbook = Workbook(write_only=True)
    summary.write_to(workbook.create_sheet(summary.title))

    # The customer sheet: header row by openpyxl, data rows spliced in after saving (see workbook.xlsx).
    sheet = workbook.create_sheet(ctx.book_title)
    columns = book_columns(ctx)
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "B2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ctx.last_row}"
    style_ids = [xlsx.register_style(sheet, xlsx.Look("body", column.number_format)) for column in columns]
    sheet.append([xlsx.text_cell(sheet, column.header, "header") for column in columns])
    sheet.append([xlsx.text_cell(sheet, BOOK_MARKER)])

    for canvas in canvases:
        canvas.write_to(workbook.create_sheet(canvas.title))

    workspace_json = json.dumps(ctx.workspace, ensure_ascii=True, sort_keys=True, allow_nan=False)
    carried = carrier.Carried(workspace_json, tuple(ctx.inputs), ctx.lang, stamp.isoformat(timespec="seconds"))
    hidden = workbook.create_sheet(carrier.CARRIER_TITLE)
    hidden.sheet_state = "veryHidden"
    for values in carrier.carrier_rows(carried):
        hidden.append([xlsx.text_cell(hidden, value, clean=False) if isinstance(value, str) else value
                       for value in values])

    for name, ref in ctx.names.items():
        workbook.defined_names[name] = DefinedName(name, attr_text=ref)

    buffer = io.BytesIO()
    workbook.save(buffer)
    rows_xml = xlsx.bulk_rows_xml(columns, len(ctx.book), FIRST_DATA_ROW, style_ids)
    dimension = f"A1:{get_column_letter(max(len(columns), 1))}{ctx.last_row}"
    return xlsx.splice_rows(buffer.getvalue(), BOOK_MARKER, rows_xml, dimension)
