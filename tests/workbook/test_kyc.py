"""深度KYC与潜在需求: worked examples of the need rules on hand-made families (each expected need reasoned out beside
it from need_rules.toml), the life stage, the vocabularies, and the book-wide evaluation agreeing with the
per-profile one."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import workbook
from workbook import kyc
from workbook.samples import sample_book


def _rules(profile: dict) -> list[str]:
    return [need.rule_id for need in kyc.latent_needs(profile)]


# ---- nothing to go on → nothing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", [
    {},
    {"age": None, "marital": "", "members": [], "life_events": [], "occupation": "  ", "risk_level": None},
    {"age": float("nan"), "children": float("nan"), "life_event": float("nan"), "aum": float("nan")},
    {"occupation": "宇航员", "risk_level": "稳健型", "marital": "其他"},  # words no vocabulary knows
    {"life_events": "无"},  # the book's "nothing recent" is a fact, and no rule fires on it
])
def test_a_profile_with_nothing_to_go_on_has_no_stage_and_no_needs(profile: dict) -> None:
    assert kyc.latent_needs(profile) == []
    assert kyc.life_stage(profile) is None


def test_the_facade_exposes_latent_needs() -> None:
    assert workbook.latent_needs({}) == []


# ---- hand families ------------------------------------------------------------------------------------------------


def test_young_family_with_a_grandmother() -> None:
    # 38, married, children 5 and 9, mother 72, a teacher, risk C2.
    # Stage: a child ≤ 21 → 家庭成长期. Rules in data order:
    #   child_young     a child aged 3–12 (5)                      → education_fund
    #   children_ages_unknown would give education_fund again: ages are known, and the need is taken
    #   breadwinner     a child ≤ 17 and age 25–55 (5, 38)
    #   parents_elderly a parent ≥ 70 (72)
    #   sandwich        a child ≤ 17 and a parent ≥ 60
    #   public_sector   中学教师 contains 教师
    #   risk_conservative  C2
    profile = {
        "age": 38, "marital": "已婚", "occupation": "中学教师", "risk_level": "C2",
        "members": [{"relation": "配偶", "age": 36}, {"relation": "儿子", "age": 5}, {"relation": "女儿", "age": 9},
                    {"relation": "母亲", "age": 72}],
    }
    assert kyc.life_stage(profile) == "growth"
    needs = kyc.latent_needs(profile)
    assert [n.rule_id for n in needs] == [
        "child_young", "breadwinner", "parents_elderly", "sandwich", "public_sector", "risk_conservative",
    ]
    by_rule = {n.rule_id: n for n in needs}
    assert by_rule["child_young"].evidence == (("child_age", 5.0),)  # the youngest child in the range
    assert by_rule["sandwich"].evidence == (("child_age", 5.0), ("parent_age", 72.0))
    assert by_rule["child_young"].category == "education"
    assert by_rule["child_young"].account == "preserve"
    assert by_rule["parents_elderly"].products == ("elder_care_insurance", "health_services", "cash_wealth")
    assert "医保" in by_rule["parents_elderly"].text("stated", "zh")  # 表象: 「父母身体还好，有医保。」
    assert by_rule["breadwinner"].why("en").startswith("Responsibilities peak")


def test_book_row_with_only_a_child_count() -> None:
    # 40, married, 2 children of unknown age, IT engineer, C4, bought a home.
    # Stage: children, no ages, age ≤ 44 → growth (the stage rule says it infers).
    #   children_ages_unknown  children ≥ 1, no ages, 28–44 → an education need that asks for the ages
    #   breadwinner            its second table: children, no ages, 25–44
    #   home_purchase          购房
    #   IT工程师 is an employee: no occupation rule
    #   risk_aggressive        C4
    profile = {"age": 40, "marital": "已婚", "children": 2, "occupation": "IT工程师", "risk_level": "C4",
               "life_events": "购房"}
    assert kyc.life_stage(profile) == "growth"
    assert _rules(profile) == ["children_ages_unknown", "breadwinner", "home_purchase", "risk_aggressive"]


def test_once_the_ages_are_known_the_inference_gives_way() -> None:
    # The same family with the children's ages on the card: 16 and 19 → child_teen (13–18) answers
    # education_soon; no child is 3–12 and none ≤ 2, and the ages-unknown rule no longer holds.
    profile = {"age": 40, "marital": "已婚", "children": 2, "occupation": "IT工程师", "risk_level": "C4",
               "life_events": "购房", "members": [{"relation": "child", "age": 16}, {"relation": "child", "age": 19}]}
    assert _rules(profile) == ["child_teen", "breadwinner", "home_purchase", "risk_aggressive"]


def test_retired_widow_who_inherited() -> None:
    # 66, widowed, retired, one son of 38, just inherited, 650万元.
    # Stage: age ≥ 60 → 退休期.
    #   child_adult needs a child 22–35: 38 is not
    #   retirement_event needs the event 退休: the event here is 继承 → retirement_stage answers retirement_income
    #   inheritance answers legacy_planning, so wealthy_legacy (same need) is not repeated
    #   single_parent is for ages up to 59
    profile = {"age": 66, "marital": "丧偶", "occupation": "退休人员", "life_events": "继承", "children": 1,
               "total_assets": 6_500_000, "members": [{"relation": "child", "age": 38}]}
    assert kyc.life_stage(profile) == "retirement"
    assert _rules(profile) == ["retirement_stage", "inheritance"]


def test_young_single_freelancer() -> None:
    # 27, single, no children, freelance → stage 单身期; self_employed and single_young (single, ≤ 35).
    profile = {"age": 27, "marital": "未婚", "children": 0, "occupation": "自由职业"}
    assert kyc.life_stage(profile) == "single"
    assert _rules(profile) == ["self_employed", "single_young"]


def test_a_stage_set_by_the_trainee_overrides_the_rules() -> None:
    profile = {"age": 40, "life_stage": "retirement"}
    assert kyc.derived_stage(profile) is None  # age alone says nothing about the stage
    assert kyc.life_stage(profile) == "retirement"
    assert _rules(profile) == ["retirement_stage"]


def test_wealth_threshold_is_inclusive() -> None:
    # wealthy_legacy: assets ≥ 6,000,000 元 and age ≥ 50.
    assert _rules({"age": 50, "total_assets": 6_000_000}) == ["wealthy_legacy"]
    assert _rules({"age": 50, "total_assets": 5_999_999}) == []
    assert _rules({"age": 49, "total_assets": 9_000_000}) == []


def test_a_spouse_on_the_card_means_married() -> None:
    # No marital status typed, but a spouse listed and no children: married, 30 → 家庭形成期.
    profile = {"age": 30, "children": 0, "members": [{"relation": "spouse", "age": 29}]}
    assert kyc.life_stage(profile) == "formation"


def test_mature_family_with_a_grown_child() -> None:
    # 52, married, a daughter of 25 → every child ≥ 22 → 家庭成熟期; child_adult (22–35) and pre_retirement
    # (maturity, 45–59).
    profile = {"age": 52, "marital": "married", "children": 1, "members": [{"relation": "daughter", "age": 25}]}
    assert kyc.life_stage(profile) == "maturity"
    assert _rules(profile) == ["child_adult", "pre_retirement"]


# ---- vocabularies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("个体工商户", "self_employed"), ("企业主", "business_owner"), ("IT工程师", "employee"),
    ("金融从业者", "employee"), ("退休人员", "retired"), ("退休教师", "retired"), ("公司高管", "executive"),
    ("医生", "professional"), ("全职家庭", "homemaker"), ("Business owner", "business_owner"), ("宇航员", None),
])
def test_occupation_groups(text: str, code: str | None) -> None:
    assert kyc.read_occupation(text) == code


@pytest.mark.parametrize(("value", "expected"), [
    ("子女出国、购房", ("home_purchase", "child_abroad")),  # vocabulary order
    ("无", ()),
    ("", None),
    (None, None),
    (["retirement", "inheritance"], ("retirement", "inheritance")),
    ("二胎", ("new_baby",)),
    ("无锡出差", ()),  # 无 only counts as the whole value
])
def test_life_events(value: object, expected: tuple[str, ...] | None) -> None:
    assert kyc.read_events(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("C3", "C3"), ("c5", "C5"), ("2", "C2"), ("C3（平衡型）", "C3"), ("稳健型", None), ("C6", None), ("", None),
])
def test_risk_levels(value: str, expected: str | None) -> None:
    assert kyc.read_risk(value) == expected


def test_book_values_read_alike_in_both_languages() -> None:
    # An English page shows the book's 企业主 as "Business owner" (catalogue value.<field>.<value>): the rules must
    # read the translated word as they read the original.
    from workbook import i18n

    readers = {"occupation": kyc.read_occupation, "marital": kyc.read_marital, "life_event": kyc.read_events}
    checked = 0
    for key, entry in i18n.catalogue().items():
        field = key.split(".")[1] if key.startswith("value.") else None
        if field in readers:
            assert readers[field](entry["zh"]) == readers[field](entry["en"]), key
            checked += 1
    assert checked >= 20


def test_every_rule_has_its_texts_in_both_languages_and_known_products() -> None:
    for rule in kyc.NEED_RULES:
        for part in kyc.TEXT_PARTS:
            assert rule.text(part, "zh").strip() and rule.text(part, "en").strip(), (rule.id, part)
        assert rule.products


def test_a_rule_with_an_unknown_condition_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        kyc._conditions("rule x", [{"age_minimum": 3}], kyc.STAGE_CODES)
    with pytest.raises(ValueError, match="unknown events"):
        kyc._conditions("rule x", [{"events": ["lottery_win"]}], kyc.STAGE_CODES)


# ---- the book -------------------------------------------------------------------------------------------------------


def _row_needs(row: pd.Series) -> set[str]:
    return {need.id for need in kyc.latent_needs(kyc.profile_from_row(row))}


def test_book_needs_agree_with_each_customer_profile_on_the_sample_book() -> None:
    book = sample_book(n=300, seed=7)
    flags = kyc.book_needs(book)
    assert list(flags.columns) == list(kyc.NEED_IDS)
    assert flags.index.equals(book.index)
    for index, row in book.iterrows():
        assert set(flags.columns[flags.loc[index]]) == _row_needs(row), index


rows = st.fixed_dictionaries({
    "age": st.one_of(st.none(), st.integers(18, 90).map(float)),
    "marital": st.sampled_from([None, "已婚", "未婚", "离异", "丧偶", "married", "其他"]),
    "children": st.one_of(st.none(), st.integers(0, 4).map(float)),
    "life_event": st.sampled_from([None, "无", "退休", "继承", "子女出国、购房", "生子", "企业上市", "天气"]),
    "occupation": st.sampled_from([None, "企业主", "教师", "退休人员", "IT工程师", "自由职业", "律师", "农民"]),
    "risk_level": st.sampled_from([None, "C1", "C2", "C3", "C4", "C5", "稳健"]),
    "aum": st.sampled_from([1_000.0, 500_000.0, 5_999_999.0, 6_000_000.0, 80_000_000.0]),
})


@given(st.lists(rows, min_size=1, max_size=25))
def test_book_needs_agree_with_latent_needs_for_any_book(records: list[dict]) -> None:
    book = pd.DataFrame(records)
    book.insert(0, "customer_id", [f"c{i}" for i in range(len(book))])
    flags = kyc.book_needs(book)
    for index, row in book.iterrows():
        assert set(flags.columns[flags.loc[index]]) == _row_needs(row)


def test_an_id_and_aum_book_names_what_is_missing_and_finds_nothing() -> None:
    book = pd.DataFrame({"customer_id": ["A1", "A2"], "aum": [50_000.0, 2_000_000.0]})
    assert kyc.missing_kyc_fields(book) == kyc.KYC_FIELDS
    assert not kyc.book_needs(book).to_numpy().any()
    assert kyc.need_groups(book).empty


def test_need_groups_count_each_customer_once_per_category() -> None:
    # c0: retired (retirement_stage) and C2 (principal_safety) → retirement, preservation
    # c1: 企业主, C2 → business, preservation
    # c2: nothing known → no group
    book = pd.DataFrame({
        "customer_id": ["c0", "c1", "c2"], "aum": [100_000.0, 300_000.0, 50_000.0],
        "occupation": ["退休人员", "企业主", None], "risk_level": ["C2", "C2", None],
    })
    groups = kyc.need_groups(book)
    assert groups.loc["preservation", "customers"] == 2
    assert groups.loc["preservation", "aum"] == 400_000.0  # 100,000 + 300,000
    assert groups.loc["retirement", "customers"] == 1
    assert groups.loc["business", "customers"] == 1
    assert math.isclose(groups.loc["preservation", "customer_share"], 2 / 3)
    assert "education" not in groups.index
    assert list(groups.index) == [c for c in kyc.CATEGORIES if c in groups.index]  # the category order


def test_book_needs_of_an_empty_book() -> None:
    book = pd.DataFrame({"customer_id": pd.Series([], dtype="str"), "aum": pd.Series([], dtype=np.float64)})
    assert kyc.book_needs(book).shape == (0, len(kyc.NEED_IDS))
