"""1.4 helpers: worksheet inputs → parameters, what a book lacks, top liabilities with actions, thinned charts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.fixtures.small_books import export_book, review_book
from workbook import asset_review as ar
from workbook.profit import HOURS_FROM_TIER


def _book() -> pd.DataFrame:
    # At 200 元/h: c1 net 10,000 − 2,000 = 8,000; c2 2,000 − 4,500 = −2,500 (20 h, gifts 500);
    # c3 3,000 − 1,000 = 2,000; c4 500 − 3,000 = −2,500 with 1,000,000 elsewhere (potential);
    # c5 revenue 4,000, 5 h (1,000) + gifts 3,500 = 4,500 → −500, not over-served in hours (justified 20 h)
    return pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4", "c5"],
        "aum": [1.0, 1.0, 1.0, 1.0, 1.0],
        "fee_income_12m": [10_000.0, 1_000.0, 0.0, 500.0, 4_000.0],
        "deposit_balance": [0.0, 100_000.0, 0.0, 0.0, 0.0],
        "loan_balance": [0.0, 0.0, 200_000.0, 0.0, 0.0],
        "service_hours_12m": [10.0, 20.0, 5.0, 10.0, 5.0],
        "gift_cost_12m": [0.0, 500.0, 0.0, 0.0, 3_500.0],
        "rebate_cost_12m": [0.0, 0.0, 0.0, 1_000.0, 0.0],
        "event_cost_12m": [0.0, 0.0, 0.0, 0.0, 0.0],
        "external_assets_est": [0.0, 0.0, 0.0, 1_000_000.0, 0.0],
    })


def test_inputs_in_percent_become_parameters() -> None:
    params = ar.ReviewInputs(annual_cost=720_000, effective_hours=1_800, deposit_spread_pct=1.2,
                             loan_spread_pct=2.0, potential_external=300_000, potential_growth_pct=30).params()
    assert params.hourly_cost == pytest.approx(400)
    assert (params.deposit_spread, params.loan_spread, params.potential_aum_growth) == pytest.approx((0.012, 0.02, 0.3))
    assert ar.DEFAULT_INPUTS.params().hourly_cost == pytest.approx(200)
    assert ar.ReviewInputs(effective_hours=0).params().effective_hours == 1.0
    # 10,000 × 30% ÷ 200 = 15 h; capped by the affluent standard (8 h) when the tier is given
    assert ar.justified_hours(10_000, ar.DEFAULT_INPUTS.params()) == pytest.approx(15)
    assert ar.justified_hours(10_000, ar.DEFAULT_INPUTS.params(), "affluent") == pytest.approx(8)
    assert ar.hours_value(17.5, ar.DEFAULT_INPUTS.params()) == pytest.approx(3_500)
    # the new entries: ratio 20%, new customers from 10万, 理财 fees 0.5%, assumptions off, edited tier costs and a
    # 3.4 standard
    params = ar.ReviewInputs(target_cost_ratio_pct=20, potential_new_aum=100_000, wealth_fee_pct=0.5,
                             assume_missing=0).params({"mass": {"hours": 2}}, (("mass", 1.0),))
    assert params.target_cost_ratio == pytest.approx(0.2)
    assert params.potential_new_aum == 100_000
    assert params.assumptions.fee_rate("wealth_balance") == pytest.approx(0.005)
    assert not params.assumptions.enabled
    assert params.assumptions.tier("mass").hours == 2
    assert params.service_standard() == {"mass": 1.0}
    # a ratio typed outside 1–100% is brought inside it
    assert ar.ReviewInputs(target_cost_ratio_pct=0).params().target_cost_ratio == pytest.approx(0.01)
    assert ar.ReviewInputs(target_cost_ratio_pct=250).params().target_cost_ratio == 1.0


def test_params_from_the_workspace() -> None:
    # what page 1.4 keeps: numbers (annual cost in 元) and the edited tier assumptions; junk is ignored
    values = {"annual_cost": 450_000, "effective_hours": 1_500, "target_cost_ratio_pct": "x",
              "deposit_spread_pct": None, "tier_costs": {"private": {"gift_cost": 0}}, "my_assets": "text"}
    params = ar.params_from(values)
    assert params.hourly_cost == pytest.approx(300)  # 450,000 ÷ 1,500
    assert params.target_cost_ratio == pytest.approx(0.3)
    assert params.deposit_spread == pytest.approx(0.01)
    assert params.assumptions.tier("private").gift_cost == 0
    assert ar.params_from(None) == ar.DEFAULT_INPUTS.params()
    # 3.4's edited aum matrix: private customers get 40 h → the cap follows
    standard = dict(ar.standard_hours_from({"private": {"hours": 40.0}}))
    assert standard == {"mass": 0.5, "potential": 2.0, "affluent": 8.0, "private": 40.0}


def test_tier_cost_table_round_trip() -> None:
    rows = ar.tier_cost_rows(ar.DEFAULT_INPUTS.params().assumptions)
    assert [row["tier"] for row in rows] == ["mass", "potential", "affluent", "private"]
    # AUM ranges 0–5万, 5万–50万, 50万–600万, ≥600万
    assert [(row["min_aum"], row["max_aum"]) for row in rows] == [
        (0, 50_000), (50_000, 500_000), (500_000, 6_000_000), (6_000_000, None)]
    assert ar.tier_cost_overrides(rows) == {}
    rows[3]["gift_cost"] = 1_000.0
    rows[0]["hours"] = "abc"
    assert ar.tier_cost_overrides(rows) == {"private": {"gift_cost": 1_000.0}}
    # the page's table: one row per number, one column per tier
    table = ar.tier_cost_table(ar.DEFAULT_INPUTS.params().assumptions)
    assert [row["field"] for row in table] == ["hours", "minutes_per_contact", "gift_cost", "event_cost"]
    assert [table[0][code] for code in ("mass", "potential", "affluent", "private")] == [1, 3, 8, 24]
    assert ar.tier_cost_overrides_from_table(table) == {}
    table[2]["private"] = 1_000.0  # gifts for private customers
    table[0]["mass"] = None  # a cleared cell keeps the default
    assert ar.tier_cost_overrides_from_table(table) == {"private": {"gift_cost": 1_000.0}}


def test_review_worked_example() -> None:
    review = ar.review(_book())
    assert review.status == ar.STATUS_OK and review.missing == ("aum_12m_ago",)
    assert not review.assumed.any
    assert review.result["net"].tolist() == pytest.approx([8_000, -2_500, 2_000, -2_500, -500])
    # liabilities by loss: c2 (−2,500, over-served 20 h vs 10 → the 倒推's action) then c5 (−500: within its hours,
    # losing through gifts → stop gifts)
    assert review.liabilities.index.tolist() == [1, 4]
    assert review.liabilities["perks"].tolist() == pytest.approx([500, 3_500])
    assert review.liabilities["action"].tolist()[1] == "stop_gifts"
    # total 4,500; sorted nets 8,000, 2,000, −500, −2,500, −2,500 → cumulative 8,000, 10,000, 9,500, 7,000, 4,500
    assert review.whale.peak_share == pytest.approx(10_000 / 4_500)
    assert ar.lost_share(review.whale) == pytest.approx(10_000 / 4_500 - 1)
    # ready to draw: every customer on the scatter (5 ≤ the limit) with its id; the listed customers' columns
    assert review.scatter["customer"].tolist() == ["c1", "c2", "c3", "c4", "c5"]
    assert set(review.customers.index) == set(review.liabilities.index) | set(review.over.index) | set(
        review.under.index)


def test_status_says_which_side_is_missing() -> None:
    assert ar.review(pd.DataFrame({"customer_id": ["a"], "aum": [1.0]})).status == ar.STATUS_NOTHING
    assert ar.review(pd.DataFrame({"customer_id": ["a"], "aum": [1.0], "gift_cost_12m": [5.0]})).status == (
        ar.STATUS_NO_REVENUE)
    fee_only = pd.DataFrame({"customer_id": ["a"], "aum": [1.0], "fee_income_12m": [5.0]})
    # costs from the tier assumptions (the default) make the review whole; without them nothing costs anything
    assert ar.review(fee_only).status == ar.STATUS_OK
    bare = ar.ReviewInputs(assume_missing=0).params()
    assert ar.review(fee_only, bare).status == ar.STATUS_NO_COST


def test_a_bank_export_is_reviewed_on_stated_assumptions() -> None:
    review = ar.review(export_book())
    assert review.status == ar.STATUS_OK
    assert review.assumed.hours == HOURS_FROM_TIER and review.assumed.gifts and review.assumed.fee_from
    # nets 100, 850, 4,900, 21,200, −150 (tests/fixtures/small_books.py): four assets and one liability
    assert review.kinds.counts == {"asset": 4, "potential": 0, "liability": 1}
    assert review.kinds.total_net == pytest.approx(26_900)


def test_liabilities_are_told_to_remove_what_costs_them_most() -> None:
    review = ar.review(review_book())
    # liabilities by loss: R2 −3,970 (over-served, time first → one-to-many), R3 −2,400 (within its hours, losing
    # through 74,000 of rebates → stop rebates), R4 −400 (over-served, gifts 500 the largest → cut gifts)
    assert review.liabilities.index.tolist() == [1, 2, 3]
    assert review.liabilities["action"].tolist() == ["one_to_many", "stop_rebates", "stop_gifts"]
    assert review.under.index.tolist() == [0]  # only R1, an asset


def test_customer_columns_are_masked() -> None:
    # an ID column that holds card numbers is masked too (detected by value)
    book = pd.DataFrame({"customer_id": ["6222020200112233445", "6222020200112233446"], "name": ["段誉", "王语嫣"],
                         "aum": [1.0, 2.0]})
    shown = ar.customer_columns(book, book.index)
    assert list(shown.columns) == ["customer_id", "name"]
    assert shown["name"].tolist() == ["段**", "王**"]
    assert shown["customer_id"].tolist() == ["622202*********3445", "622202*********3446"]


def test_scatter_and_curve_points_are_thinned_but_keep_the_extremes() -> None:
    rng = np.random.default_rng(1)
    result = pd.DataFrame({"net": rng.normal(0, 1000, 10_000), "revenue": 1.0, "cost": 1.0})
    points = ar.scatter_points(result, limit=500)
    assert len(points) <= 500
    assert result["net"].idxmax() in points.index and result["net"].idxmin() in points.index
    small = result.head(100)
    assert ar.scatter_points(small, limit=500) is small
    curve = ar.review(pd.DataFrame({"customer_id": [str(i) for i in range(5_000)], "aum": 1.0,
                                    "fee_income_12m": rng.normal(100, 300, 5_000)}),
                      ar.ReviewInputs(assume_missing=0).params()).curve
    thinned = ar.curve_points(curve, limit=200)
    assert len(thinned) <= 203
    assert thinned.index[0] == 1 and thinned.index[-1] == 5_000
    assert thinned["cumulative_profit_share"].max() == curve["cumulative_profit_share"].max()
    assert ar.break_even_range(points) is not None


def test_citi_case_numbers() -> None:
    case = ar.CITI_CASE
    assert case.hourly_cost == pytest.approx(500)  # 900,000 ÷ 1,800
    assert case.freed_value == pytest.approx(300_000)  # 600 h × 500
    assert case.others_loss_share == pytest.approx(0.8)  # 180% − 100%
    # the 80% lost is split: potential assets 20%, liabilities 60% → 180% − 20% − 60% = 100%
    assert case.liabilities_loss_share == pytest.approx(0.6)
    assert case.assets_profit_share - case.potential_loss_share - case.liabilities_loss_share == pytest.approx(1.0)
    assert case.assets + case.potential + case.liabilities == case.customers
    assert case.hours_freed / case.liabilities == pytest.approx(12)  # 12 h a year from each liability
    assert case.freed_share == pytest.approx(1 / 3)
