"""The household four-account plan: a hand customer worked through, custom shares, the errors a page shows, and the
invariants (targets add up to the total, gaps to total − holdings)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import workbook
from workbook import households
from workbook.households import ACCOUNTS, HouseholdError, four_account_plan


def test_hand_customer_with_the_rule_of_thumb() -> None:
    # Household financial assets 1,000,000 元; held: spend 300,000 · protect 0 · grow 200,000 · preserve 400,000
    # (900,000 placed, 100,000 not yet in any account).
    # targets: 10% → 100,000; 20% → 200,000; 30% → 300,000; 40% → 400,000
    # gaps:    100,000 − 300,000 = −200,000 (too much to spend); 200,000 − 0 = 200,000;
    #          300,000 − 200,000 = 100,000;                     400,000 − 400,000 = 0
    plan = four_account_plan(1_000_000, {"spend": 300_000, "protect": 0, "grow": 200_000, "preserve": 400_000})
    assert list(plan.index) == ["spend", "protect", "grow", "preserve"]
    assert list(plan.columns) == ["target_share", "target", "current", "gap"]
    assert plan["target_share"].tolist() == [0.10, 0.20, 0.30, 0.40]
    assert plan["target"].tolist() == pytest.approx([100_000, 200_000, 300_000, 400_000])
    assert plan["current"].tolist() == [300_000, 0, 200_000, 400_000]
    assert plan["gap"].tolist() == pytest.approx([-200_000, 200_000, 100_000, 0])
    # Σ gap = total − Σ held = 1,000,000 − 900,000 = 100,000
    assert plan["gap"].sum() == pytest.approx(100_000)
    findings = households.plan_findings(plan)
    assert (findings.short, findings.short_amount) == ("protect", pytest.approx(200_000))
    assert (findings.excess, findings.excess_amount) == ("spend", pytest.approx(200_000))
    assert findings.unplaced == pytest.approx(100_000)


def test_shares_set_for_the_customer() -> None:
    # A retired couple: spend 20%, protect 10%, grow 10%, preserve 60% of 2,000,000 元
    # → targets 400,000 · 200,000 · 200,000 · 1,200,000; nothing held yet → gaps equal the targets.
    shares = {"spend": 0.2, "protect": 0.1, "grow": 0.1, "preserve": 0.6}
    plan = four_account_plan(2_000_000, {}, shares)
    assert plan["target"].tolist() == pytest.approx([400_000, 200_000, 200_000, 1_200_000])
    assert plan["gap"].tolist() == pytest.approx(plan["target"].tolist())


def test_the_facade_exposes_the_plan() -> None:
    assert workbook.four_account_plan is four_account_plan


@pytest.mark.parametrize(("call", "code"), [
    (lambda: four_account_plan(100, {}, {"spend": 0.1, "protect": 0.2, "grow": 0.3, "preserve": 0.3}), "shares_sum"),
    (lambda: four_account_plan(100, {}, {"spend": 0.5, "protect": 0.5}), "share_missing"),
    (lambda: four_account_plan(100, {"cash": 10}), "unknown_account"),
    (lambda: four_account_plan(100, {"spend": -1}), "negative"),
    (lambda: four_account_plan(float("nan"), {}), "not_a_number"),
    (lambda: four_account_plan(100, {"spend": 80, "grow": 30}), "holdings_exceed_total"),
])
def test_bad_inputs_raise_a_household_error(call, code: str) -> None:
    with pytest.raises(HouseholdError) as caught:
        call()
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert caught.value.text("en") and caught.value.text("zh")


def test_error_messages_name_the_numbers_in_the_trainees_units() -> None:
    with pytest.raises(HouseholdError) as caught:
        four_account_plan(1_000_000, {}, {"spend": 0.1, "protect": 0.2, "grow": 0.3, "preserve": 0.3})
    assert "90%" in str(caught.value)  # 10 + 20 + 30 + 30
    with pytest.raises(HouseholdError) as caught:
        four_account_plan(1_000_000, {"spend": 800_000, "grow": 300_000})
    assert "110万元" in str(caught.value) and "100万元" in str(caught.value)  # held 1,100,000 > total 1,000,000
    assert "Money to spend" in HouseholdError("share_missing", account="spend").text("en")


def test_rounding_of_typed_amounts_is_not_an_excess() -> None:
    # 0.1 + 0.2 万元 typed on a page: 1,000 + 2,000 元 in binary floating point is not exactly 3,000.
    plan = four_account_plan(0.3 * 10_000, {"spend": 0.1 * 10_000, "grow": 0.2 * 10_000})
    assert plan["current"].sum() == pytest.approx(3_000)


def test_holdings_from_a_book_row() -> None:
    # deposits → spend, insurance → protect, funds → grow, wealth products → preserve (products.toml)
    row = pd.Series({"deposit_balance": 144_000.0, "insurance_balance": float("nan"), "fund_balance": 167_000.0,
                     "wealth_balance": 116_000.0, "loan_balance": 400_000.0})
    assert households.holdings_from_row(row) == {"spend": 144_000.0, "protect": 0.0, "grow": 167_000.0,
                                                 "preserve": 116_000.0}
    assert households.holdings_fields_present(["customer_id", "aum", "fund_balance"]) == ("fund_balance",)


def test_every_account_lists_products_held_in_it_and_none_promises_principal() -> None:
    for code in ACCOUNTS:
        account = households.ACCOUNT_INFO[code]
        assert account.products
        assert all(households.PRODUCTS[p].account == code for p in account.products)
        assert account.purpose["zh"] and account.purpose["en"]
    names = [households.PRODUCTS[p].zh for code in ACCOUNTS for p in households.ACCOUNT_INFO[code].products]
    assert not any("保本" in name for name in names)  # 保本理财 ended with the 2018 asset-management rules
    assert math.isclose(sum(households.DEFAULT_SHARES.values()), 1.0)


money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


@st.composite
def shares(draw: st.DrawFn) -> dict[str, float]:
    weights = [draw(st.integers(0, 100)) for _ in ACCOUNTS]
    assume(sum(weights) > 0)
    return {code: w / sum(weights) for code, w in zip(ACCOUNTS, weights, strict=True)}


@given(money, st.lists(st.floats(0, 1), min_size=4, max_size=4), shares())
def test_targets_add_up_to_the_total_and_gaps_to_what_is_unplaced(total: float, parts: list[float],
                                                                  chosen: dict[str, float]) -> None:
    # Holdings are a split of at most the total (parts scaled so their sum stays ≤ 1).
    scale = max(1.0, sum(parts))
    holdings = {code: total * part / scale for code, part in zip(ACCOUNTS, parts, strict=True)}
    plan = four_account_plan(total, holdings, chosen)
    assert plan["target_share"].sum() == pytest.approx(1.0)
    assert plan["target"].sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert plan["gap"].sum() == pytest.approx(total - sum(holdings.values()), rel=1e-9, abs=1e-6)
    assert (plan["gap"] == plan["target"] - plan["current"]).all()
