"""The class workbook (workbook.class_export): it opens (openpyxl and LibreOffice), holds every group side by side
on each exercise's sheet, the tiers as numbers on the detail sheet, the poll computed by hand, and every text a
trainee typed as a string cell — a formula injection stays text."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from tests.fixtures.classroom import INJECTION, MARKDOWN, the_class
from tests.workbook.spreadsheet_tools import cells, find, load, recalculate
from workbook import class_export

NOW = datetime(2026, 12, 5, 8, 30, tzinfo=UTC)  # 16:30 Beijing time


@pytest.fixture(scope="module")
def workbook_zh() -> bytes:
    return class_export.class_workbook("BJ1205", the_class(), "zh", now=NOW)


def test_it_opens_with_one_sheet_per_part(workbook_zh: bytes) -> None:
    book = load(workbook_zh)
    assert book.sheetnames == ["总览", "练习一", "练习一明细", "练习二", "难题自测投票"]
    assert book["总览"]["A1"].value == "课堂 BJ1205：全班汇总"
    assert book["总览"]["A2"].value == "导出时间：2026-12-05 16:30（北京时间）"


def test_libreoffice_opens_it_too(workbook_zh: bytes) -> None:
    book = recalculate(workbook_zh)
    assert book.sheetnames[0] == "总览" and book["练习一"]["B3"].value == "第一组"


def test_the_overview_lists_every_group_with_its_hand_ins(workbook_zh: bytes) -> None:
    sheet = load(workbook_zh)["总览"]
    header = [c.value for c in sheet[5]]
    assert header == ["小组", "成员", "练习一提交时间", "提交人", "练习二提交时间", "提交人"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=6, values_only=True)}
    assert list(rows) == ["第一组", "第二组", "第十组"]
    # 第一组 handed exercise 1 in at 14:20 + 12 min = 14:32 Beijing time, by 张三; exercise 2 at 16:00 by 李四
    assert rows["第一组"][1:] == ("张三、李四", "2026-12-05 14:32（北京时间）", "张三", "2026-12-05 16:00（北京时间）",
                                 "李四")
    assert rows["第二组"][2] == "未提交"


def test_each_exercise_sheet_holds_every_group_side_by_side(workbook_zh: bytes) -> None:
    book = load(workbook_zh)
    exercise1 = book["练习一"]
    # row 3: the groups as column headers, in counting order
    assert [c.value for c in exercise1[3]] == ["小组", "第一组", "第二组", "第十组"]
    scheme_row = find(exercise1, "分层方式 1")
    assert exercise1.cell(scheme_row, 2).value == "按资产量分层"
    assert exercise1.cell(scheme_row, 3).value is None  # 第二组 did not hand in exercise 1
    tiers = exercise1.cell(scheme_row + 2, 2).value
    # the default ladder: 大众 1 of 5 customers = 20.0%
    assert "大众客户：1 位（20.0%）— 季度电话" in tiers and "财富客户：2 位（40.0%）— 每月面谈" in tiers
    assert "潜力客户：3 位（60.0%）— 沙龙邀约" in exercise1.cell(scheme_row + 2, 4).value
    assert exercise1.cell(find(exercise1, "心得"), 2).value.startswith("按资产分层")
    exercise2 = book["练习二"]
    assert [c.value for c in exercise2[3]] == ["小组", "第一组", "第二组", "第十组"]
    goal_row = find(exercise2, "目标")
    assert exercise2.cell(goal_row, 2).value == "提升财富客户资产留存"
    assert exercise2.cell(goal_row, 3).value == MARKDOWN  # as typed: text, no Markdown rendering in Excel
    actions = exercise2.cell(find(exercise2, "90 天行动（日期 · 负责人 · 行动）"), 3).value
    assert "2026-12-20 · 孙七 · 邀约 20 位财富客户参加资产配置沙龙" in actions


def test_the_detail_sheet_holds_the_tiers_as_numbers(workbook_zh: bytes) -> None:
    sheet = load(workbook_zh)["练习一明细"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "按资产量分层"]
    first = {r[3]: r for r in rows if r[0] == "第一组"}
    # 财富客户: 2 customers, 2/5 = 40%, AUM 80万 + 90万 = 170万 (cell in 万元), 1,700,000 / 10,920,000 = 15.5678%
    assert first["财富客户"][4:8] == (2, 0.4, 170, 0.155678)
    assert sheet.cell(2, 7).number_format == "#,##0.0"


def test_the_poll_sheet_by_hand(workbook_zh: bytes) -> None:
    sheet = load(workbook_zh)["难题自测投票"]
    assert sheet["A2"].value == "共 3 位学员提交（匿名）。"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, max_row=12, values_only=True)}
    # effort: 5, 3, 4 → 3 answers, mean 4; counts of 1…5: 0 0 1 1 1
    assert rows["努力无果"][3:] == (3, 4, 0, 0, 1, 1, 1)
    # rebate: 4, 4, 1 → mean 3
    assert rows["总要返佣"][3:] == (3, 3, 1, 0, 0, 2, 0)
    assert rows["需深度协同"][3:5] == (0, None)
    # the chart of the means is in the file (openpyxl does not read charts back; the package lists it)
    with zipfile.ZipFile(io.BytesIO(workbook_zh)) as package:
        assert [n for n in package.namelist() if n.startswith("xl/charts/chart")] == ["xl/charts/chart1.xml"]


def test_typed_text_is_never_a_formula(workbook_zh: bytes) -> None:
    book = load(workbook_zh)
    found = [c for c in cells(book) if isinstance(c.value, str) and INJECTION in c.value]
    # the injection as a member name (overview, both exercise sheets) and a service line (sheet, detail)
    assert len(found) >= 4
    assert all(c.data_type == "s" for c in found)
    assert not [c for c in cells(book) if c.data_type == "f"]
    detail = load(workbook_zh)["练习一明细"]
    assert any(r[8] == INJECTION for r in detail.iter_rows(min_row=2, values_only=True))


def test_an_empty_class_still_opens_in_english() -> None:
    book = load(class_export.class_workbook("SH0101", [], "en", now=NOW))
    assert book.sheetnames == ["Overview", "Exercise 1", "Exercise 1 detail", "Exercise 2", "Self-check poll"]
    assert book["Overview"]["A6"].value == "No group has submitted yet."


def test_the_file_name() -> None:
    assert class_export.class_filename("BJ1205", "zh", NOW) == "课堂汇总_BJ1205_2026-12-05.xlsx"
    assert class_export.class_filename("a/b:c", "en", NOW) == "class_a_b_c_2026-12-05.xlsx"
