"""The dimensions beside the seven schemes (新老客户, 1.4's asset/liability kind, the life cycle): worked examples on
hand books, the new-customer source of the migration, AUM retention without new customers, and the invariants."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.hand_book import IDS, hand_book
from tests.workbook.test_segmentation import random_books
from workbook.degrees import four_degrees
from workbook.profit import ProfitParams, new_customer_flags, profitability
from workbook.segmentation import (
    CROSS_IDS,
    DIMENSION_IDS,
    DIMENSIONS,
    INSUFFICIENT,
    SCHEMES,
    SchemeParamError,
    crosstab,
    get_scheme,
    migration_detail,
    segment,
    segment_detail,
    tier_summary,
    warning_text,
)


def _by_id(tiers: pd.Series) -> dict[str, str]:
    return dict(zip(IDS, (str(x) for x in tiers), strict=True))


def test_dimensions_are_data_beside_the_seven_schemes() -> None:
    assert DIMENSION_IDS == ("new", "kind", "lifecycle")
    assert len(SCHEMES) == 7 and not set(DIMENSIONS) & set(SCHEMES)
    assert CROSS_IDS[:7] == tuple(SCHEMES) and CROSS_IDS[7:] == DIMENSION_IDS
    for dimension_id in DIMENSION_IDS:
        dimension = get_scheme(dimension_id)
        assert dimension.name("zh") and dimension.name("en") and dimension.how("zh") and dimension.how("en")
        assert dimension.tiers()[-1].code == INSUFFICIENT
    assert [t.zh for t in DIMENSIONS["lifecycle"].tiers()][:4] == ["考察期", "形成期", "稳定期", "退化期"]


def test_new_customers_on_the_hand_book() -> None:
    tiers = _by_id(segment(hand_book(), "new"))
    # tenure under a year: H01 (0.5), H10 (0.8). H12's tenure is blank but it had 100,000 a year ago: existing.
    assert [c for c, tier in tiers.items() if tier == "new"] == ["H01", "H10"]
    assert tiers["H12"] == "existing"
    assert INSUFFICIENT not in tiers.values()


def test_without_tenure_a_zero_base_marks_a_new_customer() -> None:
    book = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "aum": [50_000.0, 80_000.0, 0.0, 10.0],
                         "aum_12m_ago": [0.0, 60_000.0, math.nan, 0.0]})
    assert segment(book, "new").astype(str).tolist() == ["new", "existing", INSUFFICIENT, "new"]
    # with a tenure column the tenure decides; a blank tenure falls back to the zero base
    book["tenure_years"] = [4.0, 0.5, math.nan, math.nan]
    new, known = new_customer_flags(book)
    assert new.tolist() == [False, True, False, True]
    assert known.tolist() == [True, True, False, True]
    # a longer window: 5 years
    assert segment(book, "new", {"new_customer_years": 5}).astype(str).tolist()[:2] == ["new", "new"]


def test_kind_follows_1_4() -> None:
    # revenue = fees + deposits × 1%; cost = hours × 200 + gifts.
    # a: 3,000 + 0 − (5 h × 200 = 1,000) = +2,000 → asset
    # b: 200 − (10 h × 200 = 2,000) = −1,800, 600,000 elsewhere (≥ 500,000) → potential asset
    # c: 100 + 10,000 × 1% = 200 − (2 h × 200 = 400) − 300 gifts = −500 → liability
    book = pd.DataFrame({
        "customer_id": ["a", "b", "c"], "aum": [300_000.0, 20_000.0, 10_000.0],
        "fee_income_12m": [3_000.0, 200.0, 100.0], "deposit_balance": [0.0, 0.0, 10_000.0],
        "service_hours_12m": [5.0, 10.0, 2.0], "gift_cost_12m": [0.0, 0.0, 300.0],
        "external_assets_est": [0.0, 600_000.0, 0.0],
    })
    assert segment(book, "kind").astype(str).tolist() == ["asset", "potential", "liability"]
    # the trainee's 1.4 settings travel in the parameters. At 50 元/h (90,000 ÷ 1,800): b costs 10 × 50 = 500
    # against 200 (still a potential asset), c 2 × 50 + 300 = 400 against 200 (still a liability)
    cheap = segment(book, "kind", {"annual_cost": 90_000}).astype(str).tolist()
    assert cheap == ["asset", "potential", "liability"]
    # at 10 元/h (18,000 ÷ 1,800) b costs 100 against 200: an asset
    assert segment(book, "kind", {"annual_cost": 18_000})[1] == "asset"
    # the same verdict as profitability() itself
    assert segment(book, "kind").astype(str).tolist() == profitability(book).kind.astype(str).tolist()
    assert segment(book, "kind", {"annual_cost": 18_000}).astype(str).tolist() == \
        profitability(book, ProfitParams(annual_cost=18_000)).kind.astype(str).tolist()


def test_kind_needs_a_revenue_field() -> None:
    book = pd.DataFrame({"customer_id": ["a"], "aum": [1.0], "service_hours_12m": [3.0]})
    detail = segment_detail(book, "kind")
    assert detail.tiers.astype(str).tolist() == [INSUFFICIENT]
    assert any(w.code == "missing_any_fields" for w in detail.warnings)


def test_life_cycle_on_the_hand_book() -> None:
    detail = segment_detail(hand_book(), "lifecycle")
    assert _by_id(detail.tiers) == {
        "H01": "exploration",  # tenure 0.5 < 1
        "H02": "formation",  # tenure 2 < 3 (and 50,000 / 40,000 = +25%)
        "H03": "stable",  # tenure 4, 200,000 / 200,000: no change
        "H04": "stable",  # tenure 10, a year ago blank: tenure alone decides
        "H05": "stable",  # tenure 5, 500,000 / 450,000 = +11.1%
        "H06": "decline",  # tenure 8, 1,200,000 / 1,500,000 = −20% exactly: a fall of 20% or more
        "H07": "stable",  # tenure 12, 5,999,999 / 7,000,000 = −14.3%
        "H08": "formation",  # tenure 15, 6,000,000 / 5,000,000 = +20% exactly: growth of 20% or more
        "H09": "stable",  # tenure 3 (not under 3), 8,000,000 / 8,000,000
        "H10": "exploration",  # tenure 0.8
        "H11": "stable",  # tenure 6, 800,000 / 900,000 = −11.1%
        "H12": INSUFFICIENT,  # tenure blank
    }
    assert detail.scores is not None
    assert detail.scores.loc[5, "aum_change"] == pytest.approx(-0.2)  # H06
    assert any(w.code == "blank_optional" and w.values["count"] == 1 for w in detail.warnings)  # H04


def test_life_cycle_without_a_base_and_with_other_cuts() -> None:
    book = pd.DataFrame({"customer_id": list("abcd"), "aum": [10_000.0, 0.0, 90_000.0, 100_000.0],
                         "aum_12m_ago": [0.0, 0.0, 100_000.0, 100_000.0], "tenure_years": [5.0, 5.0, 5.0, 2.0]})
    # a: nothing a year ago, something now → build-up; b: nothing then, nothing now → decline;
    # c: −10% (not ≤ −20%) → stable; d: tenure 2 < 3 → build-up
    assert segment(book, "lifecycle").astype(str).tolist() == ["formation", "decline", "stable", "formation"]
    # decline from −10%, build-up only under 2 years: c declines, d (tenure 2, flat) is stable
    tighter = segment(book, "lifecycle", {"decline_change": -0.1, "formation_years": 2})
    assert tighter.astype(str).tolist() == ["formation", "decline", "decline", "stable"]
    with pytest.raises(SchemeParamError) as raised:
        segment(book, "lifecycle", {"exploration_years": 3, "formation_years": 2})
    assert "考察期" in str(raised.value) and "Exploration" in raised.value.text("en")
    # no year-ago figures at all: tenure alone, and the page is told which field is missing
    detail = segment_detail(book.drop(columns="aum_12m_ago"), "lifecycle")
    assert detail.tiers.astype(str).tolist() == ["stable", "stable", "stable", "formation"]
    assert any(w.code == "optional_missing" for w in detail.warnings)


def test_new_customers_cross_any_scheme() -> None:
    book = hand_book()
    table = crosstab(book, segment(book, "aum"), segment(book, "new"))
    # H01 (49,999) and H10 (30,000) are the new ones, both 大众
    assert table.loc["mass", "new"] == 2 and table["new"].sum() == 2
    assert table.loc["affluent", "existing"] == 4


def test_aum_retention_leaves_out_customers_without_a_base() -> None:
    # Three 大众 customers: a kept 20,000 of 25,000; b was new (0 a year ago) and now holds 40,000; c held nothing
    # a year ago either. With them, Σ now / Σ then would be 60,000 / 25,000 = 240%; without them 20,000 / 25,000 =
    # 80%, over the one customer with a base.
    book = pd.DataFrame({"customer_id": list("abc"), "aum": [20_000.0, 40_000.0, 0.0],
                         "aum_12m_ago": [25_000.0, 0.0, 0.0], "tenure_years": [5.0, 0.5, 3.0]})
    result = four_degrees(book, segment(book, "aum"))
    assert result.figures.loc["mass", "aum_retention"] == pytest.approx(0.8)
    assert result.figures.loc["mass", "retention_base"] == 1
    assert result.figures.loc["all", "retention_base"] == 1


def test_sample_book_retention_without_new_customers() -> None:
    from workbook.samples import sample_book

    book = sample_book()
    figures = four_degrees(book, segment(book, "aum")).figures
    based = book["aum_12m_ago"] > 0
    mass = (book["aum"] < 50_000) & based
    assert figures.loc["mass", "aum_retention"] == pytest.approx(book.loc[mass, "aum"].sum()
                                                                 / book.loc[mass, "aum_12m_ago"].sum())
    assert figures.loc["all", "retention_base"] == int(based.sum())


def test_sample_book_migration_has_new_customers() -> None:
    from workbook.samples import sample_book

    book = sample_book()
    detail = migration_detail(book)
    new = book["tenure_years"] < 1
    assert detail.moves["new"] == int(new.sum()) > 0
    assert sum(detail.moves.values()) == len(book)
    flows = detail.flows
    assert int(flows.loc[flows["from"] == "new", "customers"].sum()) == int(new.sum())


@given(random_books(), st.sampled_from(DIMENSION_IDS))
def test_every_customer_in_exactly_one_dimension_tier(book: pd.DataFrame, dimension_id: str) -> None:
    detail = segment_detail(book, dimension_id)
    assert detail.tiers.notna().all() and len(detail.tiers) == len(book)
    summary = tier_summary(book, detail)
    assert int(summary["customers"].sum()) == len(book)
    for key in get_scheme(dimension_id).fields:
        if key in book.columns:
            assert (detail.tiers[book[key].isna()] == INSUFFICIENT).all()
    for warning in detail.warnings:
        assert "{" not in warning_text(warning, "zh") and "{" not in warning_text(warning, "en")


@given(random_books())
def test_migration_accounts_for_every_customer(book: pd.DataFrame) -> None:
    detail = migration_detail(book)
    assert sum(detail.moves.values()) == len(book)
    assert int(detail.flows["customers"].sum()) == len(book)
    assert np.isclose(detail.flows["aum"].sum(), book["aum"].fillna(0).sum())
