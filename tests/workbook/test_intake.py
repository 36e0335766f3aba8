"""Intake worked examples: hand-made files in every shape the issue lists, each with the values it must give.

Row numbers in the assertions are the rows Excel shows (header row + data rows counted from 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.workbook.intake_files import csv_bytes, xlsx_bytes
from workbook import BookError, read_book
from workbook.intake import BookLoad, IntakeReport, SourcePreview, preview_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

HEADER = ["客户号", "姓名", "手机号", "金融资产", "年龄", "最近交易日期"]
ROWS = [
    ["C001", "张伟", "13812345678", "1,234.5", "35", "2026-03-15"],
    ["C002", "李娜", "13987654321", "2万", "42", "2026/3/1"],
    ["C003", "王芳", "", "3000", "", "2026年1月5日"],
]


def _issues(report: IntakeReport, kind: str) -> list[tuple[int | None, str | None, str | None]]:
    return [(i.row, i.column, i.value) for i in report.issues_by_kind().get(kind, [])]


def _assert_basic_book(load: BookLoad) -> None:
    book = load.book
    assert list(book.columns) == ["customer_id", "name", "phone", "age", "aum", "last_txn_date"]  # schema order
    assert book["customer_id"].tolist() == ["C001", "C002", "C003"]
    assert book["name"].tolist() == ["张伟", "李娜", "王芳"]
    assert book["phone"].iloc[:2].tolist() == ["13812345678", "13987654321"]
    assert pd.isna(book["phone"].iloc[2])
    # 1,234.5 → 1234.5;  2万 → 2 × 10,000 = 20,000;  3000 → 3000
    assert book["aum"].tolist() == [1234.5, 20000.0, 3000.0]
    assert book["age"].iloc[:2].tolist() == [35.0, 42.0] and pd.isna(book["age"].iloc[2])
    assert book["last_txn_date"].tolist() == [pd.Timestamp("2026-03-15"), pd.Timestamp("2026-03-01"),
                                             pd.Timestamp("2026-01-05")]
    assert str(book["customer_id"].dtype) == "str" and book["aum"].dtype == np.float64
    assert str(book["last_txn_date"].dtype) == "datetime64[ns]"
    assert load.report.rows_read == 3 and load.report.rows_kept == 3
    assert load.report.issues == ()


# ---- encodings and delimiters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding, reported",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_in_each_encoding_gives_the_same_book(encoding: str, reported: str) -> None:
    load = read_book(csv_bytes([HEADER, *ROWS], ",", encoding), "名册.csv")
    _assert_basic_book(load)
    assert load.report.file_format == "csv" and load.report.encoding == reported and load.report.header_row == 1


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_sniffed(delimiter: str) -> None:
    load = read_book(csv_bytes([HEADER, *ROWS], delimiter), "名册.txt")
    _assert_basic_book(load)
    assert load.report.delimiter == delimiter


def test_semicolon_file_with_thousands_commas_is_not_read_as_comma_separated() -> None:
    # Every line has 2 semicolons but 0, 1 or 2 commas: the consistent delimiter wins.
    rows = [["客户号", "金融资产", "存款余额"], ["A1", "1,234", "12"], ["A2", "5", "1,000,000"], ["A3", "7", "8"]]
    load = read_book(csv_bytes(rows, ";"), "x.csv")
    assert load.report.delimiter == ";"
    assert load.book["aum"].tolist() == [1234.0, 5.0, 7.0]
    assert load.book["deposit_balance"].tolist() == [12.0, 1_000_000.0, 8.0]


def test_excel_sep_hint_line_names_the_delimiter_and_is_not_a_row() -> None:
    data = ("sep=;\r\n" + "客户号;金融资产\r\nA1;100\r\nA2;abc\r\n").encode("utf-8")
    load = read_book(data, "x.csv")
    assert load.report.delimiter == ";" and load.report.header_row == 1
    assert _issues(load.report, "bad_number") == [(3, "金融资产", "abc")]  # Excel shows A2 on row 3


def test_format_is_sniffed_from_bytes_not_the_extension() -> None:
    # A bank system's ".xls" export that is really tab-separated GBK text, and an xlsx named ".csv".
    text = csv_bytes([HEADER, *ROWS], "\t", "gbk")
    assert read_book(text, "导出.xls").report.file_format == "csv"
    workbook = xlsx_bytes([HEADER, *ROWS])
    load = read_book(workbook, "名册.csv")
    assert load.report.file_format == "xlsx"
    _assert_basic_book(load)


# ---- workbook layout ------------------------------------------------------------------------------------------


def test_xlsx_title_row_and_merged_group_header_above_the_real_header() -> None:
    rows = [
        ["2026年3月 客户名册（城东支行）", None, None, None, None, None],
        ["客户信息", None, None, "资产情况", None, None],
        ["客户号", "姓名", "手机号", "金融资产(万元)", "存款余额(万元)", "最近交易日期"],
        ["C001", "张伟", "13812345678", 12.5, 10, dt.datetime(2026, 3, 15)],
        ["C002", "李娜", "13987654321", "3.2万", "8", 46096],
    ]
    data = xlsx_bytes(rows, merges={"客户名册": ["A1:F1", "A2:C2", "D2:F2"]})
    load = read_book(data, "名册.xlsx")
    report = load.report
    assert report.header_row == 3 and report.sheet == "客户名册"
    assert report.fields_mapped == {"customer_id": "客户号", "name": "姓名", "phone": "手机号",
                                    "aum": "金融资产(万元)", "deposit_balance": "存款余额(万元)",
                                    "last_txn_date": "最近交易日期"}
    # 12.5 万元 = 125,000 元; "3.2万" states its own unit: 32,000 元, not scaled again.
    assert load.book["aum"].tolist() == [125_000.0, 32_000.0]
    # 10 万元 = 100,000; "8" (text) 万元 = 80,000
    assert load.book["deposit_balance"].tolist() == [100_000.0, 80_000.0]
    assert report.scaled == {"aum": 10_000.0, "deposit_balance": 10_000.0}
    # a real date cell, and Excel serial 46096 = 1899-12-30 + 46096 days = 2026-03-15
    assert load.book["last_txn_date"].tolist() == [pd.Timestamp("2026-03-15")] * 2
    assert report.issues == ()


def test_header_under_a_vertically_merged_cell_takes_the_text_above() -> None:
    # 客户号 spans rows 1–2 (merged A1:A2); the asset group spans B1:C1 over 金融资产 / 存款余额.
    rows = [["客户号", "资产", None], [None, "金融资产", "存款余额"], ["C1", 100, 50], ["C2", 200, 70]]
    load = read_book(xlsx_bytes(rows, merges={"客户名册": ["A1:A2", "B1:C1"]}), "x.xlsx")
    assert load.report.header_row == 2
    assert load.book["customer_id"].tolist() == ["C1", "C2"]
    assert load.book["aum"].tolist() == [100.0, 200.0] and load.book["deposit_balance"].tolist() == [50.0, 70.0]


def test_customer_sheet_is_chosen_by_its_headers_not_its_position() -> None:
    sheets = {
        "说明": [["本文件由核心系统导出"], ["字段", "含义"], ["金融资产", "月日均"]],
        "汇总": [["支行", "客户数", "金融资产"], ["城东", 3, 10_000]],
        "客户明细": [["客户号", "姓名", "金融资产", "风险等级"], ["C1", "张伟", 100, "C3"], ["C2", "李娜", 200, "R2"]],
    }
    load = read_book(xlsx_bytes(sheets), "导出.xlsx")
    assert load.report.sheet == "客户明细"
    assert load.book["aum"].tolist() == [100.0, 200.0]
    assert load.book["risk_level"].tolist()[0] == "C3" and pd.isna(load.book["risk_level"].iloc[1])  # R2: a product


def test_customer_sheet_second_of_two() -> None:
    sheets = {"Sheet1": [["备注"], ["空白模板"]], "客户名册": [HEADER, *ROWS]}
    load = read_book(xlsx_bytes(sheets), "名册.xlsx")
    assert load.report.sheet == "客户名册"
    _assert_basic_book(load)


def test_row_numbers_count_from_the_sheet_top_even_when_data_starts_lower_right() -> None:
    rows = [[], [None, "客户号", "金融资产"], [None, "C1", "abc"], [None, "C2", 5]]
    load = read_book(xlsx_bytes(rows), "x.xlsx")
    assert load.report.header_row == 2
    assert _issues(load.report, "bad_number") == [(3, "金融资产", "abc")]


# ---- numbers ---------------------------------------------------------------------------------------------------


def test_numbers_in_every_notation_of_chinese_sheets() -> None:
    cases = [  # (as typed, value in 元)
        ("1,234.5", 1234.5),
        ("１２３", 123.0),  # full-width digits (NFKC)
        ("1.2万", 12_000.0),
        ("3亿元", 300_000_000.0),
        ("2.5亿", 250_000_000.0),
        ("800元", 800.0),
        ("¥1,000", 1000.0),
        ("（2,000）", -2000.0),  # full-width accounting brackets
        ("(1,000)", -1000.0),
        ("2E3", 2000.0),
        (" 7 ", 7.0),
        ("-", np.nan),  # a dash is "none", not an error
        ("", np.nan),
        ("无", np.nan),
    ]
    rows = [["客户号", "金融资产", "存款余额"]] + [[f"C{i}", "1", typed] for i, (typed, _) in enumerate(cases)]
    load = read_book(csv_bytes(rows), "x.csv")
    got = load.book["deposit_balance"].tolist()
    for (typed, expected), value in zip(cases, got, strict=True):
        assert (np.isnan(expected) and np.isnan(value)) or value == expected, typed
    # negative deposits are kept and reported as out of range (minimum 0), never silently dropped
    assert _issues(load.report, "out_of_range") == [(9, "存款余额", "（2,000）"), (10, "存款余额", "(1,000)")]
    assert _issues(load.report, "bad_number") == []


def test_unreadable_numbers_are_listed_with_row_and_column() -> None:
    rows = [
        ["客户名册"],  # a title row: the header is row 2
        ["客户号", "金融资产", "存款余额", "线上交易占比"],
        ["C1", "100", "1,5", "35%"],  # "1,5" is not a thousands group
        ["C2", "12.5%", "abc", "0.2"],  # % has no meaning in 元
        ["C3", "200", "5", "百分之十"],
    ]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.report.header_row == 2
    assert _issues(load.report, "bad_number") == [
        (3, "存款余额", "1,5"),
        (4, "金融资产", "12.5%"),
        (4, "存款余额", "abc"),
        (5, "线上交易占比", "百分之十"),
    ]
    assert load.book["deposit_balance"].isna().tolist() == [True, True, False]
    assert load.book["digital_share"].tolist()[:2] == [0.35, 0.2]


@pytest.mark.parametrize(
    "header, typed, expected, factor",
    [
        ("金融资产(万元)", ["12", "1.5", "3万"], [120_000.0, 15_000.0, 30_000.0], 10_000.0),
        ("金融资产（亿元）", ["1", "0.5", "800元"], [100_000_000.0, 50_000_000.0, 800.0], 100_000_000.0),
        ("金融资产(千元)", ["12", "1,000", "2万"], [12_000.0, 1_000_000.0, 20_000.0], 1000.0),
        ("金融资产(元)", ["12", "1,000", "2万"], [12.0, 1000.0, 20_000.0], None),
    ],
)
def test_header_unit_scales_the_column_once(header: str, typed: list[str], expected: list[float],
                                            factor: float | None) -> None:
    rows = [["客户号", header], *[[f"C{i}", value] for i, value in enumerate(typed)]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["aum"].tolist() == expected
    assert load.report.scaled == ({} if factor is None else {"aum": factor})


def test_shares_as_percent_or_fraction() -> None:
    # 35% → 0.35; 0.5 → 0.5; a column of plain percents (60, 5, 100) is divided by 100 as a whole.
    rows = [["客户号", "金融资产", "线上交易占比", "满意度"], ["C1", 1, "35%", 9], ["C2", 1, "0.5", 10]]
    assert read_book(csv_bytes(rows), "x.csv").book["digital_share"].tolist() == [0.35, 0.5]
    rows = [["客户号", "金融资产", "线上交易占比"], ["C1", 1, "60"], ["C2", 1, "5"], ["C3", 1, "100"]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["digital_share"].tolist() == [0.6, 0.05, 1.0]
    assert load.report.scaled == {"digital_share": 0.01}


def test_counts_are_whole_numbers_and_a_fraction_is_reported_not_rounded() -> None:
    rows = [["客户号", "金融资产", "持有产品数"], ["C1", 1, "3"], ["C2", 1, "4"]]
    book = read_book(csv_bytes(rows), "x.csv").book
    assert str(book["product_count"].dtype) == "Int64" and book["product_count"].tolist() == [3, 4]
    rows = [["客户号", "金融资产", "持有产品数"], ["C1", 1, "3"], ["C2", 1, "2.5"]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["product_count"].tolist() == [3.0, 2.5]
    assert _issues(load.report, "not_whole") == [(3, "持有产品数", "2.5")]


def test_values_outside_the_fields_range_are_kept_and_reported() -> None:
    rows = [["客户号", "金融资产", "年龄", "满意度"], ["C1", 50_000, "150", "9"], ["C2", 80_000, "30", "11"]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["age"].tolist() == [150.0, 30.0]
    assert _issues(load.report, "out_of_range") == [(2, "年龄", "150"), (3, "满意度", "11")]
    assert [i.detail for i in load.report.issues] == ["0–120", "0–10"]


# ---- dates -----------------------------------------------------------------------------------------------------


def test_dates_in_each_notation() -> None:
    typed = ["2026-03-15", "2026/3/15", "2026年3月15日", "2026.3.15", "20260315", "46096", "2026-03-15 00:00:00",
             "2026-03-15T00:00", "2026-3-15"]
    rows = [["客户号", "金融资产", "最近联系日期"], *[[f"C{i}", 50_000, value] for i, value in enumerate(typed)]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["last_contact_date"].tolist() == [pd.Timestamp("2026-03-15")] * len(typed)
    assert load.report.issues == ()


def test_dates_from_workbook_cells_real_dates_and_serials() -> None:
    rows = [
        ["客户号", "金融资产", "最近交易日期"],
        ["C1", 1, dt.datetime(2026, 3, 15, 9, 30)],
        ["C2", 1, dt.date(2025, 12, 31)],
        ["C3", 1, 46096],  # serial
        ["C4", 1, "2026年2月30日"],  # no such day
        ["C5", 1, 2026],  # a year, not a date
    ]
    load = read_book(xlsx_bytes(rows), "x.xlsx")
    dates = load.book["last_txn_date"].tolist()
    assert dates[:3] == [pd.Timestamp("2026-03-15 09:30"), pd.Timestamp("2025-12-31"), pd.Timestamp("2026-03-15")]
    assert pd.isna(dates[3]) and pd.isna(dates[4])
    assert _issues(load.report, "bad_date") == [(5, "最近交易日期", "2026年2月30日"), (6, "最近交易日期", "2026")]


# ---- rows: ids, duplicates, AUM, blanks, totals -----------------------------------------------------------------


def test_duplicate_ids_keep_the_first_row_and_report_each_later_one() -> None:
    rows = [["客户号", "金融资产"], ["C001", 1], ["C002", 2], ["C001", 3], [" C001 ", 4]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["customer_id"].tolist() == ["C001", "C002"]
    assert load.book["aum"].tolist() == [1.0, 2.0]
    assert load.report.rows_read == 4 and load.report.rows_kept == 2
    duplicates = load.report.issues_by_kind()["duplicate_id"]
    assert [(i.row, i.value, i.detail) for i in duplicates] == [(4, "C001", "2"), (5, "C001", "2")]
    assert "第 4 行" in duplicates[0].message and "第 2 行" in duplicates[0].message


def test_negative_and_missing_aum_are_kept_and_reported_per_row() -> None:
    rows = [["客户号", "金融资产"], ["C1", "-500"], ["C2", ""], ["C3", "100"], ["C4", "(20)"]]
    load = read_book(csv_bytes(rows), "x.csv")
    aum = load.book["aum"].tolist()
    assert aum[0] == -500.0 and np.isnan(aum[1]) and aum[2] == 100.0 and aum[3] == -20.0
    assert load.report.rows_kept == 4
    assert _issues(load.report, "negative_aum") == [(2, "金融资产", "-500"), (5, "金融资产", "(20)")]
    assert _issues(load.report, "missing_aum") == [(3, "金融资产", "")]


def test_without_an_id_column_rows_are_numbered_and_the_report_says_so() -> None:
    rows = [["姓名", "金融资产"], ["张伟", 1], ["李娜", 2], ["王芳", 3]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["customer_id"].tolist() == ["C00001", "C00002", "C00003"]
    assert load.report.ids_generated
    (issue,) = load.report.issues_by_kind()["ids_generated"]
    assert issue.row is None and "C00001–C00003" in issue.message


def test_a_blank_id_gets_its_row_number() -> None:
    rows = [["客户号", "金融资产"], ["C1", 1], ["", 2]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["customer_id"].tolist() == ["C1", "R000003"]
    assert [(i.row, i.detail) for i in load.report.issues_by_kind()["missing_id"]] == [(3, "R000003")]
    assert not load.report.ids_generated


def test_blank_rows_are_skipped_and_counted_and_total_lines_reported() -> None:
    rows = [["客户号", "金融资产"], ["C1", 100], ["", ""], ["C2", 200], [" ", None], ["合计", 300]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["customer_id"].tolist() == ["C1", "C2"]
    assert load.report.blank_rows == 2 and load.report.rows_read == 3 and load.report.rows_kept == 2
    assert _issues(load.report, "total_row") == [(6, "客户号", "合计")]  # header 1, C1 2, blank 3, C2 4, blank 5


def test_long_numbers_that_lost_digits_in_excel_are_flagged() -> None:
    # Typed into Excel as numbers: 18 digits keep only 15 significant ones.
    rows = [
        ["客户号", "证件号码", "金融资产"],
        [1001, 110101199003071234, 1],
        [1234567890123456, "110101199003071234", 2],
    ]
    load = read_book(xlsx_bytes(rows), "x.xlsx")
    assert load.book["customer_id"].tolist() == ["1001", "1234567890123456"]
    assert _issues(load.report, "precision_lost")[0][:2] == (2, "证件号码")
    assert [(row, column) for row, column, _ in _issues(load.report, "precision_lost")] == [
        (2, "证件号码"), (3, "客户号")]
    # CSV written by Excel shows them in scientific notation
    rows = [["客户号", "证件号码", "金融资产"], ["C1", "1.10101E+17", 1], ["C2", "110101199003071234", 2]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert [(row, column) for row, column, _ in _issues(load.report, "precision_lost")] == [(2, "证件号码")]
    assert load.book["id_number"].tolist()[1] == "110101199003071234"


def test_categories_normalised_and_unknown_ones_reported() -> None:
    rows = [
        ["客户号", "金融资产", "风险等级", "购买意向"],
        ["C1", 1, "A1", "High"],
        ["C2", 1, "3", "一般"],
        ["C3", 1, "稳健型", "低"],
        ["C4", 1, "c5", "medium"],
        ["C5", 1, "高风险", "maybe"],
        ["C6", 1, "不详", "高"],
    ]
    load = read_book(csv_bytes(rows), "x.csv")
    # A1 is a customer grade (A1–A5 as some banks print it); 高风险 is the questionnaire's word for C5.
    assert load.book["risk_level"].tolist()[:5] == ["C1", "C3", "C2", "C5", "C5"]
    intent = load.book["purchase_intent"].tolist()
    assert intent[:4] == ["高", "中", "低", "中"] and pd.isna(intent[4]) and intent[5] == "高"
    assert _issues(load.report, "bad_category") == [(6, "购买意向", "maybe"), (7, "风险等级", "不详")]


def test_text_values_like_none_are_kept_in_text_columns() -> None:
    rows = [["客户号", "金融资产", "近期人生事件"], ["C1", 1, "无"], ["C2", 1, "子女升学"], ["C3", 1, "-"]]
    book = read_book(csv_bytes(rows), "x.csv").book
    assert book["life_event"].tolist()[:2] == ["无", "子女升学"] and pd.isna(book["life_event"].iloc[2])


def test_two_columns_naming_one_field_keep_the_first() -> None:
    rows = [["客户号", "金融资产", "AUM"], ["C1", 1, 999]]
    load = read_book(csv_bytes(rows), "x.csv")
    assert load.book["aum"].tolist() == [1.0]
    assert load.report.unmapped_columns == ("AUM",)
    (issue,) = load.report.issues_by_kind()["duplicate_column"]
    assert issue.column == "AUM" and issue.detail == "金融资产"


# ---- mapping -----------------------------------------------------------------------------------------------


def test_foreign_headers_load_through_a_mapping_and_unmapped_columns_are_not_carried() -> None:
    rows = [["Client", "Assets", "Mobile No", "Note"], ["X1", "5,000", "13812345678", "vip"],
            ["X2", "7,000", "13987654321", ""]]
    data = csv_bytes(rows)
    with pytest.raises(BookError) as failure:
        read_book(data, "foreign.csv")
    assert "Client、Assets、Mobile No、Note" in str(failure.value) and "金融资产" in str(failure.value)
    load = read_book(data, "foreign.csv", {"Client": "customer_id", "Assets": "aum", "Note": ""})
    assert list(load.book.columns) == ["customer_id", "aum"]
    assert load.book["aum"].tolist() == [5000.0, 7000.0]
    assert load.report.unmapped_columns == ("Mobile No", "Note")
    assert load.report.pii_columns == {"Mobile No": "phone"}  # found by its values


def test_mapping_overrides_and_ignores_auto_mapped_columns() -> None:
    rows = [["客户号", "金融资产", "总资产"], ["C1", 1, 10], ["C2", 2, 20]]
    load = read_book(csv_bytes(rows), "x.csv", {"金融资产": "", "总资产": "aum"})
    assert load.book["aum"].tolist() == [10.0, 20.0]
    assert load.report.fields_mapped["aum"] == "总资产" and load.report.unmapped_columns == ("金融资产",)
    with pytest.raises(BookError, match="金融资产"):
        read_book(csv_bytes(rows), "x.csv", {"金融资产": "", "总资产": None})


def test_bad_mappings_are_clear_errors() -> None:
    data = csv_bytes([["客户号", "金融资产", "总资产"], ["C1", 1, 10]])
    with pytest.raises(BookError, match=re.escape("「不存在」不是文件「x.csv」的列")):
        read_book(data, "x.csv", {"不存在": "aum"})
    with pytest.raises(BookError, match="未知字段「wealth」"):
        read_book(data, "x.csv", {"总资产": "wealth"})
    with pytest.raises(BookError, match="「金融资产」和「总资产」两列都映射到了「金融资产」"):
        read_book(data, "x.csv", {"金融资产": "aum", "总资产": "aum"})


# ---- the mapping step's preview and the report's table ---------------------------------------------------------


def test_preview_lists_columns_suggests_fields_and_masks_personal_data() -> None:
    rows = [["客户名册"], ["客户号", "姓名", "手机号", "证件号码", "金融资产(万元)", "备注"],
            ["C001", "张伟", "13812345678", "110101199003071234", 12, "老客户"],
            ["C002", "欧阳娜娜", "", "11010119851231002X", 3, ""]]
    preview = preview_source(xlsx_bytes(rows), "名册.xlsx")
    assert isinstance(preview, SourcePreview)
    assert preview.header_row == 2 and preview.sheet == "客户名册" and preview.file_format == "xlsx"
    assert preview.columns == ("客户号", "姓名", "手机号", "证件号码", "金融资产(万元)", "备注")
    assert preview.suggested == {"客户号": "customer_id", "姓名": "name", "手机号": "phone",
                                 "证件号码": "id_number", "金融资产(万元)": "aum"}
    head = preview.head
    assert head["姓名"].tolist() == ["张**", "欧**"]
    assert head["手机号"].tolist() == ["138****5678", ""]  # an empty cell stays empty
    assert head["证件号码"].tolist() == ["1101**********1234", "1101**********002X"]
    assert head["金融资产(万元)"].tolist() == ["12", "3"]  # raw text, not yet scaled
    assert head["客户号"].tolist() == ["C001", "C002"]
    # A column nobody has named may hold names or notes: its words show only their first character.
    assert head["备注"].tolist() == ["老**", ""]


def test_issue_table_labels_in_each_language_and_masks_personal_values() -> None:
    rows = [["客户号", "证件号码", "金融资产"], ["C1", 110101199003071234, "abc"]]
    report = read_book(xlsx_bytes(rows), "x.xlsx").report
    zh = report.issue_table("zh")
    assert list(zh.columns) == ["问题", "行", "列", "单元格内容", "说明"]
    assert zh["问题"].tolist() == ["长号码丢失精度", "无法识别的数字"]
    assert zh["行"].tolist() == [2, 2]
    masked = zh["单元格内容"].iloc[0]
    assert masked.startswith("1101") and "*" in masked and "19900307" not in masked
    assert "19900307" not in report.issues[0].message  # the Chinese message carries the masked value too
    en = report.issue_table("en")
    assert en["Issue"].tolist() == ["Long number lost digits", "Unreadable number"]
    assert "row 2" in en["Detail"].iloc[1]


# ---- a real third-party export -------------------------------------------------------------------------------


def test_uci_bank_marketing_export_loads_through_a_mapping() -> None:
    path = FIXTURES / "uci-bank-marketing" / "bank.csv"
    data = path.read_bytes()
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle, delimiter=";"))
    # counted independently: rows (header excluded) whose balance is below zero, as Excel row numbers
    negative_rows = [number for number, record in enumerate(records, start=2) if int(record["balance"]) < 0]
    assert len(records) == 4521 and len(negative_rows) > 0

    preview = preview_source(data, "bank.csv")
    assert preview.suggested == {"age": "age", "job": "occupation", "marital": "marital"}
    mapping = {"balance": "aum", "age": "age", "job": "occupation", "marital": "marital"}
    load = read_book(data, "bank.csv", mapping)
    report = load.report
    assert report.rows_read == 4521 and report.rows_kept == 4521 and report.ids_generated
    assert report.delimiter == ";" and report.encoding == "utf-8"
    assert [issue.row for issue in report.issues_by_kind()["negative_aum"]] == negative_rows
    # Its balances are small (median 444, in euros): a list kept in 万元 would look so, and the report asks.
    assert set(report.issues_by_kind()) == {"ids_generated", "negative_aum", "unit_unconfirmed"}
    assert load.book["customer_id"].iloc[[0, -1]].tolist() == ["C00001", "C04521"]
    assert load.book["aum"].sum() == sum(int(record["balance"]) for record in records)
    assert load.book["occupation"].iloc[0] == "unemployed" and load.book["age"].iloc[0] == 30.0
    assert "Moro" in (FIXTURES / "uci-bank-marketing" / "bank-names.txt").read_text(encoding="utf-8")


def test_unknown_category_names_the_allowed_values_in_each_language() -> None:
    from workbook import read_book

    data = "客户号,金融资产,购买意向\nA1,100,也许\n".encode()
    issue = next(i for i in read_book(data, "intent.csv").report.issues if i.kind == "bad_category")
    assert "高/中/低" in issue.text("zh") and "high / medium / low" not in issue.text("zh")
    assert "high / medium / low" in issue.text("en")
    assert issue.row == 2 and issue.column == "购买意向"
