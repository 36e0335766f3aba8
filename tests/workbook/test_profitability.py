"""Worked examples and invariants of workbook.profit (DESIGN §4.4)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fixtures.small_books import export_book, review_book
from workbook import i18n, segmentation, services
from workbook.profit import (
    ACTIONS,
    DEFAULT_ASSUMPTIONS,
    DRIVERS,
    HOURS_FROM_BOOK,
    HOURS_FROM_CONTACTS,
    HOURS_FROM_TIER,
    HOURS_UNKNOWN,
    KINDS,
    RESULT_COLUMNS,
    SERVICE_RULES,
    ProfitParamError,
    ProfitParams,
    ReviewParams,
    TimeBudget,
    assumed_inputs,
    default_service_standard,
    has_profit_shares,
    kind_summary,
    missing_inputs,
    new_customers,
    profitability,
    service_review,
    top_share,
    whale_curve,
    whale_summary,
)


def worked_book() -> pd.DataFrame:
    """Six customers; hourly cost 360,000 ÷ 1,800 = 200 元/h, deposit spread 1%, loan spread 1.5%; every cost field
    present, so no tier assumption enters."""
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D", "E", "F"],
            "aum": [1_000_000.0, 200_000, 30_000, 800_000, 50_000, 120_000],
            "aum_12m_ago": [900_000.0, 200_000, 30_000, 500_000, 60_000, 100_000],
            "fee_income_12m": [20_000.0, 3_000, 100, 2_000, 0, 0],
            "deposit_balance": [500_000.0, 100_000, 30_000, 200_000, 50_000, 20_000],
            "loan_balance": [0.0, 0, 0, 100_000, 0, 0],
            "service_hours_12m": [20.0, 10, 8, 15, 5, 3],
            "gift_cost_12m": [1_000.0, 500, 300, 0, 0, 0],
            # present (all 0): the book says so, rather than leaving it to the tier assumptions
            "rebate_cost_12m": [0.0] * 6,
            "event_cost_12m": [0.0] * 6,
            "external_assets_est": [0.0, 0, 0, 0, 600_000, 0],
            "app_logins_30d": [2, 0, 1, 0, 10, 0],
            "digital_share": [0.2, 0.0, 0.1, 0.0, 0.3, 0.5],
        }
    ).set_index("customer_id")


def test_hourly_cost_default_and_guard() -> None:
    assert ProfitParams().hourly_cost == 200.0  # 360,000 ÷ 1,800
    assert ProfitParams(annual_cost=450_000, effective_hours=1_500).hourly_cost == 300.0
    for hours in (0.0, -5.0, math.nan):
        with pytest.raises(ProfitParamError) as caught:
            ProfitParams(effective_hours=hours)
        assert isinstance(caught.value, ValueError) and "有效工作小时" in str(caught.value)
        assert "Effective hours" in caught.value.text("en")
    for ratio in (0.0, -0.1, 1.5, math.nan):
        with pytest.raises(ProfitParamError) as caught:
            ProfitParams(target_cost_ratio=ratio)
        assert "服务成本率" in str(caught.value) and "cost-to-serve" in caught.value.text("en")


def test_worked_example_profitability() -> None:
    result = profitability(worked_book())
    # A: revenue 20,000 + 500,000×1% = 25,000; cost 20h×200 + 1,000 gift = 5,000; net 20,000 → asset
    # B: 3,000 + 1,000 = 4,000; 10×200 + 500 = 2,500; net 1,500 → asset
    # C: 100 + 300 = 400; 8×200 + 300 = 1,900; net −1,500; no outside assets, AUM flat → liability
    # D: 2,000 + 2,000 + 100,000×1.5% = 5,500; 15×200 = 3,000; net 2,500 → asset
    # E: 0 + 500 = 500; 5×200 = 1,000; net −500; 600,000 elsewhere ≥ 500,000 → potential
    # F: 0 + 200 = 200; 3×200 = 600; net −400; AUM 120,000 ÷ 100,000 − 1 = 20% ≥ 20% → potential
    assert result["revenue"].tolist() == [25_000, 4_000, 400, 5_500, 500, 200]
    assert result["cost"].tolist() == [5_000, 2_500, 1_900, 3_000, 1_000, 600]
    assert result["net"].tolist() == [20_000, 1_500, -1_500, 2_500, -500, -400]
    assert result["kind"].astype(str).tolist() == ["asset", "asset", "liability", "asset", "potential", "potential"]
    # 倒推: justified hours = revenue × 30% ÷ 200, capped by the AUM tier's standard on 3.4:
    # A 7,500 ÷ 200 = 37.5 → affluent 8; B 1,200 ÷ 200 = 6 → potential 2; C 120 ÷ 200 = 0.6 → mass 0.5;
    # D 1,650 ÷ 200 = 8.25 → affluent 8; E 150 ÷ 200 = 0.75 (potential cap 2); F 60 ÷ 200 = 0.3
    assert result["cost_tier"].astype(str).tolist() == ["affluent", "potential", "mass", "affluent", "potential",
                                                         "potential"]
    assert result["standard_hours"].tolist() == [8, 2, 0.5, 8, 2, 2]
    assert result["justified_hours"].tolist() == pytest.approx([8, 2, 0.5, 8, 0.75, 0.3])
    # gap = actual − justified: A 20 − 8, B 10 − 2, C 8 − 0.5, D 15 − 8, E 5 − 0.75, F 3 − 0.3
    assert result["hours_gap"].tolist() == pytest.approx([12, 8, 7.5, 7, 4.25, 2.7])
    assert list(result.index) == ["A", "B", "C", "D", "E", "F"]
    assert result["loan_revenue"].tolist() == [0, 0, 0, 1_500, 0, 0]
    assert result["time_cost"].tolist() == [4_000, 2_000, 1_600, 3_000, 1_000, 600]
    assert list(result.columns) == list(RESULT_COLUMNS)
    # cost drivers: excess time × 200 (A 2,400 vs gifts 1,000; C 1,500 vs 300; …) → time for everyone
    assert result["excess_time_cost"].tolist() == pytest.approx([2_400, 1_600, 1_500, 1_400, 850, 540])
    assert result["cost_driver"].astype(str).tolist() == ["time"] * 6


def test_parameters_change_the_figures() -> None:
    # hourly cost 300 (540,000 ÷ 1,800), deposit spread 2%: A revenue 20,000 + 10,000 = 30,000;
    # cost 20×300 + 1,000 = 7,000; net 23,000
    params = ProfitParams(annual_cost=540_000, deposit_spread=0.02)
    result = profitability(worked_book(), params)
    assert result.loc["A", "revenue"] == 30_000
    assert result.loc["A", "cost"] == 7_000
    assert result.loc["A", "net"] == 23_000
    # F's growth of 20% no longer counts at a 25% threshold → liability
    stricter = profitability(worked_book(), ProfitParams(potential_aum_growth=0.25))
    assert stricter.loc["F", "kind"] == "liability"


def test_missing_columns_and_blank_cells_count_as_zero() -> None:
    book = worked_book().drop(columns=["fee_income_12m", "external_assets_est", "rebate_cost_12m",
                                       "event_cost_12m"])
    assert missing_inputs(book) == ("fee_income_12m", "rebate_cost_12m", "event_cost_12m", "external_assets_est")
    # with the tier assumptions off, a missing field counts as 0 (the bare formula)
    bare = ProfitParams(assumptions=DEFAULT_ASSUMPTIONS.with_overrides(enabled=False))
    result = profitability(book, bare)
    # A without fee income: 5,000 revenue, 5,000 cost → net 0 → asset (net ≥ 0)
    assert result.loc["A", "revenue"] == 5_000
    assert result.loc["A", "kind"] == "asset"
    # E without outside assets and with shrinking AUM → liability
    assert result.loc["E", "kind"] == "liability"

    blank = worked_book()
    blank.loc["B", "gift_cost_12m"] = np.nan
    blank.loc["B", "service_hours_12m"] = np.nan
    result = profitability(blank)
    # B: cost 0 (blank hours, blank gifts) → net 4,000; actual hours unknown → gap unknown
    assert result.loc["B", "cost"] == 0
    assert result.loc["B", "net"] == 4_000
    assert math.isnan(result.loc["B", "actual_hours"])
    assert math.isnan(result.loc["B", "hours_gap"])


def test_minimal_book_only_required_fields() -> None:
    book = pd.DataFrame({"customer_id": ["X", "Y"], "aum": [1.0, 2.0]})
    bare = ProfitParams(assumptions=DEFAULT_ASSUMPTIONS.with_overrides(enabled=False))
    result = profitability(book, bare)
    assert result["net"].tolist() == [0.0, 0.0]
    assert result["kind"].astype(str).tolist() == ["asset", "asset"]
    assert result["actual_hours"].isna().all()
    assert len(missing_inputs(book)) == 9  # every input but aum
    # with the assumptions (the default): no revenue, and a mass customer's hour a year at 200 元 → −200 each
    assumed = profitability(book)
    assert assumed["net"].tolist() == [-200.0, -200.0]
    assert assumed["kind"].astype(str).tolist() == ["liability", "liability"]


def test_kind_summary() -> None:
    summary = kind_summary(profitability(worked_book()))
    assert summary.counts == {"asset": 3, "potential": 2, "liability": 1}
    # assets: 20,000 + 1,500 + 2,500 = 24,000; potential −500 − 400 = −900; liability −1,500
    assert summary.net == {"asset": 24_000, "potential": -900, "liability": -1_500}
    assert summary.total_net == 21_600


def test_worked_example_whale_curve() -> None:
    curve = whale_curve(profitability(worked_book())["net"])
    # ranked: A 20,000 · D 2,500 · B 1,500 · F −400 · E −500 · C −1,500; total 21,600
    assert curve["customer"].tolist() == ["A", "D", "B", "F", "E", "C"]
    assert list(curve.index) == [1, 2, 3, 4, 5, 6]
    assert curve["cumulative_net"].tolist() == [20_000, 22_500, 24_000, 23_600, 23_100, 21_600]
    assert curve["customer_share"].tolist() == pytest.approx([1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0])
    # 20,000/21,600 = 0.9259; 22,500/21,600 = 1.0417; 24,000/21,600 = 1.1111 (peak) …; last exactly 1
    assert curve["cumulative_profit_share"].tolist() == pytest.approx(
        [20_000 / 21_600, 22_500 / 21_600, 24_000 / 21_600, 23_600 / 21_600, 23_100 / 21_600, 1.0]
    )
    assert curve["cumulative_profit_share"].iloc[-1] == 1.0

    summary = whale_summary(curve)
    assert summary.meaningful
    assert summary.peak_share == pytest.approx(24_000 / 21_600)  # 111.1% …
    assert summary.peak_customer_share == pytest.approx(0.5)  # … after the top 3 of 6
    assert summary.reach_customer_share == pytest.approx(2 / 6)  # A + D already earn 104% of the total
    assert summary.crossing_customer_share == 1.0  # back down to 100% once C, the last, is counted
    # top 20%: ⌈0.2 × 6⌉ = 2 customers → 22,500 / 21,600
    assert summary.top20_share == pytest.approx(22_500 / 21_600)
    assert summary.total_net == 21_600
    assert summary.customers == 6


def test_whale_curve_without_losses_has_no_crossing() -> None:
    curve = whale_curve(pd.Series([3.0, 1.0, 0.0], index=["a", "b", "c"]))
    summary = whale_summary(curve)
    # 3/4, 4/4, 4/4: never above 100%
    assert curve["cumulative_profit_share"].tolist() == [0.75, 1.0, 1.0]
    assert summary.peak_share == 1.0
    assert summary.crossing_customer_share is None
    assert summary.reach_customer_share == pytest.approx(2 / 3)


def test_whale_curve_when_the_book_loses_money() -> None:
    curve = whale_curve(pd.Series([5.0, -2.0, -4.0]))
    # total 5 − 2 − 4 = −1: no meaningful share of "total profit"
    assert curve["cumulative_net"].tolist() == [5, 3, -1]
    assert curve["cumulative_profit_share"].isna().all()
    assert not has_profit_shares(curve)
    summary = whale_summary(curve)
    assert not summary.meaningful
    assert math.isnan(summary.peak_share)
    assert summary.crossing_customer_share is None
    assert summary.total_net == -1
    # zero total is no better
    assert not has_profit_shares(whale_curve(pd.Series([0.0, 0.0])))


def test_whale_curve_empty_and_nan() -> None:
    curve = whale_curve(pd.Series([], dtype=float))
    assert len(curve) == 0
    assert list(curve.columns) == ["customer", "net", "cumulative_net", "customer_share", "cumulative_profit_share"]
    assert not whale_summary(curve).meaningful
    assert math.isnan(top_share(curve, 0.2))
    # NaN net counts as 0: 4, 0(NaN) → shares 1, 1
    curve = whale_curve(pd.Series([np.nan, 4.0], index=["x", "y"]))
    assert curve["customer"].tolist() == ["y", "x"]
    assert curve["cumulative_profit_share"].tolist() == [1.0, 1.0]


def test_whale_ties_keep_book_order() -> None:
    curve = whale_curve(pd.Series([1.0, 2.0, 1.0], index=["p", "q", "r"]))
    assert curve["customer"].tolist() == ["q", "p", "r"]


def _by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("customer_id")


def test_worked_example_service_review() -> None:
    book = _by_id(review_book())
    result = profitability(book)
    # the figures of review_book's table (tests/fixtures/small_books.py)
    assert result["justified_hours"].tolist() == pytest.approx([8, 1.5, 8, 0.45, 0.45, 2])
    assert result["net"].tolist() == pytest.approx([19_600, -3_970, -2_400, -400, -500, 1_000])
    assert result["kind"].astype(str).tolist() == ["asset", "liability", "liability", "liability", "potential",
                                                   "asset"]
    # cost drivers: R2 excess time 22 h × 200 = 4,400 > events 270; R3 rebates 74,000 (no excess time);
    # R4 gifts 500 > excess 0.55 h × 200 = 110; R5 3.55 × 200 = 710; R6 3 × 200 = 600; R1 costs nothing beyond
    assert result["excess_time_cost"].tolist() == pytest.approx([0, 4_400, 0, 110, 710, 600])
    assert result["cost_driver"].astype(str).tolist() == ["none", "time", "rebates", "perks", "time", "time"]
    review = service_review(book, result=result)
    # over-served by gap: R2 22, R5 3.55, R6 3, R4 0.55
    assert list(review.over.index) == ["R2", "R5", "R6", "R4"]
    assert review.over["actions"].tolist() == [
        # the C000012 story: no gifts, no rebates, 4,400 元 of excess time → time first (the app: 0 log-ins, so
        # one-to-many); events 270 ÷ revenue 1,000 = 27% > 10% → cutting them comes second
        ("one_to_many", "stop_gifts"),
        # a new customer (half a year, 30万 brought) losing 500: an investment, keep serving
        ("develop_potential", "one_to_many"),
        ("digital", "one_to_many"),  # 10 log-ins a month
        ("stop_gifts", "one_to_many"),  # gifts 500 are the largest driver
    ]
    assert review.over["action"].tolist() == ["one_to_many", "develop_potential", "digital", "stop_gifts"]
    assert review.excess_hours == pytest.approx(22 + 3.55 + 3 + 0.55)
    # under-served: assets given less than half their justified hours: R1 2 < 4. R3 (the C000088 story: revenue
    # 72,000, rebates 74,000, 2 h of 8) is a liability: never told to get more hours.
    assert list(review.under.index) == ["R1"]
    assert review.under["actions"].tolist() == [("deepen",)]
    assert review.shortfall_hours == pytest.approx(6)
    assert review.hours_known


def test_the_time_budget_fits_the_managers_capacity() -> None:
    book = _by_id(review_book())
    # plenty of capacity (1,800 h): today 2 + 23.5 + 2 + 1 + 4 + 5 = 37.5 h; free 29.1; keep 8.4; all 6 h fit
    budget = service_review(book).budget
    assert budget.today == pytest.approx(37.5)
    assert budget.to_free == pytest.approx(29.1)
    assert budget.kept == pytest.approx(8.4)
    assert budget.to_reinvest == pytest.approx(6)
    assert budget.planned == pytest.approx(14.4)
    # 10 hours a year at the same 200 元/h (2,000 ÷ 10): room 10 − 8.4 = 1.6 → only 1.6 of the 6 hours fit;
    # R1 gets 6 × 1.6 ÷ 6 = 1.6, and the plan uses exactly the capacity
    tight = service_review(book, ProfitParams(annual_cost=2_000, effective_hours=10))
    assert tight.budget.room == pytest.approx(1.6)
    assert tight.budget.to_reinvest == pytest.approx(1.6)
    assert tight.budget.unfunded == pytest.approx(4.4)
    assert tight.budget.planned == pytest.approx(10)
    assert tight.under["add_hours"].tolist() == pytest.approx([1.6])
    # 5 hours: the kept 8.4 h alone exceed capacity; nothing is reinvested
    over = TimeBudget(capacity=5, today=37.5, to_free=29.1, needed=6)
    assert over.over_capacity and over.to_reinvest == 0 and over.room == 0


def test_the_top_customer_no_longer_justifies_impossible_hours() -> None:
    # The old 倒推 (revenue ÷ hourly cost) gave a 72,000 元 customer 360 h a year, a fifth of the manager's year.
    # Now: 72,000 × 30% ÷ 200 = 108 h, capped by the affluent standard of 8 h.
    result = profitability(_by_id(review_book()))
    assert result.loc["R3", "justified_hours"] == 8
    # a higher standard (the trainee's 3.4 edits) lifts the cap, never past the ratio
    generous = ProfitParams(standard_hours=(("mass", 1), ("potential", 4), ("affluent", 200), ("private", 300)))
    assert profitability(_by_id(review_book()), generous).loc["R3", "justified_hours"] == pytest.approx(108)
    # a 20% ratio: 72,000 × 20% ÷ 200 = 72
    assert profitability(_by_id(review_book()), ProfitParams(target_cost_ratio=0.2, standard_hours=(
        ("affluent", 200),))).loc["R3", "justified_hours"] == pytest.approx(72)


def test_service_review_thresholds_and_no_hours() -> None:
    # worked_book gaps: A 12, B 8, C 7.5, D 7, E 4.25, F 2.7 → above 7.5: A and B
    review = service_review(worked_book(), review=ReviewParams(over_min_gap_hours=7.5))
    assert list(review.over.index) == ["A", "B"]
    bare = ProfitParams(assumptions=DEFAULT_ASSUMPTIONS.with_overrides(enabled=False))
    no_hours = service_review(worked_book().drop(columns="service_hours_12m"), bare)
    assert not no_hours.hours_known
    assert len(no_hours.over) == 0
    assert len(no_hours.under) == 0
    empty = service_review(worked_book().iloc[0:0])
    assert len(empty.over) == 0
    assert empty.excess_hours == 0


def test_a_bank_export_without_costs_is_not_all_assets() -> None:
    book = _by_id(export_book())
    assumed = assumed_inputs(book)
    assert assumed.hours == HOURS_FROM_TIER and assumed.gifts and assumed.events and assumed.rebates_zero
    assert assumed.fee_from == ("wealth_balance", "fund_balance", "insurance_balance")
    result = profitability(book)
    # the figures of export_book's table (tests/fixtures/small_books.py)
    assert result["fee_revenue"].tolist() == pytest.approx([0, 600, 5_500, 21_000, 0])
    assert result["revenue"].tolist() == pytest.approx([300, 1_600, 7_500, 31_000, 600])
    assert result["actual_hours"].tolist() == [1, 3, 8, 24, 3]
    assert result["cost"].tolist() == pytest.approx([200, 750, 2_600, 9_800, 750])
    assert result["net"].tolist() == pytest.approx([100, 850, 4_900, 21_200, -150])
    assert result["kind"].astype(str).tolist() == ["asset", "asset", "asset", "asset", "liability"]
    # without the assumptions the same export shows every customer as an asset (nothing costs anything)
    bare = profitability(book, ProfitParams(assumptions=DEFAULT_ASSUMPTIONS.with_overrides(enabled=False)))
    assert (bare["kind"] == "asset").all() and (bare["cost"] == 0).all()
    assert assumed_inputs(book, ProfitParams(assumptions=DEFAULT_ASSUMPTIONS.with_overrides(
        enabled=False))).hours == HOURS_UNKNOWN


def test_contacts_times_minutes_and_edited_assumptions() -> None:
    book = _by_id(export_book(contacts_12m=[2.0, 4.0, 12.0, 24.0, np.nan]))
    assert assumed_inputs(book).hours == HOURS_FROM_CONTACTS
    result = profitability(book)
    # mass 2 × 10 min = 1/3 h; potential 4 × 15 = 1 h; affluent 12 × 30 = 6 h; private 24 × 45 = 18 h;
    # X5's blank contact cell counts as 0 contacts
    assert result["actual_hours"].tolist() == pytest.approx([1 / 3, 1, 6, 18, 0])
    # the trainee's own policy: no gifts for the potential tier, 5,000 元 of events for private
    edited = DEFAULT_ASSUMPTIONS.with_overrides({"potential": {"gift_cost": 0}, "private": {"event_cost": 5_000},
                                                 "unknown": {"hours": 9}, "mass": {"hours": "abc"}},
                                                fee_rates={"wealth_balance": 0.0})
    result = profitability(book, ProfitParams(assumptions=edited))
    # X2: 1 h × 200 + events 50 = 250; revenue without the 理财 fee 1,000 → net 750
    assert result.loc["X2", "cost"] == pytest.approx(250)
    assert result.loc["X2", "revenue"] == pytest.approx(1_000)
    # X4: 18 × 200 + 3,000 + 5,000 = 11,600
    assert result.loc["X4", "cost"] == pytest.approx(11_600)
    assert edited.tier("mass").hours == 1.0  # a value that is not a number keeps the default
    # the book's own fields always win over the assumptions
    own = book.assign(service_hours_12m=[5.0, 5, 5, 5, 5], gift_cost_12m=0.0)
    assert assumed_inputs(own).hours == HOURS_FROM_BOOK
    assert profitability(own).loc["X1", "cost"] == pytest.approx(1_000)  # 5 h × 200, no gifts, no events (mass)


def test_an_all_blank_column_counts_as_absent() -> None:
    book = _by_id(export_book(service_hours_12m=np.nan, fee_income_12m=np.nan))
    assumed = assumed_inputs(book)
    assert assumed.hours == HOURS_FROM_TIER and assumed.fee_from
    assert profitability(book)["net"].tolist() == pytest.approx([100, 850, 4_900, 21_200, -150])


def test_a_customer_under_a_year_can_be_a_potential_asset() -> None:
    # Three new customers (6 months), each losing money: 1 h × 200 = 200 of cost against no revenue.
    #   N1 brought 10万 ≥ 5万 → potential; N2 brought 2万 < 5万 → liability;
    #   N3 has tenure 3 years and a 0 base a year ago: not new (tenure decides) → liability
    book = pd.DataFrame({
        "customer_id": ["N1", "N2", "N3"], "aum": [100_000.0, 20_000.0, 100_000.0],
        "aum_12m_ago": [0.0, 0.0, 0.0], "tenure_years": [0.5, 0.5, 3.0], "service_hours_12m": [1.0, 1.0, 1.0],
        "gift_cost_12m": 0.0, "event_cost_12m": 0.0,
    }).set_index("customer_id")
    assert new_customers(book).tolist() == [True, True, False]
    result = profitability(book)
    assert result["net"].tolist() == [-200, -200, -200]
    assert result["kind"].astype(str).tolist() == ["potential", "liability", "liability"]
    assert result["new_customer"].tolist() == [True, True, False]
    # without tenure, an explicit 0 a year ago marks a new customer; a blank base is unknown, not new
    no_tenure = book.drop(columns="tenure_years").assign(aum_12m_ago=[0.0, np.nan, 50_000.0])
    assert new_customers(no_tenure).tolist() == [True, False, False]
    # the bar is the trainee's: 15万
    assert profitability(book, ProfitParams(potential_new_aum=150_000)).loc["N1", "kind"] == "liability"


def test_default_tiers_follow_the_aum_ladder_and_the_service_standard() -> None:
    scheme = segmentation.SCHEMES["aum"]
    codes = [tier.code for tier in scheme.tiers() if tier.code != segmentation.INSUFFICIENT]
    assert list(DEFAULT_ASSUMPTIONS.codes) == codes
    thresholds = scheme.default_params()["thresholds"]
    assert [tier.min_aum for tier in DEFAULT_ASSUMPTIONS.tiers[1:]] == list(thresholds)
    assert default_service_standard() == {code: services.TIER_TEMPLATES["aum"][code].hours for code in codes}
    assert set(DRIVERS) == {"time", "perks", "rebates"}


def test_action_and_kind_labels_in_catalogue() -> None:
    assert set(ACTIONS) == {rule.code for rule in SERVICE_RULES}
    for code in ACTIONS:
        for lang in i18n.LANGUAGES:
            assert i18n.has_key(f"profit.action.{code}")
            assert "⟦" not in i18n.t(f"profit.action.{code}", lang)
    assert [i18n.t(f"profit.kind.{k}", "zh") for k in KINDS] == ["资产", "潜力资产", "负债"]
    assert [i18n.t(f"profit.kind.{k}", "en") for k in KINDS] == ["Asset", "Potential asset", "Liability"]


money = st.floats(min_value=0, max_value=1e7, allow_nan=False)
nets = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(nets)
def test_whale_curve_invariants(values: list[float]) -> None:
    curve = whale_curve(pd.Series(values))
    shares = curve["customer_share"].to_numpy()
    assert np.all(np.diff(shares) > 0)
    assert shares[-1] == 1.0
    assert np.all(np.diff(curve["net"].to_numpy()) <= 0)  # ranked most profitable first
    assert sorted(curve["customer"]) == list(range(len(values)))
    if curve["cumulative_net"].iloc[-1] > 0:
        assert curve["cumulative_profit_share"].iloc[-1] == 1.0
        summary = whale_summary(curve)
        assert summary.peak_share >= 1.0
        assert summary.reach_customer_share is not None
        assert summary.reach_customer_share <= summary.peak_customer_share
    else:
        assert curve["cumulative_profit_share"].isna().all()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(money, money, money, st.floats(0, 500), money, money, money, money),
                min_size=1, max_size=30),
       st.floats(1, 3_000), st.floats(0.05, 1.0))
def test_profitability_invariants(rows: list[tuple[float, ...]], capacity: float, ratio: float) -> None:
    book = pd.DataFrame(
        rows,
        columns=["fee_income_12m", "deposit_balance", "loan_balance", "service_hours_12m", "gift_cost_12m",
                 "rebate_cost_12m", "external_assets_est", "aum"],
    )
    params = ProfitParams(annual_cost=200 * capacity, effective_hours=capacity, target_cost_ratio=ratio)
    result = profitability(book, params)
    assert np.allclose(result["net"], result["revenue"] - result["cost"])
    assert ((result["kind"] == "asset") == (result["net"] >= 0)).all()
    assert (result["justified_hours"] >= 0).all()
    # never more than the ratio of revenue, never more than the tier's standard
    assert (result["justified_hours"] <= result["revenue"] * ratio / 200 + 1e-9).all()
    assert (result["justified_hours"] <= result["standard_hours"]).all()
    assert set(result["kind"].astype(str)) <= set(KINDS)
    review = service_review(book, params, result=result)
    assert (review.over["hours_gap"] > 0).all()
    assert set(review.over.index).isdisjoint(review.under.index)
    # only assets are told to get more hours
    assert (review.under["kind"] == "asset").all()
    # the primary action removes the largest cost driver
    driver_action = {"rebates": "stop_rebates", "perks": "stop_gifts"}
    for driver, action in zip(review.over["cost_driver"].astype(str), review.over["action"], strict=True):
        if driver in driver_action:
            assert action == driver_action[driver]
        else:
            assert action in ("develop_potential", "digital", "one_to_many")
    # the plan fits the manager's capacity unless the justified hours alone exceed it
    budget = review.budget
    assert budget.to_reinvest <= budget.needed + 1e-9
    assert budget.over_capacity or budget.planned <= capacity * (1 + 1e-9)
    assert review.under["add_hours"].sum() == pytest.approx(budget.to_reinvest)
