"""The exported workbook's shape: its sheets in both languages, the masked customer sheet read back equal to the
masked frame, user text that never becomes a formula, the extension point for new sections, damaged saved work,
and a 50,000-customer export."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import workbook as wb
from tests.workbook.spreadsheet_tools import cells, find, load, table
from workbook import carrier, export, privacy, resume, xlsx
from workbook import workspace as ws
from workbook.export import ExportContext, ModuleSheet
from workbook.schema import UNREADABLE

# Distinctive payloads (7*191 appears in no formula of ours), so a formula carrying one is caught.
INJECTIONS = ["=7*191", "+7*191", "-7*191", "@SUM(A1:A7)", "\t=7*191", "\r=7*191", '=HYPERLINK("http://x","y")',
              "#N/A", "=cmd|' /C calc'!A0", "==7", "=", "-", "#DIV/0!"]
CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return wb.sample_book(300, seed=7)


# ---- sheets and languages --------------------------------------------------------------------------------------


def test_sheets_in_course_order_and_language(sample: pd.DataFrame) -> None:
    zh = load(export.export_xlsx(sample, strict=True))
    assert zh.sheetnames == ["总览", "客户名册", "1.1 难题自测", "1.2 核心业绩公式", "1.3 瓶颈五步法",
                             "1.4 客户资产负债", "2.1 深度KYC", "2.2 时间杠杆", "3.2 多维分层", "3.3 客户四度",
                             "3.4 差异化服务", "3.5 练习一", "4.1 客户经营梯度", "4.2 经营策略", "4.3 有效产出会计",
                             "4.4 练习二", carrier.CARRIER_TITLE]
    assert zh[carrier.CARRIER_TITLE].sheet_state == "veryHidden"
    en = load(export.export_xlsx(sample, lang="en", strict=True))
    assert en.sheetnames[:2] == ["Summary", "Customer book"]
    # No Chinese in the English workbook but the customers' own data (masked names, occupations …).
    book_columns = set(table(en["Customer book"])[0])
    for cell in cells(en):
        if cell.parent.title in ("Customer book", carrier.CARRIER_TITLE) or not isinstance(cell.value, str):
            continue
        assert not CJK.search(cell.value), (cell.parent.title, cell.coordinate, cell.value)
    assert not any(CJK.search(str(header)) for header in book_columns)
    assert "Tier: By assets (AUM)" in book_columns and "Net (CNY a year)" in book_columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_text_is_in_the_catalogue(sample: pd.DataFrame, lang: str) -> None:
    # A key missing from the catalogue renders as ⟦key⟧: no sheet may show one, in either language.
    book = load(export.export_xlsx(sample.head(60), lang=lang, strict=True))
    missing = [(c.parent.title, c.coordinate, c.value) for c in cells(book)
               if isinstance(c.value, str) and "⟦" in c.value]
    assert missing == []
    if lang == "en":  # and no Chinese in the English workbook, outside the customers' own data
        chinese = [(c.parent.title, c.coordinate) for c in cells(book) if c.parent.title not in (
            "Customer book", carrier.CARRIER_TITLE) and isinstance(c.value, str) and CJK.search(c.value)]
        assert chinese == []


def test_summary_lists_progress_and_live_key_figures(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    work["trainee"].update(name="王芳", group="第三组", workshop="GZ-2026")
    ws.set_values(work, "s1_4", annual_cost=400_000.0)
    ws.mark_done(work, "s1_4")
    ws.set_values(work, "s1_1", ratings={"effort": 4})
    book = load(export.export_xlsx(sample, work, book_source="sample", now=datetime(2026, 12, 5, 8, 30),
                                   strict=True))
    summary = book["总览"]
    values = [[c.value for c in row] for row in summary.iter_rows(max_col=4)]
    assert ["姓名", "王芳", None, None] in values and ["小组", "第三组", None, None] in values
    assert ["导出时间", "2026-12-05 16:30（北京时间）", None, None] in values  # 08:30 UTC in the classroom's time
    assert ["客户名册", "示例名册", None, None] in values
    assert ["1.4 客户资产负债审视", "已完成", None, None] in values
    assert ["1.1 难题自测", "进行中", None, None] in values
    assert ["3.5 练习一：分层与服务", "未开始", None, None] in values
    row = find(summary, "每小时成本")
    assert summary.cell(row, 2).value == "='1.4 客户资产负债'!$B$8"  # a live link, not a copy


def test_money_formats_are_readable(sample: pd.DataFrame) -> None:
    book = load(export.export_xlsx(sample, strict=True))
    customers = book["客户名册"]
    header = [c.value for c in customers[1]]
    aum = customers.cell(2, header.index("金融资产（元）") + 1)
    assert aum.number_format == "#,##0"
    assert customers.cell(2, header.index("线上交易占比") + 1).number_format == "0%"
    assert customers.cell(2, header.index("最近交易日期") + 1).number_format == "yyyy-mm-dd"
    review = book["1.4 客户资产负债"]
    row = find(review, "资产")
    assert review.cell(row, 3).number_format == "#,##0.0"  # 万元
    assert review.cell(find(review, "存款利差 FTP（%）"), 2).number_format == "0.00%"


# ---- the customer sheet read back ------------------------------------------------------------------------------

texts = st.one_of(st.text(max_size=40), st.sampled_from(INJECTIONS), st.none())


@st.composite
def books(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    numbers = st.one_of(st.floats(-1e12, 1e12, allow_nan=False), st.just(np.nan))
    frame = pd.DataFrame({
        "customer_id": [f"C{i:03d}" for i in range(n)],
        "aum": draw(st.lists(numbers, min_size=n, max_size=n)),
        "occupation": pd.Series(draw(st.lists(texts, min_size=n, max_size=n)), dtype="str"),
        "life_event": pd.Series(draw(st.lists(texts, min_size=n, max_size=n)), dtype=object),
        "product_count": pd.array(draw(st.lists(st.one_of(st.integers(0, 50), st.none()), min_size=n, max_size=n)),
                                  dtype="Int64"),
        "last_txn_date": pd.to_datetime(draw(st.lists(st.one_of(
            st.datetimes(datetime(1990, 1, 1), datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0)),
            st.none()), min_size=n, max_size=n))).astype("datetime64[ns]"),
    })
    return frame


def _expected_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        cleaned = xlsx.clean_text(value)
        return cleaned or None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (np.integer, int)):
        return int(value)
    return float(value)


@settings(max_examples=40)
@given(book=books())
def test_customer_sheet_reads_back_as_the_masked_frame(book: pd.DataFrame) -> None:
    data = export.export_xlsx(book, sheets=(), strict=True)
    sheet = load(data, read_only=True)["客户名册"]
    header, rows = table(sheet)
    masked = privacy.mask_frame(book)
    assert header[: len(book.columns)] == ["客户号", "金融资产（元）", "职业", "近期人生事件", "持有产品数",
                                           "最近交易日期"]
    assert len(rows) == max(len(book), 0) or (len(book) == 0 and rows == [])
    for position, key in enumerate(book.columns):
        got = [row[position] if position < len(row) else None for row in rows]
        expected = [_expected_cell(v) for v in masked[key].astype(object)]
        assert got == expected, key


def test_the_unreadable_marker_is_no_customer_column(sample: pd.DataFrame) -> None:
    # Intake adds "unreadable_fields" when some cells could not be read; it is counted, not listed as a field.
    book = sample.head(5).copy()
    book["aum_12m_ago"] = book["aum_12m_ago"].astype("float64")
    book.loc[book.index[1], "aum_12m_ago"] = np.nan
    book[UNREADABLE] = pd.Series([None, "aum_12m_ago", None, None, None], index=book.index, dtype=object)
    exported = load(export.export_xlsx(book, strict=True))
    header, _ = table(exported["客户名册"])
    assert UNREADABLE not in header and "unreadable_fields" not in " ".join(map(str, header))
    summary = exported["总览"]
    assert summary.cell(find(summary, "有单元格无法读取的客户"), 2).value == 1


def test_personal_data_is_masked_everywhere(sample: pd.DataFrame) -> None:
    data = export.export_xlsx(sample, strict=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = "".join(archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml"))
    for key in ("name", "phone", "id_number", "card_no"):
        for value in sample[key].head(50):
            assert str(value) not in text, (key, value)
    header, rows = table(load(data, read_only=True)["客户名册"])
    phone = [row[header.index("手机号")] for row in rows[:3]]
    assert all(re.fullmatch(r"1\d{2}\*{4}\d{4}", p) for p in phone)


# ---- user text is never a formula -----------------------------------------------------------------------------


def _workspace_full_of(text: str) -> ws.Workspace:
    """A workspace whose every free-text field holds ``text`` (the fields a trainee types)."""
    work = ws.new_workspace()
    work["trainee"] = {"name": text, "group": text, "workshop": text}
    ws.set_values(work, "s1_1", note=text)
    ws.set_values(work, "s1_3", stages=[{"kind": "prospect", "name": text, "weekly_hours": 3.0,
                                         "hours_per_customer": 0.05, "pass_pct": 50.0},
                                        {"kind": "close", "name": text, "weekly_hours": 3.0,
                                         "hours_per_customer": 1.0, "pass_pct": 30.0}],
                  actions={"exploit": text, "subordinate": text, "elevate": text}, next_focus=text)
    ws.set_values(work, "s1_4", my_assets=text, my_liabilities=text, my_action=text)
    ws.set_values(work, "s3_2", params={"aum": {"labels": [
        {"code": "a", "zh": text, "en": text}, {"code": "b", "zh": text + "b", "en": text + "b"},
        {"code": "c", "zh": text + "c", "en": text + "c"}, {"code": "d", "zh": text + "d", "en": text + "d"}]}})
    ws.set_values(work, "s3_4", scheme="aum", overrides={"aum": {"a": {d: text for d in (
        "cadence", "channel", "benefits", "shelf", "activities", "response", "owner")}}})
    ws.set_values(work, "s3_5", group=text, members=text, reflection=text, schemes=["aum"],
                  services={"aum": {"a": text, "b": text}})
    ws.set_values(work, "s3_3", scheme="aum", plans={"aum": {"a": {"actions": text}}})
    ws.set_values(work, "s2_1", source="blank", cards={"_blank": {"goals": text, "notes": text, "occupation": text,
                                                                  "members": [{"relation": "child", "age": 9,
                                                                               "note": text}]}},
                  proposals={"_blank": text})
    ws.set_values(work, "s4_2", scheme="aum", state=text, review=text, tiers={"aum": ["a"]},
                  strategies={"aum": {"a": {"goal": text, "needs": text, "products": text, "services": text,
                                            "cadence": text}}})
    ws.set_values(work, "s4_4", group=text, members="王芳", start="2026-12-07", directions={"王芳": {
        "scheme": "aum", "tier": "a", "actions": [{"action": text, "owner": text, "due": "2026-12-20"}]}})
    return work


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_never_become_formulas(sample: pd.DataFrame, text: str) -> None:
    book = sample.head(30).copy()
    book["occupation"] = text
    book["customer_id"] = [f"{text}{i}" for i in range(len(book))]
    data = export.export_xlsx(book, _workspace_full_of(text), strict=True)
    loaded = load(data)
    # Every cell holding the text as placed (alone, with a tier suffix, or as a customer id) is a string cell.
    cleaned = xlsx.clean_text(text)
    placed = {cleaned, *(cleaned + suffix for suffix in ("b", "c", "d")), *(f"{cleaned}{i}" for i in range(30))}
    found = 0
    for cell in cells(loaded):
        if cell.value in placed:
            found += 1
            assert cell.data_type == "s", (cell.parent.title, cell.coordinate, cell.value)
    assert found > 80
    # And in the XML itself: no formula element carries the payload.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                for formula in re.findall(r"<f(?: [^>]*)?>(.*?)</f>", xml):
                    for payload in ("7*191", "HYPERLINK", "cmd|", "SUM(A1:A7)", "==7"):
                        assert payload not in formula, (name, formula)
    # and the text comes back unchanged through the carrier
    resumed = resume.resume_from_xlsx(data)
    assert resumed.workspace["modules"]["s3_5"]["reflection"] == text
    assert resumed.changes == ()


def test_control_characters_are_stripped_and_long_text_is_cut(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s1_4", my_assets="资产\x00客户\x07\x1b说明\r\n第二行", my_action="长" * 40_000)
    data = export.export_xlsx(sample.head(20), work, strict=True)
    sheet = load(data)["1.4 客户资产负债"]
    row = find(sheet, "什么样的客户是我的资产？")
    assert sheet.cell(row, 2).value == "资产客户说明\n第二行"
    action = sheet.cell(row + 2, 2).value
    assert len(action) == 32_767
    # the workspace itself keeps every character: nothing the trainee typed is lost
    assert resume.resume_from_xlsx(data).workspace["modules"]["s1_4"]["my_action"] == "长" * 40_000


# ---- extension and robustness ------------------------------------------------------------------------------------


def test_a_new_section_adds_its_sheet_by_registering_a_writer(sample: pd.DataFrame) -> None:
    # What a new page does (here the instructor board, which has no sheet yet): a ModuleSheet with its own inputs
    # and formulas, nothing else touched.
    def write(ctx: ExportContext, canvas) -> None:
        values = ctx.values("board", {"weekly_hours": 40.0})
        canvas.text(1, 1, "board", "title")
        hours = ctx.input(canvas, 3, 2, module="board", path=("weekly_hours",), kind=carrier.NUMBER,
                          value=values["weekly_hours"], label=("每周小时", "Hours a week"), unit="hours")
        canvas.formula(4, 2, f"{hours}*52")
        ctx.key_figure("board", "年度小时", canvas.ref(4, 2), xlsx.COUNT)

    sheets = (*export.module_sheets(), ModuleSheet("board", write))
    data = export.export_xlsx(sample.head(20), sheets=sheets, strict=True)
    book = load(data)
    assert book.sheetnames[-2] == "讲师看板"  # after the course's pages, before the carrier
    assert book["讲师看板"]["B4"].value == "='讲师看板'!$B$3*52"
    book["讲师看板"]["B3"].value = 30
    edited = io.BytesIO()
    book.save(edited)
    resumed = resume.resume_from_xlsx(edited.getvalue())
    assert resumed.workspace["modules"]["board"] == {"weekly_hours": 30}
    assert resumed.changes[0].text("zh") == "讲师看板 · 每周小时：40 小时 → 30 小时"


def test_damaged_saved_work_costs_one_sheet_not_the_workbook(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    # 1.4 reads a damaged number as the page does: the default stays (36 万元), the trainee's text is kept.
    ws.set_values(work, "s1_4", annual_cost="not a number", my_assets="保留")
    ws.set_values(work, "s1_1", note="我的问题")
    ws.set_values(work, "results", plan={"rows": "damaged"})

    def fragile(ctx: ExportContext, canvas) -> None:  # a writer that trusts a saved value it should not
        canvas.text(1, 1, "x")
        ctx.values("results")["plan"]["rows"][0]["hours"]

    sheets = (*export.module_sheets(), ModuleSheet("results", fragile))
    data = export.export_xlsx(sample.head(20), work, sheets=sheets)
    book = load(data)
    assert "无法读取" in book["我的成果"]["A3"].value
    review = book["1.4 客户资产负债"]
    assert review.cell(find(review, "年度成本（万元）"), 2).value == 36
    assert review.cell(find(review, "什么样的客户是我的资产？"), 2).value == "保留"
    check = book["1.1 难题自测"]
    assert check.cell(find(check, "我今天最想解决的一个问题（选填）"), 2).value == "我的问题"
    assert resume.resume_from_xlsx(data).workspace == ws.from_json(ws.to_json(work))
    with pytest.raises(TypeError):
        export.export_xlsx(sample.head(20), work, sheets=sheets, strict=True)


def test_an_empty_book_and_a_book_with_only_id_and_aum(sample: pd.DataFrame) -> None:
    empty = sample.head(0)
    assert resume.resume_from_xlsx(export.export_xlsx(empty, strict=True)).workspace == ws.new_workspace()
    minimal = sample[["customer_id", "aum"]].head(25)
    book = load(export.export_xlsx(minimal, strict=True))
    header, rows = table(book["客户名册"])
    assert header[:2] == ["客户号", "金融资产（元）"]
    assert rows[0][header.index("收入（元/年）")] == "=0"  # no revenue field: revenue counts 0, as in the app


def test_fifty_thousand_customers_export(sample: pd.DataFrame) -> None:
    big = wb.sample_book(20_000, seed=11)
    big = pd.concat([big, big, big], ignore_index=True).iloc[:50_000].copy()
    big["customer_id"] = [f"B{i:06d}" for i in range(len(big))]
    data = export.export_xlsx(big, strict=True)
    # calamine reads the 2.5 million cells in ~2 s (openpyxl would take a minute)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("客户名册").to_python()
    assert len(rows) == 50_001
    header = rows[0]
    assert [row[0] for row in rows[1:4]] + [rows[-1][0]] == ["B000000", "B000001", "B000002", "B049999"]
    assert rows[-1][header.index("金融资产（元）")] == pytest.approx(float(big["aum"].iloc[-1]))
    assert rows[-1][header.index("姓名")] == privacy.mask_value(big["name"].iloc[-1], "name")
    assert resume.resume_from_xlsx(data).workspace == ws.new_workspace()


def test_the_file_name_carries_the_trainee_and_the_date() -> None:
    work = ws.new_workspace()
    when = datetime(2026, 12, 5, 9, 0)
    assert export.export_filename(work, "zh", when) == "客户分层经营训练手册_2026-12-05.xlsx"
    work["trainee"]["name"] = "王 芳/../\x00<x>"  # no slash, NUL or angle bracket survives
    assert export.export_filename(work, "zh", when) == "客户分层经营训练手册_王_芳_.._x_2026-12-05.xlsx"
    assert export.export_filename(None, "en", when) == "tiered-client-workbook_2026-12-05.xlsx"


def test_native_charts_whale_curve_and_tier_bars(sample: pd.DataFrame) -> None:
    data = export.export_xlsx(sample, strict=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/charts/chart")]
    scatter = [c for c in charts if "<scatterChart>" in c]
    bars = [c for c in charts if "<barChart>" in c]
    assert len(scatter) == 1 and len(bars) == 7
    # the whale curve reads its points from the 1.4 sheet, the bars their counts from 3.2
    assert "'1.4 客户资产负债'!$G$" in scatter[0] and "鲸鱼曲线" in scatter[0]
    assert all("'3.2 多维分层'!$B$" in bar for bar in bars)
