"""The worksheet pre-scan: a sheet's real extent read from its XML before any reader materialises it, and stray
cells far from the table cut out (so that a few-KB file cannot make the reader allocate 512 GiB)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from tests.workbook.intake_files import raw_xlsx, sheet_xml, table_rows, xlsx_bytes
from workbook import extent
from workbook.extent import COLUMN_GAP, ROW_GAP, column_letters, column_number, scan_sheet


@pytest.mark.parametrize("letters, number", [("A", 1), ("Z", 26), ("AA", 27), ("AD", 30), ("ZZ", 702),
                                             ("AAA", 703), ("XFD", 16_384)])
def test_column_letters_round_trip(letters: str, number: int) -> None:
    # XFD: 24 × 26² + 6 × 26 + 4 = 16,224 + 156 + 4 = 16,384, Excel's last column
    assert column_number(letters) == number and column_letters(number) == letters


def test_a_plain_table_is_measured_and_left_alone() -> None:
    xml = sheet_xml(table_rows([["客户号", "金融资产"], ["C1", 1], ["C2", 2]]), dimension="A1:B3")
    found = scan_sheet(xml)
    assert (found.declared, found.rows, found.columns, found.cells) == ("A1:B3", 3, 2, 6)
    assert found.strays == () and found.stray_values == 0 and found.xml is None


def test_the_crash_cell_xfd1048576_is_cut_out_and_reported() -> None:
    rows = table_rows([["客户号", "金融资产"], *[[f"C{i}", i] for i in range(10)]])
    rows[1_048_576] = {"XFD1048576": 7}
    found = scan_sheet(sheet_xml(rows, dimension="A1:XFD1048576"))
    # The declared extent is kept as written, for the record; the table is 11 rows × 2 columns.
    assert found.declared == "A1:XFD1048576"
    assert (found.rows, found.columns) == (11, 2)
    assert [cell.ref for cell in found.strays] == ["XFD1048576"] and found.stray_values == 1
    assert found.xml is not None and b'r="XFD1048576"' not in found.xml
    assert b'<c r="B11"><v>9</v></c>' in found.xml


def test_a_far_cell_in_a_table_row_is_cut_but_a_near_one_widens_the_table() -> None:
    rows = table_rows([["客户号", "金融资产"], ["C1", 1], ["C2", 2]])
    rows[2]["ZZ2"] = "备注在很远的地方"  # column 702: hundreds of empty columns away
    rows[3]["F3"] = "近处的备注"  # column 6: three empty columns away, part of the table
    found = scan_sheet(sheet_xml(rows))
    assert (found.rows, found.columns) == (3, 6)
    assert [cell.ref for cell in found.strays] == ["ZZ2"]


def test_a_far_cell_holding_only_formatting_is_cut_silently() -> None:
    xml = sheet_xml(table_rows([["客户号", "金融资产"], ["C1", 1]])).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="3"/></row></sheetData>')
    found = scan_sheet(xml)
    assert (found.rows, found.columns) == (2, 2)
    assert found.strays == () and found.stray_values == 0  # nothing for the trainee to hear about
    assert found.xml is not None and b"XFD1048576" not in found.xml


def test_the_block_with_most_rows_is_the_table_even_below_a_far_note() -> None:
    rows = {1: {"A1": "导出说明"}} | table_rows([["客户号", "金融资产"], *[[f"C{i}", i] for i in range(5)]],
                                                first_row=5000)
    found = scan_sheet(sheet_xml(rows))
    assert found.rows == 5005 and [cell.ref for cell in found.strays] == ["A1"]


def test_prefixed_elements_are_scanned_too() -> None:
    rows = table_rows([["客户号", "金融资产"], ["C1", 1]])
    rows[900_000] = {"AB900000": 5}
    found = scan_sheet(sheet_xml(rows, prefix="x"))
    assert (found.rows, found.columns) == (2, 2) and [cell.ref for cell in found.strays] == ["AB900000"]


def test_sheet_entries_name_paths_and_hidden_state() -> None:
    data = xlsx_bytes({"说明": [["x"]], "客户": [["客户号"]]}, hidden=["说明"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = extent.sheet_entries(archive)
    assert [(e.name, e.visible) for e in entries] == [("说明", False), ("客户", True)]
    assert all(e.path is not None and e.path.startswith("xl/worksheets/") for e in entries)


def test_workbook_xml_with_an_entity_declaration_is_refused_by_defusedxml() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')
    archive = zipfile.ZipFile(io.BytesIO(_with_member(xlsx_bytes([["客户号"]]), "xl/workbook.xml", bomb)))
    with pytest.raises(Exception, match=r"(?i)entit"):
        extent.sheet_entries(archive)


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    return extent.replace_members(data, {name: content})


# ---- properties ------------------------------------------------------------------------------------------------


def _calamine_extent(sheet: bytes) -> tuple[int, int]:
    """(last row, last column), both 1-based, as calamine lays the sheet out (its start is 0-based)."""
    reader = CalamineWorkbook.from_filelike(io.BytesIO(raw_xlsx(sheet))).get_sheet_by_index(0)
    end = reader.end
    return (0, 0) if end is None else (end[0] + 1, end[1] + 1)


@pytest.fixture(params=["every_cell", "row_ends"])
def scan_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of scanning: cell by cell (small sheets) and by each row's last cell (large ones)."""
    if request.param == "row_ends":
        monkeypatch.setattr(extent, "EXACT_SCAN_BYTES", 0)
    return str(request.param)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    height=st.integers(1, 40),
    width=st.integers(1, 12),
    strays=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 1_048_576), st.integers(1, 16_384)), max_size=3),
)
def test_scan_finds_the_table_and_the_reader_sees_exactly_it(
    scan_path: str, height: int, width: int, strays: list[tuple[int, int, int]]
) -> None:
    """Whatever far cells are added around a table, the scan reports the table's own extent, lists exactly the
    far cells holding values, and the sheet it hands on reads (in calamine) as just the table. Scanning by row
    ends judges the table's width by most of its rows, so there the table has more rows than strays."""
    # The table is the block with most cells (most rows, scanning by row ends): it must outnumber the strays.
    assume(height * width > len(strays) if scan_path == "every_cell" else height > 2 * len(strays))
    rows = table_rows([[f"h{c}" for c in range(width)], *[[r * 100 + c for c in range(width)]
                                                           for r in range(1, height)]])
    far: set[tuple[int, int]] = set()
    for mode, row, column in strays:
        if mode == 0:  # beyond the row gap
            row = max(row, height + ROW_GAP + 2)
        elif mode == 1:  # beyond the column gap, in one of the table's rows
            row, column = row % height + 1, max(column, width + COLUMN_GAP + 2)
        else:  # both
            row, column = max(row, height + ROW_GAP + 2), max(column, width + COLUMN_GAP + 2)
        rows.setdefault(row, {})[f"{column_letters(column)}{row}"] = 1
        far.add((row, column))
    found = scan_sheet(sheet_xml(rows))
    assert (found.rows, found.columns) == (height, width)
    assert {(cell.row, cell.column) for cell in found.strays} == far
    handed_on = found.xml if found.xml is not None else sheet_xml(rows)
    assert _calamine_extent(handed_on) == (height, width)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(height=st.integers(1, 30), width=st.integers(1, 10), gap_rows=st.integers(0, ROW_GAP),
       gap_columns=st.integers(0, COLUMN_GAP))
def test_cells_within_the_gaps_belong_to_the_table(
    scan_path: str, height: int, width: int, gap_rows: int, gap_columns: int
) -> None:
    """A cell at most ROW_GAP empty rows below or COLUMN_GAP empty columns right of the table is part of it."""
    rows = table_rows([[1] * width] * height)
    row, column = height + gap_rows + 1, width + gap_columns + 1
    rows.setdefault(row, {})[f"{column_letters(column)}{row}"] = 2
    found = scan_sheet(sheet_xml(rows))
    assert found.strays == () and found.xml is None
    assert (found.rows, found.columns) == (row, max(width, column))
