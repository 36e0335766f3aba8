"""The sheets of sections 二 and 四, recalculated by LibreOffice: the four-account plan (2.1), the hours events save
(2.2), the engagement ladder (4.1), the hours strategies need (4.2), throughput accounting and the best use of the
hours (4.3), and exercise 2 (4.4) — each checked by hand where the arithmetic is short and against the domain
functions the pages use, before and after the trainee edits an input in the file; the edits come back on resume."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import workbook as wb
from tests.workbook.spreadsheet_tools import find, recalculate
from workbook import asset_review, exercises, export, services
from workbook import households as hh
from workbook import ladder as ld
from workbook import leverage as lv
from workbook import strategy as strat
from workbook import throughput as tp
from workbook import workspace as ws
from workbook.resume import resume_from_xlsx
from workbook.segmentation import segment_detail


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return wb.sample_book(300, seed=7)


def _edited(data: bytes, title: str, edits: list[tuple[str, int, object]]) -> bytes:
    """The workbook with cells changed as a trainee would in Excel: (row label in column A, column, value)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[title]
    for label, column, value in edits:
        sheet.cell(find(sheet, label), column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_values(sheet, label: str, first: int, last: int) -> list:  # type: ignore[no-untyped-def]
    row = find(sheet, label)
    return [sheet.cell(row, column).value for column in range(first, last + 1)]


# ---- 2.1 the four-account plan ---------------------------------------------------------------------------------


def test_the_four_account_plan_is_live_and_edits_come_back(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s2_1", source="case", case="pufa")
    data = export.export_xlsx(sample, work, strict=True)
    sheet = recalculate(data)["2.1 深度KYC"]
    # 浦发 case: total 180 万元; holdings 120 / 0 / 20 / 40 万元; shares 10 / 20 / 30 / 40 %
    # targets 18 / 36 / 54 / 72; gaps 18 − 120 = −102, 36, 54 − 20 = 34, 72 − 40 = 32
    plan_top = find(sheet, "家庭资产四账户：目标与现状")
    rows = {sheet.cell(r, 1).value: [sheet.cell(r, c).value for c in range(2, 6)]
            for r in range(plan_top + 2, plan_top + 8)}
    assert rows["要花的钱"] == pytest.approx([0.1, 18, 120, -102])
    assert rows["保命的钱"] == pytest.approx([0.2, 36, 0, 36])
    assert rows["生钱的钱"] == pytest.approx([0.3, 54, 20, 34])
    assert rows["保本升值的钱"] == pytest.approx([0.4, 72, 40, 32])
    expected = hh.four_account_plan(1_800_000, {"spend": 1_200_000, "grow": 200_000, "preserve": 400_000})
    assert [rows[hh.ACCOUNT_INFO[c].label("zh")][3] for c in hh.ACCOUNTS] == pytest.approx(
        (expected["gap"] / 10_000).tolist())

    # In Excel: 要花的钱 15%, 生钱的钱 25% (still 100%), and 保命的钱 now 10 万元.
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit = book["2.1 深度KYC"]
    shares = find(edit, "要花的钱")
    edit.cell(shares, 2).value = 0.15
    edit.cell(shares + 2, 2).value = 0.25
    protect = next(r for r in range(plan_top, plan_top + 8) if edit.cell(r, 1).value == "保命的钱")
    edit.cell(protect, 4).value = 10
    out = io.BytesIO()
    book.save(out)
    again = recalculate(out.getvalue())["2.1 深度KYC"]
    # targets 180 × 15% = 27, 36, 180 × 25% = 45, 72; gaps 27 − 120 = −93, 36 − 10 = 26, 45 − 20 = 25, 32
    assert [again.cell(protect - 1 + i, 5).value for i in range(4)] == pytest.approx([-93, 26, 25, 32])
    resumed = resume_from_xlsx(out.getvalue()).workspace["modules"]["s2_1"]
    # the shares come back whole (the page needs all four), the holdings as the card's override in 万元
    assert resumed["shares_pct"] == {"spend": 15.0, "protect": 20.0, "grow": 25.0, "preserve": 40.0}
    assert resumed["cards"]["case:pufa"]["holdings_wan"] == {"spend": 120.0, "protect": 10.0, "grow": 20.0,
                                                             "preserve": 40.0}


def test_kyc_text_is_masked_and_never_an_input(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s2_1", source="blank", cards={"_blank": {"notes": "电话 13812345678，约周五"}},
                  proposals={"_blank": "=HYPERLINK(\"http://x\") 身份证 110101199001011234"})
    data = export.export_xlsx(sample.head(20), work, strict=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["2.1 深度KYC"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("138****5678" in t for t in texts) and not any("13812345678" in t for t in texts)
    assert any("1101**********1234" in t for t in texts)
    proposal = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert proposal.data_type == "s"  # text, not a formula
    inputs = {spec.path for spec in _inputs(data) if spec.module == "s2_1"}
    assert not any(path[-1] in ("notes", "goals") or path[0] == "proposals" for path in inputs)


def _inputs(data: bytes):  # type: ignore[no-untyped-def]
    from workbook import carrier

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in book[carrier.CARRIER_TITLE].iter_rows(values_only=True)]
    return carrier.read_carrier(rows).inputs


# ---- 2.2 the hours events save ----------------------------------------------------------------------------------


def test_time_leverage_matches_the_app_and_follows_edits(sample: pd.DataFrame) -> None:
    data = export.export_xlsx(sample, strict=True)
    sheet = recalculate(data)["2.2 时间杠杆"]
    # 大众 (90 customers, 0.5 h a year each, 0.5 h a touch, 线上直播 capacity 100, 4 h, 0.1 h follow-up, 90%
    # replaceable, 0.25 events a month): touches = 90 × 0.5 ÷ (12 × 0.5) = 7.5; one-to-one 3.75 h; attendees =
    # MIN(0.25 × 100, 0.9 × 7.5) = 6.75; event hours = 0.25 × 4 + 6.75 × 0.1 = 1.675; after = 0.75 × 0.5 + 1.675
    # = 2.05; saved = 1.7 hours a month
    mass = _row_values(sheet, "大众客户", 2, 14)
    assert mass[0] == 90
    assert mass[6:] == pytest.approx([7.5, 3.75, 6.75, 0.9, 1.675, 2.05, 1.7])
    # against the page's arithmetic for every group
    detail = segment_detail(sample, "aum")
    codes = [t.code for t in detail.tier_list]
    counts = detail.tiers.value_counts()
    hours = {r["tier"]: float(r["hours"]) for r in services.matrix_rows("aum", codes, "zh", None)}
    specs = lv.tier_groups("aum", codes, {c: int(counts.get(c, 0)) for c in codes}, hours)
    plans = [lv.group_plan(spec, None)[0] for spec in specs]
    table = lv.leverage_table(plans)
    labels = detail.labels("zh")
    for spec in specs:
        got = _row_values(sheet, labels[spec.code], 9, 14)
        expected = table.loc[spec.key, ["one_to_one_hours", "attendees", "coverage", "event_hours", "hours_after",
                                        "hours_saved"]]
        assert got == pytest.approx(expected.tolist()), spec.code
    total = lv.totals(table)
    assert sheet.cell(find(sheet, "每月节省（小时）"), 4).value == pytest.approx(total.hours_saved)
    # worth a year at 200 元 an hour: saved × 12 × 200 ÷ 10,000 万元
    assert sheet.cell(find(sheet, "节省的时间每年价值（万元）"), 4).value == pytest.approx(
        lv.yearly_value(total.hours_saved, 200) / 10_000)

    # In Excel: two 线上直播 a month for 大众 → attendees MIN(200, 6.75) = 6.75; event hours 2 × 4 + 0.675 = 8.675;
    # after 0.375 + 8.675 = 9.05; saved 3.75 − 9.05 = −5.3 (events that cost more hours than they save)
    edited = _edited(data, "2.2 时间杠杆", [("大众客户", 7, 2)])
    again = recalculate(edited)["2.2 时间杠杆"]
    assert _row_values(again, "大众客户", 12, 14) == pytest.approx([8.675, 9.05, -5.3])
    back = resume_from_xlsx(edited).workspace["modules"]["s2_2"]
    assert back == {"groups": {"tier:aum:mass": {"events_per_month": 2.0}}}


# ---- 4.1 the engagement ladder ----------------------------------------------------------------------------------


def test_ladder_steps_follow_the_levels_typed(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s4_1", scheme="aum", levels={"aum": {"affluent": {"current": 3, "target": 6}}})
    data = export.export_xlsx(sample, work, strict=True)
    sheet = recalculate(data)["4.1 客户经营梯度"]
    affluent = _row_values(sheet, "财富客户", 7, 11)
    # today 3, target 6: three steps (4, 5, 6); the next is level 4 with its action
    assert affluent[1:4] == [3, 6, 3]
    level4 = ld.level(4)
    assert affluent[4] == f"{level4.label('zh')}：{level4.action('zh')}"
    assert [step.number for step in ld.next_levels(3, 6)] == [4, 5, 6]
    # a tier without a saved level shows the suggestion as today's and no target
    figures = ld.engagement_figures(sample, segment_detail(sample, "aum").tiers)
    suggested = ld.suggestions(figures)
    mass = _row_values(sheet, "大众客户", 7, 10)
    assert mass[0] == suggested["mass"].level and mass[1] == suggested["mass"].level
    assert mass[2] is None and mass[3] == 0

    edited = _edited(data, "4.1 客户经营梯度", [("财富客户", 9, 9)])  # target 6 → 9
    assert _row_values(recalculate(edited)["4.1 客户经营梯度"], "财富客户", 10, 10) == [6]
    back = resume_from_xlsx(edited).workspace["modules"]["s4_1"]
    assert back["levels"]["aum"]["affluent"] == {"current": 3, "target": 9}


# ---- 4.2 the hours strategies need ------------------------------------------------------------------------------


def test_strategy_hours_match_the_app_and_follow_edits(sample: pd.DataFrame) -> None:
    data = export.export_xlsx(sample, strict=True)
    sheet = recalculate(data)["4.2 经营策略"]
    detail = segment_detail(sample, "aum")
    codes = [t.code for t in detail.tier_list if int((detail.tiers == t.code).sum()) > 0]
    resolved = strat.strategies("aum", codes, "zh")
    counts = detail.tiers.value_counts().to_dict()
    check = strat.hours_check({c: resolved[c] for c in codes if c != "insufficient"}, counts, 1_800)
    top = find(sheet, "这些策略需要你多少时间")
    labels = detail.labels("zh")
    for offset, code in enumerate(check.tiers.index, start=2):
        assert sheet.cell(top + offset, 1).value == labels[code]
        assert sheet.cell(top + offset, 4).value == pytest.approx(check.tiers.loc[code, "hours"])
    assert sheet.cell(find(sheet, "策略所需小时数（每年）"), 4).value == pytest.approx(check.needed)
    assert sheet.cell(find(sheet, "你的有效工作时间（每年）"), 4).value == 1_800

    # In Excel: 私行 customers get 30 hours a year instead of 24: 7 more × 6 h = 42 hours more in all
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit = book["4.2 经营策略"]
    private = find(edit, "私行客户")
    hours_row = next(r for r in range(private, private + 20)
                     if edit.cell(r, 1).value == "每位客户每年需要你的小时数")
    edit.cell(hours_row, 2).value = 30
    out = io.BytesIO()
    book.save(out)
    again = recalculate(out.getvalue())["4.2 经营策略"]
    private_customers = int(counts["private"])
    assert again.cell(find(again, "策略所需小时数（每年）"), 4).value == pytest.approx(
        check.needed + private_customers * 6)
    back = resume_from_xlsx(out.getvalue()).workspace["modules"]["s4_2"]
    assert back == {"strategies": {"aum": {"private": {"hours_per_customer": 30}}}}


# ---- 4.3 throughput accounting -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def throughput_work() -> ws.Workspace:
    work = ws.new_workspace()
    ws.set_values(work, "s1_4", annual_cost=420_000.0, effective_hours=1_750.0)
    ws.set_values(work, "s4_3", scheme="aum", other_oe=60_000.0, investment={"aum": {"affluent": 100_000.0}},
                  available=1_500.0, floor_pct=40.0, bounds={"aum": {"private": {"ceiling": 400.0}}})
    return work


def test_throughput_matches_the_app(sample: pd.DataFrame, throughput_work: ws.Workspace) -> None:
    sheet = recalculate(export.export_xlsx(sample, throughput_work, strict=True))["4.3 有效产出会计"]
    params = asset_review.params_from(throughput_work["modules"]["s1_4"])
    detail = segment_detail(sample, "aum")
    by_tier = tp.throughput_by_tier(sample, detail.tiers, params, investment={"affluent": 100_000.0})
    totals = tp.throughput_totals(by_tier, params, 60_000.0)
    labels = detail.labels("zh")
    for code in [c for c in by_tier.index if by_tier.loc[c, "customers"] > 0]:
        row = by_tier.loc[code]
        got = _row_values(sheet, labels[code], 2, 10)
        assert got[0] == row["customers"]
        assert got[1:8] == pytest.approx([row["revenue"] / 1e4, row["variable_cost"] / 1e4, row["t"] / 1e4,
                                          row["hours"], row["oe"] / 1e4, row["np"] / 1e4, row["t_over_oe"]])
        assert got[8] == pytest.approx(row["t_per_hour"])
    assert _row_values(sheet, labels["affluent"], 12, 12) == pytest.approx([by_tier.loc["affluent", "roi"]])
    # the whole book: OE = 42 + 6 万元 (the annual cost and other costs), NP = T − OE
    assert sheet.cell(find(sheet, "全年营运费用 OE"), 2).value == pytest.approx(48)
    assert sheet.cell(find(sheet, "有效产出 T"), 2).value == pytest.approx(totals.t / 1e4)
    assert sheet.cell(find(sheet, "净利润 NP"), 2).value == pytest.approx(totals.np / 1e4)
    assert sheet.cell(find(sheet, "生产率 T ÷ OE"), 2).value == pytest.approx(totals.t_over_oe)
    assert sheet.cell(find(sheet, "投资回报率 ROI"), 2).value == pytest.approx(totals.roi)

    # the best use of 1,500 hours: floors 40% of today, ceilings 150% (私行 its own 400 h)
    priced = by_tier[by_tier["customers"] > 0]
    priced = priced[priced["t_per_hour"].notna()].sort_values("t_per_hour", ascending=False)
    table = tp.allocation_table(priced, 0.40, 1.50, {"private": {"ceiling": 400.0}})
    comparison = tp.compare_allocation(table, 1_500, totals.np)
    top = find(sheet, "把时间用在最值钱的地方")
    header = next(r for r in range(top, top + 12) if sheet.cell(r, 9).value == "最优（小时）")
    for offset in range(1, len(table) + 1):
        label = sheet.cell(header + offset, 1).value
        code = next(c for c, text in labels.items() if text == label)
        assert sheet.cell(header + offset, 6).value == pytest.approx(table.loc[code, "floor"])
        assert sheet.cell(header + offset, 7).value == pytest.approx(table.loc[code, "ceiling"])
        assert sheet.cell(header + offset, 9).value == pytest.approx(comparison.tiers.loc[code, "best"])
    assert sheet.cell(find(sheet, "有效产出增加（净利润同样增加）"), 2).value == pytest.approx(
        comparison.t_uplift / 1e4)
    assert sheet.cell(find(sheet, "最优分配下的 NP"), 2).value == pytest.approx(comparison.np_best / 1e4)
    assert sheet.cell(find(sheet, "挪动的小时数"), 2).value == pytest.approx(comparison.hours_moved)


def test_allocation_by_hand_after_edits_in_excel(sample: pd.DataFrame, throughput_work: ws.Workspace) -> None:
    # In Excel the trainee gives every tier a floor of 100 h and a ceiling of 300 h, with 1,000 hours in all:
    # the floors take 400 h; the 600 h left go by T per hour, highest first — 私行 (+200 to its 300 ceiling),
    # 财富 (+200), then 潜力 (+200), 大众 keeps its floor (the most T per hour decides, not the most customers).
    data = export.export_xlsx(sample, throughput_work, strict=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["4.3 有效产出会计"]
    top = find(sheet, "把时间用在最值钱的地方")
    sheet.cell(find(sheet, "可用于客户的小时数（每年）"), 2).value = 1_000
    header = next(r for r in range(top, top + 12) if sheet.cell(r, 9).value == "最优（小时）")
    for offset in range(1, 5):
        sheet.cell(header + offset, 4).value = 100
        sheet.cell(header + offset, 5).value = 300
    out = io.BytesIO()
    book.save(out)
    again = recalculate(out.getvalue())["4.3 有效产出会计"]
    best = {again.cell(header + i, 1).value: again.cell(header + i, 9).value for i in range(1, 5)}
    per_hour = {again.cell(header + i, 1).value: again.cell(header + i, 3).value for i in range(1, 5)}
    ranked = sorted(per_hour, key=per_hour.get, reverse=True)
    assert [best[name] for name in ranked] == pytest.approx([300, 300, 300, 100])
    table = pd.DataFrame({"t_per_hour": [per_hour[n] for n in best], "floor": 100.0, "ceiling": 300.0},
                         index=list(best))
    assert list(tp.allocate_hours(table, 1_000)) == pytest.approx(list(best.values()))
    back = resume_from_xlsx(out.getvalue()).workspace["modules"]["s4_3"]
    assert back["available"] == 1_000
    assert back["bounds"]["aum"]["mass"] == {"floor": 100, "ceiling": 300}
    assert back["bounds"]["aum"]["private"] == {"ceiling": 300, "floor": 100}

    # floors above the hours available: no allocation, the sheet says so
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    book["4.3 有效产出会计"].cell(find(book["4.3 有效产出会计"], "可用于客户的小时数（每年）"), 2).value = 300
    short = io.BytesIO()
    book.save(short)
    refused = recalculate(short.getvalue())["4.3 有效产出会计"]
    assert refused.cell(header + 1, 9).value == "—"
    assert any(isinstance(c.value, str) and c.value.startswith("各层最低小时数之和超过可用小时数")
               for row in refused.iter_rows() for c in row)


# ---- 4.4 exercise 2 ----------------------------------------------------------------------------------------------


def test_exercise2_reads_as_the_page_builds_it_and_actions_come_back(sample: pd.DataFrame) -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s3_5", group="第三组", members="王芳\n李雷", schemes=["aum"])
    ws.set_values(work, "s4_4", start="2026-12-07", directions={"王芳": {
        "scheme": "aum", "tier": "affluent",
        "actions": [{"action": "约见财富客户做资产检视", "owner": "王芳", "due": "2026-12-20"}]}})
    data = export.export_xlsx(sample, work, strict=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["4.4 练习二"]
    assert sheet.cell(find(sheet, "小组名称"), 2).value == "第三组"
    assert sheet.cell(find(sheet, "90 天计划的开始日期"), 2).value == "2026-12-07 至 2027-03-07"
    evidence = exercises.segment_evidence(sample, "aum", {}, asset_review.params_from({}))
    affluent = evidence.tiers.loc["affluent"]
    assert sheet.cell(find(sheet, "客户数"), 2).value == int(affluent["customers"])
    assert sheet.cell(find(sheet, "每小时有效产出（元/小时）"), 2).value == pytest.approx(
        round(float(affluent["t_per_hour"]), 2))
    problems = [c.value for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("•")]
    assert "• 李雷还没有选核心经营客户方向（一种分层中的一个层级）。" in problems

    # In Excel: a second action in the first empty row
    book = openpyxl.load_workbook(io.BytesIO(data))
    edit = book["4.4 练习二"]
    first = find(edit, "约见财富客户做资产检视")
    edit.cell(first + 1, 1).value = "办一场财富沙龙"
    edit.cell(first + 1, 3).value = "王芳"
    edit.cell(first + 1, 4).value = "2027-01-15"
    out = io.BytesIO()
    book.save(out)
    back = resume_from_xlsx(out.getvalue()).workspace["modules"]["s4_4"]
    assert exercises.clean_actions(back["directions"]["王芳"]["actions"]) == [
        {"action": "约见财富客户做资产检视", "owner": "王芳", "due": "2026-12-20"},
        {"action": "办一场财富沙龙", "owner": "王芳", "due": "2027-01-15"},
    ]
