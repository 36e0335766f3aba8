"""Differentiated service matrix: templates as data, the trainee's overrides, and the plan cost of each tier against
its revenue on hand-computed examples."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import services
from workbook.profit import ProfitParams
from workbook.segmentation import INSUFFICIENT, SCHEMES, segment, segment_detail

DEFAULT_AUM_CODES = [t.code for t in SCHEMES["aum"].tiers()]


def test_dimensions_are_the_seven_of_the_design() -> None:
    assert services.DIMENSIONS == ("cadence", "channel", "benefits", "shelf", "activities", "response", "owner")


def test_every_template_has_every_dimension_in_both_languages() -> None:
    templates = [*services.GENERIC_TEMPLATES.values()]
    templates += [tpl for tiers in services.TIER_TEMPLATES.values() for tpl in tiers.values()]
    assert len(templates) >= 5
    for template in templates:
        assert template.hours >= 0 and template.benefits_cost >= 0
        for dimension in services.DIMENSIONS:
            assert template.text[dimension]["zh"].strip() and template.text[dimension]["en"].strip(), template.key


def test_every_scheme_has_templates_of_its_own_kind() -> None:
    for scheme_id in SCHEMES:
        ladder = [t.code for t in SCHEMES[scheme_id].tiers() if t.code != INSUFFICIENT]
        assert set(ladder) == set(services.TIER_TEMPLATES[scheme_id]), scheme_id
    own = services.TIER_TEMPLATES

    def text(scheme: str, code: str, dimension: str) -> str:
        return own[scheme][code].text[dimension]["zh"]

    # priority: the quadrant's sales action, and "close now" is a meeting this week, not a private gathering with
    # 4,000 元 of premium benefits
    close_now = text("priority", "close_now", "cadence")
    assert "1周内面谈" in close_now and "大而熟" in close_now
    assert own["priority"]["close_now"].benefits_cost <= 500
    assert "私享会" not in text("priority", "close_now", "activities")
    assert "先建立信任" in text("priority", "nurture", "cadence")
    # relationship: build trust first, ask for referrals at the top
    assert "转介绍" in text("relationship", "trusted", "cadence")
    assert "转介绍" not in text("relationship", "stranger", "cadence")
    # contribution: A retain, C cut the cost
    assert text("contribution", "A", "cadence").startswith("保留")
    assert text("contribution", "C", "cadence").startswith("降成本")
    assert "不送礼" in text("contribution", "C", "benefits")
    # education: the activities follow the stage
    assert "新客欢迎会" in text("education", "new", "activities")
    assert "客户带客户" in text("education", "loyal_fan", "activities")


def test_no_template_offers_principal_guaranteed_products() -> None:
    # 保本型产品 are gone since 资管新规 (2018); a saver's shelf is deposits, large CDs and structured deposits
    templates = [*(t for tiers in services.TIER_TEMPLATES.values() for t in tiers.values()),
                 *services.GENERIC_TEMPLATES.values()]
    for template in templates:
        for dimension in services.DIMENSIONS:
            assert "保本型" not in template.text[dimension]["zh"], template.key
            assert "capital-protected" not in template.text[dimension]["en"], template.key
    saver = services.TIER_TEMPLATES["cognition"]["saver"].text["shelf"]["zh"]
    assert "大额存单" in saver and "结构性存款" in saver


def test_default_aum_ladder_gets_more_time_higher_up() -> None:
    rows = services.template_rows("aum", DEFAULT_AUM_CODES, "zh")
    hours = [r["hours"] for r in rows if r["tier"] != INSUFFICIENT]
    assert hours == sorted(hours)  # more time for higher tiers
    assert rows[-1]["tier"] == INSUFFICIENT and rows[-1]["shelf"] == services.GENERIC_TEMPLATES["insufficient"].row(
        "zh")["shelf"]


def test_generic_templates_by_rank() -> None:
    # Lowest → base, highest → top; 3 tiers: 0 → base, 1 → position 1.5 rounds to high, 2 → top.
    assert [services.generic_level(r, 3) for r in range(3)] == ["base", "high", "top"]
    assert [services.generic_level(r, 5) for r in range(5)] == ["base", "mid", "high", "high", "top"]
    assert services.generic_level(0, 1) == "mid"
    # tiers a scheme's defaults do not have (relabelled codes) take the generic templates by rank
    rows = services.template_rows("contribution", ["low", "mid", "top"], "en")
    assert rows[0]["owner"] == services.GENERIC_TEMPLATES["base"].row("en")["owner"]
    assert rows[2]["hours"] == services.GENERIC_TEMPLATES["top"].hours
    # A bank preset's codes on the aum scheme take the generic templates too.
    preset_rows = services.template_rows("aum", ["cmb_below", "cmb_gold", "cmb_private"], "zh")
    assert preset_rows[0]["hours"] == services.GENERIC_TEMPLATES["base"].hours


def test_overrides_round_trip() -> None:
    codes = ["mass", "potential", "affluent", "private"]
    rows = services.matrix_rows("aum", codes, "zh")
    rows[1]["cadence"] = "每两周一次企业微信"
    rows[3]["hours"] = 30
    previous = {"cmb_gold": {"owner": "别的阶梯的修改"}}  # another ladder's edit is kept
    overrides = services.overrides_from_rows("aum", rows, "zh", previous)
    assert overrides == {
        "potential": {"cadence": "每两周一次企业微信"},
        "private": {"hours": 30.0},
        "cmb_gold": {"owner": "别的阶梯的修改"},
    }
    again = services.matrix_rows("aum", codes, "zh", overrides)
    assert again[1]["cadence"] == "每两周一次企业微信" and again[3]["hours"] == 30.0
    # Untouched cells follow the language.
    english = services.matrix_rows("aum", codes, "en", overrides)
    assert english[0]["cadence"] == services.TIER_TEMPLATES["aum"]["mass"].text["cadence"]["en"]
    # A cleared cell is an override too (blank), and junk numbers count as 0.
    rows[0]["channel"] = None
    rows[0]["benefits_cost"] = "abc"
    cleared = services.overrides_from_rows("aum", rows, "zh")
    assert cleared["mass"] == {"channel": ""}  # "abc" → 0, which is the 大众 template's benefits cost
    assert services.matrix_rows("aum", codes, "zh", cleared)[0]["channel"] == ""


def test_plan_cost_worked_example() -> None:
    # Tier 财富: 40 customers, revenue 100,000 元; plan 8 h and 1,500 元 benefits per customer; 200 元/h.
    #   time cost = 8 × 40 × 200 = 64,000; benefits = 1,500 × 40 = 60,000; plan = 124,000 > 100,000 → over,
    #   margin = 100,000 − 124,000 = −24,000; cost share = 124,000 ÷ 100,000 = 1.24.
    # Tier 私行: 10 customers, revenue 200,000; 24 h and 8,000 元 → 24 × 10 × 200 = 48,000 + 80,000 = 128,000,
    #   margin 72,000, not over.
    # Tier 大众: no customers → costs nothing, not over.
    stats = pd.DataFrame({"customers": [0, 40, 10], "revenue": [0.0, 100_000.0, 200_000.0]},
                         index=pd.Index(["mass", "affluent", "private"], name="tier"))
    rows = [
        {"tier": "mass", "hours": 0.5, "benefits_cost": 0},
        {"tier": "affluent", "hours": 8, "benefits_cost": 1_500},
        {"tier": "private", "hours": 24, "benefits_cost": 8_000},
    ]
    costs = services.plan_costs(rows, stats, hourly_cost=200)
    assert costs.loc["affluent", "time_cost"] == 64_000
    assert costs.loc["affluent", "benefits_total"] == 60_000
    assert costs.loc["affluent", "plan_cost"] == 124_000
    assert costs.loc["affluent", "margin"] == -24_000
    assert costs.loc["affluent", "cost_share"] == pytest.approx(1.24)
    assert bool(costs.loc["affluent", "over"]) is True
    assert costs.loc["private", "plan_cost"] == 128_000
    assert costs.loc["private", "margin"] == 72_000
    assert bool(costs.loc["private", "over"]) is False
    assert costs.loc["mass", "plan_cost"] == 0 and math.isnan(costs.loc["mass", "cost_share"])
    # Plan hours: 8 × 40 + 24 × 10 = 560 > 500 available → over capacity.
    summary = services.plan_summary(costs, available_hours=500)
    assert summary.hours == 560
    assert summary.plan_cost == 252_000
    assert summary.over_tiers == ("affluent",)
    assert summary.over_capacity
    assert not services.plan_summary(costs, available_hours=1_800).over_capacity


def test_tier_revenue_on_a_hand_book() -> None:
    # revenue = fee + deposits × 1% + loans × 1.5% (1.4 defaults)
    #   a: 1,000 + 100,000 × 1% = 2,000          (aum 100,000 → 潜力)
    #   b: 0 + 0 + 200,000 × 1.5% = 3,000        (aum 20,000 → 大众)
    #   c: 5,000 + 1,000,000 × 1% = 15,000       (aum 1,000,000 → 财富)
    book = pd.DataFrame({
        "customer_id": ["a", "b", "c"],
        "aum": [100_000, 20_000, 1_000_000],
        "fee_income_12m": [1_000, 0, 5_000],
        "deposit_balance": [100_000, 0, 1_000_000],
        "loan_balance": [0, 200_000, 0],
    })
    stats = services.tier_revenue(book, segment(book, "aum"))
    assert stats.index.tolist() == DEFAULT_AUM_CODES
    assert stats.loc["potential", "revenue"] == pytest.approx(2_000)
    assert stats.loc["mass", "revenue"] == pytest.approx(3_000)
    assert stats.loc["affluent", "revenue"] == pytest.approx(15_000)
    assert stats.loc["private", "customers"] == 0
    assert stats.loc["affluent", "aum"] == 1_000_000


def test_hourly_cost_from_page_1_4() -> None:
    # Page 1.4 keeps asset_review.ReviewInputs entries (spreads in percent).
    params, from_page = services.profit_params_from({"annual_cost": 450_000, "effective_hours": 1_500})
    assert from_page and params.hourly_cost == 300  # 450,000 ÷ 1,500
    params, from_page = services.profit_params_from({})
    assert not from_page and params.hourly_cost == 200  # 360,000 ÷ 1,800
    params, from_page = services.profit_params_from({"_done": True, "my_action": "text"})
    assert not from_page and params == ProfitParams()
    params, from_page = services.profit_params_from({"deposit_spread_pct": 2.0, "effective_hours": "junk"})
    assert not from_page and params.deposit_spread == pytest.approx(0.02) and params.hourly_cost == 200


def test_service_line() -> None:
    labels = {"cadence": "联系频率", "channel": "服务渠道", "benefits": "专属权益"}
    row = {"cadence": "每月", "channel": "电话", "benefits": ""}
    assert services.service_line(row, labels, "zh") == "联系频率：每月；服务渠道：电话"
    english = {"cadence": "Monthly", "channel": "Phone", "benefits": " "}
    names = {"cadence": "Cadence", "channel": "Channel", "benefits": "Benefits"}
    assert services.service_line(english, names, "en") == "Cadence: Monthly; Channel: Phone"


@given(
    customers=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6),
    hours=st.floats(min_value=0, max_value=100),
    benefits=st.floats(min_value=0, max_value=50_000),
    hourly=st.floats(min_value=0, max_value=2_000),
)
def test_plan_cost_is_hours_times_customers_times_rate_plus_benefits(
    customers: list[int], hours: float, benefits: float, hourly: float
) -> None:
    codes = [f"t{i}" for i in range(len(customers))]
    stats = pd.DataFrame({"customers": customers, "revenue": [0.0] * len(customers)}, index=codes)
    rows = [{"tier": c, "hours": hours, "benefits_cost": benefits} for c in codes]
    costs = services.plan_costs(rows, stats, hourly)
    for code, n in zip(codes, customers, strict=True):
        assert costs.loc[code, "plan_cost"] == pytest.approx(hours * n * hourly + benefits * n)
        assert costs.loc[code, "plan_cost"] >= 0


def test_today_beside_the_plan_on_a_hand_book() -> None:
    # Four customers: two 大众 (3 h and 5 h, gifts 100 and 0, events 60, rebates 0), one 潜力 (10 h, gifts 300,
    # rebates 50), one 财富 (4 h, events 400, a blank rebate).
    book = pd.DataFrame({
        "customer_id": list("abcd"),
        "aum": [10_000.0, 20_000.0, 100_000.0, 800_000.0],
        "fee_income_12m": [50.0, 50.0, 1_000.0, 8_000.0],
        "service_hours_12m": [3.0, 5.0, 10.0, 4.0],
        "gift_cost_12m": [100.0, 0.0, 300.0, 0.0],
        "event_cost_12m": [60.0, 0.0, 0.0, 400.0],
        "rebate_cost_12m": [0.0, 0.0, 50.0, float("nan")],
    })
    tiers = segment_detail(book, "aum").tiers
    actuals = services.tier_actuals(book, tiers)
    assert actuals.loc["mass", "hours_today"] == 8  # 3 + 5
    assert actuals.loc["mass", "perks_today"] == 160  # 100 + 60
    assert actuals.loc["potential", "perks_today"] == 350  # 300 + 50
    assert actuals.loc["affluent", "rebates_today"] == 0  # a blank counts 0
    assert actuals.loc["private", "hours_today"] == 0 and actuals.loc["private", "customers"] == 0
    codes = ["mass", "potential", "affluent", "private"]
    rows = services.matrix_rows("aum", codes, "zh")  # templates: 0.5 · 2 · 8 · 24 h per customer
    costs = services.plan_costs(rows, services.tier_revenue(book, tiers), 200)
    frame, balance = services.plan_vs_today(costs, actuals)
    # planned: mass 0.5 × 2 = 1 h (today 8: frees 7); potential 2 × 1 = 2 (today 10: frees 8);
    # affluent 8 × 1 = 8 (today 4: needs 4); private 0
    assert frame["hours_change"].tolist() == [-7.0, -8.0, 4.0, 0.0]
    assert (balance.today, balance.planned, balance.freed, balance.needed) == (22.0, 11.0, 15.0, 4.0)
    assert balance.change == -11.0 and balance.known
    # benefits planned: 0 · 200 · 1,500 per customer
    assert frame["benefits_planned"].tolist() == [0.0, 200.0, 1_500.0, 0.0]


def test_today_unknown_when_the_book_has_no_hours() -> None:
    book = pd.DataFrame({"customer_id": ["a"], "aum": [10_000.0], "deposit_balance": [10_000.0]})
    tiers = segment_detail(book, "aum").tiers
    actuals = services.tier_actuals(book, tiers)
    assert actuals["hours_today"].isna().all() and actuals["perks_today"].isna().all()
    costs = services.plan_costs(services.matrix_rows("aum", ["mass"], "zh"), services.tier_revenue(book, tiers), 200)
    _, balance = services.plan_vs_today(costs, actuals)
    assert not balance.known and math.isnan(balance.freed)
