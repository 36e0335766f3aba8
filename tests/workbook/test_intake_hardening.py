"""Issue 7's reproductions, each as a test: files a trainee (or an attacker) can upload must not take the server
down, slow it past the limits, glue numbers, show personal data or hide which table was read; and issue 11's
real-export cases: a list kept in 万元 without a unit in its header, risk levels as banks write them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workbook.intake_files import csv_bytes, raw_xlsx, sheet_xml, table_rows, xlsx_bytes
from workbook import BookError, cells, read_book, schema, sources
from workbook.intake import IntakeChoices, preview_source
from workbook.schema import FIELD_BY_KEY

TEN_ROWS = [["客户号", "金融资产"], *[[f"C{i:02d}", 100_000 + i] for i in range(10)]]


# ---- 1. the sheet's extent is checked before any reader sees it -----------------------------------------------


def test_a_ten_row_book_with_one_cell_at_row_200000_column_1000_loads_its_ten_rows() -> None:
    # Reported: 56 s and 9.3 GB in read_book (a 200,000 × 1,000 grid), or refused as "more than 200,000 rows".
    rows = table_rows(TEN_ROWS)
    rows[200_000] = {"ALL200000": "x"}  # column ALL = 1,000
    load = read_book(raw_xlsx(sheet_xml(rows)), "十行.xlsx")
    assert load.book["customer_id"].tolist() == [f"C{i:02d}" for i in range(10)]
    assert load.report.rows_read == 10 and load.report.rows_kept == 10
    assert [issue.detail for issue in load.report.issues_by_kind()["stray_cells"]] == ["ALL200000"]


def test_a_ten_thousand_column_sheet_is_refused_in_the_mapping_step_before_reading() -> None:
    # Reported: 119 s and 10,000 mapping dropdowns (xlsx width was not checked in the preview, csv width was).
    header = {f"{sources_column(c)}1": f"列{c}" for c in range(1, 10_001)}
    data = raw_xlsx(sheet_xml({1: {"A1": "客户号", "B1": "金融资产", **header}, 2: {"A2": "C1", "B2": 1}}))
    for call in (preview_source, read_book):
        with pytest.raises(BookError) as failure:
            call(data, "宽表.xlsx")
        assert failure.value.code == "too_many_columns" and f"{sources.MAX_COLUMNS}" in str(failure.value)


def sources_column(number: int) -> str:
    from workbook.extent import column_letters

    return column_letters(number + 2)


def test_a_sheet_over_the_cell_limit_is_refused_before_reading() -> None:
    # 20,001 rows × 300 columns = 6,000,300 cells in the reader's grid, over MAX_CELLS (6,000,000), though the
    # file holds only 20,300 values: refused with its size, not parsed.
    rows = {1: {f"{sources_column(c - 2)}1": f"h{c}" for c in range(1, 301)}}
    rows.update({r: {f"A{r}": r} for r in range(2, 20_002)})
    rows[1]["A1"], rows[1]["B1"] = "客户号", "金融资产"
    assert sources.MAX_CELLS < 20_001 * 300
    with pytest.raises(BookError) as failure:
        preview_source(raw_xlsx(sheet_xml(rows)), "大表.xlsx")
    assert failure.value.code == "too_many_cells"
    assert "20,001 行 × 300 列" in str(failure.value)


def test_a_huge_declared_dimension_alone_does_not_refuse_a_small_sheet() -> None:
    load = read_book(raw_xlsx(sheet_xml(table_rows(TEN_ROWS), dimension="A1:XFD1048576")), "x.xlsx")
    assert load.report.rows_kept == 10 and "stray_cells" not in load.report.issues_by_kind()


# ---- 2. numbers: an internal space is a bad cell, never glued ----------------------------------------------------


def test_spaces_never_glue_numbers() -> None:
    rows = [["客户号", "金融资产", "手机号", "年龄"],
            ["C1", "100 200", "13800138000 5", "3 0"],
            ["C2", "1,200,000", "138 0013 8000", "40"],
            ["C3", "¥ 1,000", "13800138000", "41"],
            ["C4", "1.2 万", "", "42"]]
    load = read_book(csv_bytes(rows), "空格.csv")
    aum = load.book["aum"].tolist()
    # "100 200" is two numbers (or a slip), not 100,200; comma grouping, a currency mark and a unit after a
    # space are read: 1,200,000; 1,000; 1.2万 = 12,000.
    assert np.isnan(aum[0]) and aum[1:] == [1_200_000.0, 1_000.0, 12_000.0]
    assert np.isnan(load.book["age"].iloc[0])
    bad = [(i.row, i.column, i.value) for i in load.report.issues_by_kind()["bad_number"]]
    assert bad == [(2, "金融资产", "100 200"), (2, "年龄", "3 0")]
    # A phone column is text: kept as typed, and masked whole where shown, never as a 12-digit "number".
    assert load.book["phone"].iloc[0] == "13800138000 5"
    head = preview_source(csv_bytes(rows), "空格.csv").head
    assert head["手机号"].tolist()[:3] == ["*********** *", "138****8000", "138****8000"]
    assert "138001380005" not in head.to_csv() and "138*****0005" not in head.to_csv()


@settings(max_examples=80, deadline=None)
@given(left=st.from_regex(r"[0-9]{1,9}", fullmatch=True), right=st.from_regex(r"[0-9]{1,9}", fullmatch=True),
       space=st.sampled_from([" ", "  ", "\t", "\u3000", "\u00a0", " \u3000 "]),
       decimals=st.sampled_from(["", ".5", ".25"]))
def test_any_space_between_digits_makes_a_reported_cell(left: str, right: str, space: str, decimals: str) -> None:
    for field in ("aum", "age", "product_count", "digital_share"):
        read = cells.read_column(pd.Series([f"{left}{space}{right}{decimals}"], dtype=object), FIELD_BY_KEY[field], "")
        assert pd.isna(read.values.iloc[0])
        assert bool(read.flags["bad_number"].iloc[0])


@settings(max_examples=100)
@given(number=st.integers(0, 10**12))
def test_comma_grouping_is_the_accepted_thousands_grouping(number: int) -> None:
    read = cells.read_money(pd.Series([f"{number:,}", f"¥ {number:,}", f"{number:,} 元"], dtype=object))
    assert read.values.tolist() == [float(number)] * 3 and not read.flags["bad_number"].any()


# ---- 3. personal data masked by the value, cell by cell; headerless files echo nothing ----------------------------


HEADERLESS = [
    ["张伟", "110101199003071234", "13812345678", "6222021234567890", 1_250_000],
    ["李娜", "310104198512300021", "13987654321", "6217001234567890123", 80_000],
    ["王芳", "44030419700101123X", "15012345678", "6228480012345678", 3_000_000],
]
PII_VALUES = ["张伟", "110101199003071234", "13812345678", "6222021234567890", "李娜", "13987654321"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_without_a_header_row_never_echoes_its_first_row(kind: str) -> None:
    data = csv_bytes(HEADERLESS) if kind == "csv" else xlsx_bytes(HEADERLESS)
    preview = preview_source(data, f"无表头.{kind}")
    assert preview.headerless and preview.header_row == 0
    assert preview.columns == ("[A]", "[B]", "[C]", "[D]", "[E]")
    assert preview.data_rows == 3  # the first row is a customer, not a header
    shown = " ".join(preview.columns) + preview.head.to_csv()
    assert not any(value in shown for value in PII_VALUES)
    with pytest.raises(BookError) as failure:
        read_book(data, f"无表头.{kind}")  # no column is AUM yet: the message lists the columns
    assert failure.value.code == "no_aum"
    message = str(failure.value) + failure.value.text("en")
    assert not any(value in message for value in PII_VALUES)
    load = read_book(data, f"无表头.{kind}", {"[A]": "name", "[B]": "id_number", "[E]": "aum"})
    assert load.book["aum"].tolist() == [1_250_000.0, 80_000.0, 3_000_000.0]
    assert load.report.headerless and "headerless" in load.report.issues_by_kind()


def test_a_header_cell_holding_a_phone_number_is_masked_in_the_column_name() -> None:
    rows = [["客户号", "金融资产", "13812345678"], ["C1", 100_000, "x"]]
    preview = preview_source(csv_bytes(rows), "x.csv")
    assert preview.columns == ("客户号", "金融资产", "138****5678")


def test_free_text_notes_and_english_names_are_masked_in_the_mapping_preview() -> None:
    rows = [["客户号", "金融资产", "Client", "备注"],
            ["C1", 100_000, "John Smith", "张伟的儿子在上海，电话13812345678"],
            ["C2", 200_000, "Mary Jones", "prefers calls"],
            ["C3", 300_000, "Li Wei", ""]]
    head = preview_source(csv_bytes(rows), "x.csv").head
    assert head["Client"].tolist() == ["J**", "M**", "L**"]  # detected as names by value
    assert head["备注"].tolist() == ["张**", "p**", ""]  # a column nobody named: words show their first letter
    assert "13812345678" not in head.to_csv() and "Smith" not in head.to_csv()


def test_issue_table_masks_id_numbers_in_a_customer_number_column_cell_by_cell() -> None:
    # Customer numbers where 2 of 5 (40%) are ID numbers: too few for the column to count as an ID column,
    # each one masked all the same; the repeats and bad cells quote them.
    ids = ["C001", "110101199003071234", "C003", "310104198512300021", "110101199003071234"]
    rows = [["客户号", "金融资产"], *[[cid, "x" if i == 1 else 100_000] for i, cid in enumerate(ids)]]
    report = read_book(csv_bytes(rows), "x.csv").report
    table = report.issue_table("zh").to_csv() + report.issue_table("en").to_csv()
    assert "110101199003071234" not in table and "1101**********1234" in table
    assert all("110101199003071234" not in issue.message for issue in report.issues)


# ---- 5. which sheet, which header; hidden sheets lose ------------------------------------------------------------


def test_a_hidden_sheet_loses_to_a_visible_one_with_the_same_headers() -> None:
    sheets = {"旧名单": [["客户号", "金融资产"], ["OLD", 1]], "名单": [["客户号", "金融资产"], ["NEW", 100_000]]}
    load = read_book(xlsx_bytes(sheets, hidden=["旧名单"]), "x.xlsx")
    assert load.report.sheet == "名单" and not load.report.hidden
    assert load.book["customer_id"].tolist() == ["NEW"]
    preview = preview_source(xlsx_bytes(sheets, hidden=["旧名单"]), "x.xlsx")
    assert [(s.name, s.visible) for s in preview.sheets] == [("旧名单", False), ("名单", True)]


def test_a_hidden_sheet_is_read_when_it_alone_holds_the_list_and_the_report_says_so() -> None:
    sheets = {"封面": [["2026 年客户名单"], ["仅供内部使用"]], "数据": [["客户号", "金融资产"], ["C1", 100_000]]}
    load = read_book(xlsx_bytes(sheets, hidden=["数据"]), "x.xlsx")
    assert load.report.sheet == "数据" and load.report.hidden


def test_another_sheet_can_be_chosen_and_an_unknown_one_is_a_clear_error() -> None:
    sheets = {"名单": [["客户号", "金融资产"], ["A", 100_000]], "名单2": [["客户号", "金融资产"], ["B", 200_000]]}
    data = xlsx_bytes(sheets)
    assert read_book(data, "x.xlsx", choices=IntakeChoices(sheet="名单2")).book["customer_id"].tolist() == ["B"]
    assert preview_source(data, "x.xlsx", IntakeChoices(sheet="名单2")).sheet == "名单2"
    with pytest.raises(BookError) as failure:
        read_book(data, "x.xlsx", choices=IntakeChoices(sheet="没有"))
    assert failure.value.code == "sheet_not_found" and "没有" in str(failure.value)


# ---- 5. transaction logs -----------------------------------------------------------------------------------------

# CDNOW's layout: customer, date yyyymmdd, quantity, amount; whitespace separated, no header. Three customers.
CDNOW = """\
   00001 19970101  1  11.77
   00002 19970112  1  12.00
   00002 19970112  5  77.00
   00003 19970102  2  20.76
   00003 19970330  2  20.76
   00003 19970402  2  19.54
   00003 19971115  5  57.45
   00003 19971125  4  20.96
   00003 19980528  1  16.99
   00002 19970112  1  10.50
""" * 3  # 30 rows: the same three customers' purchases, three times over


def test_a_cdnow_log_is_recognised_and_offered_per_customer() -> None:
    data = CDNOW.encode()
    preview = preview_source(data, "CDNOW_master.txt")
    assert preview.delimiter == " " and preview.headerless
    log = preview.transactions
    assert log is not None
    assert (log.customer, log.date, log.quantity, log.amount) == ("[A]", "[B]", "[C]", "[D]")
    summed = preview_source(data, "CDNOW_master.txt", IntakeChoices(per_customer=True))
    assert summed.summed and summed.data_rows == 3
    assert summed.suggested == {"customer_id": "customer_id", "txn_amount_total": "aum",
                                "last_txn_date": "last_txn_date"}


def test_a_cdnow_log_summed_per_customer_hand_computed() -> None:
    load = read_book(CDNOW.encode(), "CDNOW_master.txt", choices=IntakeChoices(per_customer=True))
    book = load.book.set_index("customer_id")
    # 00003, once over: 20.76 + 20.76 + 19.54 + 57.45 + 20.96 + 16.99 = 156.46; three times over: 469.38
    # 00002: 12.00 + 77.00 + 10.50 = 99.50 → 298.50;  00001: 11.77 → 35.31
    assert book["aum"].to_dict() == {"00001": 35.31, "00002": 298.5, "00003": 469.38}
    assert book["last_txn_date"].to_dict() == {"00001": pd.Timestamp("1997-01-01"),
                                               "00002": pd.Timestamp("1997-01-12"),
                                               "00003": pd.Timestamp("1998-05-28")}
    assert load.report.transactions == 30 and load.report.rows_read == 30 and load.report.rows_kept == 3
    assert [i.detail for i in load.report.issues_by_kind()["per_customer"]] == ["30 → 3"]


def test_without_summing_the_log_keeps_each_customers_first_row_and_says_why_rows_went() -> None:
    load = read_book(CDNOW.encode(), "CDNOW_master.txt", {"[A]": "customer_id", "[D]": "aum"})
    assert load.report.rows_kept == 3 and len(load.report.issues_by_kind()["duplicate_id"]) == 27


def test_a_csv_log_with_a_header_is_recognised() -> None:
    rows = [["客户号", "交易日期", "交易金额"],
            *[[f"K{i % 4}", f"2026-0{1 + i % 9}-1{i % 10}", f"{100 + i}.50"] for i in range(24)]]
    preview = preview_source(csv_bytes(rows), "流水.csv")
    assert preview.transactions is not None
    assert (preview.transactions.customer, preview.transactions.date, preview.transactions.amount) == \
        ("客户号", "交易日期", "交易金额")
    load = read_book(csv_bytes(rows), "流水.csv", choices=IntakeChoices(per_customer=True))
    # K0 has rows 0, 4, 8, 12, 16, 20: 100.5 + 104.5 + 108.5 + 112.5 + 116.5 + 120.5 = 663
    assert load.book.set_index("customer_id")["aum"]["K0"] == 663.0


def test_a_customer_list_is_not_taken_for_a_log() -> None:
    assert preview_source(xlsx_bytes(TEN_ROWS), "x.xlsx").transactions is None
    with pytest.raises(BookError) as failure:
        read_book(xlsx_bytes(TEN_ROWS), "x.xlsx", choices=IntakeChoices(per_customer=True))
    assert failure.value.code == "not_a_log"


# ---- issue 11: a list kept in 万元 without a unit; risk levels as banks write them ---------------------------------


WAN_LIST = [["客户号", "月日均资产", "存款余额", "礼品费用"],
            *[[f"C{i}", 120.5 + i, 30.25 + i, 200] for i in range(10)]]


def test_balances_that_look_like_wan_yuan_are_asked_about_in_the_mapping_step() -> None:
    preview = preview_source(csv_bytes(WAN_LIST), "万元.csv")
    mapping = {"客户号": "customer_id", "月日均资产": "aum", "存款余额": "deposit_balance", "礼品费用": "gift_cost_12m"}
    # medians 125 and 34.75: no customer's assets are "125 元" in a manager's list; a gift of 200 元 is normal.
    assert preview.unit_question(mapping) == ("月日均资产", "存款余额")
    assert preview.unit_question({**mapping, "月日均资产": None}) == ("存款余额",)
    load = read_book(csv_bytes(WAN_LIST), "万元.csv", mapping,
                     IntakeChoices(units={"月日均资产": 10_000.0, "存款余额": 10_000.0}))
    # 120.5万 = 1,205,000 元; the confirmed unit is reported like a header unit
    assert load.book["aum"].iloc[0] == 1_205_000.0 and load.book["deposit_balance"].iloc[0] == 302_500.0
    assert load.book["gift_cost_12m"].iloc[0] == 200.0
    assert load.report.scaled == {"aum": 10_000.0, "deposit_balance": 10_000.0}
    assert "unit_unconfirmed" not in load.report.issues_by_kind()


def test_an_unconfirmed_unit_is_read_as_yuan_and_flagged() -> None:
    load = read_book(csv_bytes(WAN_LIST), "万元.csv")
    assert load.book["aum"].iloc[0] == 120.5
    flagged = load.report.issues_by_kind()["unit_unconfirmed"]
    assert [(i.column, i.detail) for i in flagged] == [("月日均资产", "125"), ("存款余额", "34.75")]
    assert "万元" in flagged[0].message


def test_no_unit_question_for_a_header_with_a_unit_or_balances_in_yuan() -> None:
    rows = [["客户号", "金融资产(万元)", "存款余额"], *[[f"C{i}", 120.5, 350_000 + i] for i in range(5)]]
    preview = preview_source(csv_bytes(rows), "x.csv")
    assert preview.unit_question({"客户号": "customer_id", "金融资产(万元)": "aum",
                                  "存款余额": "deposit_balance"}) == ()


RISK_ROWS = [["客户号", "金融资产", "风险等级"],
             ["C1", 100_000, "A1"], ["C2", 100_000, "A5"], ["C3", 100_000, "中低风险"],
             ["C4", 100_000, "中风险"], ["C5", 100_000, "R3"], ["C6", 100_000, ""], ["C7", 100_000, "不详"]]


def test_risk_levels_a1_to_a5_and_tolerance_words_are_read() -> None:
    book = read_book(csv_bytes(RISK_ROWS), "x.csv").book
    assert book["risk_level"].tolist()[:4] == ["C1", "C5", "C2", "C3"]


def test_product_grades_are_flagged_not_taken_as_customer_grades() -> None:
    load = read_book(csv_bytes(RISK_ROWS), "x.csv")
    assert pd.isna(load.book["risk_level"].iloc[4])  # R3 is a product's grade: not read as C3
    graded = load.report.issues_by_kind()["product_grade"]
    assert [(i.column, i.detail) for i in graded] == [("风险等级", "1")]
    assert [i.value for i in load.report.issues_by_kind()["bad_category"]] == ["不详"]
    rows = [["客户号", "金融资产", "风险等级"], *[[f"C{i}", 100_000, f"R{1 + i % 5}"] for i in range(10)]]
    preview = preview_source(csv_bytes(rows), "x.csv")
    assert preview.product_grade_columns == ("风险等级",)
    assert preview.product_grade_question({"风险等级": "risk_level"}) == "风险等级"
    accepted = read_book(csv_bytes(rows), "x.csv", choices=IntakeChoices(product_grades_as_customer=True))
    assert accepted.book["risk_level"].tolist()[:5] == ["C1", "C2", "C3", "C4", "C5"]
    assert "product_grade" not in accepted.report.issues_by_kind()


def test_an_unreadable_value_is_marked_apart_from_a_blank_one() -> None:
    book = read_book(csv_bytes(RISK_ROWS), "x.csv").book
    # C5 (R3) and C7 (不详) held a value that could not be read; C6 was blank. All three are NaN in the column.
    assert book["risk_level"].isna().tolist() == [False, False, False, False, True, True, True]
    assert schema.unreadable(book, "risk_level").tolist() == [False, False, False, False, True, False, True]
    assert not schema.unreadable(book, "aum").any()
    clean = read_book(xlsx_bytes(TEN_ROWS), "x.xlsx").book
    assert schema.UNREADABLE not in clean.columns and not schema.unreadable(clean, "aum").any()


def test_messages_name_the_file_and_are_plain_text() -> None:
    # A file name with Markdown in it is carried as it is; the page escapes it (tests/pages/test_book.py).
    name = "**名单**[点我](javascript:alert(1)) $x^2$.csv"
    with pytest.raises(BookError) as failure:
        read_book(csv_bytes([["客户号"], ["C1"]]), name)
    assert name in str(failure.value)
    assert re.search(r"[\u4e00-\u9fff]", str(failure.value))
