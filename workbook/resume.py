"""Resuming from an exported workbook: the trainee's workspace back from the file, with what they changed in Excel.

:func:`resume_from_xlsx` reads the carrier sheet (:mod:`workbook.carrier`), checks it, and restores the workspace
saved at export. Then it reads every input cell of the manifest — found by its defined name, so inserted rows and
columns do not matter — and compares it with the value written at export: a cell the trainee changed becomes the
new value in the workspace (converted back to the app's unit) and a :class:`Change` in the list the page shows
("1.4 · 年度成本: 360,000 元 → 400,000 元"). A value the app cannot take (text in a number cell, outside the
allowed range, an emptied cell that must hold a number) is not applied and is listed as a :class:`Skipped`.

A file that is not an exported workbook of this app, or whose carrier is damaged, raises
:class:`ResumeFileError`, whose ``str`` is a Chinese message the trainee can act on (``text(lang)`` either language).
"""

from __future__ import annotations

import copy
import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from workbook import carrier, i18n
from workbook import workspace as ws

ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An exported 50,000-customer workbook is ~15 MB; a book several times that is not one of ours.
MAX_BYTES = 80 * 1024 * 1024
_ADDRESS = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
_NUMBER_TOLERANCE = 1e-9


class ResumeFileError(i18n.LocalisedError):
    """The file cannot be resumed from (catalogue ``resume.error.<code>``; ``text(lang)``)."""

    catalogue_prefix = "resume.error"


@dataclass(frozen=True)
class Change:
    """An input the trainee changed in Excel, applied to the workspace. ``old``/``new``: the cell's values (in the
    workbook's unit: a percent cell holds 0.012 for 1.2%); ``unit`` says how to show them."""

    module: str
    label_zh: str
    label_en: str
    old: Any
    new: Any
    unit: str = "plain"

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh

    def text(self, lang: str) -> str:
        return i18n.t("resume.change", lang, module=_module_title(self.module, lang), input=self.label(lang),
                      old=shown(self.old, self.unit, lang), new=shown(self.new, self.unit, lang))


@dataclass(frozen=True)
class Skipped:
    """An input changed in Excel that could not be taken (``reason``: catalogue ``resume.skip.<reason>``)."""

    module: str
    label_zh: str
    label_en: str
    value: Any
    reason: str
    unit: str = "plain"

    def text(self, lang: str) -> str:
        label = self.label_en if lang == "en" else self.label_zh
        return i18n.t(f"resume.skip.{self.reason}", lang, module=_module_title(self.module, lang), input=label,
                      value=shown(self.value, self.unit, lang))


@dataclass(frozen=True)
class Resumed:
    workspace: ws.Workspace
    changes: tuple[Change, ...]
    skipped: tuple[Skipped, ...]
    lang: str  # the language the workbook was exported in
    exported_at: str


def _module_title(module: str, lang: str) -> str:
    key = f"nav.{module}"
    return i18n.t(key, lang) if i18n.has_key(key) else module


# ---- reading the file --------------------------------------------------------------------------------------


def _open(data: bytes) -> Any:
    from openpyxl import load_workbook

    from workbook.sources import SourceError, check_zip

    if not isinstance(data, (bytes, bytearray, memoryview)) or not bytes(data[:4]):
        raise ResumeFileError("empty")
    raw = bytes(data)
    if len(raw) > MAX_BYTES:
        raise ResumeFileError("too_large", size_mb=f"{len(raw) / 2**20:.0f}", limit_mb=MAX_BYTES // 2**20)
    if raw.startswith(OLE2_SIGNATURE):
        raise ResumeFileError("not_xlsx")
    if not raw.startswith(ZIP_SIGNATURE):
        raise ResumeFileError("not_xlsx")
    try:
        names = check_zip(raw)
    except SourceError as err:
        raise ResumeFileError("damaged") from err
    if "xl/workbook.xml" not in names:
        raise ResumeFileError("not_xlsx")
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as err:
        raise ResumeFileError("damaged") from err
    except Exception as err:  # a parser error on damaged XML (defusedxml/ElementTree raise their own types)
        raise ResumeFileError("damaged") from err


def _sheet_cells(sheet: Any) -> dict[tuple[int, int], Any]:
    """Every non-empty cell of a (small) sheet, by (row, column)."""
    cells: dict[tuple[int, int], Any] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is not None and hasattr(cell, "row"):
                cells[(cell.row, cell.column)] = value
    return cells


def _address(text: str) -> tuple[int, int] | None:
    from openpyxl.utils import column_index_from_string

    match = _ADDRESS.match(text.strip().upper())
    if match is None:
        return None
    return int(match.group(2)), column_index_from_string(match.group(1))


def _locate(book: Any, spec: carrier.InputCell) -> tuple[str, tuple[int, int]] | None:
    """Where an input cell is now: its defined name first (it follows inserted rows), else the export address."""
    defined = book.defined_names.get(spec.name)
    if defined is not None:
        try:
            destinations = list(defined.destinations)
        except (AttributeError, ValueError, TypeError):
            destinations = []
        for title, ref in destinations:
            position = _address(str(ref).split(":")[0])
            if title in book.sheetnames and position is not None:
                return title, position
    position = _address(spec.cell)
    if spec.sheet in book.sheetnames and position is not None:
        return spec.sheet, position
    return None


# ---- comparing and converting --------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_number(value: Any) -> float | None:
    """A cell as a number: numbers, and text a trainee typed such as "1,200" or "12%"; None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        percent = text.endswith("%")
        try:
            number = float(text.rstrip("%"))
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return number / 100.0 if percent else number
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    """A cell value as plain data (dates as ISO text), for a change record."""
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _same(spec: carrier.InputCell, value: Any) -> bool:
    """Whether the cell still holds what was written (a re-save may round a number in its last digits)."""
    written = spec.written
    if _blank(value) or _blank(written):
        return _blank(value) and _blank(written)
    if spec.kind in (carrier.NUMBER, carrier.INTEGER):
        number = _as_number(value)
        return number is not None and isinstance(written, (int, float)) and math.isclose(
            number, float(written), rel_tol=_NUMBER_TOLERANCE, abs_tol=1e-12)
    return _as_text(value).replace("\r\n", "\n") == str(written)


def shown(value: Any, unit: str, lang: str) -> str:
    """A cell value as the change list shows it: in the cell's unit, with the unit word in ``lang``."""
    if _blank(value):
        return "—"
    number = _as_number(value) if unit not in ("text", "plain") or isinstance(value, (int, float)) else None
    if number is None or isinstance(value, bool):
        text = _as_text(value).replace("\n", " ")
        return text if len(text) <= 60 else text[:59] + "…"
    if unit == "percent":
        return _digits(number * 100, 2) + "%"
    if unit == "wan" and lang == "en":
        number *= 10  # 万元 are read in English as thousands: 50 万元 = CNY 500k
    digits = _digits(number, 2 if unit in ("wan", "hours") else 4)
    if unit in ("yuan", "wan", "hours"):
        return i18n.t(f"resume.unit.{unit}", lang, value=digits)
    return digits


def _digits(number: float, decimals: int) -> str:
    """Thousands separators, no needless decimals: 360000 → 360,000; 1.25 → 1.25; 0.5000 → 0.5."""
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _convert(spec: carrier.InputCell, value: Any) -> tuple[bool, Any, str | None]:
    """(delete the key?, the workspace value, reason it cannot be taken or None)."""
    if _blank(value):
        if spec.blank == carrier.BLANK_DELETE:
            return True, None, None
        if spec.blank == carrier.BLANK_EMPTY:
            return False, "", None
        if spec.blank == carrier.BLANK_REFUSE:
            return False, None, "blank"
        return False, None, None
    if spec.kind == carrier.TEXT:
        return False, _as_text(value).replace("\r\n", "\n"), None
    if spec.kind == carrier.CHOICE:
        choices = dict(spec.choices or {})
        text = _as_text(value).strip()
        for shown_text, stored in choices.items():
            if shown_text.strip().lower() == text.lower():
                return False, copy.deepcopy(stored), None
        return False, None, "choice"
    number = _as_number(value)
    if number is None:
        return False, None, "not_number"
    stored = float(f"{number * spec.scale:.12g}")
    if spec.kind == carrier.INTEGER:
        if not float(stored).is_integer():
            return False, None, "not_whole"
        stored = int(stored)
    if (spec.minimum is not None and stored < spec.minimum) or (spec.maximum is not None and stored > spec.maximum):
        return False, None, "range"
    if isinstance(stored, float) and stored.is_integer() and abs(stored) < 2**53:
        stored = int(stored) if spec.unit in ("yuan", "count") else stored
    return False, stored, None


def _apply(workspace: ws.Workspace, spec: carrier.InputCell, delete: bool, value: Any) -> bool:
    """Put ``value`` at the spec's path, seeding the table it belongs to first; False when the path cannot be
    reached (a row that no longer exists)."""
    if not spec.path:
        return False
    container: Any = workspace.setdefault("modules", {}).setdefault(spec.module, {})
    for depth, key in enumerate(spec.path[:-1], start=1):
        if isinstance(container, dict):
            if container.get(key) is None:
                container[key] = copy.deepcopy(spec.seed) if depth == spec.seed_depth else {}
            elif depth == spec.seed_depth and isinstance(container[key], list) and isinstance(spec.seed, list):
                # Rows the sheet offered beyond the saved ones (empty rows for new entries) come from the seed.
                container[key].extend(copy.deepcopy(spec.seed[len(container[key]):]))
            container = container[key]
        elif isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
            container = container[key]
        else:
            return False
    last = spec.path[-1]
    if isinstance(container, dict):
        if delete:
            container.pop(last, None)
        else:
            container[last] = value
        return True
    if isinstance(container, list) and isinstance(last, int) and 0 <= last < len(container):
        container[last] = None if delete else value
        return True
    return False


# ---- the entry point -----------------------------------------------------------------------------------------------


def resume_from_xlsx(data: bytes) -> Resumed:
    """The workspace saved in an exported workbook, with the inputs changed in Excel applied (see module doc)."""
    book = _open(data)
    try:
        if carrier.CARRIER_TITLE not in book.sheetnames:
            raise ResumeFileError("not_ours")
        rows = [list(row) for row in book[carrier.CARRIER_TITLE].iter_rows(values_only=True)]
        try:
            carried = carrier.read_carrier(rows)
        except carrier.CarrierError as err:
            raise ResumeFileError(err.code, **err.values) from err
        try:
            workspace = ws.from_json(carried.workspace_json)
        except ws.WorkspaceError as err:
            raise ResumeFileError("damaged") from err

        changes: list[Change] = []
        skipped: list[Skipped] = []
        sheets: dict[str, dict[tuple[int, int], Any]] = {}
        for spec in carried.inputs:
            where = _locate(book, spec)
            if where is None:
                continue  # the sheet is gone: nothing changed there that could be read
            title, position = where
            if title not in sheets:
                sheets[title] = _sheet_cells(book[title])
            value = sheets[title].get(position)
            if _same(spec, value):
                continue
            delete, converted, reason = _convert(spec, value)
            if reason is None and _apply(workspace, spec, delete, converted):
                changes.append(Change(spec.module, spec.label_zh, spec.label_en, spec.written, _plain(value),
                                      spec.unit))
            else:
                skipped.append(Skipped(spec.module, spec.label_zh, spec.label_en, _plain(value), reason or "path",
                                       spec.unit))
    finally:
        book.close()
    # What comes back must be a workspace the app can save: plain JSON data, through the one reader.
    workspace = ws.from_json(ws.to_json(workspace))
    return Resumed(workspace, tuple(changes), tuple(skipped), carried.lang, carried.exported_at)


def change_lines(resumed: Resumed, lang: str) -> list[str]:
    """The changes, then the skipped inputs, as lines in ``lang`` (for a page to list)."""
    return [c.text(lang) for c in resumed.changes] + [s.text(lang) for s in resumed.skipped]

