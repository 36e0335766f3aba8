"""1.4 helpers: worksheet inputs → parameters, what a book lacks, top liabilities with actions, thinned charts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook import asset_review as ar


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
    assert ar.justified_hours(10_000, ar.DEFAULT_INPUTS.params()) == pytest.approx(50)
    assert ar.hours_value(17.5, ar.DEFAULT_INPUTS.params()) == pytest.approx(3_500)


def test_review_worked_example() -> None:
    review = ar.review(_book())
    assert review.status == ar.STATUS_OK and review.missing == ("aum_12m_ago",)
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
    assert ar.review(pd.DataFrame({"customer_id": ["a"], "aum": [1.0], "fee_income_12m": [5.0]})).status == (
        ar.STATUS_NO_COST)


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
                                    "fee_income_12m": rng.normal(100, 300, 5_000)})).curve
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
    assert case.assets + case.potential + case.liabilities == case.customers
