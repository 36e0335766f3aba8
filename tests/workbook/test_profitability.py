"""Worked examples and invariants of workbook.profit (DESIGN §4.4)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook import i18n
from workbook.profit import (
    ACTIONS,
    KINDS,
    SERVICE_RULES,
    ProfitParamError,
    ProfitParams,
    ReviewParams,
    has_profit_shares,
    kind_summary,
    missing_inputs,
    profitability,
    service_review,
    top_share,
    whale_curve,
    whale_summary,
)


def worked_book() -> pd.DataFrame:
    """Six customers; hourly cost 360,000 ÷ 1,800 = 200 元/h, deposit spread 1%, loan spread 1.5%."""
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
    # 倒推: justified hours = revenue ÷ 200: A 125, B 20, C 2, D 27.5, E 2.5, F 1
    assert result["justified_hours"].tolist() == [125, 20, 2, 27.5, 2.5, 1]
    assert result["hours_gap"].tolist() == [-105, -10, 6, -12.5, 2.5, 2]
    assert list(result.index) == ["A", "B", "C", "D", "E", "F"]
    assert result["loan_revenue"].tolist() == [0, 0, 0, 1_500, 0, 0]
    assert result["time_cost"].tolist() == [4_000, 2_000, 1_600, 3_000, 1_000, 600]


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
    book = worked_book().drop(columns=["fee_income_12m", "external_assets_est"])
    assert missing_inputs(book) == ("fee_income_12m", "rebate_cost_12m", "event_cost_12m", "external_assets_est")
    result = profitability(book)
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
    result = profitability(book)
    assert result["net"].tolist() == [0.0, 0.0]
    assert result["kind"].astype(str).tolist() == ["asset", "asset"]
    assert len(missing_inputs(book)) == 9  # every input but aum


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


def test_worked_example_service_review() -> None:
    review = service_review(worked_book())
    # over-served (actual > justified): C gap 6, E 2.5, F 2 → sorted by gap
    assert list(review.over.index) == ["C", "E", "F"]
    # C: gifts 300 ÷ revenue 400 = 75% > 10% → stop gifts; 1 log-in, 10% online → not digital; one-to-many
    # E: potential; 10 log-ins → digital; F: potential; 50% online → digital
    assert review.over["actions"].tolist() == [
        ("stop_gifts", "one_to_many"),
        ("develop_potential", "digital", "one_to_many"),
        ("develop_potential", "digital", "one_to_many"),
    ]
    assert review.over["action"].tolist() == ["stop_gifts", "develop_potential", "develop_potential"]
    assert review.excess_hours == pytest.approx(6 + 2.5 + 2)
    # under-served: revenue ≥ the 80% quantile of [200, 400, 500, 4,000, 5,500, 25,000] = 5,500 (A, D) and
    # actual < half the justified hours: A 20 < 62.5 yes; D 15 < 13.75 no
    assert list(review.under.index) == ["A"]
    assert review.under["actions"].tolist() == [("deepen",)]
    assert review.shortfall_hours == pytest.approx(105)
    assert review.hours_known


def test_service_review_thresholds_and_no_hours() -> None:
    review = service_review(worked_book(), review=ReviewParams(over_min_gap_hours=2.5))
    assert list(review.over.index) == ["C"]  # only a gap above 2.5 h
    no_hours = service_review(worked_book().drop(columns="service_hours_12m"))
    assert not no_hours.hours_known
    assert len(no_hours.over) == 0
    assert len(no_hours.under) == 0
    empty = service_review(worked_book().iloc[0:0])
    assert len(empty.over) == 0
    assert empty.excess_hours == 0


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
@given(st.lists(st.tuples(money, money, money, st.floats(0, 500), money, money, money), min_size=1, max_size=30))
def test_profitability_invariants(rows: list[tuple[float, ...]]) -> None:
    book = pd.DataFrame(
        rows,
        columns=["fee_income_12m", "deposit_balance", "loan_balance", "service_hours_12m", "gift_cost_12m",
                 "external_assets_est", "aum"],
    )
    result = profitability(book)
    assert np.allclose(result["net"], result["revenue"] - result["cost"])
    assert ((result["kind"] == "asset") == (result["net"] >= 0)).all()
    assert (result["justified_hours"] >= 0).all()
    assert set(result["kind"].astype(str)) <= set(KINDS)
    review = service_review(book, result=result)
    assert (review.over["hours_gap"] > 0).all()
    assert set(review.over.index).isdisjoint(review.under.index)
