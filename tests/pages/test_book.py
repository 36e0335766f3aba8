"""我的客户名册: upload, mapping, report, keeping the previous book on bad input, sample switches."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pages.apptest import metric_values, open_app
from ui.state import ActiveBook
from workbook.schema import CANONICAL_KEYS

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
    mapped = {box.label: options[box.index] for box in at.selectbox if box.key and box.key.startswith("book_map_")}
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
    assert any(fragment in error.value for error in at.error), [e.value for e in at.error]
    assert at.session_state["active_book"] is before


def test_a_file_without_aum_is_refused_on_load_and_nothing_is_lost() -> None:
    at = open_app("zh", PAGE)
    at.session_state["workspace"]["modules"]["s1_2"] = {"target": 5}
    at = _upload(at, "客户号,年龄\nA1,30\n".encode(), "无资产.csv")
    _load_button(at).click().run()
    assert not at.exception
    assert any("无资产.csv" in error.value for error in at.error)
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
    assert shown["金融资产合计"] == "110万元"
    assert shown["资产中位数"] == "4万元"
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
