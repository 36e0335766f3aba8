"""Gradient scales: the up/down-grade buffer on hand-written sequences (expected tier per month written out by
hand), its invariants, and 工商银行's star points."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import gradient

# The course's default ladder: 0 大众 <5万 · 1 潜力 5–50万 · 2 财富 50–600万 · 3 私行 ≥600万.
LADDER = [50_000, 500_000, 6_000_000]
MASS, POTENTIAL, AFFLUENT, PRIVATE = range(4)


def test_rule_equals_the_reference() -> None:
    # 渤海银行: upgrade next month; downgrade after 3 months below, 6 for private banking.
    assert gradient.HysteresisRule(1, 3, 6) == gradient.BOHAI_RULE
    assert gradient.HYSTERESIS_PROVENANCE.confidence == "H"


def test_qualifying_tier_lower_bound_inclusive() -> None:
    assert gradient.qualifying_tier(49_999, LADDER) == MASS
    assert gradient.qualifying_tier(50_000, LADDER) == POTENTIAL
    assert gradient.qualifying_tier(6_000_000, LADDER) == PRIVATE


def test_private_tiers_from_the_600wan_anchor() -> None:
    assert gradient.private_tiers(LADDER) == (False, False, False, True)
    # 招商: 钻石 500万 is not private banking; 私人银行 1000万 is.
    assert gradient.private_tiers([50_000, 500_000, 5_000_000, 10_000_000]) == (False, False, False, False, True)


def test_affluent_customer_three_month_buffer_by_hand() -> None:
    # Monthly averages (万元) and the tier each meets:
    #   month     1   2   3   4   5   6   7   8   9  10  11  12
    #   万元      60  60  40  45  70  40  30  20   3  60  60  60
    #   meets     财  财  潜  潜  财  潜  潜  潜  大  财  财  财
    # The review at the end of month m sets the tier held in month m+1; month 1 holds what it meets.
    # No buffer: held(m+1) = meets(m)   → 财 财 财 潜 潜 财 潜 潜 潜 大 财 财
    # Buffer: months 3–4 below (2 < 3), month 5 back up resets the count; months 6, 7, 8 below → the 3rd
    # consecutive month (8) downgrades to what month 8 meets (潜) from month 9; month 9 (大) is 1 month below 潜;
    # month 10 meets 财 → upgrade from month 11.
    #           → 财 财 财 财 财 财 财 财 潜 潜 财 财
    values = gradient.from_wan([60, 60, 40, 45, 70, 40, 30, 20, 3, 60, 60, 60])
    result = gradient.simulate_hysteresis(values, LADDER)
    A, P, M = AFFLUENT, POTENTIAL, MASS
    assert result.qualifies == (A, A, P, P, A, P, P, P, M, A, A, A)
    assert result.without_buffer == (A, A, A, P, P, A, P, P, P, M, A, A)
    assert result.with_buffer == (A, A, A, A, A, A, A, A, P, P, A, A)
    assert result.months_below == (0, 0, 1, 2, 0, 1, 2, 3, 1, 0, 0, 0)
    assert result.changes_without_buffer == 5
    assert result.changes_with_buffer == 2


def test_private_banking_customer_six_month_buffer_by_hand() -> None:
    #   month     1    2    3    4    5    6    7    8    9   10   11   12
    #   万元     700  500  500  500  500  500  500  500  300  800  800   40
    #   meets     私   财   财   财   财   财   财   财   财   私   私   潜
    # No buffer: 私 私 财 财 财 财 财 财 财 财 私 私   (month 12's dip would show in month 13)
    # Buffer (private: 6 months): months 2–7 are six consecutive months below 私 → downgrade from month 8 to
    # what month 7 meets (财); month 10 meets 私 → upgrade from month 11.
    #            → 私 私 私 私 私 私 私 财 财 财 私 私
    # With the non-private 3-month rule the same customer would have dropped from month 5.
    values = gradient.from_wan([700, 500, 500, 500, 500, 500, 500, 500, 300, 800, 800, 40])
    result = gradient.simulate_hysteresis(values, LADDER)
    V, A = PRIVATE, AFFLUENT
    assert result.qualifies == (V, A, A, A, A, A, A, A, A, V, V, POTENTIAL)
    assert result.without_buffer == (V, V, A, A, A, A, A, A, A, A, V, V)
    assert result.with_buffer == (V, V, V, V, V, V, V, A, A, A, V, V)
    assert result.private == (False, False, False, True)
    # Treat nothing as private (anchor above the ladder): the 3-month rule applies → 财 from month 5.
    plain = gradient.simulate_hysteresis(values, LADDER, private_from=1e12)
    assert plain.with_buffer == (V, V, V, V, A, A, A, A, A, A, V, V)


def test_start_tier_and_frame() -> None:
    values = gradient.from_wan([1, 1, 1])
    result = gradient.simulate_hysteresis(values, LADDER, start_tier=AFFLUENT)
    # Held 财 in month 1; months 1–3 meet 大众: the 3rd month below would downgrade from month 4 (not shown).
    assert result.with_buffer == (AFFLUENT, AFFLUENT, AFFLUENT)
    assert result.without_buffer == (AFFLUENT, MASS, MASS)
    frame = result.frame(["大众", "潜力", "财富", "私行"])
    assert frame["with_buffer"].tolist() == ["财富", "财富", "财富"]
    assert frame["month"].tolist() == [1, 2, 3]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        gradient.simulate_hysteresis([], LADDER)
    with pytest.raises(ValueError):
        gradient.simulate_hysteresis([-1.0], LADDER)
    with pytest.raises(ValueError):
        gradient.simulate_hysteresis([1.0], [500_000, 50_000])
    with pytest.raises(ValueError):
        gradient.HysteresisRule(1, 0, 6)


@given(st.lists(st.floats(min_value=0, max_value=2e7, allow_nan=False), min_size=1, max_size=24))
def test_buffer_never_adds_changes_and_never_holds_lower(values: list[float]) -> None:
    result = gradient.simulate_hysteresis(values, LADDER)
    # Each buffered change needs a change in the months' tiers since the previous buffered change.
    assert result.changes_with_buffer <= result.changes_without_buffer
    # Upgrades happen at the same review; downgrades only later: the buffered tier is never the lower one.
    assert all(b >= a for a, b in zip(result.without_buffer, result.with_buffer, strict=True))
    assert result.with_buffer[0] == result.without_buffer[0] == result.qualifies[0]


def test_star_ladder_equals_the_reference() -> None:
    # 七星 ≥80,000; 六星 10,000–80,000; 五星 2,000–10,000; 四星 500–2,000; 三星 50–500; 准星 0–50.
    assert [(lv.zh, lv.min_points) for lv in gradient.STAR_LEVELS] == [
        ("准星", 0), ("三星", 50), ("四星", 500), ("五星", 2000), ("六星", 10000), ("七星", 80000),
    ]
    # 短期资产 135, 中长期资产 100, 房贷 100, 其他个贷/信用卡计息透支 200 points per 万元.
    assert {a.code: a.points_per_wan for a in gradient.STAR_ASSETS} == {
        "short_term": 135, "long_term": 100, "mortgage": 100, "other_credit": 200,
    }


def test_star_points_worked_example() -> None:
    # 50万 短期资产 half-year daily average → 50 × 135 = 6,750 points → 五星 (2,000 ≤ 6,750 < 10,000);
    # 六星 needs 10,000 − 6,750 = 3,250 more = 3,250 ÷ 135 ≈ 24.07万 more short-term assets.
    result = gradient.star_result({"short_term": 50})
    assert result.points == 6_750
    assert result.level.zh == "五星"
    assert result.next_level is not None and result.next_level.zh == "六星"
    assert result.points_to_next == 3_250
    assert result.wan_to_next("short_term") == pytest.approx(3_250 / 135)


def test_star_points_mixed_assets() -> None:
    # 20万 短期 × 135 = 2,700; 100万 房贷 × 100 = 10,000; 5万 其他个贷 × 200 = 1,000 → 13,700 → 六星.
    result = gradient.star_result({"short_term": 20, "mortgage": 100, "other_credit": 5})
    assert result.points == 13_700
    assert result.level.code == "star6"


@pytest.mark.parametrize(
    ("points", "level"),
    [(0, "准星"), (49.9, "准星"), (50, "三星"), (1_999.99, "四星"), (2_000, "五星"), (80_000, "七星"), (1e9, "七星")],
)
def test_star_level_boundaries(points: float, level: str) -> None:
    assert gradient.star_level(points).zh == level


def test_star_top_level_and_bad_input() -> None:
    top = gradient.star_result({"short_term": 1000})  # 135,000 points
    assert top.level.zh == "七星" and top.next_level is None and top.points_to_next == 0
    with pytest.raises(ValueError):
        gradient.star_points({"gold_bars": 1})
    with pytest.raises(ValueError):
        gradient.star_points({"short_term": -1})
