"""我的成果 — the Excel workbook: the download button and what it serves (the active book, the workspace, the page's
language), and resuming from a workbook brought back: what it holds is shown first, the work is replaced only on
confirmation, every page then shows the restored values, the changes made in Excel are listed in the page's
language, it is saved under the same address; a foreign or damaged file changes nothing. In Chinese and English."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from tests.pages.apptest import all_text, open_app
from tests.workbook.spreadsheet_tools import find
from ui import workbook_file
from ui.tier_views import plain_markdown
from workbook import export, resume
from workbook import workspace as ws
from workbook.samples import sample_book
from workbook.store import open_store

PAGE = "views/results.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = {
    "zh": {"download": "下载工作簿（.xlsx）", "resume": "用这个工作簿恢复", "found": "在 Excel 中改过 2 处输入",
           "changed": "1.4 客户资产负债审视 · 年度成本（万元）：36 万元 → 54 万元",
           "skipped": "1.4 客户资产负债审视 · 每年可用于客户的有效小时数：0 小时 超出允许范围，保留原值。",
           "done": "已从工作簿恢复", "foreign": "不是本应用导出的", "unchanged": "你现在的练习没有任何改动",
           "annual": "s1_4_annual_cost"},
    "en": {"download": "Download the workbook (.xlsx)", "resume": "Resume from this workbook",
           "found": "inputs changed in Excel: 2",
           "changed": "1.4 Asset or liability? · Annual cost (CNY 10k): CNY 360k → CNY 540k",
           "skipped": "1.4 Asset or liability? · Effective hours a year for customers: 0 hours is outside the allowed "
                      "range; the previous value is kept.",
           "done": "Resumed from the workbook", "foreign": "was not exported by this app",
           "unchanged": "Your current work is unchanged", "annual": "s1_4_annual_cost"},
}


def _token(at) -> str:  # type: ignore[no-untyped-def]
    value = at.query_params["t"]
    return value[0] if isinstance(value, list) else value


def _work() -> ws.Workspace:
    work = ws.new_workspace()
    ws.set_trainee(work, name="王芳", group="第三组", workshop="BJ1205")
    ws.set_values(work, "s1_1", note="礼品换不来忠诚")
    ws.mark_done(work, "s1_1")
    return work


def _exported_and_edited(lang: str) -> bytes:
    """A workbook exported from _work() in ``lang``, then edited in Excel: the annual cost 36 → 54 万元 and the
    effective hours set to 0 (refused: at least 1)."""
    data = export.export_xlsx(sample_book(300, seed=7), _work(), lang=lang, book_source="sample")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[export.sheet_title("s1_4", lang)]
    annual = find(sheet, "年度成本（万元）" if lang == "zh" else "Annual cost (CNY 10k)")
    sheet.cell(annual, 2).value = 54
    sheet.cell(annual + 1, 2).value = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _work_only(work: dict[str, Any]) -> dict[str, Any]:
    """The trainee's work without the app's record of lectures read (opening a page marks its lecture seen)."""
    modules = {k: v for k, v in work["modules"].items() if k != ws.LECTURES_SEEN}
    return {**work, "modules": modules}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_download_button_serves_the_workbook_of_this_session(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_work())
    assert not at.exception
    [button] = at.get("download_button")
    assert button.label == TEXT[lang]["download"]
    assert button.proto.deferred_file_id  # built when clicked, not on every rerun
    name = export.export_filename(_work(), lang)
    assert "王芳" in name and name.endswith(".xlsx")
    assert any(name.replace("_", "\\_").replace("-", "\\-").replace(".", "\\.") in c.value for c in at.caption)
    # What the button's callable returns for this session: the sample book, the workspace, the page's language.
    data = workbook_file.workbook_bytes(sample_book(300, seed=7), _work(), lang, "sample")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:2] == [export.sheet_title("summary", lang), export.sheet_title("book", lang)]
    assert resume.resume_from_xlsx(data).workspace == _work()


def test_an_uploaded_book_missing_after_a_restart_is_said_before_the_download() -> None:
    work = _work()
    ws.set_values(work, "book", choice={"source": "upload", "customers": 120, "name": "我的客户.xlsx"})
    at = open_app("zh", PAGE, workspace=work)
    assert any("我的客户" in i.value and "会使用示例名册" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_resuming_shows_the_file_then_replaces_the_work_on_confirmation(lang: str) -> None:
    texts = TEXT[lang]
    start = ws.new_workspace()
    ws.set_values(start, "s3_5", group="另一组")
    at = open_app(lang, PAGE, workspace=start)
    token = _token(at)
    at.get("file_uploader")[0].upload("我的工作簿.xlsx", _exported_and_edited(lang), XLSX).run()
    assert not at.exception
    assert texts["found"] in all_text(at)
    modules = at.session_state["workspace"]["modules"]
    # nothing replaced yet (beside the work, only the record that this page's lecture was read)
    assert {k: v for k, v in modules.items() if k != ws.LECTURES_SEEN} == {"s3_5": {"group": "另一组"}}
    [confirm] = [b for b in at.button if b.label == texts["resume"]]
    confirm.click().run()
    assert not at.exception

    restored = at.session_state["workspace"]
    assert restored["trainee"]["name"] == "王芳"
    assert restored["modules"]["s1_1"]["note"] == "礼品换不来忠诚"
    assert restored["modules"]["s1_4"] == {"annual_cost": 540_000}  # 54 万元, kept in 元; 0 hours refused
    assert not restored["modules"].get("s3_5")  # the work it replaced is gone (an empty module may stay)
    assert any(texts["done"] in s.value for s in at.success)
    # listed as text (escaped for markdown: no list number or dot of the file's text becomes markup)
    assert any(plain_markdown(texts["changed"]) in m.value for m in at.markdown)
    assert any(plain_markdown(texts["skipped"]) in w.value for w in at.warning)
    # the identity boxes on this page show the restored values, and the work is saved under the same address
    assert at.text_input(key="results_name").value == "王芳"
    assert _token(at) == token
    saved = open_store().load_workspace(token)
    assert saved is not None and saved["modules"]["s1_4"]["annual_cost"] == 540_000
    # another page draws its widgets from the restored work: 1.4 shows 54 万元
    at.switch_page("views/s1_4_asset_liability.py").run()
    assert at.number_input(key=texts["annual"]).value == pytest.approx(54)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_foreign_or_damaged_file_changes_nothing(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_work())
    foreign = openpyxl.Workbook()
    foreign.active["A1"] = "客户号"
    buffer = io.BytesIO()
    foreign.save(buffer)
    at.get("file_uploader")[0].upload("别人的表.xlsx", buffer.getvalue(), XLSX).run()
    assert not at.exception
    [error] = at.error
    assert TEXT[lang]["foreign"] in error.value
    assert any(TEXT[lang]["unchanged"] in c.value for c in at.caption)
    assert not [b for b in at.button if b.label == TEXT[lang]["resume"]]
    assert _work_only(at.session_state["workspace"]) == _work()

    at.get("file_uploader")[0].upload("坏的.xlsx", b"PK\x03\x04 not really a zip", XLSX).run()
    assert not at.exception and at.error
    assert _work_only(at.session_state["workspace"]) == _work()
