"""The exported workbook's formulas, recalculated by LibreOffice, give the figures the app shows — checked by hand
on a three-customer book (arithmetic in the comments) and against the domain functions on the sample book, before
and after the trainee changes an input in the file."""

from __future__ import annotations

import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

import workbook as wb
from tests.workbook.spreadsheet_tools import find, recalculate, table
from workbook import asset_review, export, i18n, self_check, services
from workbook import bottleneck as neck
from workbook import performance as perf
from workbook import workspace as ws
from workbook.profit import ProfitParams, profitability
from workbook.segmentation import SCHEME_IDS, tier_summary

ZH_KIND = {"asset": "资产", "potential": "潜力资产", "liability": "负债"}


def hand_book() -> pd.DataFrame:
    """Three customers whose figures are worked out by hand below (defaults: 200 元/h, spreads 1.0% / 1.5%)."""
    return pd.DataFrame({
        "customer_id": ["K1", "K2", "K3"],
        "aum": [300_000.0, 80_000.0, 10_000.0],
        "aum_12m_ago": [250_000.0, 60_000.0, 10_000.0],
        "deposit_balance": [200_000.0, 50_000.0, 10_000.0],
        "loan_balance": [0.0, 100_000.0, 0.0],
        "fee_income_12m": [1_000.0, 0.0, 200.0],
        "service_hours_12m": [10.0, 20.0, 5.0],
        "gift_cost_12m": [500.0, 1_000.0, 0.0],
        "rebate_cost_12m": [0.0, 500.0, 0.0],
        "event_cost_12m": [0.0, 300.0, np.nan],
        "external_assets_est": [0.0, 0.0, 100_000.0],
    })


def book_figures(book_sheet, count: int) -> pd.DataFrame:
    header, rows = table(book_sheet)
    frame = pd.DataFrame(rows[:count], columns=header)
    return frame


def test_hand_book_revenue_cost_net_kind() -> None:
    recalculated = recalculate(export.export_xlsx(hand_book(), strict=True))
    figures = book_figures(recalculated["客户名册"], 3)
    # K1: revenue = 1,000 + 200,000 × 1% + 0 × 1.5% = 3,000; cost = 10 h × 200 + 500 = 2,500; net = 500 ≥ 0 → 资产
    # K2: revenue = 0 + 50,000 × 1% + 100,000 × 1.5% = 500 + 1,500 = 2,000;
    #     cost = 20 × 200 + 1,000 + 500 + 300 = 5,800; net = −3,800 < 0, AUM grew 80,000 ÷ 60,000 − 1 = 33% ≥ 20%
    #     → 潜力资产
    # K3: revenue = 200 + 10,000 × 1% = 300; cost = 5 × 200 + 0 + 0 + blank = 1,000; net = −700; growth 0%,
    #     assets elsewhere 100,000 < 500,000 → 负债
    assert figures["收入（元/年）"].tolist() == pytest.approx([3_000, 2_000, 300])
    assert figures["服务成本（元/年）"].tolist() == pytest.approx([2_500, 5_800, 1_000])
    assert figures["净贡献（元/年）"].tolist() == pytest.approx([500, -3_800, -700])
    assert figures["资产/负债"].tolist() == ["资产", "潜力资产", "负债"]
    # justified hours = revenue × 30% ÷ 200, at most the tier's service standard on 3.4 (potential 2 h, mass 0.5 h):
    # K1 (AUM 300,000: potential) 3,000 × 0.3 ÷ 200 = 4.5 → 2; K2 (80,000: potential) 2,000 × 0.3 ÷ 200 = 3 → 2;
    # K3 (10,000: mass) 300 × 0.3 ÷ 200 = 0.45 (under the 0.5 h standard)
    assert figures["收入值得的服务小时/年"].tolist() == pytest.approx([2, 2, 0.45])
    assert figures["成本层级"].tolist() == ["潜力客户", "潜力客户", "大众客户"]
    assert figures["收入值得的服务小时/年"].tolist() == pytest.approx(
        profitability(hand_book())["justified_hours"].tolist())

    sheet = recalculated["1.4 客户资产负债"]
    hourly_row = find(sheet, "每小时成本")
    assert sheet.cell(hourly_row, 2).value == pytest.approx(200)  # 360,000 ÷ 1,800
    asset_row = find(sheet, "资产")
    # one asset (K1, net 500 = 0.05 万元), one potential asset (−0.38 万元), one liability (−0.07 万元)
    assert [sheet.cell(asset_row + i, 2).value for i in range(4)] == [1, 1, 1, 3]
    assert [sheet.cell(asset_row + i, 3).value for i in range(4)] == pytest.approx([0.05, -0.38, -0.07, -0.4])


def test_changing_the_annual_cost_recomputes_every_customer() -> None:
    data = export.export_xlsx(hand_book(), strict=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["1.4 客户资产负债"]
    sheet.cell(find(sheet, "年度成本（万元）"), 2).value = 18  # 18 万元 = 180,000 元 → 100 元/h
    edited = io.BytesIO()
    book.save(edited)
    figures = book_figures(recalculate(edited.getvalue())["客户名册"], 3)
    # K1: cost = 10 × 100 + 500 = 1,500; net = 3,000 − 1,500 = 1,500 → 资产
    # K2: cost = 20 × 100 + 1,800 = 3,800; net = 2,000 − 3,800 = −1,800 → 潜力资产 (growth 33%)
    # K3: cost = 5 × 100 = 500; net = 300 − 500 = −200 → 负债
    assert figures["服务成本（元/年）"].tolist() == pytest.approx([1_500, 3_800, 500])
    assert figures["净贡献（元/年）"].tolist() == pytest.approx([1_500, -1_800, -200])
    assert figures["资产/负债"].tolist() == ["资产", "潜力资产", "负债"]
    expected = profitability(hand_book(), ProfitParams(annual_cost=180_000))
    assert figures["净贡献（元/年）"].tolist() == pytest.approx(expected["net"].tolist())


def bank_export_book() -> pd.DataFrame:
    """What a bank export usually carries: balances, contacts and tenure; no service hours, gifts, events, rebates
    or fee income — so 1.4 takes those from the tier assumptions (defaults: cost_to_serve.toml)."""
    return pd.DataFrame({
        "customer_id": ["A1", "A2", "A3", "A4"],
        "aum": [100_000.0, 8_000_000.0, 20_000.0, 60_000.0],
        "aum_12m_ago": [90_000.0, np.nan, 20_000.0, 0.0],
        "tenure_years": [3.0, 0.5, 10.0, 0.5],
        "contacts_12m": [6.0, 12.0, 12.0, 12.0],
        "deposit_balance": [60_000.0, 1_000_000.0, 20_000.0, 60_000.0],
        "wealth_balance": [40_000.0, 5_000_000.0, 0.0, 0.0],
        "fund_balance": [0.0, 2_000_000.0, 0.0, 0.0],
    })


def test_missing_fields_come_from_the_tier_assumptions_live() -> None:
    recalculated = recalculate(export.export_xlsx(bank_export_book(), strict=True))
    figures = book_figures(recalculated["客户名册"], 4)
    # Tiers by AUM: A1 100,000 潜力 · A2 8,000,000 私行 · A3 20,000 大众 · A4 60,000 潜力.
    assert figures["成本层级"].tolist() == ["潜力客户", "私行客户", "大众客户", "潜力客户"]
    # Hours = contacts × the tier's minutes per contact ÷ 60: A1 6 × 15 = 1.5 h; A2 12 × 45 = 9 h;
    # A3 12 × 10 = 2 h; A4 12 × 15 = 3 h.
    assert figures["服务小时/年（按假设）"].tolist() == pytest.approx([1.5, 9, 2, 3])
    # Revenue = fee income from balances (理财 0.3%, 基金 0.5%) + deposits × 1%:
    # A1 40,000 × 0.3% + 600 = 720; A2 15,000 + 10,000 + 10,000 = 35,000; A3 200; A4 600.
    assert figures["收入（元/年）"].tolist() == pytest.approx([720, 35_000, 200, 600])
    # Cost = hours × 200 + the tier's gifts and events: A1 300 + 100 + 50 = 450; A2 1,800 + 3,000 + 2,000 = 6,800;
    # A3 400 + 0 + 0 = 400; A4 600 + 100 + 50 = 750.
    assert figures["服务成本（元/年）"].tolist() == pytest.approx([450, 6_800, 400, 750])
    # Net 270, 28,200, −200, −150. A3 lost money, with no growth and ten years with us → 负债; A4 lost money in its
    # first half year but brought 60,000 ≥ 50,000 → 潜力资产.
    assert figures["净贡献（元/年）"].tolist() == pytest.approx([270, 28_200, -200, -150])
    assert figures["资产/负债"].tolist() == ["资产", "资产", "负债", "潜力资产"]
    # Justified = revenue × 30% ÷ 200, capped by the tier standard: A1 1.08; A2 52.5 → 24; A3 0.3; A4 0.9.
    assert figures["收入值得的服务小时/年"].tolist() == pytest.approx([1.08, 24, 0.3, 0.9])
    expected = profitability(bank_export_book())
    for column, key in (("收入（元/年）", "revenue"), ("服务成本（元/年）", "cost"), ("净贡献（元/年）", "net"),
                        ("收入值得的服务小时/年", "justified_hours")):
        assert figures[column].to_numpy(dtype=float) == pytest.approx(expected[key].to_numpy(), rel=1e-12)


def test_switching_the_assumptions_off_or_editing_a_tier_in_excel() -> None:
    data = export.export_xlsx(bank_export_book(), strict=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["1.4 客户资产负债"]
    sheet.cell(find(sheet, "名册缺少的字段按层级假设估算（关闭则按 0 计）"), 2).value = "否"
    off = io.BytesIO()
    book.save(off)
    figures = book_figures(recalculate(off.getvalue())["客户名册"], 4)
    # Off: no hours, gifts, events or estimated fee income — revenue is the deposits' spread, cost 0, all assets.
    assert figures["收入（元/年）"].tolist() == pytest.approx([600, 10_000, 200, 600])
    assert figures["服务成本（元/年）"].tolist() == pytest.approx([0, 0, 0, 0])
    assert figures["资产/负债"].tolist() == ["资产"] * 4
    expected = profitability(bank_export_book(), asset_review.ReviewInputs(assume_missing=0.0).params())
    assert figures["净贡献（元/年）"].tolist() == pytest.approx(expected["net"].tolist())

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["1.4 客户资产负债"]
    gifts = find(sheet, "礼品（元）")
    assert sheet.cell(gifts - 4, 3).value == "潜力客户"
    sheet.cell(gifts, 3).value = 300  # 潜力: gifts 100 → 300 元 a year
    edited = io.BytesIO()
    book.save(edited)
    figures = book_figures(recalculate(edited.getvalue())["客户名册"], 4)
    # A1 cost 300 + 300 + 50 = 650 → net 70; A4 600 + 300 + 50 = 950 → net −350 (still 潜力资产)
    assert figures["净贡献（元/年）"].tolist() == pytest.approx([70, 28_200, -200, -350])
    params = asset_review.ReviewInputs().params({"potential": {"gift_cost": 300.0}})
    expected = profitability(bank_export_book(), params)["net"]
    assert figures["净贡献（元/年）"].tolist() == pytest.approx(expected.tolist())
    assert resume_changes(edited.getvalue()) == {("tier_costs", "potential", "gift_cost"): 300.0}


def resume_changes(data: bytes) -> dict:
    from workbook.resume import resume_from_xlsx

    resumed = resume_from_xlsx(data)
    work = resumed.workspace["modules"]["s1_4"]
    return {("tier_costs", code, name): value for code, fields in work["tier_costs"].items()
            for name, value in fields.items()}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return wb.sample_book(300, seed=7)


@pytest.fixture(scope="module")
def trainee() -> ws.Workspace:
    """A trainee who set their own figures on several pages (as the pages store them)."""
    work = ws.new_workspace()
    ws.set_values(work, "s1_1", ratings={"effort": 5, "rebate": 2, "quality": 4, "competition": 3})
    ws.set_values(work, "s1_2", period="year", c_pct_year=12.5, target_year=None, plan_pct={"n": 10.0},
                  own_year={"deals": 40.0, "wealth": 2_000_000.0})
    ws.set_values(work, "s1_3", elevate_pct=30.0)
    ws.set_values(work, "s1_4", annual_cost=420_000.0, effective_hours=1_750.0, deposit_spread_pct=1.2)
    ws.set_values(work, "s3_2", scheme="relationship", params={"aum": {"thresholds": [100_000, 1_000_000,
                                                                                       5_000_000]}})
    ws.set_values(work, "s3_4", scheme="aum", overrides={"aum": {"potential": {"hours": 3.0,
                                                                                "benefits_cost": 250.0}}})
    return work


@pytest.fixture(scope="module")
def recalculated(sample: pd.DataFrame, trainee: ws.Workspace) -> openpyxl.Workbook:
    return recalculate(export.export_xlsx(sample, trainee, strict=True))


def test_sample_book_profitability_matches_the_app(sample, trainee, recalculated) -> None:
    # As page 1.4 computes: its entries, and the justified hours capped by the 3.4 plan (潜力 edited to 3 h).
    standard = asset_review.standard_hours_from(trainee["modules"]["s3_4"]["overrides"]["aum"])
    assert dict(standard)["potential"] == 3.0
    params = asset_review.params_from(trainee["modules"]["s1_4"], standard)
    assert params.hourly_cost == pytest.approx(240)  # 420,000 ÷ 1,750
    expected = profitability(sample, params)
    figures = book_figures(recalculated["客户名册"], len(sample))
    for column, key in (("收入（元/年）", "revenue"), ("服务成本（元/年）", "cost"), ("净贡献（元/年）", "net"),
                        ("收入值得的服务小时/年", "justified_hours")):
        assert figures[column].to_numpy(dtype=float) == pytest.approx(expected[key].to_numpy(), rel=1e-12,
                                                                      abs=1e-9)
    assert figures["资产/负债"].tolist() == [ZH_KIND[k] for k in expected["kind"].astype(str)]


def test_sample_book_tiers_and_counts_match_the_app(sample, trainee, recalculated) -> None:
    figures = book_figures(recalculated["客户名册"], len(sample))
    sheet = recalculated["3.2 多维分层"]
    for scheme_id in SCHEME_IDS:
        params = trainee["modules"]["s3_2"]["params"].get(scheme_id)
        detail = wb.segment_detail(sample, scheme_id, params)
        labels = detail.labels("zh")
        column = f"分层：{wb.SCHEMES[scheme_id].name('zh')}"
        assert figures[column].tolist() == [labels[c] for c in detail.tiers.astype(str)]
        summary = tier_summary(sample, detail)
        block = find(sheet, wb.SCHEMES[scheme_id].name("zh") + ("（3.2 当前选择）" if scheme_id == "relationship"
                                                                 else ""))
        header = next(r for r in range(block, block + 30) if sheet.cell(r, 1).value == "层级")
        for offset in range(1, 12):
            label = sheet.cell(header + offset, 1).value
            code = next((c for c, text in labels.items() if text == label), None)
            if code is None:
                break
            assert sheet.cell(header + offset, 2).value == summary.loc[code, "customers"]
            assert sheet.cell(header + offset, 3).value == pytest.approx(summary.loc[code, "customer_share"])
            assert sheet.cell(header + offset, 4).value == pytest.approx(summary.loc[code, "aum"] / 10_000)
            assert sheet.cell(header + offset, 5).value == pytest.approx(summary.loc[code, "aum_share"])


def test_performance_sheet_matches_the_app(sample, trainee, recalculated) -> None:
    values = trainee["modules"]["s1_2"]
    # The page's basis: own figures entered (40 deals, 200 万元 of sales) → "my sales"; c is the trainee's 12.5%.
    own = perf.OwnSales(deals=40.0, wealth=2_000_000.0)
    assert perf.default_basis(sample, own) == perf.BASIS_OWN_SALES
    book_levers = perf.derive_from_book(sample, "year", perf.BASIS_OWN_SALES, own)
    assert book_levers.v.value == pytest.approx(50_000)  # 2,000,000 ÷ 40 deals
    levers = perf.resolve_levers(book_levers, c_pct=values["c_pct_year"]).levers
    target = perf.default_target(levers)
    plan = perf.target_plan(levers, target)
    assert plan is not None
    sheet = recalculated["1.2 核心业绩公式"]
    assert sheet.cell(find(sheet, "本页的业绩口径"), 2).value == "我的销售额（理财+基金+保险）"
    assert sheet.cell(find(sheet, "v 客单价（万元/笔）"), 2).value == pytest.approx(5)  # 50,000 元, typed in 万元
    assert sheet.cell(find(sheet, "理财（万元）"), 2).value == pytest.approx(200)
    assert sheet.cell(find(sheet, "当前业绩 P（每年）"), 2).value == pytest.approx(levers.performance / 10_000)
    assert sheet.cell(find(sheet, "目标是当前的倍数 P* ÷ P"), 2).value == pytest.approx(plan.ratio)
    assert sheet.cell(find(sheet, "3 个杠杆均衡提升，每个需要提升"), 2).value == pytest.approx(plan.balanced_uplift)
    needs = {need.lever: need for need in plan.needs}
    row = find(sheet, "c 成交率")
    assert sheet.cell(row, 3).value == pytest.approx(needs["c"].alone)
    assert sheet.cell(row, 4).value == pytest.approx(needs["c"].balanced)
    pcts = perf.balanced_pcts(plan, levers.names) | {"n": 10.0}
    planned = perf.plan_from_pcts(levers, pcts)
    flow = perf.waterfall(levers, planned)
    assert sheet.cell(find(sheet, "计划业绩（每年）"), 2).value == pytest.approx(flow.end / 10_000)
    step_row = find(sheet, "当前 P")
    assert [sheet.cell(step_row + 1 + i, 2).value for i in range(3)] == pytest.approx(
        [step.delta / 10_000 for step in flow.steps])
    # the classroom experiment: 1.1³ − 1 = 33.1%
    assert sheet.cell(find(sheet, "3 个杠杆同时提升，业绩提升（相乘）"), 2).value == pytest.approx(0.331)


def test_bottleneck_sheet_matches_the_app(recalculated) -> None:
    stages = neck.DEFAULT_STAGES
    analysis = neck.analyse(stages)
    elevation = neck.elevate(stages, 0.30)
    sheet = recalculated["1.3 瓶颈五步法"]
    first = find(sheet, "名单获取")
    # capacity 60, 20, 6.67, 3, 3, 4 a week; deals/week 3.6, 2.4, 2.0, 1.5, 3.0, 13.33 (module docstring)
    assert [sheet.cell(first + i, 8).value for i in range(6)] == pytest.approx(
        [r.deals_capacity for r in analysis.results])
    assert [sheet.cell(first + i, 6).value for i in range(6)] == pytest.approx([r.capacity for r in analysis.results])
    assert [sheet.cell(first + i, 10).value for i in range(6)] == pytest.approx(
        [r.idle_hours for r in analysis.results])
    assert sheet.cell(find(sheet, "系统产出（单/周）"), 2).value == pytest.approx(analysis.throughput)  # 1.5
    assert sheet.cell(find(sheet, "瓶颈环节"), 2).value == "方案呈现"
    # elevate 方案呈现 by 30%: 1.5 × 1.3 = 1.95 < 2.0 (面谈KYC), so the constraint stays
    assert sheet.cell(find(sheet, "提升后的系统产出（单/周）"), 2).value == pytest.approx(elevation.after.throughput)
    assert sheet.cell(find(sheet, "提升后的瓶颈（第五步：回到第一步）"), 2).value == "方案呈现"
    # step 3 as a number: the same 40 hours a week spread by each stage's hours per deal
    rebalanced = neck.subordinate(stages)
    assert [sheet.cell(first + i, 14).value for i in range(6)] == pytest.approx(rebalanced.hours_after)
    assert sum(sheet.cell(first + i, 14).value for i in range(6)) == pytest.approx(sum(rebalanced.hours_before))
    assert sheet.cell(find(sheet, "重新分配后的系统产出（单/周）"), 2).value == pytest.approx(
        rebalanced.after.throughput)
    assert sheet.cell(find(sheet, "换了环节的小时（每周）"), 2).value == pytest.approx(rebalanced.hours_moved)


def test_self_check_scores_match_the_app(trainee, recalculated) -> None:
    ratings = trainee["modules"]["s1_1"]["ratings"]
    scores = self_check.module_scores(ratings)
    sheet = recalculated["1.1 难题自测"]
    # effort 5 → s1_2 gets 1.0 × (5 − 1) ÷ 4 = 1.0
    assert sheet.cell(find(sheet, "1.2 核心业绩公式"), 2).value == pytest.approx(1.0)
    for module_id, score in scores.items():
        title = i18n.t(f"nav.{module_id}", "zh")
        assert sheet.cell(find(sheet, title), 2).value == pytest.approx(score), module_id
    assert sheet.cell(find(sheet, "四个难题平均分"), 2).value == pytest.approx((5 + 2 + 4) / 3)
    assert sheet.cell(find(sheet, "四个市场变化平均分"), 2).value == pytest.approx(3)


def test_service_plan_costs_match_the_app(sample, trainee, recalculated) -> None:
    params = services.profit_params_from(trainee["modules"]["s1_4"])[0]
    detail = wb.segment_detail(sample, "aum", trainee["modules"]["s3_2"]["params"]["aum"])
    stats = services.tier_revenue(sample, detail.tiers, params)
    codes = [t.code for t in detail.tier_list if t.code != "insufficient"]
    rows = services.matrix_rows("aum", codes, "zh", trainee["modules"]["s3_4"]["overrides"]["aum"])
    costs = services.plan_costs(rows, stats, params.hourly_cost)
    sheet = recalculated["3.4 差异化服务"]
    header = find(sheet, "层级", 1)
    header = next(r for r in range(header + 1, header + 40) if sheet.cell(r, 12).value == "判断")
    labels = detail.labels("zh")
    for offset, code in enumerate(codes, start=1):
        row = header + offset
        assert sheet.cell(row, 1).value == labels[code]
        assert sheet.cell(row, 2).value == costs.loc[code, "customers"]
        assert sheet.cell(row, 3).value == pytest.approx(costs.loc[code, "revenue"] / 10_000)
        assert sheet.cell(row, 9).value == pytest.approx(costs.loc[code, "plan_cost"] / 10_000)
        assert sheet.cell(row, 10).value == pytest.approx(costs.loc[code, "margin"] / 10_000)
        share = costs.loc[code, "cost_share"]
        if not math.isnan(share):
            assert sheet.cell(row, 11).value == pytest.approx(share)
    # 潜力 with the trainee's 3 h and 250 元: plan cost = 3 × customers × 240 元/h + 250 × customers
    potential = costs.loc["potential"]
    assert potential["plan_cost"] == pytest.approx(potential["customers"] * (3 * 420_000 / 1_750 + 250))
    # today beside the plan, per tier and in total
    today, balance = services.plan_vs_today(costs, services.tier_actuals(sample, detail.tiers))
    top = find(sheet, "今天与计划：每层的时间和费用")
    header = next(r for r in range(top, top + 6) if sheet.cell(r, 3).value == "今天小时")
    for offset, code in enumerate(codes, start=1):
        row = header + offset
        assert sheet.cell(row, 1).value == labels[code]
        assert sheet.cell(row, 3).value == pytest.approx(today.loc[code, "hours_today"])
        assert sheet.cell(row, 4).value == pytest.approx(today.loc[code, "plan_hours"])
        assert sheet.cell(row, 5).value == pytest.approx(today.loc[code, "hours_change"])
        assert sheet.cell(row, 6).value == pytest.approx(today.loc[code, "gifts_today"] / 10_000)
        assert sheet.cell(row, 8).value == pytest.approx(today.loc[code, "rebates_today"] / 10_000)
        assert sheet.cell(row, 9).value == pytest.approx(today.loc[code, "benefits_planned"] / 10_000)
    assert sheet.cell(find(sheet, "计划释放的小时"), 4).value == pytest.approx(balance.freed)
    assert sheet.cell(find(sheet, "计划需要增加的小时"), 4).value == pytest.approx(balance.needed)
