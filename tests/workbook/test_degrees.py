"""客户四度 on the hand-made book, by AUM tier, with the arithmetic written out."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.hand_book import hand_book
from tests.fixtures.small_books import aum_book
from workbook.degrees import ALL, DEGREES, FIGURES, four_degrees
from workbook.profit import profitability
from workbook.segmentation import segment

# AUM tiers of the hand book: mass H01, H10 · potential H02, H03, H04 · affluent H05, H06, H07, H11 ·
# private H08, H09 · insufficient H12. Total revenue 104,700 (see hand_book.py), 12 customers.


@pytest.fixture(scope="module")
def result():
    book = hand_book()
    return four_degrees(book, segment(book, "aum"))


def test_satisfaction_nps(result) -> None:
    f = result.figures
    # mass: H01 9 (promoter), H10 5 (detractor) → 50% − 50% = 0
    assert f.loc["mass", "nps"] == 0 and f.loc["mass", "respondents"] == 2
    # potential: 6 (detractor), 10 (promoter), 7 (passive) → 1/3 − 1/3 = 0
    assert f.loc["potential", "nps"] == pytest.approx(0)
    # affluent: 8 passive, 3 detractor, 10 and 9 promoters → 2/4 − 1/4 = +25
    assert f.loc["affluent", "nps"] == pytest.approx(25)
    # private: H08 9, H09 blank → 1 respondent, NPS +100
    assert f.loc["private", "nps"] == 100 and f.loc["private", "respondents"] == 1
    # book: 10 respondents; promoters H01 H03 H07 H08 H11 = 5, detractors H02 H06 H10 = 3 → 50% − 30% = +20
    assert f.loc[ALL, "nps"] == pytest.approx(20)
    assert math.isnan(f.loc["insufficient", "nps"])  # H12 has no score: not faked as 0
    # radar: (NPS + 100) / 2
    assert result.scores.loc["affluent", "satisfaction"] == pytest.approx(62.5)


def test_loyalty(result) -> None:
    f = result.figures
    assert f.loc["mass", "tenure_mean"] == pytest.approx((0.5 + 0.8) / 2)
    assert f.loc["affluent", "tenure_mean"] == pytest.approx((5 + 8 + 12 + 6) / 4)
    # retention = Σ aum ÷ Σ aum 12m ago over customers with both: mass (49,999 + 30,000) / (60,000 + 30,000)
    assert f.loc["mass", "aum_retention"] == pytest.approx(79_999 / 90_000)
    # potential: H04 has no aum a year ago → left out: (50,000 + 200,000) / (40,000 + 200,000)
    assert f.loc["potential", "aum_retention"] == pytest.approx(250_000 / 240_000)
    assert f.loc["affluent", "aum_retention"] == pytest.approx(8_499_999 / 9_850_000)
    assert f.loc["private", "aum_retention"] == pytest.approx(14 / 13)
    assert f.loc["affluent", "referrals_per_customer"] == pytest.approx((1 + 1 + 3 + 1) / 4)
    # radar: tenure 0.65 / 10 → 6.5; retention (0.88888 − 0.5) / 1 → 38.89; referrals 0 → 0; mean 15.13
    expected = (6.5 + (79_999 / 90_000 - 0.5) * 100 + 0) / 3
    assert result.scores.loc["mass", "loyalty"] == pytest.approx(expected)


def test_stickiness(result) -> None:
    f = result.figures
    assert f.loc["potential", "products_mean"] == pytest.approx((2 + 3 + 2) / 3)
    assert f.loc["potential", "share_3plus"] == pytest.approx(1 / 3)
    assert f.loc["affluent", "share_3plus"] == pytest.approx(3 / 4)  # 4, 5, 7 of 4, 5, 7, 2
    assert f.loc["mass", "digital_share_mean"] == pytest.approx(0.1)  # H10 blank: left out
    assert f.loc["affluent", "app_logins_mean"] == pytest.approx((4 + 30 + 3) / 3)  # H05 blank: left out
    # radar private: share ≥3 100, digital 0.35 → 35, log-ins 5 / 20 → 25 → mean 53.33
    assert result.scores.loc["private", "stickiness"] == pytest.approx((100 + 35 + 25) / 3)


def test_contribution(result) -> None:
    f = result.figures
    assert f.loc["mass", "revenue_per_customer"] == pytest.approx((200 + 0) / 2)
    assert f.loc["affluent", "revenue_per_customer"] == pytest.approx((8_000 + 20_000 + 30_000 + 0) / 4)
    assert f.loc["private", "revenue_per_customer"] == pytest.approx((25_000 + 15_000) / 2)
    assert f.loc["affluent", "revenue_share"] == pytest.approx(58_000 / 104_700)
    assert f.loc[ALL, "revenue_per_customer"] == pytest.approx(104_700 / 12)
    # radar: 50 at the book average, +25 per doubling: 50 + 25·log2(14,500 / 8,725) = 68.32
    assert result.scores.loc["affluent", "contribution"] == pytest.approx(50 + 25 * math.log2(14_500 / 8_725))
    assert result.scores.loc[ALL, "contribution"] == pytest.approx(50)
    assert result.scores.loc["mass", "contribution"] == 0  # 100 / 8,725 → far below: clipped at 0


def test_revenue_given_is_matched_by_customer(result) -> None:
    book = hand_book()
    revenue = profitability(book)["revenue"]
    # the same figures whether computed inside, passed in, or passed in another order
    for given_revenue in (revenue, revenue.iloc[::-1]):
        again = four_degrees(book, segment(book, "aum"), revenue=given_revenue)
        pd.testing.assert_frame_equal(again.figures, result.figures)


def test_every_tier_listed_and_scores_on_0_100(result) -> None:
    assert list(result.figures.index) == ["mass", "potential", "affluent", "private", "insufficient", ALL]
    assert result.figures["customers"].tolist() == [2, 3, 4, 2, 1, 12]
    assert list(result.scores.columns) == list(DEGREES)
    values = result.scores.to_numpy(dtype=float)
    assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 100))
    assert result.missing == ()


def test_missing_inputs_are_named_not_faked() -> None:
    book = hand_book()
    thin = book[["customer_id", "aum"]]
    result = four_degrees(thin, segment(thin, "aum"))
    assert result.figures.drop(columns="customers").isna().all().all()
    assert result.scores.isna().all().all()
    assert result.missing_by_degree["satisfaction"] == ("satisfaction",)
    assert result.missing_by_degree["loyalty"] == ("tenure_years", "aum_12m_ago", "referrals_12m")
    assert set(result.missing_by_degree["contribution"]) == {"fee_income_12m", "deposit_balance", "loan_balance"}
    # Only satisfaction missing: the other degrees still computed, satisfaction named.
    partial = four_degrees(book.drop(columns="satisfaction"), segment(book, "aum"))
    assert partial.missing == ("satisfaction",)
    assert partial.scores["satisfaction"].isna().all()
    assert partial.scores["loyalty"].notna().any()


def test_empty_tier_is_nan() -> None:
    book = hand_book().iloc[[0, 9]]  # only mass customers
    result = four_degrees(book, segment(book, "aum"))
    assert result.figures.loc["private", "customers"] == 0
    assert math.isnan(result.figures.loc["private", "tenure_mean"])
    assert math.isnan(result.scores.loc["private", "loyalty"])


def test_figures_table_is_data() -> None:
    assert {f.degree for f in FIGURES} == set(DEGREES)
    assert all(f.scale is None or f.scale[0] in ("linear", "log_ratio") for f in FIGURES)


@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=0, max_size=30))
def test_nps_range(scores: list[int | None]) -> None:
    book = aum_book([1.0] * len(scores), satisfaction=pd.Series(scores, dtype="float64"))
    result = four_degrees(book, segment(book, "aum"))
    nps = result.figures.loc[ALL, "nps"]
    known = [s for s in scores if s is not None]
    if not known:
        assert math.isnan(nps)
    else:
        expected = (sum(s >= 9 for s in known) - sum(s <= 6 for s in known)) / len(known) * 100
        assert nps == pytest.approx(expected)
        assert -100 <= nps <= 100


# ---- 提高四度: the plan per tier ---------------------------------------------------------------------------------


def test_weakest_degree_is_the_suggestion(result) -> None:
    from workbook.degrees import weakest_degree

    # mass: satisfaction 50, loyalty 15.13, stickiness 4.17, contribution 0 → contribution
    assert weakest_degree(result.scores, "mass") == "contribution"
    # potential: 50, 35.83, 46.67, 0 → contribution
    assert weakest_degree(result.scores, "potential") == "contribution"
    # affluent: 62.5, 71.27, 63.06, 68.32 → satisfaction
    assert weakest_degree(result.scores, "affluent") == "satisfaction"
    # private: 100, 82.56, 53.33, 79.92 → stickiness
    assert weakest_degree(result.scores, "private") == "stickiness"


def test_degree_plan_defaults_and_saved_choices(result) -> None:
    from workbook.degrees import LEVERS, degree_plan, plan_choices

    rows = {r.tier: r for r in degree_plan(result, ["affluent", "private", "insufficient"], {}, "zh")}
    # affluent: NPS 25 today → target 25 + 10 = 35
    assert (rows["affluent"].degree, rows["affluent"].figure) == ("satisfaction", "nps")
    assert rows["affluent"].current == pytest.approx(25) and rows["affluent"].target == pytest.approx(35)
    assert rows["affluent"].actions == LEVERS["satisfaction"].actions("zh")
    # private: share with ≥ 3 products 100% → + 10 points capped at 100%
    assert rows["private"].figure == "share_3plus" and rows["private"].target == pytest.approx(1.0)
    # insufficient (H12): only contribution is scored (0) → contribution, revenue per customer 0 → 0 × 1.1 = 0
    assert rows["insufficient"].degree == "contribution" and rows["insufficient"].target == 0

    # the trainee picks loyalty for the affluent tier: retention 86.29% today → default 91.29%
    choice = plan_choices(rows["affluent"], "loyalty", 0.35, "", "zh")
    assert choice == {"degree": "loyalty"}  # the NPS target belonged to satisfaction: not kept for loyalty
    loyalty = degree_plan(result, ["affluent"], {"affluent": choice}, "zh")[0]
    assert loyalty.figure == "aum_retention"
    assert loyalty.target == pytest.approx(8_499_999 / 9_850_000 + 0.05)
    # then sets 95% and writes an action of their own: both kept, and read back
    kept = plan_choices(loyalty, "loyalty", 0.95, "到期前一个月逐一面谈", "zh")
    assert kept == {"degree": "loyalty", "target": 0.95, "target_for": "loyalty", "actions": "到期前一个月逐一面谈"}
    again = degree_plan(result, ["affluent"], {"affluent": kept}, "en")[0]
    assert (again.target, again.actions) == (0.95, "到期前一个月逐一面谈")
    # an untouched row keeps nothing, so it follows the data and the language
    assert plan_choices(rows["private"], "stickiness", rows["private"].target, rows["private"].actions, "zh") == {}
    assert degree_plan(result, ["private"], {}, "en")[0].actions == LEVERS["stickiness"].actions("en")


def test_revenue_target_is_a_share_up() -> None:
    from workbook.degrees import LEVERS

    # revenue per customer 14,500 元 → + 10% = 15,950
    assert LEVERS["contribution"].default_target(14_500) == pytest.approx(15_950)
    assert LEVERS["satisfaction"].default_target(95) == 100  # NPS cannot pass 100
    assert math.isnan(LEVERS["loyalty"].default_target(math.nan))
