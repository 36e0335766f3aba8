"""The hidden sheet that carries a trainee's workspace inside their exported workbook, so the app can resume from it.

An exported workbook is two things at once: a workbook a banker edits in Excel, and the trainee's saved work. The
second lives in a very hidden sheet (``CARRIER_TITLE``; Excel offers no way to unhide it from its menus):

    A1  CARRIER_MARK          B1  format version
    A2  "lang"                B2  the export's language
    A3  "exported_at"         B3  ISO time (UTC)
    A4  "checksum"            B4  sha256 of the workspace JSON + "\\n" + the inputs JSON
    A6… "workspace" | "inputs" in column A, the JSON in chunks in column B, in order

The JSON is ASCII (``ensure_ascii``): no character can be lost to XML or to a spreadsheet's re-save, and a chunk of
32,000 characters stays under Excel's cell limit. The checksum tells a damaged or hand-edited carrier from ours.

``inputs`` is the manifest of the editable cells of the visible sheets (:class:`InputCell`): where each one is
(a workbook-level defined name that follows the cell when rows are inserted, and its address at export), where
its value lives in the workspace (module and path), what kind of value it holds and in which unit, its label
in both languages, and the value written at export. Reading the workbook back compares each cell with the value
written, so only what the trainee changed in Excel comes back as a change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

CARRIER_TITLE = "_tcw_workspace"
CARRIER_MARK = "客户分层经营训练手册 · workspace"
FORMAT_VERSION = 1
CHUNK_CHARS = 32_000
FIRST_CHUNK_ROW = 6
WORKSPACE_PART = "workspace"
INPUTS_PART = "inputs"

# Kinds of input cell. number: a figure (optionally scaled: workspace value = cell × scale); integer: a whole
# number; text: free text; choice: one of ``choices`` (cell text → workspace value).
NUMBER, INTEGER, TEXT, CHOICE = "number", "integer", "text", "choice"
KINDS = (NUMBER, INTEGER, TEXT, CHOICE)
# What an emptied cell stores: None, the key removed, an empty text, or nothing (the change is refused).
BLANK_NONE, BLANK_DELETE, BLANK_EMPTY, BLANK_REFUSE = "none", "delete", "empty", "refuse"
# Display units for the change list (how old and new values are shown).
UNITS = ("plain", "yuan", "wan", "percent", "hours", "count", "text")


@dataclass(frozen=True)
class InputCell:
    """One editable cell of an exported workbook, and where its value belongs in the workspace."""

    name: str  # workbook-level defined name of the cell
    sheet: str
    cell: str  # address at export, e.g. "C5" (used when the defined name is gone)
    module: str  # workspace module id (page id)
    path: tuple[str | int, ...]  # keys into the module's values
    kind: str
    written: Any  # the cell's value as written at export (None: blank)
    label_zh: str
    label_en: str
    unit: str = "plain"
    scale: float = 1.0
    minimum: float | None = None
    maximum: float | None = None
    blank: str = BLANK_NONE
    choices: Mapping[str, Any] | None = None
    # The workspace keeps only what the trainee changed, so a table still at its defaults is not there yet: when
    # the value at path[:seed_depth] is missing (or None), it is set to ``seed`` (the table as shown at export)
    # before this cell's value goes in. 0: no seed (dictionaries on the way are created empty).
    seed_depth: int = 0
    seed: Any = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = list(self.path)
        data["choices"] = None if self.choices is None else dict(self.choices)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> InputCell:
        values = dict(data)
        values["path"] = tuple(values.get("path") or ())
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class Carried:
    """What a carrier sheet holds."""

    workspace_json: str
    inputs: tuple[InputCell, ...]
    lang: str
    exported_at: str
    version: int = FORMAT_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)


def inputs_json(inputs: Sequence[InputCell]) -> str:
    return json.dumps([cell.to_json() for cell in inputs], ensure_ascii=True, sort_keys=True, allow_nan=False)


def checksum(workspace_json: str, inputs_text: str) -> str:
    return hashlib.sha256(f"{workspace_json}\n{inputs_text}".encode()).hexdigest()


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def carrier_rows(carried: Carried) -> list[list[Any]]:
    """The carrier sheet's rows (column A key, column B value), all text but the version."""
    inputs_text = inputs_json(carried.inputs)
    rows: list[list[Any]] = [
        [CARRIER_MARK, carried.version],
        ["lang", carried.lang],
        ["exported_at", carried.exported_at],
        ["checksum", checksum(carried.workspace_json, inputs_text)],
        [],
    ]
    rows += [[WORKSPACE_PART, part] for part in chunks(carried.workspace_json)]
    rows += [[INPUTS_PART, part] for part in chunks(inputs_text)]
    return rows


class CarrierError(ValueError):
    """The carrier sheet is missing, damaged or from a newer format (``code``: not_ours, damaged, too_new)."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def read_carrier(rows: Sequence[Sequence[Any]]) -> Carried:
    """The carried workspace and inputs from the carrier sheet's rows (as read, values only)."""
    cells = [[*row, None, None] for row in rows]
    if not cells or cells[0][0] != CARRIER_MARK:
        raise CarrierError("not_ours")
    version = cells[0][1]
    if isinstance(version, float) and version.is_integer():
        version = int(version)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CarrierError("damaged")
    if version > FORMAT_VERSION:
        raise CarrierError("too_new", version=version, supported=FORMAT_VERSION)
    header = {str(row[0]): row[1] for row in cells[1:FIRST_CHUNK_ROW - 1] if row[0] is not None}
    parts: dict[str, list[str]] = {WORKSPACE_PART: [], INPUTS_PART: []}
    for row in cells[FIRST_CHUNK_ROW - 1:]:
        if row[0] in parts:
            parts[str(row[0])].append("" if row[1] is None else str(row[1]))
    workspace_text = "".join(parts[WORKSPACE_PART])
    inputs_text = "".join(parts[INPUTS_PART])
    if header.get("checksum") != checksum(workspace_text, inputs_text):
        raise CarrierError("damaged")
    try:
        raw_inputs = json.loads(inputs_text)
        inputs = tuple(InputCell.from_json(item) for item in raw_inputs)
    except (ValueError, TypeError, AttributeError) as err:
        raise CarrierError("damaged") from err
    return Carried(workspace_text, inputs, str(header.get("lang") or "zh"), str(header.get("exported_at") or ""),
                   version)
