"""The KYC card of 2.1: filled from a book row, a case or blank; the trainee's entries kept as overrides only; free
text masked; the card read as a profile and as the four-account inputs."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbook import cards, households, kyc
from workbook.privacy import mask_text

ROW = pd.Series({
    "customer_id": "C9", "name": "段小红", "phone": "13812345678", "age": 45.0, "marital": "已婚", "children": 2,
    "occupation": "企业主", "risk_level": "C3", "life_event": "子女出国", "aum": 427_149.0,
    "deposit_balance": 144_363.0, "wealth_balance": 115_577.0, "fund_balance": 167_209.0, "insurance_balance": 0.0,
})


def test_card_from_a_book_row_in_card_units() -> None:
    card = cards.card_from_row(ROW)
    assert (card["age"], card["marital"], card["children"], card["risk_level"]) == (45, "married", 2, "C3")
    assert card["occupation"] == "企业主"
    assert card["life_events"] == ["child_abroad"]
    # balances in 万元 to 0.1: 14.4363 → 14.4, 11.5577 → 11.6, 16.7209 → 16.7; AUM 42.7149 → 42.7
    assert card["holdings_wan"] == {"spend": 14.4, "protect": 0.0, "grow": 16.7, "preserve": 11.6}
    assert card["total_assets_wan"] == 42.7
    assert "name" not in card and "phone" not in card  # nothing personal is copied onto the card
    json.dumps(card)  # plain JSON for the workspace


def test_rounding_never_makes_the_holdings_exceed_the_total() -> None:
    # Three balances of 1,600 元 = 0.16 万元 each round up to 0.2 → 0.6 万元 held, while the AUM of 4,800 元
    # (0.48 万元) rounds to 0.5: the card takes the rounded holdings' 0.6 as the total, so the plan has no excess.
    row = pd.Series({"aum": 4_800.0, "deposit_balance": 1_600.0, "fund_balance": 1_600.0, "wealth_balance": 1_600.0})
    card = cards.card_from_row(row)
    assert card["holdings_wan"] == {"spend": 0.2, "protect": 0.0, "grow": 0.2, "preserve": 0.2}
    assert card["total_assets_wan"] == 0.6
    households.four_account_plan(cards.plan_total(card), cards.plan_holdings(card))  # no HouseholdError
    # A real difference (AUM above the balances: other products) is kept.
    card = cards.card_from_row(pd.Series({"aum": 100_000.0, "deposit_balance": 50_000.0}))
    assert (card["total_assets_wan"], card["holdings_wan"]["spend"]) == (10.0, 5.0)


def test_an_id_and_aum_row_gives_a_card_with_only_the_total() -> None:
    card = cards.card_from_row(pd.Series({"customer_id": "A1", "aum": 2_000_000.0}))
    assert card["total_assets_wan"] == 200.0
    assert card["holdings_wan"] == dict.fromkeys(households.ACCOUNTS, 0.0)
    assert kyc.latent_needs(cards.card_profile(card)) == []  # 200万元 alone is nothing to go on


def test_overrides_keep_only_what_the_trainee_changed() -> None:
    defaults = cards.card_from_row(ROW)
    card = cards.merge_card(defaults, {"age": 46})
    card["notes"] = "客户喜欢打高尔夫"
    overrides = cards.card_overrides(defaults, card)
    assert overrides == {"age": 46, "notes": "客户喜欢打高尔夫"}
    assert cards.merge_card(defaults, overrides) == card
    assert cards.card_overrides(defaults, defaults) == {}


@given(st.fixed_dictionaries({}, optional={
    "age": st.one_of(st.none(), st.integers(0, 120)),
    "marital": st.sampled_from([None, *kyc.MARITAL]),
    "notes": st.text(max_size=30),
    "life_events": st.lists(st.sampled_from(list(kyc.EVENTS)), max_size=3),
    "holdings_wan": st.fixed_dictionaries({a: st.floats(0, 1e4) for a in households.ACCOUNTS}),
}))
def test_merge_of_the_overrides_gives_the_card_back(changes: dict) -> None:
    defaults = cards.card_from_case("pufa")
    card = cards.merge_card(defaults, changes)
    assert cards.merge_card(defaults, cards.card_overrides(defaults, card)) == card


def test_free_text_is_masked_when_kept() -> None:
    text = "段小红说手机13812345678，身份证110101199003071234，卡号6222021234567890123"
    kept = cards.masked(text, ("段小红",))
    assert kept == "段**说手机138****5678，身份证1101**********1234，卡号622202*********0123"
    assert cards.masked(kept, ("段小红",)) == kept  # masking twice changes nothing


def test_family_members_are_cleaned_and_their_notes_masked() -> None:
    rows = [
        {"relation": "儿子", "age": 15.0, "note": "中考，联系13900001111"},
        {"relation": "母亲", "age": "74", "note": None},
        {"relation": None, "age": float("nan"), "note": ""},  # an empty editor row
        {"relation": "邻居", "age": 200, "note": "x"},  # unknown relation → other; age out of range → unknown
    ]
    assert cards.clean_members(rows) == [
        {"relation": "child", "age": 15, "note": "中考，联系139****1111"},
        {"relation": "parent", "age": 74, "note": ""},
        {"relation": "other", "age": None, "note": "x"},
    ]


def test_the_cases_give_the_needs_their_stories_are_about() -> None:
    # 浦发: 45, executive, son 15, mother 74 → the son's school years (child_teen), cover for the earner,
    # the mother's care (the value-added service of the case), the sandwich emergency fund, a busy earner.
    pufa = kyc.latent_needs(cards.card_profile(cards.card_from_case("pufa")))
    assert [n.rule_id for n in pufa] == ["child_teen", "breadwinner", "parents_elderly", "sandwich",
                                         "busy_high_earner"]
    # 兴业: 55, business owner, daughter 26, father 80, 600万元, C2 → far more than "a product that pays more".
    xingye = kyc.latent_needs(cards.card_profile(cards.card_from_case("xingye")))
    assert [n.rule_id for n in xingye] == ["child_adult", "parents_elderly", "pre_retirement", "wealthy_legacy",
                                           "business_owner", "risk_conservative"]
    # Its four accounts: 600万元 → targets 60 / 120 / 180 / 240; held 420 / 0 / 30 / 150
    card = cards.card_from_case("xingye")
    assert (card["occupation"], cards.card_from_case("xingye", "en")["occupation"]) == ("企业主", "Business owner")
    plan = households.four_account_plan(cards.plan_total(card), cards.plan_holdings(card))
    assert (plan["gap"] / cards.WAN).round(1).tolist() == [-360.0, 120.0, 150.0, 90.0]


def test_blank_card_plan_inputs() -> None:
    card = cards.blank_card()
    assert cards.plan_total(card) is None  # nothing typed: no plan
    card["holdings_wan"] = {"spend": 10.0, "protect": 0.0, "grow": 5.0, "preserve": 0.0}
    assert cards.plan_total(card) == 150_000.0  # the holdings' sum when no total is typed
    card["total_assets_wan"] = 20
    assert cards.plan_total(card) == 200_000.0
    card["life_stage"] = "maturity"
    assert cards.card_profile(card)["life_stage"] == "maturity"


def test_mask_text_finds_numbers_inside_text() -> None:
    assert mask_text("电话+86 138-1234-5678。") == "电话138****5678。"
    assert mask_text("编号12345，金额 1,000,000 元") == "编号12345，金额 1,000,000 元"  # not personal
    assert mask_text("王五和王五一", ["王五一", "王五"]) == "王**和王**"  # the longer name first
