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
    # justified hours = revenue ÷ 200: 15, 10, 1.5
    assert figures["收入值得的服务小时/年"].tolist() == pytest.approx([15, 10, 1.5])

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
    sheet.cell(find(sheet, "年度成本：薪酬、福利与分摊的网点成本"), 2).value = 180_000  # → 100 元/h
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


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return wb.sample_book(300, seed=7)


@pytest.fixture(scope="module")
def trainee() -> ws.Workspace:
    """A trainee who set their own figures on several pages (as the pages store them)."""
    work = ws.new_workspace()
    ws.set_values(work, "s1_1", ratings={"effort": 5, "rebate": 2, "quality": 4, "competition": 3})
    ws.set_values(work, "s1_2", period="year", c_pct=12.5, target_year=None, plan_pct={"n": 10.0})
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


def test_sample_book_profitability_matches_the_app(sample, recalculated) -> None:
    params = asset_review.ReviewInputs(annual_cost=420_000.0, effective_hours=1_750.0,
                                       deposit_spread_pct=1.2).params()
    expected = profitability(sample, params)
    figures = book_figures(recalculated["客户名册"], len(sample))
    for column, key in (("收入（元/年）", "revenue"), ("服务成本（元/年）", "cost"), ("净贡献（元/年）", "net")):
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
    levers = perf.resolve_levers(perf.derive_from_book(sample, "year"), c_pct=values["c_pct"]).levers
    target = perf.default_target(levers)
    plan = perf.target_plan(levers, target)
    assert plan is not None
    sheet = recalculated["1.2 核心业绩公式"]
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
