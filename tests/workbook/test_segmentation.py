"""The seven segmentation schemes: the hand-made answer key, the conventions, and invariants on random books."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import workbook
from tests.fixtures.hand_book import ANSWER_KEY, IDS, MIGRATION_MOVES, hand_book
from tests.fixtures.small_books import aum_book
from tests.workbook.intake_files import csv_bytes
from workbook import i18n
from workbook.profit import profitability
from workbook.segmentation import (
    INSUFFICIENT,
    SCHEMES,
    SchemeParamError,
    Segmentation,
    crosstab,
    migration,
    migration_detail,
    segment,
    segment_detail,
    tier_summary,
    warning_text,
)

ORDER = ("aum", "relationship", "priority", "contribution", "behaviour", "cognition", "education")


def _by_id(tiers: pd.Series) -> dict[str, str]:
    return dict(zip(IDS, (str(x) for x in tiers), strict=True))


def _codes(seg: Segmentation) -> set[str]:
    return {w.code for w in seg.warnings}


# ---- the schemes as data ----------------------------------------------------------------------------------


def test_seven_schemes_in_the_outline_order_with_complete_data() -> None:
    assert tuple(SCHEMES) == ORDER
    assert workbook.SCHEMES is SCHEMES
    for scheme in SCHEMES.values():
        assert scheme.name("zh") and scheme.name("en") and scheme.why("zh") and scheme.why("en")
        assert scheme.how("zh") and scheme.how("en")
        json.dumps(scheme.default_params())  # JSON-able defaults
        tiers = scheme.tiers()
        assert tiers[-1].code == INSUFFICIENT and tiers[-1].zh == "信息不足" and tiers[-1].label("en")
        assert len({t.code for t in tiers}) == len(tiers)
        assert all(t.zh and t.en for t in tiers)
        assert {p.key for p in scheme.params} <= set(scheme.default_params())


def test_default_tier_names_follow_the_outline() -> None:
    names = {sid: [t.zh for t in SCHEMES[sid].tiers()] for sid in ORDER}
    assert names["aum"] == ["大众客户", "潜力客户", "财富客户", "私行客户", "信息不足"]
    assert names["relationship"] == ["陌生", "认识", "熟悉", "信任", "挚友", "信息不足"]
    # the course's 苹果四象限: size (大/小) and ripeness (熟/生), each with its sales action
    assert names["priority"] == ["小而生 · 批量低成本服务", "小而熟 · 快速标准化", "大而生 · 重点培育",
                                 "大而熟 · 立即成交", "信息不足"]
    assert SCHEMES["priority"].default_params()["value_quantile"] == 0.75
    assert SCHEMES["priority"].default_params()["urgency_quantile"] == 0.75
    assert [t.code for t in SCHEMES["contribution"].tiers()] == ["C", "B", "A", INSUFFICIENT]
    assert names["behaviour"] == ["沉睡", "网点依赖", "线上线下融合", "数字活跃", "信息不足"]
    assert names["cognition"] == ["储蓄保本", "稳健理财", "均衡配置", "进取投资", "传承规划", "信息不足"]
    assert names["education"] == ["新客", "接触", "培育", "认同", "忠粉", "信息不足"]
    assert SCHEMES["aum"].default_params()["thresholds"] == [50_000, 500_000, 6_000_000]


# ---- the answer key ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", ORDER)
def test_answer_key(scheme_id: str) -> None:
    book = hand_book()
    seg = segment_detail(book, scheme_id)
    assert _by_id(seg.tiers) == ANSWER_KEY[scheme_id]
    assert seg.tiers.index.equals(book.index) and seg.tiers.name == scheme_id
    assert seg.tiers.cat.ordered
    assert list(seg.tiers.cat.categories) == [t.code for t in seg.tier_list]


def test_facade_segment_is_the_categorical() -> None:
    book = hand_book()
    assert workbook.segment(book, "aum").equals(segment_detail(book, "aum").tiers)


MEDIAN_CUTS = {"value_quantile": 0.5, "urgency_quantile": 0.5}


def test_priority_median_cut_and_ties() -> None:
    # At the median (position 0.5 × 9 = 4.5 of the 10 eligible): value (800,000 + 1,200,000) / 2 = 1,000,000;
    # urgency (25 + 25) / 2 = 25, on which 4 customers (H03, H06, H09, H11) tie and all count as ripe.
    priority = segment_detail(hand_book(), "priority", MEDIAN_CUTS)
    ties = [w for w in priority.warnings if w.code == "tie_at_cut"]
    assert [(w.values["axis"], w.values["count"], w.values["cut"]) for w in ties] == [("urgency", 4, 25.0)]
    assert priority.details["value_cut"] == 1_000_000 and priority.details["urgency_cut"] == 25.0
    assert _by_id(priority.tiers) == {
        "H01": "standardise", "H02": "batch", "H03": "standardise", "H04": "standardise", "H05": "nurture",
        "H06": "close_now", "H07": "close_now", "H08": "nurture", "H09": "close_now", "H10": INSUFFICIENT,
        "H11": "standardise", "H12": INSUFFICIENT,
    }


def test_priority_default_cut_is_stricter_on_the_sample_book() -> None:
    from workbook.samples import sample_book

    book = sample_book()
    strict = segment(book, "priority").value_counts(normalize=True)
    median = segment(book, "priority", MEDIAN_CUTS).value_counts(normalize=True)
    # at the median a fifth or more of the book would be "close now"; at the top quarter about a tenth
    assert median["close_now"] >= 0.2
    assert 0.06 <= strict["close_now"] <= 0.14


def test_hand_book_warnings() -> None:
    book = hand_book()
    priority = segment_detail(book, "priority")
    assert not [w for w in priority.warnings if w.code == "tie_at_cut"]  # 75th percentiles fall between values
    assert priority.details["value_cut"] == pytest.approx(4_874_999.25)
    assert priority.details["urgency_cut"] == pytest.approx(43.75)
    assert priority.details["as_of"] == "2026-03-31"
    assert {"small_sample", "blank_required", "blank_optional"} <= _codes(priority)
    # H04 urgency 80: 50 (高) + 30 (maturing ≥ 30% of aum) + 0 (120 days ago)
    assert priority.scores is not None and priority.scores["urgency"].iloc[3] == 80.0

    contribution = segment_detail(book, "contribution")
    tie = next(w for w in contribution.warnings if w.code == "tie_at_share")
    assert (tie.values["line"], tie.values["count"], tie.values["revenue"]) == ("b_share", 2, 3000.0)
    assert contribution.details["total_revenue"] == pytest.approx(104_700)

    relationship = segment_detail(book, "relationship")
    blank = next(w for w in relationship.warnings if w.code == "blank_optional")
    assert blank.values == {"field": "events_12m", "count": 1}  # H11 (H12 is insufficient, not counted)
    assert relationship.scores is not None
    assert relationship.scores["score"].iloc[3] == 40.0  # exactly, after rounding

    cognition = segment_detail(book, "cognition")
    unknown = next(w for w in cognition.warnings if w.code == "unrecognised_values")
    assert unknown.values["values"] == ("未评估",) and unknown.values["count"] == 1


def test_unreadable_risk_levels_are_counted_apart_from_blank_ones() -> None:
    # Read through intake: C5's "R3" is a product's grade and C7's "不详" no grade at all, so both cells held a value
    # intake could not read (marked); C6's cell is blank. C4's "abc" years of investing could not be read either.
    rows = [["客户号", "金融资产", "风险等级", "投资经验(年)"],
            ["C1", 100_000, "C1", 1], ["C2", 100_000, "C5", 2], ["C3", 100_000, "中低风险", 3],
            ["C4", 100_000, "中风险", "abc"], ["C5", 100_000, "R3", 5], ["C6", 100_000, "", 6],
            ["C7", 100_000, "不详", 7]]
    book = workbook.read_book(csv_bytes(rows), "名册.csv").book
    detail = segment_detail(book, "cognition")
    by_code = {w.code: w for w in detail.warnings}
    # three customers under 信息不足 (C5, C6, C7): two could not be read, one is blank — never "three blank"
    assert (detail.tiers == INSUFFICIENT).sum() == 3
    assert by_code["unreadable_required"].values == {"count": 2, "fields": ("risk_level",)}
    assert by_code["blank_required"].values == {"count": 1, "fields": ("risk_level",)}
    assert "unrecognised_values" not in by_code  # intake already set the unreadable cells aside
    # C4's unreadable years count as the lowest level, said as unreadable, not as blank
    assert by_code["unreadable_optional"].values == {"field": "invest_years", "count": 1}
    assert "blank_optional" not in by_code
    zh = warning_text(by_code["unreadable_required"], "zh")
    en = warning_text(by_code["unreadable_required"], "en")
    assert zh.startswith("2 位客户的 风险等级 有值但无法读取") and "为空" not in zh
    assert en.startswith("2 customers have a Risk level value that could not be read") and "blank" not in en
    assert warning_text(by_code["blank_required"], "zh").startswith("1 位客户的 风险等级 为空")


def test_a_value_the_rule_does_not_know_is_not_called_blank() -> None:
    # A book not read by intake (no marks): "未评估" is there but no risk level → unrecognised, not blank; H12's
    # cell is "未评估" in the hand book, so no customer of it has a blank risk level.
    detail = segment_detail(hand_book(), "cognition")
    codes = {w.code: w for w in detail.warnings}
    assert codes["unrecognised_values"].values["count"] == 1 and "blank_required" not in codes


def test_every_warning_reads_in_both_languages() -> None:
    book = hand_book()
    for scheme_id in ORDER:
        for warning in segment_detail(book, scheme_id).warnings:
            for lang in ("zh", "en"):
                text = warning_text(warning, lang)
                assert i18n.MISSING_MARK.split("{")[0] not in text and "{" not in text, text
    zh = warning_text(next(w for w in segment_detail(book, "priority", {"urgency_quantile": 0.5}).warnings
                           if w.code == "tie_at_cut"), "zh")
    assert "4 位客户" in zh and "成交紧迫度" in zh


# ---- the AUM ladder ---------------------------------------------------------------------------------------


def test_aum_boundary_on_the_cut_goes_up() -> None:
    book = pd.DataFrame({"customer_id": list("abcdefg"),
                         "aum": [0, 49_999.99, 50_000, 499_999.99, 500_000, 5_999_999.99, 6_000_000]})
    assert list(segment(book, "aum")) == ["mass", "mass", "potential", "potential", "affluent", "affluent",
                                          "private"]


def test_bank_preset_with_five_tiers() -> None:
    labels = [{"code": c, "zh": c, "en": c} for c in ("t1", "t2", "t3", "t4", "t5")]
    params = {"thresholds": [50_000, 500_000, 1_000_000, 6_000_000], "labels": labels}
    book = pd.DataFrame({"customer_id": list("abcd"), "aum": [10, 700_000, 1_000_000, 9e6]})
    seg = segment_detail(book, "aum", params)
    assert [t.code for t in seg.tier_list] == ["t1", "t2", "t3", "t4", "t5", INSUFFICIENT]
    assert list(seg.tiers) == ["t1", "t3", "t4", "t5"]
    assert seg.params["thresholds"] == [50_000, 500_000, 1_000_000, 6_000_000]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"thresholds": [500_000, 50_000, 6_000_000]}, "not_increasing"),
        ({"thresholds": [50_000, 50_000, 6_000_000]}, "not_increasing"),
        ({"thresholds": [50_000, 500_000]}, "label_count"),
        ({"thresholds": [50_000, "x", 6_000_000]}, "not_a_number"),
        ({"thresholds": [-1, 500_000, 6_000_000]}, "out_of_range"),
    ],
)
def test_bad_aum_params_raise_a_clear_error(params: dict, code: str) -> None:
    book = pd.DataFrame({"customer_id": ["a"], "aum": [1.0]})
    with pytest.raises(SchemeParamError) as caught:
        segment(book, "aum", params)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))  # the message is Chinese
    assert "{" not in caught.value.text("en") and caught.value.text("en") != str(caught.value)


def test_other_param_errors() -> None:
    book = hand_book()
    with pytest.raises(SchemeParamError, match="A 类"):
        segment(book, "contribution", {"a_share": 0.9, "b_share": 0.85})
    with pytest.raises(SchemeParamError):
        segment(book, "relationship", {"cuts": [20, 40, 60]})  # 4 cuts for 5 labels
    with pytest.raises(SchemeParamError):
        segment(book, "behaviour", {"digital_cuts": [0.3]})
    with pytest.raises(SchemeParamError):
        segment(book, "relationship", {"weights": {"tenure_years": 0, "contacts_12m": 0, "events_12m": 0,
                                                   "referrals_12m": 0}})
    with pytest.raises(SchemeParamError):
        segment(book, "nope")


def test_params_merge_nested_tables() -> None:
    seg = segment_detail(hand_book(), "relationship", {"weights": {"referrals_12m": 0}})
    assert seg.params["weights"] == {"tenure_years": 30, "contacts_12m": 30, "events_12m": 20, "referrals_12m": 0}
    # H05 without referrals: (15 + 30 + 10) / 80 × 100 = 68.75 → still trusted
    assert seg.scores is not None and seg.scores["score"].iloc[4] == 68.75


def test_changing_a_threshold_moves_customers() -> None:
    book = hand_book()
    # 5万 → 3万: H10 (30,000) joins 潜力 (on the cut goes up); H01 too.
    counts = tier_summary(book, segment_detail(book, "aum", {"thresholds": [30_000, 500_000, 6_000_000]}))
    assert counts.loc["mass", "customers"] == 0 and counts.loc["potential", "customers"] == 5


# ---- thin books -------------------------------------------------------------------------------------------


def test_book_with_only_id_and_aum_works_for_every_scheme() -> None:
    book = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [1e4, 1e6, 1e7]})
    for scheme_id in ORDER:
        seg = segment_detail(book, scheme_id)
        if scheme_id == "aum":
            assert list(seg.tiers) == ["mass", "affluent", "private"]
            continue
        assert (seg.tiers == INSUFFICIENT).all()
        codes = _codes(seg)
        assert codes & {"missing_fields", "missing_any_fields"}, scheme_id
        warning = next(w for w in seg.warnings if w.code in ("missing_fields", "missing_any_fields"))
        assert set(warning.values["fields"]) <= set(SCHEMES[scheme_id].all_fields)
        assert "信息不足" in warning_text(warning, "zh")


def test_optional_field_absent_is_left_out_and_named() -> None:
    book = hand_book().drop(columns=["events_12m", "referrals_12m"])
    seg = segment_detail(book, "relationship")
    warning = next(w for w in seg.warnings if w.code == "optional_missing")
    assert warning.values["fields"] == ("events_12m", "referrals_12m")
    # H05: (15 + 30) / 60 × 100 = 75 → trusted
    assert seg.scores is not None and seg.scores["score"].iloc[4] == 75.0


def test_empty_and_tiny_books() -> None:
    empty = hand_book().iloc[0:0]
    for scheme_id in ORDER:
        seg = segment_detail(empty, scheme_id)
        assert len(seg.tiers) == 0
        assert int(tier_summary(empty, seg)["customers"].sum()) == 0
    one = hand_book().iloc[[6]]  # H07 alone
    priority = segment_detail(one, "priority")
    assert list(priority.tiers) == ["close_now"]  # on both medians → high, high
    assert "small_sample" in _codes(priority)
    contribution = segment_detail(one, "contribution")
    assert list(contribution.tiers) == ["A"]


def test_contribution_zero_revenue_book() -> None:
    book = pd.DataFrame({"customer_id": ["a", "b"], "aum": [1.0, 2.0], "fee_income_12m": [0.0, 0.0]})
    seg = segment_detail(book, "contribution")
    assert list(seg.tiers) == ["C", "C"] and "no_revenue" in _codes(seg)


def test_contribution_accepts_precomputed_revenue() -> None:
    book = hand_book()
    revenue = pd.Series(np.arange(12, dtype=float)[::-1], index=book.index)
    seg = segment_detail(book, "contribution", revenue=revenue)
    assert str(seg.tiers.iloc[0]) == "A" and str(seg.tiers.iloc[-1]) == "C"
    # The facade takes it too: §4.4 revenue computed once gives the answer key, matched by customer (a series
    # in another order is aligned, not read by position).
    computed = profitability(book)["revenue"]
    assert _by_id(segment(book, "contribution", revenue=computed)) == ANSWER_KEY["contribution"]
    assert _by_id(segment(book, "contribution", revenue=computed.iloc[::-1])) == ANSWER_KEY["contribution"]
    # Other schemes ignore it.
    assert segment(book, "aum", revenue=computed).equals(segment(book, "aum"))


# ---- summaries --------------------------------------------------------------------------------------------


def test_tier_summary_on_the_hand_book() -> None:
    book = hand_book()
    summary = tier_summary(book, segment_detail(book, "aum"))
    assert list(summary.index) == ["mass", "potential", "affluent", "private", INSUFFICIENT]
    assert summary["customers"].tolist() == [2, 3, 4, 2, 1]
    # potential: 50,000 + 200,000 + 499,999 = 749,999; total aum = 23,329,997
    total = 49_999 + 50_000 + 200_000 + 499_999 + 500_000 + 1_200_000 + 5_999_999 + 6_000_000 + 8_000_000 \
        + 30_000 + 800_000
    assert total == 23_329_997
    assert summary.loc["potential", "aum"] == 749_999
    assert summary.loc["potential", "aum_share"] == pytest.approx(749_999 / 23_329_997)
    assert summary.loc["mass", "customer_share"] == pytest.approx(2 / 12)
    assert summary["customer_share"].sum() == pytest.approx(1.0)


def test_crosstab_counts_and_aum() -> None:
    book = hand_book()
    aum = segment_detail(book, "aum")
    contribution = segment_detail(book, "contribution")
    counts = crosstab(book, aum, contribution, "count")
    assert list(counts.index) == [t.code for t in aum.tier_list]
    assert list(counts.columns) == [t.code for t in contribution.tier_list]
    # affluent: H05 B, H06 A, H07 A, H11 C; private: H08 A, H09 A
    assert counts.loc["affluent"].tolist() == [1, 1, 2, 0]
    assert counts.loc["private", "A"] == 2
    assert int(counts.to_numpy().sum()) == 12
    money = crosstab(book, aum, contribution, "aum")
    assert money.loc["affluent", "A"] == 1_200_000 + 5_999_999
    assert money.loc[INSUFFICIENT, "C"] == 0  # H12 has no aum
    with pytest.raises(ValueError):
        crosstab(book, aum, contribution, "revenue")


def test_migration_on_the_hand_book() -> None:
    book = hand_book()
    detail = migration_detail(book)
    assert dict(detail.moves) == MIGRATION_MOVES
    flows = migration(book).set_index(["from", "to"])
    assert flows.loc[("mass", "potential"), "customers"] == 1  # H02
    assert flows.loc[("private", "affluent"), "customers"] == 1  # H07
    assert flows.loc[("private", "affluent"), "aum"] == 5_999_999
    assert flows.loc[(INSUFFICIENT, "potential"), "customers"] == 1  # H04 (blank a year ago)
    assert flows.loc[("new", "mass"), "customers"] == 2  # H01 and H10, new accounts
    assert flows.loc[("new", "mass"), "aum"] == 49_999 + 30_000
    assert flows.loc[("potential", "mass"), "customers"] == 0  # H01 is not a fall: it is new
    assert [t.code for t in detail.sources] == ["new", "mass", "potential", "affluent", "private", INSUFFICIENT]
    assert flows.loc[("potential", INSUFFICIENT), "customers"] == 1  # H12 (blank now)
    assert int(flows["customers"].sum()) == 12
    assert sum(detail.moves.values()) == 12
    assert any(w.code == "blank_history" and w.values["count"] == 1 for w in detail.warnings)


def test_migration_without_history() -> None:
    book = hand_book().drop(columns=["aum_12m_ago"])
    detail = migration_detail(book)
    # the tenure still tells the two new accounts (H01, H10); the other ten have no year-ago tier
    assert detail.moves["new"] == 2
    assert detail.moves["unknown"] == 10
    assert any(w.code == "missing_fields" for w in detail.warnings)


# ---- invariants on random books ---------------------------------------------------------------------------

_MAYBE = st.one_of(st.none(), st.floats(min_value=0, max_value=1e8, allow_nan=False))
_SMALL = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 12.0]))


@st.composite
def random_books(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=0, max_value=25))
    # A few distinct values so ties are common; None = a blank cell.
    aum_pool = draw(st.lists(_MAYBE, min_size=1, max_size=4))
    frame = pd.DataFrame({
        "customer_id": [f"c{i}" for i in range(n)],
        "aum": [draw(st.sampled_from(aum_pool)) for _ in range(n)],
    })
    frame["aum"] = frame["aum"].astype("float64")
    optional = {
        "aum_12m_ago": _MAYBE, "fee_income_12m": _MAYBE, "deposit_balance": _MAYBE, "loan_balance": _MAYBE,
        "external_assets_est": _MAYBE, "maturing_90d": _MAYBE,
        "tenure_years": _SMALL, "contacts_12m": _SMALL, "events_12m": _SMALL, "referrals_12m": _SMALL,
        "product_count": _SMALL, "app_logins_30d": _SMALL, "invest_years": _SMALL,
        "digital_share": st.one_of(st.none(), st.sampled_from([0.0, 0.3, 0.6, 1.0])),
        "satisfaction": st.one_of(st.none(), st.integers(0, 10).map(float)),
    }
    for key in draw(st.sets(st.sampled_from(sorted(optional)))):
        frame[key] = pd.Series([draw(optional[key]) for _ in range(n)], dtype="float64")
    if draw(st.booleans()):
        frame["risk_level"] = pd.array([draw(st.sampled_from(["C1", "C3", "C5", "x", None])) for _ in range(n)],
                                       dtype="str")
    if draw(st.booleans()):
        frame["purchase_intent"] = pd.array([draw(st.sampled_from(["高", "中", "低", None])) for _ in range(n)],
                                            dtype="str")
    if draw(st.booleans()):
        frame["last_txn_date"] = pd.to_datetime(pd.Series(
            [draw(st.sampled_from(["2026-01-01", "2025-06-30", "2024-01-01", None])) for _ in range(n)]))
    return frame


@given(random_books(), st.sampled_from(ORDER))
def test_every_customer_in_exactly_one_tier(book: pd.DataFrame, scheme_id: str) -> None:
    seg = segment_detail(book, scheme_id)
    tiers = seg.tiers
    assert len(tiers) == len(book) and tiers.index.equals(book.index)
    assert tiers.notna().all()  # exactly one tier each: no customer left without one
    assert set(tiers.astype(str)) <= {t.code for t in seg.tier_list}
    summary = tier_summary(book, seg)
    assert int(summary["customers"].sum()) == len(book)
    assert list(summary.index) == [t.code for t in seg.tier_list]
    # A customer whose required inputs are blank is never placed in a real tier.
    scheme = SCHEMES[scheme_id]
    for key in scheme.fields:
        if key in book.columns:
            assert (tiers[book[key].isna()] == INSUFFICIENT).all()
    for warning in seg.warnings:
        assert "{" not in warning_text(warning, "en")


@given(random_books())
def test_only_id_and_aum_random(book: pd.DataFrame) -> None:
    thin = book[["customer_id", "aum"]]
    for scheme_id in ORDER:
        tiers = segment(thin, scheme_id)
        if scheme_id == "aum":
            assert ((tiers == INSUFFICIENT) == thin["aum"].isna()).all()
        else:
            assert (tiers == INSUFFICIENT).all()


@given(st.lists(st.floats(min_value=0, max_value=1e8, allow_nan=False), min_size=1, max_size=30),
       st.lists(st.floats(min_value=1, max_value=1e7, allow_nan=False), min_size=1, max_size=5, unique=True))
def test_aum_ladder_rule(values: list[float], raw_cuts: list[float]) -> None:
    cuts = sorted(raw_cuts)
    labels = [{"code": f"t{i}", "zh": f"层{i}", "en": f"T{i}"} for i in range(len(cuts) + 1)]
    book = aum_book(values)
    tiers = segment(book, "aum", {"thresholds": cuts, "labels": labels})
    for value, tier in zip(values, tiers, strict=True):
        expected = sum(1 for c in cuts if c <= value)  # number of thresholds at or below: on the cut goes up
        assert tier == f"t{expected}"


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=30))
def test_contribution_classes_are_monotone_in_revenue(fees: list[float]) -> None:
    book = aum_book([1.0] * len(fees), fee_income_12m=fees)
    tiers = segment(book, "contribution")
    rank = {"C": 0, "B": 1, "A": 2}
    pairs = sorted(zip(fees, (rank[str(t)] for t in tiers), strict=True))
    # higher revenue never in a lower class; equal revenue, equal class
    for (f1, c1), (f2, c2) in itertools.pairwise(pairs):
        assert c1 <= c2
        if f1 == f2:
            assert c1 == c2
    total = sum(fees)
    if total > 0:
        a_share = sum(f for f, t in zip(fees, tiers, strict=True) if str(t) == "A") / total
        assert a_share >= 0.8 - 1e-9 or math.isclose(a_share, 0.8)


def test_reference_date_can_be_given() -> None:
    book = hand_book()
    # 2026-09-30 is 183 days after the latest transaction (2026-03-31): every customer with a date is dormant.
    seg = segment_detail(book, "behaviour", {"as_of": "2026-09-30"})
    assert seg.details["as_of"] == "2026-09-30"
    assert set(seg.tiers[seg.tiers != INSUFFICIENT].astype(str)) == {"dormant"}
    assert seg.scores is not None and seg.scores["days_since_txn"].iloc[6] == 183


def test_legacy_by_stage_of_life_not_years_of_investing() -> None:
    # 传承规划: age ≥ 50, AUM + outside assets ≥ 300万, at least one child — whatever the risk level or experience.
    book = pd.DataFrame({
        "customer_id": list("abcd"),
        "aum": [2_000_000.0, 5_000_000.0, 2_500_000.0, 8_000_000.0],
        "external_assets_est": [1_500_000.0, 0.0, 0.0, 0.0],
        "risk_level": pd.array(["C2", "C3", "C4", "C1"], dtype="str"),
        "invest_years": [0.0, 6.0, 20.0, 2.0],
        "product_count": [1.0, 4.0, 8.0, 1.0],
        "age": [55.0, 45.0, 60.0, 70.0],
        "children": [1.0, 2.0, 2.0, 0.0],
    })
    assert segment(book, "cognition").astype(str).tolist() == [
        "legacy",  # 55, 200万 + 150万 elsewhere = 350万, a child; C2 and no experience do not matter
        "balanced",  # 45 is too young: min(C3 → 2, 6 years → 3, 4 products → 2)
        "growth",  # 250万 is below 300万: min(C4 → 3, 20 years → 3, 8 products → 3); 20 years alone is not legacy
        "saver",  # 800万 at 70, but no child: min(C1 → 0, …)
    ]
    # without a children column children are not asked for: d is legacy
    assert segment(book.drop(columns="children"), "cognition")[3] == "legacy"
    # without ages nobody is legacy, and the page is told the field is missing
    detail = segment_detail(book.drop(columns="age"), "cognition")
    assert "legacy" not in set(detail.tiers.astype(str))
    assert any(w.code == "optional_missing" and "age" in w.values["fields"] for w in detail.warnings)
    # the bar is a parameter (元): at 200万 c (250万) qualifies
    assert segment(book, "cognition", {"legacy_min_wealth": 2_000_000})[2] == "legacy"
