"""The trainee's workbook in a real browser: the download from 我的成果 is a file Excel-compatible readers open
(openpyxl and calamine), carrying the trainee's name, the sample book and their work; brought back through the
same page it restores the work."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from workbook.resume import resume_from_xlsx

pytestmark = pytest.mark.e2e

NAME = "王芳"


def test_the_downloaded_workbook_opens_and_comes_back(page: Page, app_url: str, tmp_path: Path) -> None:
    page.goto(f"{app_url}/results")
    expect(page.get_by_role("heading", name="带走我的 Excel 工作簿")).to_be_visible()
    name_box = page.get_by_label("姓名")
    name_box.fill(NAME)
    name_box.press("Enter")
    expect(page.get_by_text(f"文件名：客户分层经营训练手册_{NAME}_")).to_be_visible()

    with page.expect_download(timeout=120_000) as started:
        page.get_by_role("button", name="下载工作簿（.xlsx）").click()
    download = started.value
    assert download.suggested_filename.startswith(f"客户分层经营训练手册_{NAME}_")
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()

    # openpyxl opens it: the sheets in course order, the trainee's name and the sample book's size on the summary
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames[:3] == ["总览", "客户名册", "1.1 难题自测"]
    summary = book["总览"]
    labels = {summary.cell(row, 1).value: summary.cell(row, 2).value for row in range(1, 40)}
    assert labels["姓名"] == NAME
    assert labels["客户数（位）"] == 300
    # calamine (another reader, as pandas uses it) opens it too: 300 customers under the header row
    customers = CalamineWorkbook.from_path(str(saved)).get_sheet_by_name("客户名册").to_python()
    assert customers[0][0] == "客户号" and len(customers) == 301
    assert resume_from_xlsx(data).workspace["trainee"]["name"] == NAME

    # brought back on the same page: what it holds is shown, and it restores on confirmation
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(saved))
    expect(page.get_by_text("在 Excel 中改过 0 处输入")).to_be_visible()
    page.get_by_role("button", name="用这个工作簿恢复").click()
    expect(page.get_by_text("已从工作簿恢复并自动保存")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value(NAME)
