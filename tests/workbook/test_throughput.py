"""Throughput accounting: T, OE, NP, ROI and T/OE on a hand table (arithmetic in the comments), the best allocation
of the manager's hours against brute force (hypothesis), the infeasible case, and the case cards."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import workbook
from workbook import throughput as tp
from workbook.profit import ProfitParams, profitability

# Hourly cost 18,000 ÷ 90 = 200 元; spreads 1% on deposits, 1.5% on loans.
PARAMS = ProfitParams(annual_cost=18_000, effective_hours=90, deposit_spread=0.01, loan_spread=0.015)


def hand_book() -> tuple[pd.DataFrame, pd.Series]:
    """Four customers in two tiers (A: c1, c2; B: c3, c4), tier C empty.

    c1: revenue 10,000 fee + 1,000,000 × 1% = 20,000; variable 1,000 gift + 2,000 rebate + 500 event = 3,500;
        T 16,500; 20 hours.
    c2: revenue 5,000 fee + 200,000 loan × 1.5% = 8,000; variable 500 gift; T 7,500; 10 hours.
    c3: revenue 1,000 fee + 100,000 × 1% = 2,000; variable 300 + 200 + 100 = 600; T 1,400; 8 hours.
    c4: revenue 50,000 × 1% = 500; no variable cost; T 500; hours blank (not recorded).
    """
    book = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4"],
        "aum": [1_000_000.0, 300_000.0, 100_000.0, 50_000.0],
        "fee_income_12m": [10_000.0, 5_000.0, 1_000.0, 0.0],
        "deposit_balance": [1_000_000.0, 0.0, 100_000.0, 50_000.0],
        "loan_balance": [0.0, 200_000.0, 0.0, 0.0],
        "service_hours_12m": [20.0, 10.0, 8.0, np.nan],
        "gift_cost_12m": [1_000.0, 500.0, 300.0, 0.0],
        "rebate_cost_12m": [2_000.0, 0.0, 200.0, 0.0],
        "event_cost_12m": [500.0, 0.0, 100.0, 0.0],
    })
    tiers = pd.Series(pd.Categorical(["A", "A", "B", "B"], categories=["A", "B", "C"], ordered=True))
    return book, tiers


def test_t_oe_np_per_tier_on_the_hand_table() -> None:
    book, tiers = hand_book()
    frame = tp.throughput_by_tier(book, tiers, PARAMS, investment={"A": 6_000})
    a, b, c = (frame.loc[code] for code in ("A", "B", "C"))
    # A: revenue 20,000 + 8,000 = 28,000; variable 3,500 + 500 = 4,000; T = 24,000.
    assert (a["revenue"], a["variable_cost"], a["t"]) == pytest.approx((28_000, 4_000, 24_000))
    # A: hours 20 + 10 = 30; OE = 30 × 200 = 6,000; NP = 24,000 − 6,000 = 18,000; T/OE = 4.0; T/h = 800.
    assert (a["hours"], a["oe"], a["np"], a["t_over_oe"], a["t_per_hour"]) == pytest.approx(
        (30, 6_000, 18_000, 4.0, 800))
    # A: ROI = NP ÷ I = 18,000 ÷ 6,000 = 3.0.
    assert a["roi"] == pytest.approx(3.0)
    # B: revenue 2,000 + 500 = 2,500; variable 600; T 1,900; hours 8 (c4 not recorded: 1 customer with hours);
    # OE 8 × 200 = 1,600; NP 300; T/OE = 1,900 ÷ 1,600 = 1.1875; T/h = 1,900 ÷ 8 = 237.5; no investment → no ROI.
    assert (b["revenue"], b["variable_cost"], b["t"], b["hours"], b["hours_recorded"]) == pytest.approx(
        (2_500, 600, 1_900, 8, 1))
    assert (b["oe"], b["np"], b["t_over_oe"], b["t_per_hour"]) == pytest.approx((1_600, 300, 1.1875, 237.5))
    assert math.isnan(b["roi"])
    # C: nobody → zero T, unknown hours, no T per hour.
    assert c["customers"] == 0 and c["t"] == 0 and math.isnan(c["hours"]) and math.isnan(c["t_per_hour"])
    # A tier's NP equals 1.4's net summed over it: c1 20,000 − (20 × 200 + 3,500) = 12,500; c2 8,000 − 2,500 = 5,500.
    net = profitability(book, PARAMS)["net"]
    assert a["np"] == pytest.approx(net.iloc[:2].sum())


def test_totals_on_the_hand_table() -> None:
    book, tiers = hand_book()
    totals = tp.throughput_totals(tp.throughput_by_tier(book, tiers, PARAMS, investment={"A": 6_000}), PARAMS,
                                  other_oe=2_000)
    # T = 24,000 + 1,900 = 25,900. OE = the whole year's cost 18,000 + 2,000 other = 20,000. NP = 5,900.
    assert (totals.t, totals.oe, totals.np) == pytest.approx((25_900, 20_000, 5_900))
    # T/OE = 25,900 ÷ 20,000 = 1.295; ROI = 5,900 ÷ 6,000 = 0.98333…
    assert totals.t_over_oe == pytest.approx(1.295)
    assert totals.roi == pytest.approx(5_900 / 6_000)
    # OE the tiers' hours carry: 6,000 + 1,600 = 7,600; the rest, 12,400, is hours not spent with customers + fixed.
    assert (totals.oe_assigned, totals.oe_unassigned) == pytest.approx((7_600, 12_400))
    assert totals.hours == pytest.approx(38)
    assert math.isnan(tp.throughput_totals(tp.throughput_by_tier(book, tiers, PARAMS), PARAMS).roi)  # no I


def test_the_books_hours_are_recorded_hours_and_a_blank_cell_is_neither() -> None:
    book, tiers = hand_book()
    frame = tp.throughput_by_tier(book, tiers, PARAMS)
    # A: c1 and c2 recorded; B: c3 recorded, c4 blank (no hours, and none assumed for a book that has the column).
    assert frame["hours_recorded"].tolist() == [2, 1, 0]
    assert frame["hours_assumed"].tolist() == [0, 0, 0]


def test_without_hours_in_the_book_throughput_counts_the_hours_1_4_assumes() -> None:
    # One source of truth: the hours 1.4 prices are the hours throughput counts. The hand book has no contacts,
    # so 1.4 takes each customer's AUM tier's hours a year (cost_to_serve.toml): c1 (100万, 财富) 8 h; c2 (30万),
    # c3 (10万) and c4 (5万, the 潜力 lower bound) 3 h each. Gifts, rebates and events stay the book's.
    book, tiers = hand_book()
    book = book.drop(columns="service_hours_12m")
    frame = tp.throughput_by_tier(book, tiers, PARAMS)
    # A: 8 + 3 = 11 h; T 24,000 (as with recorded hours) ÷ 11 = 2,181.82 an hour; OE 11 × 200 = 2,200.
    assert (frame.loc["A", "hours"], frame.loc["A", "t_per_hour"], frame.loc["A", "oe"]) == pytest.approx(
        (11, 24_000 / 11, 2_200))
    # B: 3 + 3 = 6 h; T 1,900 ÷ 6 = 316.67 an hour; OE 1,200.
    assert (frame.loc["B", "hours"], frame.loc["B", "t_per_hour"], frame.loc["B", "oe"]) == pytest.approx(
        (6, 1_900 / 6, 1_200))
    assert frame["hours_recorded"].tolist() == [0, 0, 0]
    assert frame["hours_assumed"].tolist() == [2, 2, 0]
    # NP per tier is still 1.4's net summed: c1 20,000 − (8 × 200 + 3,500) = 14,900; c2 8,000 − (3 × 200 + 500)
    # = 6,900; A = 21,800 = 24,000 − 2,200.
    net = profitability(book, PARAMS)["net"]
    assert frame.loc["A", "np"] == pytest.approx(21_800) == pytest.approx(net.iloc[:2].sum())
    assert frame.loc["B", "np"] == pytest.approx(net.iloc[2:].sum())


def test_with_contacts_the_assumed_hours_are_contacts_times_the_tiers_minutes() -> None:
    book, tiers = hand_book()
    book = book.drop(columns="service_hours_12m").assign(contacts_12m=[12.0, 6.0, 4.0, np.nan])
    frame = tp.throughput_by_tier(book, tiers, PARAMS)
    # c1 财富 12 × 30 min = 6 h; c2 潜力 6 × 15 min = 1.5 h → A 7.5 h. c3 4 × 15 min = 1 h; c4 blank contacts
    # count as none (0 h, still priced) → B 1 h.
    assert frame.loc["A", "hours"] == pytest.approx(7.5) and frame.loc["B", "hours"] == pytest.approx(1.0)
    assert frame["hours_assumed"].tolist() == [2, 2, 0]


def test_edited_tier_assumptions_move_the_hours_as_on_1_4() -> None:
    book, tiers = hand_book()
    book = book.drop(columns="service_hours_12m")
    params = replace(PARAMS, assumptions=PARAMS.assumptions.with_overrides({"affluent": {"hours": 20}}))
    frame = tp.throughput_by_tier(book, tiers, params)
    # A: c1 now 20 h + c2 3 h = 23 h, the hours 1.4 prices with the same params.
    assert frame.loc["A", "hours"] == pytest.approx(23)
    assert frame.loc["A", "hours"] == pytest.approx(profitability(book, params)["actual_hours"].iloc[:2].sum())


def test_with_the_assumptions_off_and_no_hours_nothing_is_priced_per_hour() -> None:
    # 1.4 with its assumptions switched off counts no time cost for a book without hours: neither does 4.3 —
    # no plan hours stand in, so T per hour is unknown rather than priced on hours nobody costed.
    book, tiers = hand_book()
    book = book.drop(columns="service_hours_12m")
    params = replace(PARAMS, assumptions=replace(PARAMS.assumptions, enabled=False))
    frame = tp.throughput_by_tier(book, tiers, params)
    assert frame["hours"].isna().all() and frame["t_per_hour"].isna().all()
    assert frame["oe"].tolist() == [0, 0, 0]
    assert frame["np"].tolist() == frame["t"].tolist()  # = 1.4's net, which has no time cost
    assert frame["hours_recorded"].tolist() == [0, 0, 0] and frame["hours_assumed"].tolist() == [0, 0, 0]


def test_the_facade_offers_throughput_by_tier_with_t_per_hour() -> None:
    book = workbook.sample_book(n=300, seed=7)
    frame = workbook.throughput_by_tier(book, workbook.segment(book, "aum"), ProfitParams())
    assert "t_per_hour" in frame.columns
    # The private-banking hour earns most on the sample book, the mass hour least.
    ranked = frame.drop(index="insufficient")["t_per_hour"].sort_values(ascending=False).index.tolist()
    assert ranked[0] == "private" and ranked[-1] == "mass"


# ---- allocate_hours ------------------------------------------------------------------------------------------------


def test_allocation_worked_example() -> None:
    book, tiers = hand_book()
    frame = tp.throughput_by_tier(book, tiers, PARAMS)
    table = tp.allocation_table(frame)  # floors 50% and ceilings 150% of today's hours
    # C (no hours) cannot be priced per hour and stays out. A: today 30, floor 15, ceiling 45; B: 8, 4, 12.
    assert table.index.tolist() == ["A", "B"]
    assert table[["today", "floor", "ceiling"]].to_numpy().tolist() == [[30, 15, 45], [8, 4, 12]]
    # 38 hours: floors take 19, the other 19 go to A (800 an hour) first: A 34 (below its ceiling 45), B 4.
    comparison = tp.compare_allocation(table, 38, np_today=5_900)
    assert comparison.tiers["best"].tolist() == [34, 4]
    assert comparison.tiers["moved"].tolist() == [4, -4]
    # T today 30 × 800 + 8 × 237.5 = 25,900; best 34 × 800 + 4 × 237.5 = 27,200 + 950 = 28,150; uplift 2,250.
    assert (comparison.t_today, comparison.t_best, comparison.t_uplift) == pytest.approx((25_900, 28_150, 2_250))
    # OE is unchanged, so NP rises by the same 2,250: 5,900 → 8,150 (+38.1%).
    assert comparison.np_best == pytest.approx(8_150)
    assert comparison.np_change == pytest.approx(2_250 / 5_900)
    assert comparison.hours_moved == 4 and comparison.hours_unused == 0


def test_infeasible_floors_raise_a_clear_error_in_both_languages() -> None:
    table = pd.DataFrame({"t_per_hour": [800, 237.5], "floor": [1_500, 400], "ceiling": [2_000, 600]},
                         index=["A", "B"])
    with pytest.raises(tp.HoursInfeasibleError) as caught:
        workbook.allocate_hours(table, 1_200)
    err = caught.value
    assert isinstance(err, ValueError)
    assert "1,900" in str(err) and "1,200" in str(err) and "最低" in str(err)
    assert "1,900" in err.text("en") and "1,200" in err.text("en") and "floor" in err.text("en").lower()


@pytest.mark.parametrize(
    ("table", "hours", "code"),
    [
        (pd.DataFrame({"t_per_hour": [1.0], "floor": [0.0]}, index=["A"]), 5, "columns"),
        (pd.DataFrame({"t_per_hour": [math.nan], "floor": [0.0], "ceiling": [1.0]}, index=["A"]), 5, "bad_t_per_hour"),
        (pd.DataFrame({"t_per_hour": [1.0], "floor": [-1.0], "ceiling": [1.0]}, index=["A"]), 5, "bounds"),
        (pd.DataFrame({"t_per_hour": [1.0], "floor": [3.0], "ceiling": [2.0]}, index=["A"]), 5, "bounds"),
        (pd.DataFrame({"t_per_hour": [1.0], "floor": [0.0], "ceiling": [2.0]}, index=["A"]), -1, "available"),
    ],
)
def test_malformed_tables_raise_allocation_errors(table: pd.DataFrame, hours: float, code: str) -> None:
    with pytest.raises(tp.AllocationError) as caught:
        tp.allocate_hours(table, hours)
    assert caught.value.code == code
    assert "⟦" not in caught.value.text("zh") and "⟦" not in caught.value.text("en")


def test_no_ceiling_and_unprofitable_tiers() -> None:
    # A NaN ceiling is no ceiling: all 10 spare hours go to A. B earns nothing an hour: it keeps its floor only.
    table = pd.DataFrame({"t_per_hour": [5.0, 0.0, -3.0], "floor": [1.0, 2.0, 1.0], "ceiling": [math.nan, 9.0, 9.0]},
                         index=["A", "B", "C"])
    assert tp.allocate_hours(table, 14).tolist() == [11, 2, 1]
    # Only loss-making tiers: the spare hours stay unallocated.
    assert tp.allocate_hours(table.loc[["B", "C"]], 14).tolist() == [2, 1]


def _objective(t: list[float], hours: list[float]) -> float:
    return sum(a * b for a, b in zip(t, hours, strict=True))


tiers_strategy = st.lists(
    st.tuples(st.integers(-5, 20), st.integers(0, 4), st.integers(0, 5)),  # T per hour, floor, ceiling − floor
    min_size=1, max_size=4,
)


@given(tiers_strategy, st.integers(0, 14))
def test_allocate_hours_equals_brute_force_on_small_instances(spec: list[tuple[int, int, int]], spare: int) -> None:
    t = [float(a) for a, _, _ in spec]
    floors = [float(f) for _, f, _ in spec]
    ceilings = [float(f + w) for _, f, w in spec]
    available = sum(floors) + spare
    table = pd.DataFrame({"t_per_hour": t, "floor": floors, "ceiling": ceilings},
                         index=[f"tier{i}" for i in range(len(spec))])
    best = tp.allocate_hours(table, available).tolist()
    # never over the hours; floors and ceilings respected
    assert sum(best) <= available + 1e-9
    assert all(f <= h <= c for f, h, c in zip(floors, best, ceilings, strict=True))
    # the greedy value equals the best whole-hour allocation found by trying them all
    brute = max(
        _objective(t, list(hours))
        for hours in itertools.product(*(range(int(f), int(c) + 1) for f, c in zip(floors, ceilings, strict=True)))
        if sum(hours) <= available
    )
    assert _objective(t, best) == pytest.approx(brute)


@given(
    st.lists(st.tuples(st.floats(-50, 500), st.floats(0, 100), st.floats(0, 100), st.floats(0, 1)),
             min_size=1, max_size=6),
    st.floats(0, 200),
)
def test_never_worse_than_todays_allocation(spec: list[tuple[float, float, float, float]], spare: float) -> None:
    # Today: any hours within each tier's floor and ceiling; the hours available are at least today's total.
    t = [a for a, _, _, _ in spec]
    floors = [f for _, f, _, _ in spec]
    ceilings = [f + w for _, f, w, _ in spec]
    today = [f + share * w for _, f, w, share in spec]
    available = sum(today) + spare
    table = pd.DataFrame({"t_per_hour": t, "floor": floors, "ceiling": ceilings, "today": today})
    comparison = tp.compare_allocation(table, available, np_today=0.0)
    best = comparison.tiers["best"].tolist()
    assert sum(best) <= available * (1 + 1e-9) + 1e-9
    assert all(f - 1e-9 <= h <= c + 1e-9 for f, h, c in zip(floors, best, ceilings, strict=True))
    assert comparison.t_best >= comparison.t_today - 1e-6 * (1 + abs(comparison.t_today))


@given(tiers_strategy, st.integers(1, 10))
def test_floors_above_the_hours_always_raise(spec: list[tuple[int, int, int]], short: int) -> None:
    floors = [float(f) for _, f, _ in spec]
    assume(sum(floors) >= short)
    table = pd.DataFrame({"t_per_hour": [float(a) for a, _, _ in spec], "floor": floors,
                          "ceiling": [float(f + w) for _, f, w in spec]})
    with pytest.raises(tp.HoursInfeasibleError):
        tp.allocate_hours(table, sum(floors) - short)


# ---- case cards -----------------------------------------------------------------------------------------------------


def test_goldratt_p_and_q() -> None:
    case = tp.pq_case()
    p, q = case.products
    # P: T = 90 − 45 = 45 a unit in 15 constraint minutes = $3/min; Q: 100 − 40 = 60 in 30 minutes = $2/min.
    assert (p.t_per_unit, p.t_per_minute, q.t_per_unit, q.t_per_minute) == (45, 3, 60, 2)
    # T per constraint minute first: all 100 P (1,500 min), then 900 min ÷ 30 = 30 Q.
    # T = 100 × 45 + 30 × 60 = 6,300; NP = 6,300 − 6,000 = 300.
    assert case.by_constraint.units == {"P": 100, "Q": 30}
    assert (case.by_constraint.t, case.by_constraint.np) == (6_300, 300)
    # Margin per unit first: all 50 Q (1,500 min), then 900 ÷ 15 = 60 P. T = 3,000 + 2,700 = 5,700; NP = −300.
    assert case.by_margin.units == {"P": 60, "Q": 50}
    assert (case.by_margin.t, case.by_margin.np) == (5_700, -300)


def test_mobile_outlet_case_gains_thirty_percent_profit() -> None:
    case = tp.outlet_case("mobile")
    c = case.comparison
    # Today: 6,000 × 50 + 3,000 × 200 + 1,000 × 150 = 1,050,000; NP = 1,050,000 − 900,000 = 150,000.
    # Floors 5,000 + 3,000 + 800 = 8,800 of 10,000 hours; the 1,200 left: upgrades (200/h) +300 to its ceiling
    # 3,300, business (150/h) +200 to 1,000, transactions (50/h) +700 to 5,700.
    # T = 5,700 × 50 + 3,300 × 200 + 1,000 × 150 = 285,000 + 660,000 + 150,000 = 1,095,000; NP 195,000 (+30%).
    assert case.groups["best"].tolist() == [5_700, 3_300, 1_000]
    assert (c.t_today, c.t_best, c.np_today, c.np_best) == pytest.approx((1_050_000, 1_095_000, 150_000, 195_000))
    assert c.np_change == pytest.approx(0.30)
    assert c.hours_moved == 300


def test_spdb_outlet_case_exceeds_its_fee_target() -> None:
    case = tp.outlet_case("spdb")
    c = case.comparison
    # Today: 3,000 × 40 + 1,800 × 300 + 600 × 500 = 120,000 + 540,000 + 300,000 = 960,000 → 96% of 1,000,000.
    # Floors 2,200 + 1,800 + 600 = 4,600 of 5,400; 800 left: insurance (500/h) +400 to 1,000, wealth (300/h) +400.
    # 2,200 × 40 + 2,200 × 300 + 1,000 × 500 = 88,000 + 660,000 + 500,000 = 1,248,000 → 124.8%.
    assert case.groups["best"].tolist() == [2_200, 2_200, 1_000]
    assert case.achievement(c.t_today) == pytest.approx(0.96)
    assert case.achievement(c.t_best) == pytest.approx(1.248)
