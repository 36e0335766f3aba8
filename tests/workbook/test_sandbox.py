"""Reading runs in a child process with memory and time limits: whatever a file makes the reader do (abort,
exhaust memory, run for minutes) ends the child, never the server every trainee shares."""

from __future__ import annotations

import os
import time

import pytest

from tests.workbook import sandbox_jobs
from tests.workbook.intake_files import raw_xlsx, sheet_xml, table_rows
from workbook import BookError, read_book, sandbox
from workbook.intake import preview_source

pytestmark = pytest.mark.skipif(not sandbox.available(), reason="no fork on this platform: reads run in-process")

MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _crash_file() -> bytes:
    """The issue's reproduction: a few-KB workbook, a small table and one value in XFD1048576, the last cell
    Excel has. calamine lays a sheet out from its first to its last cell: 16,384 × 1,048,576 cells × 32 bytes
    = 512 GiB, and the failed allocation aborts the process."""
    rows = table_rows([["客户号", "金融资产"], *[[f"C{i:03d}", 50_000 + i] for i in range(10)]])
    rows[1_048_576] = {"XFD1048576": 1}
    return raw_xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


def _hidden_crash_file() -> bytes:
    """The same far cell written with a namespace prefix of its own (<y:c>): calamine still reads it as a cell,
    the pre-scan (which follows the sheet's own prefix, as honest writers use one) does not see it. Only the
    child process stands between this file and the server."""
    rows = table_rows([["客户号", "金融资产"], ["C1", 50_000]])
    far = f'<row r="1048576"><y:c xmlns:y="{MAIN_NAMESPACE}" r="XFD1048576"><y:v>1</y:v></y:c></row>'
    return raw_xlsx(sheet_xml(rows).replace(b"</sheetData>", far.encode() + b"</sheetData>"))


def test_a_job_runs_in_another_process() -> None:
    assert sandbox.run(sandbox_jobs.own_pid) != os.getpid()


def test_an_abort_in_the_child_is_an_error_here_and_the_next_read_works() -> None:
    with pytest.raises(sandbox.SandboxError) as failure:
        sandbox.run(sandbox_jobs.abort)
    assert failure.value.reason == "crashed"
    assert sandbox.run(sandbox_jobs.own_pid) > 0


def test_an_exception_in_the_child_comes_back_as_itself() -> None:
    with pytest.raises(ValueError, match="bad cell"):
        sandbox.run(sandbox_jobs.fail, "bad cell")


def test_memory_beyond_the_limit_fails_in_the_child() -> None:
    # 8 GiB is twice the address space a child may add (MEMORY_LIMIT_BYTES = 4 GiB): refused, not allocated.
    assert sandbox.MEMORY_LIMIT_BYTES < 8 * 2**30
    with pytest.raises(MemoryError):
        sandbox.run(sandbox_jobs.allocate, 8)


def test_a_child_over_the_wall_clock_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "WALL_LIMIT_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(sandbox.SandboxError) as failure:
        sandbox.run(sandbox_jobs.sleep, 60)
    assert failure.value.reason == "timeout"
    assert time.monotonic() - started < 30  # waited for the limit, not for the job


def test_the_crash_file_really_aborts_the_reader_in_a_child_process() -> None:
    # The reproduction is real: calamine, handed the file as it is, aborts the process that runs it (here a
    # child, so this test process lives on).
    with pytest.raises(sandbox.SandboxError) as failure:
        sandbox.run(sandbox_jobs.calamine_grid, _crash_file())
    assert failure.value.reason == "crashed"


def test_the_crash_file_loads_its_rows_and_names_the_far_cell() -> None:
    data = _crash_file()
    assert len(data) < 5_000  # a 4.9 KB file, as reported
    load = read_book(data, "crash.xlsx")
    assert load.book["customer_id"].tolist() == [f"C{i:03d}" for i in range(10)]
    assert load.book["aum"].tolist() == [50_000.0 + i for i in range(10)]
    strays = load.report.issues_by_kind()["stray_cells"]
    assert [issue.detail for issue in strays] == ["XFD1048576"]
    assert "已忽略" in strays[0].message
    preview = preview_source(data, "crash.xlsx")
    assert preview.strays == ("XFD1048576",) and preview.stray_count == 1


def test_a_far_cell_the_scan_cannot_see_stops_only_the_child() -> None:
    for call in (lambda data: read_book(data, "藏起来的.xlsx"), lambda data: preview_source(data, "藏起来的.xlsx")):
        with pytest.raises(BookError) as failure:
            call(_hidden_crash_file())
        assert failure.value.code == "reader_stopped"
        assert "藏起来的.xlsx" in str(failure.value) and "其他学员不受影响" in str(failure.value)
    # The server process (this one) carries on and reads the next file.
    assert len(read_book(_crash_file(), "next.xlsx").book) == 10
