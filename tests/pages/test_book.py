"""我的客户名册: upload, mapping, report, keeping the previous book on bad input, sample switches."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.pages.apptest import all_text, dataframes, metric_values, open_app
from tests.pages.s1_helpers import markdown_text, plotly_figures
from tests.workbook.intake_files import csv_bytes, xlsx_bytes
from ui.state import ActiveBook
from workbook import sample_book, segment
from workbook.schema import CANONICAL_KEYS


def _typed(label: str) -> str:
    """A label as the trainee typed it: the page escapes Markdown in every user string it shows (and puts an
    invisible word joiner into anything GFM would turn into a link)."""
    return re.sub(r"\\(.)", r"\1", label).replace("\u2060", "")

PAGE = "views/book.py"

# A bank-style export: GBK, foreign headers for two fields, AUM in 万元, a bad cell, a duplicate id.
EXPORT = (
    "客户编号,客户姓名,手机号码,金融资产(万元),年龄,备注\n"
    "A001,张三,13812345678,12.5,45,好\n"
    "A002,李四,13987654321,\"1,200\",52,\n"
    "A003,王五,13700001111,abc,38,\n"
    "A003,赵六,13700001112,3,41,\n"
).encode("gbk")


def _upload(at, data: bytes, name: str):  # type: ignore[no-untyped-def]
    at.get("file_uploader")[0].upload(name, data, "text/csv").run()
    return at


def _load_button(at):  # type: ignore[no-untyped-def]
    return next(button for button in at.button if button.label in ("载入名册", "Load the book"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_upload_map_and_load_shows_the_report(lang: str) -> None:
    at = _upload(open_app(lang, PAGE), EXPORT, "客户名单.csv")
    assert not at.exception
    # The mapping step offers one selectbox per source column, pre-filled by the header aliases.
    options = ["", *CANONICAL_KEYS]
    mapped = {_typed(box.label): options[box.index] for box in at.selectbox
              if box.key and box.key.startswith("book_map_")}
    assert mapped == {"客户编号": "customer_id", "客户姓名": "name", "手机号码": "phone", "金融资产(万元)": "aum",
                      "年龄": "age", "备注": ""}
    _load_button(at).click().run()
    assert not at.exception
    book = at.session_state["active_book"]
    assert book.source == "upload" and book.label == "客户名单.csv"
    # Row 5 repeats A003 and is dropped; 12.5万 → 125,000 元 and "1,200"万 → 12,000,000 元 (scaled once).
    assert book.frame["customer_id"].tolist() == ["A001", "A002", "A003"]
    assert book.frame["aum"].tolist()[:2] == [125_000.0, 12_000_000.0]
    assert pd.isna(book.frame["aum"].iloc[2])
    shown = metric_values(at)
    rows_read, rows_kept = ("读取行数", "保留行数") if lang == "zh" else ("Rows read", "Rows kept")
    assert shown[rows_read] == "4" and shown[rows_kept] == "3"
    row_header = "行" if lang == "zh" else "Row"
    issues = next(df.value for df in [*at.table, *at.dataframe] if row_header in df.value.columns)
    assert issues[row_header].tolist() == [4, 5]  # the bad cell's row and the duplicate's row, as Excel shows them
    # The masked preview never shows a full name or phone number.
    preview = at.dataframe[-1].value
    assert "张三" not in preview.to_string() and "13812345678" not in preview.to_string()


@pytest.mark.parametrize("lang, fragment", [("zh", "旧版 Excel 97-2003"), ("en", "old Excel 97-2003")])
def test_a_legacy_xls_gets_a_clear_message_and_the_book_is_kept(lang: str, fragment: str) -> None:
    at = open_app(lang, PAGE)
    before = at.session_state["active_book"]
    at = _upload(at, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "客户.xls")
    assert not at.exception
    assert any(fragment in _typed(error.value) for error in at.error), [e.value for e in at.error]
    assert at.session_state["active_book"] is before


def test_a_file_without_aum_is_refused_on_load_and_nothing_is_lost() -> None:
    at = open_app("zh", PAGE)
    at.session_state["workspace"]["modules"]["s1_2"] = {"target": 5}
    at = _upload(at, "客户号,年龄\nA1,30\n".encode(), "无资产.csv")
    _load_button(at).click().run()
    assert not at.exception
    assert any("无资产.csv" in _typed(error.value) for error in at.error)
    assert at.session_state["active_book"].is_sample
    assert at.session_state["workspace"]["modules"]["s1_2"] == {"target": 5}


def test_sample_and_branch_books() -> None:
    at = open_app("zh", PAGE)
    assert len(at.session_state["active_book"].frame) == 300
    next(b for b in at.button if b.key == "book_use_branch").click().run()
    assert not at.exception
    assert len(at.session_state["active_book"].frame) == 20_000
    assert metric_values(at)["客户数"] == "20,000"
    next(b for b in at.button if b.key == "book_use_sample").click().run()
    assert len(at.session_state["active_book"].frame) == 300


def test_overview_of_a_hand_made_book() -> None:
    frame = pd.DataFrame({"customer_id": ["A", "B", "C", "D"], "aum": [20_000.0, 1_000_000.0, 30_000.0, 50_000.0]})
    at = open_app("zh", PAGE, book=ActiveBook(frame=frame, source="upload", label="t.csv", token="overview-4"))
    shown = metric_values(at)
    # total 110万; median (3万 + 5万) / 2 = 4万; top 5% of 4 customers = 1 customer: 100 / 110 = 90.9%
    assert shown["金融资产合计（万元）"] == "110"
    assert shown["资产中位数（万元）"] == "4"
    assert shown["前 5% 客户资产占比"] == "90.9%"


def test_home_shows_progress_from_the_workspace() -> None:
    at = open_app("en", "views/home.py")
    workspace = at.session_state["workspace"]
    workspace["modules"]["book"] = {"_done": True}
    workspace["modules"]["s1_1"] = {"ratings": {"effort": 3}}
    at.run()
    text = " ".join(link.label for link in at.get("page_link"))
    assert "My customer book · done" in text
    assert "1.1 Pain-point self-check · in progress" in text
    assert "1.2 Core performance formula · not started" in text


# ---- issue 7: uploaded text shown as text, PII masked, the table read named ------------------------------------

MARKDOWN_NAME = "**粗体**[点我](javascript:alert(1)) $x^2$ :red[红].csv"
MARKDOWN_HEADER = "![x](http://example.com/a.png)"
MARKDOWN_ROWS = [["客户号", "金融资产", MARKDOWN_HEADER, "**bold** [link](http://x)"],
                 ["C1", 150_000, "x", "y"], ["C2", "<b>abc</b>", "x", "y"]]
ESCAPED_NAME = r"\*\*粗体\*\*\[点我\]\(javascript\:alert\(1\)\) \$x\^2\$ \:red\[红\]\.csv"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_file_names_headers_and_cells_are_shown_as_text_never_markdown(lang: str) -> None:
    at = _upload(open_app(lang, PAGE), csv_bytes(MARKDOWN_ROWS), MARKDOWN_NAME)
    assert not at.exception
    labels = [box.label for box in at.selectbox if box.key and box.key.startswith("book_map_")]
    assert "\\!\\[x\\]\\(http\\:\\/\u2060\\/example\\.com\\/a\\.png\\)" in labels  # no image, no link
    assert "\\*\\*bold\\*\\* \\[link\\]\\(http\\:\\/\u2060\\/x\\)" in labels
    assert {_typed(label) for label in labels} >= {MARKDOWN_HEADER, "**bold** [link](http://x)"}
    assert any(ESCAPED_NAME in element.value for element in at.markdown)
    _load_button(at).click().run()
    assert not at.exception
    # The loaded book's name, in the page and the sidebar; the issue table's cells (st.table renders Markdown).
    assert any(ESCAPED_NAME in element.value for element in at.success)
    assert any(ESCAPED_NAME in element.value for element in at.sidebar.caption)
    shown = markdown_text(at) + all_text(at)
    assert MARKDOWN_NAME not in shown.replace(ESCAPED_NAME, "")
    issue_cells = [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    assert any(r"\<b\>abc\<\/b\>" in cell for cell in issue_cells)
    assert not any("<b>abc</b>" in cell for cell in issue_cells)
    assert any(ESCAPED_NAME in element.value for element in at.caption)  # the report names the file


def test_the_page_names_the_sheet_and_header_row_read_and_offers_the_others() -> None:
    sheets = {"说明": [["导出说明"]], "旧名单": [["客户号", "金融资产"], ["OLD", 100_000]],
              "客户明细": [["2026 年名单"], ["客户号", "金融资产"], ["C1", 150_000]]}
    at = _upload(open_app("zh", PAGE), xlsx_bytes(sheets, hidden=["旧名单"]), "名单.xlsx")
    assert not at.exception
    assert any("工作表「客户明细」，表头在第 2 行" in caption.value for caption in at.caption)
    sheet_box = next(box for box in at.selectbox if box.key and box.key.startswith("book_sheet_"))
    assert sheet_box.value == "客户明细"
    assert sheet_box.options == ["说明", "旧名单（隐藏的工作表）", "客户明细"]
    sheet_box.set_value("旧名单").run()
    assert any("工作表「旧名单」（在 Excel 中是隐藏的" in caption.value for caption in at.caption)
    _load_button(at).click().run()
    assert at.session_state["active_book"].frame["customer_id"].tolist() == ["OLD"]
    assert any("工作表「旧名单」" in caption.value for caption in at.caption)


def test_a_headerless_file_shows_column_letters_and_no_personal_data() -> None:
    rows = [["张伟", "110101199003071234", "13812345678", "6222021234567890", 1_250_000],
            ["李娜", "310104198512300021", "13987654321", "6217001234567890123", 80_000]]
    at = _upload(open_app("zh", PAGE), csv_bytes(rows), "无表头.csv")
    assert not at.exception
    labels = [_typed(box.label) for box in at.selectbox if box.key and box.key.startswith("book_map_")]
    assert sorted(labels) == ["[A]", "[B]", "[C]", "[D]", "[E]"]
    assert any("没有表头" in warning.value for warning in at.warning)
    shown = all_text(at) + "".join(frame.to_csv() for frame in dataframes(at))
    for value in ("张伟", "110101199003071234", "13812345678", "6222021234567890", "李娜", "13987654321"):
        assert value not in shown
    _load_button(at).click().run()  # no AUM mapped yet: the error lists the columns, masked
    assert at.error and all("13812345678" not in error.value for error in at.error)


def test_balances_without_a_unit_are_asked_about_and_loading_waits_for_the_answer() -> None:
    rows = [["客户号", "月日均资产"], *[[f"C{i}", 120.5 + i] for i in range(10)]]
    at = _upload(open_app("zh", PAGE), csv_bytes(rows), "万元.csv")
    question = next(radio for radio in at.radio if radio.key and radio.key.startswith("book_unit_"))
    assert "月日均资产" in question.label and "万元" in question.label and question.value is None
    _load_button(at).click().run()
    assert at.session_state["active_book"].is_sample  # not loaded: the unit is not confirmed
    assert any("单位" in warning.value for warning in at.warning)
    question = next(radio for radio in at.radio if radio.key and radio.key.startswith("book_unit_"))
    question.set_value(10_000.0)
    _load_button(at).click().run()
    assert not at.exception
    book = at.session_state["active_book"]
    assert book.frame["aum"].iloc[0] == 1_205_000.0  # 120.5万元
    assert book.report.scaled == {"aum": 10_000.0}


@pytest.mark.parametrize("read, expected", [(True, "C3"), (False, None)])
def test_product_risk_grades_are_the_trainees_decision(read: bool, expected: str | None) -> None:
    rows = [["客户号", "金融资产", "风险等级"], *[[f"C{i}", 150_000, f"R{1 + (i + 2) % 5}"] for i in range(10)]]
    at = _upload(open_app("en", PAGE), csv_bytes(rows), "r.csv")
    question = next(radio for radio in at.radio if radio.key and radio.key.startswith("book_grade_"))
    assert "R1–R5" in question.label and question.value is None
    _load_button(at).click().run()
    assert at.session_state["active_book"].is_sample
    question = next(radio for radio in at.radio if radio.key and radio.key.startswith("book_grade_"))
    question.set_value("read" if read else "skip")
    _load_button(at).click().run()
    first = at.session_state["active_book"].frame["risk_level"].iloc[0]
    assert first == expected if expected else pd.isna(first)


def test_a_transaction_log_is_offered_summed_per_customer() -> None:
    log = "".join(f"{1 + i % 3:05d} 199701{1 + i:02d} {1 + i % 2} {10 + i}.25\n" for i in range(24)).encode()
    at = _upload(open_app("zh", PAGE), log, "CDNOW_master.txt")
    assert not at.exception
    assert any("交易流水" in info.value for info in at.info)
    summed = next(box for box in at.checkbox if box.key and box.key.startswith("book_sum_"))
    assert summed.value
    assert any("24 行交易，按客户汇总为 3 位客户" in caption.value for caption in at.caption)
    labels = [box.label for box in at.selectbox if box.key and box.key.startswith("book_map_")]
    assert sorted(labels) == sorted(["客户号", "交易笔数", "交易金额合计", "交易数量合计", "首次交易日期",
                                     "最近交易日期"])
    # The total amount stands in for AUM and is small (a few hundred): the page asks its unit first.
    next(radio for radio in at.radio if radio.key and radio.key.startswith("book_unit_")).set_value(1.0)
    _load_button(at).click().run()
    book = at.session_state["active_book"]
    # customer 00001 bought on rows 0, 3, …, 21: amounts 10.25 + 13.25 + … + 31.25 = 8 × 20.75 = 166
    assert len(book.frame) == 3 and book.frame.set_index("customer_id")["aum"]["00001"] == 166.0
    summed = next(box for box in at.checkbox if box.key and box.key.startswith("book_sum_"))
    summed.uncheck().run()
    assert any("数据透视表" in caption.value for caption in at.caption)


# ---- PII on every page that shows rows -------------------------------------------------------------------------


def _id_numbered_book() -> ActiveBook:
    """The sample book where 40% of the customer numbers are ID numbers (below any column share rule)."""
    frame = sample_book(60, seed=3)
    ids = frame["customer_id"].tolist()
    for position in range(0, 60, 5):
        ids[position] = f"110101199003{10 + position % 20:02d}{position:03d}X"
        ids[position + 1] = f"310104198512{10 + position % 18:02d}{position:03d}2"
    frame["customer_id"] = pd.Series(ids, dtype="str")
    return ActiveBook(frame=frame, source="upload", label="ids.xlsx", token="ids-40pct")


def _raw_ids(book: ActiveBook) -> list[str]:
    return [value for value in book.frame["customer_id"] if len(value) == 18]


@pytest.mark.parametrize("page", ["views/book.py", "views/s1_4_asset_liability.py", "views/s3_2_segmentation.py"])
def test_id_numbers_used_as_customer_numbers_never_reach_a_screen(page: str) -> None:
    book = _id_numbered_book()
    raw = _raw_ids(book)
    assert len(raw) == 24  # 40% of 60
    at = open_app("zh", page, book=book)
    assert not at.exception
    if page.endswith("s3_2_segmentation.py"):  # the member list shows one tier: the tier of an ID-numbered one
        tiers = segment(book.frame, at.session_state["s3_2_scheme"])
        member_box = next(box for box in at.selectbox if box.key and box.key.startswith("s3_2_members_"))
        member_box.set_value(str(tiers.iloc[0])).run()
    shown = all_text(at) + "".join(frame.to_csv() for frame in dataframes(at))
    shown += "".join(str(figure) for figure in plotly_figures(at))  # 1.4's hover texts
    assert not [value for value in raw if value in shown]
    assert any(value[:4] + "**********" + value[-4:] in shown for value in raw)


def test_a_customer_number_with_html_is_text_in_the_hover_of_1_4() -> None:
    frame = sample_book(40, seed=5)
    ids = frame["customer_id"].tolist()
    ids[0] = "<b>VIP</b><a href='http://x'>1</a>"
    frame["customer_id"] = pd.Series(ids, dtype="str")
    at = open_app("zh", "views/s1_4_asset_liability.py",
                  book=ActiveBook(frame=frame, source="upload", label="h.xlsx", token="html-ids"))
    assert not at.exception
    spec = "".join(str(figure) for figure in plotly_figures(at))
    assert "&lt;b&gt;VIP&lt;/b&gt;" in spec and "<b>VIP</b>" not in spec
