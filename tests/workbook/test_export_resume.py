"""Resuming from an exported workbook: the workspace comes back unchanged, inputs edited in Excel come back as
changes (in both languages), bad edits are refused one by one, and a file that is not ours or is damaged gives the
typed error with a Chinese message."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbook as wb
from tests.workbook.spreadsheet_tools import find, load
from workbook import carrier, export
from workbook import workspace as ws
from workbook.resume import ResumeFileError, resume_from_xlsx

INJECTIONS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\",\"y\")", "#N/A",
              "=cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def small_book() -> pd.DataFrame:
    return wb.sample_book(40, seed=3)


def _save(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- identity ------------------------------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
any_text = st.one_of(st.text(max_size=60), st.sampled_from(INJECTIONS))


@st.composite
def workspaces(draw: Any) -> ws.Workspace:
    work = ws.new_workspace()
    work["trainee"] = {key: draw(any_text) for key in ("name", "group", "workshop")}
    modules: dict[str, Any] = {}
    if draw(st.booleans()):
        modules["s1_1"] = {"ratings": draw(st.dictionaries(st.sampled_from(["effort", "rebate", "gifts", "quality"]),
                                                           st.integers(1, 5))),
                           "note": draw(any_text)}
    if draw(st.booleans()):
        modules["s1_4"] = {"annual_cost": draw(st.floats(10_000, 5_000_000)),
                           "effective_hours": draw(st.floats(100, 4_000)),
                           "my_assets": draw(any_text), "my_action": draw(any_text)}
    if draw(st.booleans()):
        modules["s1_3"] = {"stages": [
            {"kind": draw(st.sampled_from(["prospect", "meet", "close", "referral", "odd"])), "name": draw(any_text),
             "weekly_hours": draw(st.floats(0, 40)), "hours_per_customer": draw(st.floats(0.1, 5)),
             "pass_pct": draw(st.floats(0, 100))} for _ in range(draw(st.integers(1, 4)))],
            "actions": {"exploit": draw(any_text)}, "next_focus": draw(any_text)}
    if draw(st.booleans()):
        modules["s3_5"] = {"group": draw(any_text), "members": draw(any_text), "reflection": draw(any_text),
                           "schemes": draw(st.lists(st.sampled_from(["aum", "behaviour", "cognition"]), max_size=3)),
                           "services": {"aum": {"mass": draw(any_text)}}}
    if draw(st.booleans()):
        modules["s1_2"] = {"period": draw(st.sampled_from(["month", "year"])), "basis": draw(st.sampled_from(
            [None, "own_sales", "fee_income", "aum_growth"])), "c_pct_year": draw(st.floats(0, 100)),
            "v": draw(st.floats(0, 1e6)), "own_month": {"deals": draw(st.floats(0, 50)),
                                                         "wealth": draw(st.floats(0, 1e7))}}
    if draw(st.booleans()):
        modules["s2_1"] = {"source": draw(st.sampled_from(["book", "case", "blank"])), "case": "pufa",
                           "shares_pct": {"spend": 10.0, "protect": 20.0, "grow": 30.0, "preserve": 40.0},
                           "cards": {"_blank": {"notes": draw(any_text), "total_assets_wan": draw(st.floats(0, 1e4)),
                                                "holdings_wan": {"spend": draw(st.floats(0, 100))}},
                                     "case:pufa": {"goals": draw(any_text)}},
                           "proposals": {"_blank": draw(any_text)}}
    if draw(st.booleans()):
        modules["s2_2"] = {"weekly_hours": draw(st.one_of(st.none(), st.floats(0, 100))),
                           "source": draw(st.sampled_from(["tier", "need"])),
                           "groups": {"tier:aum:mass": {"events_per_month": draw(st.floats(0, 10)),
                                                        "format": draw(st.sampled_from(["salon", "online", "x"]))}},
                           "formats": {"salon": {"capacity": draw(st.floats(1, 50))}}}
    if draw(st.booleans()):
        modules["s4_1"] = {"scheme": "aum", "levels": {"aum": {"affluent": {
            "current": draw(st.one_of(st.none(), st.integers(1, 12))), "target": draw(st.integers(1, 12))}}}}
    if draw(st.booleans()):
        modules["s4_2"] = {"state": draw(any_text), "tiers": {"aum": ["affluent"]},
                           "strategies": {"aum": {"affluent": {"goal": draw(any_text),
                                                               "hours_per_customer": draw(st.floats(0, 50)),
                                                               "kpi.satisfaction": draw(st.floats(-100, 100))}}}}
    if draw(st.booleans()):
        modules["s4_3"] = {"other_oe": draw(st.floats(0, 1e6)), "available": draw(st.one_of(st.none(),
                                                                                              st.floats(0, 5000))),
                           "investment": {"aum": {"private": draw(st.floats(1, 1e6))}},
                           "bounds": {"aum": {"mass": {"floor": draw(st.floats(0, 100))}}}}
    if draw(st.booleans()):
        modules["s4_4"] = {"group": draw(any_text), "members": "王芳\n李雷", "start": "2026-12-07",
                           "directions": {"王芳": {"scheme": "aum", "tier": "affluent", "actions": [
                               {"action": draw(any_text), "owner": draw(any_text), "due": "2026-12-20"}]}}}
    for name in draw(st.lists(st.sampled_from(["custom", "board"]), max_size=2, unique=True)):
        modules[name] = draw(st.dictionaries(st.text(max_size=8), json_values, max_size=3))
    for module in modules.values():
        if draw(st.booleans()):
            module["_done"] = True
    work["modules"] = modules
    return work


@settings(max_examples=25)
@given(work=workspaces(), lang=st.sampled_from(["zh", "en"]))
def test_workspace_to_xlsx_to_workspace_is_identity(small_book: pd.DataFrame, work: ws.Workspace, lang: str) -> None:
    expected = ws.from_json(ws.to_json(work))
    # strict: a writer that failed on one of these plausible workspaces would be a bug, not damaged saved work
    resumed = resume_from_xlsx(export.export_xlsx(small_book, work, lang=lang, strict=True))
    assert resumed.workspace == expected
    assert resumed.changes == ()
    assert resumed.skipped == ()
    assert resumed.lang == lang


def test_a_default_workspace_comes_back_empty(small_book: pd.DataFrame) -> None:
    # Nothing the trainee did not change is written into the workspace: defaults stay defaults.
    resumed = resume_from_xlsx(export.export_xlsx(small_book, None, strict=True))
    assert resumed.workspace == ws.new_workspace()


# ---- edits made in Excel --------------------------------------------------------------------------------------


def test_an_edited_hourly_cost_comes_back_as_a_change(small_book: pd.DataFrame) -> None:
    book = load(export.export_xlsx(small_book, None, strict=True))
    sheet = book["1.4 客户资产负债"]
    sheet.cell(find(sheet, "年度成本（万元）"), 2).value = 54  # typed in 万元, as on the page
    sheet.cell(find(sheet, "存款利差 FTP（%）"), 2).value = 0.012  # typed as 1.2% in Excel
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s1_4"] == {"annual_cost": 540_000, "deposit_spread_pct": 1.2}
    assert [c.text("zh") for c in resumed.changes] == [
        "1.4 客户资产负债审视 · 年度成本（万元）：36 万元 → 54 万元",
        "1.4 客户资产负债审视 · 存款利差 FTP（%）：1% → 1.2%",
    ]
    assert resumed.changes[0].text("en") == (
        "1.4 Asset or liability? · Annual cost (CNY 10k): CNY 360k → CNY 540k")
    # the app computes with what came back (kept in 元): 540,000 ÷ 1,800 = 300 元 an hour
    from workbook.asset_review import params_from

    assert params_from(resumed.workspace["modules"]["s1_4"]).hourly_cost == pytest.approx(300)


def test_edits_in_tables_seed_the_table_first(small_book: pd.DataFrame) -> None:
    # The stage table is still at its defaults (not in the workspace): changing one cell brings the whole
    # table in, with that one cell changed.
    book = load(export.export_xlsx(small_book, None, strict=True))
    sheet = book["1.3 瓶颈五步法"]
    row = find(sheet, "方案呈现")
    sheet.cell(row, 3).value = 9  # weekly hours of 方案呈现: 6 → 9
    sheet.cell(row, 1).value = "方案讲解"
    resumed = resume_from_xlsx(_save(book))
    stages = resumed.workspace["modules"]["s1_3"]["stages"]
    from workbook import bottleneck as neck

    expected = neck.default_rows()
    expected[3]["weekly_hours"] = 9
    expected[3]["name"] = "方案讲解"
    assert stages == expected
    assert len(resumed.changes) == 2


def test_plan_and_rating_edits(small_book: pd.DataFrame) -> None:
    book = load(export.export_xlsx(small_book, None, strict=True))
    check = book["1.1 难题自测"]
    check.cell(find(check, "为什么你比别人更努力，但业绩依然不理想？"), 2).value = 4
    formula = book["1.2 核心业绩公式"]
    plan_row = find(formula, "计划提升（%）", 2)
    formula.cell(plan_row + 1, 2).value = 0.25  # N: +25%
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s1_1"] == {"ratings": {"effort": 4}}
    plan = resumed.workspace["modules"]["s1_2"]["plan_pct"]
    assert plan["n"] == 25.0
    assert set(plan) == {"n", "c", "v"}  # seeded with the plan shown, so c and v keep their shown values


def test_a_cleared_rating_removes_it(small_book: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s1_1", ratings={"effort": 5, "gifts": 2})
    book = load(export.export_xlsx(small_book, work, strict=True))
    check = book["1.1 难题自测"]
    check.cell(find(check, "为什么你比别人更努力，但业绩依然不理想？"), 2).value = None
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s1_1"]["ratings"] == {"gifts": 2}
    assert resumed.changes[0].text("zh").endswith("：5 → —")


def test_bad_edits_are_refused_one_by_one(small_book: pd.DataFrame) -> None:
    book = load(export.export_xlsx(small_book, None, strict=True))
    sheet = book["1.4 客户资产负债"]
    sheet.cell(find(sheet, "年度成本（万元）"), 2).value = "很多"
    sheet.cell(find(sheet, "每年可用于客户的有效小时数"), 2).value = 0  # at least 1 hour
    sheet.cell(find(sheet, "贷款利差（%）"), 2).value = None  # a number is needed
    sheet.cell(find(sheet, "他行资产至少（万元）"), 2).value = "80"  # typed as text: still a number (万元)
    check = book["1.1 难题自测"]
    check.cell(find(check, "客户个性化需求日益强烈"), 2).value = 7  # ratings are 1–5
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s1_4"] == {"potential_external": 800_000}
    assert "s1_1" not in resumed.workspace["modules"]
    reasons = {s.label_zh: s.reason for s in resumed.skipped}
    assert reasons == {"年度成本（万元）": "not_number", "每年可用于客户的有效小时数": "range",
                       "贷款利差（%）": "blank", "需求个性化": "range"}
    texts = [s.text("zh") for s in resumed.skipped]
    assert "1.4 客户资产负债审视 · 年度成本（万元）：「很多」不是数字，保留原值。" in texts


def test_text_edits_come_back_as_typed(small_book: pd.DataFrame) -> None:
    book = load(export.export_xlsx(small_book, None, strict=True))
    sheet = book["3.5 练习一"]
    row = find(sheet, "小组名称")
    sheet.cell(row, 2).value = "第三组"
    sheet.cell(row + 1, 2).value = "王芳\n李雷"
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s3_5"] == {"group": "第三组", "members": "王芳\n李雷"}


def test_inputs_are_found_by_their_defined_name(small_book: pd.DataFrame) -> None:
    # Excel moves a defined name with its cell when rows are inserted; the reader follows the name.
    data = export.export_xlsx(small_book, None, strict=True)
    book = load(data)
    sheet = book["1.4 客户资产负债"]
    row = find(sheet, "年度成本（万元）")
    spec = next(s for s in _inputs(data) if s.path == ("annual_cost",))
    sheet.cell(row, 2).value = None
    sheet.cell(60, 10).value = 40  # 万元  # the cell now lives at J60 (as if rows and columns had been inserted)
    book.defined_names[spec.name].attr_text = "'1.4 客户资产负债'!$J$60"
    resumed = resume_from_xlsx(_save(book))
    assert resumed.workspace["modules"]["s1_4"] == {"annual_cost": 400_000}


def _inputs(data: bytes) -> tuple[carrier.InputCell, ...]:
    book = load(data, read_only=True)
    rows = [list(r) for r in book[carrier.CARRIER_TITLE].iter_rows(values_only=True)]
    return carrier.read_carrier(rows).inputs


def test_every_input_cell_is_in_the_manifest_and_styled_as_an_input(small_book: pd.DataFrame) -> None:
    data = export.export_xlsx(small_book, None, strict=True)
    inputs = _inputs(data)
    book = load(data)
    assert len(inputs) > 80
    assert len({s.name for s in inputs}) == len(inputs)
    for spec in inputs:
        cell = book[spec.sheet][spec.cell]
        assert cell.fill.fgColor.rgb.endswith("FFF2CC"), spec
        destinations = list(book.defined_names[spec.name].destinations)
        assert destinations == [(spec.sheet, "$" + cell.column_letter + "$" + str(cell.row))]


# ---- files that are not ours -----------------------------------------------------------------------------------


def _raises(data: bytes, code: str) -> ResumeFileError:
    with pytest.raises(ResumeFileError) as caught:
        resume_from_xlsx(data)
    assert caught.value.code == code
    message = str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)  # the trainee reads Chinese
    assert caught.value.text("en") != message
    return caught.value


def test_a_foreign_or_damaged_file_gives_the_typed_error(small_book: pd.DataFrame) -> None:
    _raises(b"", "empty")
    _raises(b"customer_id,aum\nC1,100\n", "not_xlsx")
    _raises(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "not_xlsx")
    _raises(b"PK\x03\x04 this is not a zip", "damaged")
    # a customer book: a real workbook, but not an export
    plain = io.BytesIO()
    small_book.head(5).to_excel(plain, index=False)
    assert "不是本应用导出的" in str(_raises(plain.getvalue(), "not_ours"))
    # a zip that is not a workbook
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _raises(other.getvalue(), "not_xlsx")


def test_a_tampered_carrier_is_refused(small_book: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s1_4", annual_cost=400_000.0)
    book = load(export.export_xlsx(small_book, work, strict=True))
    hidden = book[carrier.CARRIER_TITLE]
    for row in hidden.iter_rows():
        if row[0].value == carrier.WORKSPACE_PART:
            row[1].value = str(row[1].value).replace("400000", "900000")
    _raises(_save(book), "damaged")


def test_a_truncated_file_is_refused(small_book: pd.DataFrame) -> None:
    data = export.export_xlsx(small_book, None, strict=True)
    _raises(data[: len(data) // 2], "damaged")


def test_a_newer_format_is_refused(small_book: pd.DataFrame) -> None:
    book = load(export.export_xlsx(small_book, None, strict=True))
    book[carrier.CARRIER_TITLE]["B1"].value = carrier.FORMAT_VERSION + 1
    error = _raises(_save(book), "too_new")
    assert "更新版本" in str(error)
