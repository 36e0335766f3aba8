"""1.2 核心业绩公式: P = N × c × v, uplifts, the waterfall, derivation from the book (hand-computed)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.small_books import dated_formula_book, formula_book
from workbook import performance as perf
from workbook import samples


def test_ten_percent_on_three_levers_is_33_1_percent() -> None:
    # 1.1 × 1.1 × 1.1 = 1.331 → +33.1%
    assert perf.compound_uplift([0.1, 0.1, 0.1]) == pytest.approx(0.331)
    assert perf.lesson(0.1, 3) == pytest.approx((0.331, 0.3))
    assert perf.lesson_pct(10, 3) == pytest.approx((0.331, 0.3))
    # with the fourth lever: 1.1⁴ − 1 = 0.4641
    assert perf.lesson_pct(10, 4)[0] == pytest.approx(0.4641)


def test_tenfold_is_2_154_on_each_of_three_levers() -> None:
    # 10^(1/3) = 2.15443…, so each lever +115.4%
    assert 1 + perf.balanced_uplift(10, 3) == pytest.approx(2.154, abs=5e-4)
    assert perf.balanced_uplift(10, 3) == pytest.approx(10 ** (1 / 3) - 1)
    # four levers: 10^(1/4) = 1.778
    assert 1 + perf.balanced_uplift(10, 4) == pytest.approx(1.778, abs=5e-4)
    with pytest.raises(ValueError):
        perf.balanced_uplift(0, 3)


def test_performance_worked_example_with_and_without_repurchase() -> None:
    # 40 × 10% × 500,000 = 2,000,000 (200万); × (1 + 20%) = 2,400,000
    assert perf.performance(40, 0.10, 500_000) == pytest.approx(2_000_000)
    assert perf.performance(40, 0.10, 500_000, r=0.20) == pytest.approx(2_400_000)
    levers = perf.Levers(40, 0.10, 500_000, r=0.20, repurchase=False)
    assert levers.performance == pytest.approx(2_000_000)  # r ignored while the toggle is off


def test_target_plan_worked_example() -> None:
    # P = 20 × 25% × 100,000 = 500,000; target 1,000,000 → ratio 2
    current = perf.Levers(20, 0.25, 100_000)
    plan = perf.target_plan(current, 1_000_000)
    assert plan is not None
    assert plan.ratio == pytest.approx(2.0)
    assert plan.alone_uplift == pytest.approx(1.0)  # one lever alone must double
    assert plan.balanced_uplift == pytest.approx(2 ** (1 / 3) - 1)  # 0.2599
    needs = {need.lever: need for need in plan.needs}
    assert needs["n"].alone == pytest.approx(40)
    assert needs["c"].alone == pytest.approx(0.5) and needs["c"].alone_feasible
    assert needs["v"].balanced == pytest.approx(100_000 * 2 ** (1 / 3))  # 125,992
    # a target of 5× needs c = 125% alone: impossible; balanced c = 0.25 × 5^(1/3) = 42.7%: fine
    plan5 = perf.target_plan(current, 2_500_000)
    assert plan5 is not None
    c5 = next(need for need in plan5.needs if need.lever == "c")
    assert c5.alone == pytest.approx(1.25) and not c5.alone_feasible
    assert c5.balanced == pytest.approx(0.25 * 5 ** (1 / 3)) and c5.balanced_feasible


def test_target_plan_with_repurchase_works_on_the_factor() -> None:
    # P = 10 × 50% × 1,000 × (1 + 0.5) = 7,500; target 15,000 → ratio 2
    current = perf.Levers(10, 0.5, 1_000, r=0.5, repurchase=True)
    plan = perf.target_plan(current, 15_000)
    assert plan is not None and len(plan.needs) == 4
    r_need = plan.needs[-1]
    # alone: factor 1.5 × 2 = 3 → r = 200%, impossible in this model (each buyer buys again at most once)
    assert r_need.alone == pytest.approx(2.0) and not r_need.alone_feasible
    # balanced: factor 1.5 × 2^(1/4) = 1.7838 → r = 78.4%
    assert r_need.balanced == pytest.approx(1.5 * 2 ** 0.25 - 1)


def test_no_plan_when_performance_is_zero() -> None:
    assert perf.target_plan(perf.Levers(0, 0.1, 100), 1_000) is None
    assert perf.target_plan(perf.Levers(10, 0.1, 100), 0) is None


def test_default_target_is_one_and_a_half_times_rounded() -> None:
    # 2,000,000 × 1.5 = 3,000,000; 123,456 × 1.5 = 185,184 → 185,000
    assert perf.default_target(perf.Levers(40, 0.1, 500_000)) == 3_000_000
    assert perf.default_target(perf.Levers(1, 1.0, 123_456)) == 185_000


def test_waterfall_worked_example_in_two_orders() -> None:
    # current 20 × 25% × 100,000 = 500,000; planned 30 × 30% × 120,000 = 1,080,000
    current = perf.Levers(20, 0.25, 100_000)
    planned = perf.Levers(30, 0.30, 120_000)
    flow = perf.waterfall(current, planned)
    assert flow.order == ("n", "c", "v")
    # N first: (30 − 20) × 0.25 × 100,000 = 250,000
    # then c:  30 × (0.30 − 0.25) × 100,000 = 150,000
    # then v:  30 × 0.30 × (120,000 − 100,000) = 180,000; total 580,000 = 1,080,000 − 500,000
    assert [s.delta for s in flow.steps] == pytest.approx([250_000, 150_000, 180_000])
    assert flow.start == pytest.approx(500_000) and flow.end == pytest.approx(1_080_000)
    reverse = perf.waterfall(current, planned, ("v", "c", "n"))
    # v first: 20 × 0.25 × 20,000 = 100,000; c: 20 × 0.05 × 120,000 = 120,000; n: 10 × 0.30 × 120,000 = 360,000
    assert [s.delta for s in reverse.steps] == pytest.approx([100_000, 120_000, 360_000])
    with pytest.raises(ValueError):
        perf.waterfall(current, planned, ("n", "c"))


def test_plan_from_pcts_and_gap() -> None:
    current = perf.Levers(20, 0.25, 100_000)
    planned = perf.plan_from_pcts(current, {"n": 50, "c": 20, "v": 20})
    assert (planned.n, planned.c, planned.v) == pytest.approx((30, 0.30, 120_000))
    assert perf.gap_to_target(1_080_000, 1_200_000) == pytest.approx(-0.1)
    assert perf.gap_to_target(1.0, 0) is None
    plan = perf.target_plan(current, 1_000_000)
    assert plan is not None
    assert perf.balanced_pcts(plan, ("n", "c", "v")) == {"n": 25.99, "c": 25.99, "v": 25.99}


def test_attribution_orders_are_all_permutations() -> None:
    assert len(perf.attribution_orders(("n", "c", "v"))) == 6
    assert perf.attribution_orders(("n", "c", "v"))[0] == ("n", "c", "v")
    assert len(perf.attribution_orders(perf.ALL_LEVERS)) == 24


def test_cases_numbers() -> None:
    # 浦发销冠: 30 × 10% × 300,000 = 900,000; +30% on each → × 1.3³ = 2.197
    spdb = perf.case_result(perf.CASES["spdb_champion"])
    assert spdb.before.performance == pytest.approx(900_000)
    assert spdb.ratio == pytest.approx(2.197)
    assert spdb.after.performance == pytest.approx(1_977_300)
    # 200万 → 2000万: 40 × 10% × 500,000 = 2,000,000; each lever × 2.154
    ten = perf.case_result(perf.CASES["ten_x"])
    assert ten.before.performance == pytest.approx(2_000_000)
    assert ten.after.performance == pytest.approx(20_000_000)
    assert ten.per_lever_factor == pytest.approx(2.154, abs=5e-4)
    assert ten.after.c == pytest.approx(0.2154, abs=5e-5)


def test_derive_from_book_worked_example() -> None:
    derived = perf.derive_from_book(formula_book(), "year")
    assert derived.n.value == 3 and derived.n.source == perf.SOURCE_CONTACTS
    assert derived.n.detail == {"reached": 3, "customers": 5}
    # deals: c1 and c4 of the 3 reached with known assets → c = 2/3; v = (50,000 + 80,000) / 2 = 65,000
    assert derived.c.value == pytest.approx(2 / 3) and derived.c.source == perf.SOURCE_GROWTH
    assert derived.v.value == pytest.approx(65_000)
    assert derived.missing == ()
    # P a year = 3 × 2/3 × 65,000 = 130,000 = the growth of the two deals
    assert derived.levers().performance == pytest.approx(130_000)
    # a month without contact dates: a customer contacted k times a year is reached in about k months of 12:
    # N = (4 + 1 + 0 + 2 + 0) ÷ 12 = 7/12; the year's 2 deals → 2/12 a month; c = (2/12) ÷ (7/12) = 2/7
    monthly = perf.derive_from_book(formula_book(), "month")
    assert monthly.n.value == pytest.approx(7 / 12) and monthly.n.source == perf.SOURCE_CONTACTS_SPREAD
    assert monthly.c.value == pytest.approx(2 / 7)
    assert monthly.v.value == pytest.approx(65_000)
    assert monthly.levers().performance == pytest.approx(130_000 / 12)
    assert monthly.missing == ("last_contact_date",)


def test_n_a_month_counts_the_customers_reached_in_the_last_30_days() -> None:
    book = dated_formula_book()
    monthly = perf.derive_from_book(book, "month")
    # c1 (16 days) and c2 (29 days) before 2026-03-31; c4 at 30 days is outside the window
    assert monthly.n.value == 2 and monthly.n.source == perf.SOURCE_CONTACT_DATE
    assert monthly.n.detail == {"reached": 2, "customers": 5, "days": 30}
    assert monthly.as_of == "2026-03-31"
    # on asset growth: 2 deals a year → 1/6 a month over 2 reached → c = 8.3%, not the 2/7 a spread gives, nor the
    # 2/3 a year (the "42% a month no banker believes"); P is the same a twelfth of the year
    growth = perf.derive_from_book(book, "month", perf.BASIS_GROWTH)
    assert growth.c.value == pytest.approx(1 / 12)
    assert growth.levers().performance == pytest.approx(130_000 / 12)
    # a year still counts contacts in 12 months
    assert perf.derive_from_book(book, "year").n.value == 3


def test_the_basis_of_performance() -> None:
    book = dated_formula_book()
    # fee income: c1 (3,000) and c4 (1,000) paid among the 3 reached → c = 2/3, v = 4,000 ÷ 2 = 2,000,
    # P a year = 3 × 2/3 × 2,000 = 4,000 (the reached customers' fee income)
    fee = perf.derive_from_book(book, "year", perf.BASIS_FEE)
    assert (fee.c.value, fee.v.value) == pytest.approx((2 / 3, 2_000))
    assert fee.c.source == perf.SOURCE_FEE and fee.basis == perf.BASIS_FEE
    assert fee.levers().performance == pytest.approx(4_000)
    # a month: 2/12 deals over 2 reached → c = 1/12; P = 4,000 ÷ 12
    fee_month = perf.derive_from_book(book, "month", perf.BASIS_FEE)
    assert fee_month.c.value == pytest.approx(1 / 12)
    assert fee_month.levers().performance == pytest.approx(4_000 / 12)
    # the trainee's own month: 1 deal, 理财 10万 + 基金 5万 → c = 1 ÷ 2 = 50%, v = 15万, P = 15万 exactly
    own = perf.OwnSales(deals=1, wealth=100_000, fund=50_000, fee_income=3_000)
    sales = perf.derive_from_book(book, "month", perf.BASIS_OWN_SALES, own)
    assert (sales.c.value, sales.v.value) == pytest.approx((0.5, 150_000))
    assert sales.levers().performance == pytest.approx(150_000)
    own_fee = perf.derive_from_book(book, "month", perf.BASIS_OWN_FEE, own)
    assert own_fee.levers().performance == pytest.approx(3_000)
    # more deals than customers reached: c is capped at 100% and says so
    capped = perf.derive_from_book(book, "month", perf.BASIS_OWN_SALES, perf.OwnSales(deals=5, wealth=500_000))
    assert capped.c.value == 1.0 and capped.c.detail["capped"] == 1.0
    # an own basis without figures: stated defaults
    empty = perf.derive_from_book(book, "month", perf.BASIS_OWN_SALES)
    assert empty.c.source == perf.SOURCE_NO_OWN and empty.c.value == perf.DEFAULT_CONVERSION
    # no fee column: the fee basis says what is missing
    assert "fee_income_12m" in perf.derive_from_book(formula_book(), "year", perf.BASIS_FEE).missing
    with pytest.raises(ValueError):
        perf.derive_from_book(book, "year", "hunch")


def test_the_page_starts_on_the_strongest_basis_the_data_allows() -> None:
    assert perf.default_basis(formula_book()) == perf.BASIS_GROWTH
    assert perf.default_basis(dated_formula_book()) == perf.BASIS_FEE
    assert perf.default_basis(formula_book(), perf.OwnSales(deals=2, insurance=10_000)) == perf.BASIS_OWN_SALES
    assert perf.default_basis(formula_book(), perf.OwnSales(deals=2, fee_income=800)) == perf.BASIS_OWN_FEE
    assert perf.default_basis(formula_book(), perf.OwnSales(wealth=10_000)) == perf.BASIS_GROWTH  # no deals


def test_a_monthly_conversion_a_banker_believes_on_the_sample_book() -> None:
    # A property, not a figure (the sample book is being rebuilt): with 30-day contacts, the month's reach is at
    # most the year's, and a month's conversion on asset growth stays a plausible rate.
    book = samples.sample_book(300, seed=7)
    month = perf.derive_from_book(book, "month", perf.BASIS_GROWTH)
    year = perf.derive_from_book(book, "year", perf.BASIS_GROWTH)
    assert month.n.source == perf.SOURCE_CONTACT_DATE
    assert 0 < month.n.value <= year.n.value
    assert month.c.value < 0.25
    # a twelfth of the year's performance (less only if a month's rate had to be capped at 100%)
    assert month.levers().performance <= year.levers().performance / 12 * (1 + 1e-9)


def test_derive_from_a_book_with_only_id_and_aum_uses_stated_defaults() -> None:
    book = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [1.0, 2.0, 3.0]})
    derived = perf.derive_from_book(book, "year")
    assert derived.n.value == 3 and derived.n.source == perf.SOURCE_ALL
    assert derived.c.value == perf.DEFAULT_CONVERSION and derived.c.source == perf.SOURCE_DEFAULT
    assert derived.v.value == perf.DEFAULT_DEAL_SIZE and derived.v.source == perf.SOURCE_DEFAULT
    assert derived.missing == ("contacts_12m", "aum_12m_ago")
    monthly = perf.derive_from_book(book, "month")
    assert monthly.n.value == pytest.approx(3 / 12) and monthly.n.source == perf.SOURCE_ALL
    assert monthly.missing == ("contacts_12m", "last_contact_date", "aum_12m_ago")
    with pytest.raises(ValueError):
        perf.derive_from_book(book, "week")


def test_derive_when_nobody_grew_falls_back_to_defaults_and_says_so() -> None:
    book = pd.DataFrame({"customer_id": ["a"], "aum": [90.0], "aum_12m_ago": [100.0], "contacts_12m": [3]})
    derived = perf.derive_from_book(book, "year")
    assert derived.c.source == perf.SOURCE_NO_GROWTH and derived.c.value == perf.DEFAULT_CONVERSION


def test_resolve_levers_applies_only_real_overrides() -> None:
    book = perf.derive_from_book(formula_book(), "year")
    same = perf.resolve_levers(book, n=3.0, c_pct=200 / 3, v=None)
    assert same.overridden == frozenset()
    changed = perf.resolve_levers(book, n=10.0, c_pct=20.0, v=None, repurchase=True, r_pct=50.0)
    assert changed.overridden == {"n", "c", "r"}
    assert (changed.levers.n, changed.levers.c, changed.levers.v, changed.levers.r) == pytest.approx(
        (10, 0.2, 65_000, 0.5))
    assert changed.inputs["c_pct"] == pytest.approx(20.0)
    # 10 × 0.2 × 65,000 × 1.5 = 195,000
    assert changed.levers.performance == pytest.approx(195_000)


levels = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)


@given(levels, st.floats(0.01, 1.0), levels, levels, st.floats(0.01, 1.0), levels,
       st.permutations(["n", "c", "v"]))
def test_waterfall_steps_always_add_up_to_the_change(n0, c0, v0, n1, c1, v1, order) -> None:
    current = perf.Levers(n0, c0, v0)
    planned = perf.Levers(n1, c1, v1)
    flow = perf.waterfall(current, planned, order)
    assert math.isclose(flow.start + sum(s.delta for s in flow.steps), flow.end, rel_tol=1e-9,
                        abs_tol=1e-9 * max(1.0, abs(flow.start), abs(flow.end)))


@given(st.floats(0.01, 1000), st.integers(1, 4))
def test_balanced_uplift_compounds_back_to_the_ratio(ratio: float, k: int) -> None:
    u = perf.balanced_uplift(ratio, k)
    assert math.isclose(perf.compound_uplift([u] * k) + 1, ratio, rel_tol=1e-9)
