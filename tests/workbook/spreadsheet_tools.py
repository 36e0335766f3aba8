"""Helpers for the export tests: recalculate a workbook with LibreOffice, read sheets back, list every cell.

openpyxl stores no cached values for formulas, so a formula's result exists only once a spreadsheet program has
computed it. ``recalculate`` runs LibreOffice headless (``soffice --convert-to xlsx``) with a private profile per
call, so tests running side by side never share (or lock) one profile.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path is not None, "LibreOffice (Debian libreoffice-calc-nogui) is needed: .ci/run installs it"
    return path


def recalculate(data: bytes) -> openpyxl.Workbook:
    """The workbook as LibreOffice computes it: formulas replaced by their values (data_only)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "export.xlsx"
        source.write_bytes(data)
        out = work / "out"
        profile = (work / "profile").as_uri()
        subprocess.run(
            [soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "xlsx",
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=180,
        )
        converted = (out / "export.xlsx").read_bytes()
    return openpyxl.load_workbook(io.BytesIO(converted), data_only=True)


def load(data: bytes, **options: Any) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), **options)


def table(sheet: Any, header_row: int = 1) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """(header, data rows) of a sheet laid out as one table."""
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    return list(rows[0]), [tuple(r) for r in rows[1:]]


def find(sheet: Any, text: str, column: int = 1) -> int:
    """The first row whose cell in ``column`` holds ``text`` (1-based); AssertionError if none."""
    for row in sheet.iter_rows(min_col=column, max_col=column):
        cell = row[0]
        if cell.value == text:
            return int(cell.row)
    raise AssertionError(f"{text!r} not found in column {column} of {sheet.title!r}")


def cells(book: openpyxl.Workbook) -> Iterator[Any]:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row
