"""The 12-level engagement ladder: verbatim from the outline, its English rendering, the per-tier figures and the
suggested level on hand-computed examples, and the next actions between a current and a target level."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import workbook
from tests.conftest import ROOT
from tests.fixtures.small_books import aum_book
from workbook import ladder

# The course outline ships with the project (docs/course/); the team's shared copy, where present, must not differ.
OUTLINE = ROOT / "docs" / "course" / "outline_zh.txt"
SHARED_OUTLINE = ROOT.parent.parent / "shared" / "course" / "outline_zh.txt"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _outline_levels() -> list[str]:
    """The items (1)…(12) under 「4. 客户经营的梯度等级」 of the outline, up to 「5. 开始设计…」."""
    text = OUTLINE.read_text(encoding="utf-8")
    start = text.index("客户经营的梯度等级")
    end = text.index("开始设计你的客户经营策略", start)
    items = re.findall(r"\((\d+)\)\s*(.+)", text[start:end])
    assert [int(n) for n, _ in items] == list(range(1, len(items) + 1))
    return [line.strip() for _, line in items]


def test_the_ladder_is_the_outline_verbatim_in_order() -> None:
    assert [lvl.zh for lvl in workbook.LADDER] == _outline_levels()
    if SHARED_OUTLINE.is_file():
        assert OUTLINE.read_bytes() == SHARED_OUTLINE.read_bytes()


def test_the_ladder_as_shipped() -> None:
    # The outline's first and last words, and twelve levels numbered 1 … 12 (independent of the outline file).
    assert len(ladder.LADDER) == 12
    assert ladder.LADDER[0].zh == "从不主动和客户沟通"
    assert ladder.LADDER[-1].zh == "帮客户的朋友也实现财富小目标"
    assert [lvl.number for lvl in ladder.LADDER] == list(range(1, 13))
    for lvl in ladder.LADDER:
        for text in (lvl.en, lvl.short_en, lvl.action_en):
            assert text.strip() and not CJK.search(text), lvl.number
        for text in (lvl.short_zh, lvl.action_zh):
            assert CJK.search(text), lvl.number
        assert lvl.label("en") == lvl.en and lvl.label("zh") == lvl.zh


def test_next_levels_are_the_steps_between_current_and_target() -> None:
    assert [lvl.number for lvl in ladder.next_levels(4, 7)] == [5, 6, 7]
    assert ladder.next_levels(7, 7) == ()
    assert ladder.next_levels(9, 3) == ()  # a target below today's level asks for no step up
    assert ladder.next_levels(None, 5) == () and ladder.next_levels(2, None) == ()
    assert [lvl.number for lvl in ladder.next_levels(11, 12)] == [12]
    with pytest.raises(ValueError):
        ladder.level(13)


@given(st.integers(1, 12), st.integers(1, 12))
def test_next_levels_climb_one_step_at_a_time(current: int, target: int) -> None:
    steps = [lvl.number for lvl in ladder.next_levels(current, target)]
    assert steps == list(range(current + 1, target + 1))


def _tiers(codes: list[str], order: list[str]) -> pd.Series:
    return pd.Series(pd.Categorical(codes, categories=order, ordered=True))


def test_engagement_figures_on_a_hand_book() -> None:
    # Tier "low": customers 0, 1, 2; tier "high": 3, 4; tier "empty": none.
    book = aum_book(
        [1, 2, 3, 4, 5],
        contacts_12m=[0, 2, None, 12, 20],  # low: (0 + 2) / 2 known = 1.0 (the blank is left out); high: 16.0
        gift_cost_12m=[0, 300, 100, 0, 800],  # low: 2 of 3 above 0 = 0.667; high: 1 of 2 = 0.5
        events_12m=[0, 0, 1, 2, 1],  # low: 1/3 = 0.333; high: 1.5
    )  # no referrals_12m column → NaN for every tier
    figures = ladder.engagement_figures(book, _tiers(["low", "low", "low", "high", "high"], ["low", "high", "empty"]))
    assert figures.index.tolist() == ["low", "high", "empty"]
    assert figures["customers"].tolist() == [3, 2, 0]
    assert figures.loc["low", "contacts_per_customer"] == pytest.approx(1.0)
    assert figures.loc["high", "contacts_per_customer"] == pytest.approx(16.0)
    assert figures.loc["low", "gift_share"] == pytest.approx(2 / 3)
    assert figures.loc["high", "gift_share"] == pytest.approx(0.5)
    assert figures.loc["low", "events_per_customer"] == pytest.approx(1 / 3)
    assert figures.loc["high", "events_per_customer"] == pytest.approx(1.5)
    assert figures["referrals_per_customer"].isna().all()
    assert figures.loc["empty"].drop("customers").isna().all()


def test_suggestion_is_the_highest_rule_that_holds_with_its_evidence() -> None:
    # 8 contacts, 60% with gifts, 0.5 events: level 4 (≥ 7 contacts) and level 5 (≥ 7 and gifts ≥ 50%) hold;
    # level 7 needs ≥ 1 event (0.5 < 1) → 5.
    figures = {"contacts_per_customer": 8.0, "gift_share": 0.6, "events_per_customer": 0.5,
               "referrals_per_customer": 0.0}
    suggestion = ladder.suggest_level(figures)
    assert suggestion.level == 5
    assert [(e.figure, e.op, e.threshold, e.value) for e in suggestion.evidence] == [
        ("contacts_per_customer", ">=", 7.0, 8.0), ("gift_share", ">=", 0.5, 0.6)]
    assert suggestion.unchecked == ()
    # 13 contacts, 2 events, 0.5 referrals → 12 (≥ 12 contacts, ≥ 1 event, ≥ 0.5 referrals), gifts unknown.
    top = ladder.suggest_level({"contacts_per_customer": 13.0, "gift_share": math.nan, "events_per_customer": 2.0,
                                "referrals_per_customer": 0.5})
    assert top.level == 12
    # 0.5 contacts a year → level 1; a tier never contacted is at the bottom.
    assert ladder.suggest_level({"contacts_per_customer": 0.5}).level == 1


def test_no_suggestion_without_contacts_and_what_is_missing_is_named() -> None:
    none = ladder.suggest_level({"events_per_customer": 3.0, "gift_share": 1.0})
    assert none.level is None
    assert none.missing[0] == "contacts_12m" and "referrals_12m" in none.missing
    # contacts known but events and referrals not: 9 contacts → 4; the fields that could lift it are named.
    partial = ladder.suggest_level({"contacts_per_customer": 9.0})
    assert partial.level == 4
    assert set(partial.unchecked) == {"gift_cost_12m", "events_12m", "referrals_12m"}


def test_an_id_and_aum_book_gets_no_suggestion() -> None:
    book = aum_book([10_000, 2_000_000])
    figures = ladder.engagement_figures(book, _tiers(["a", "b"], ["a", "b"]))
    assert all(s.level is None for s in ladder.suggestions(figures).values())


def test_sample_book_suggestions_per_aum_tier() -> None:
    # The rebuilt sample book on the default AUM ladder (90 · 144 · 59 · 7 customers):
    # 大众 307 contacts ÷ 90 = 3.41 (≥ 1, < 4) → 2;
    # 潜力 1,056 ÷ 144 = 7.33 contacts, 153 ÷ 144 = 1.06 events (gifts 71 of 144 = 49% < 50%, so not 5) → 7;
    # 财富 331 ÷ 59 = 5.61 contacts (≥ 4, < 7) → 3 — the book's under-served 财富 customers (samples.py);
    # 私行 83 ÷ 7 = 11.86 contacts (< 12, so not 12), 12 ÷ 7 = 1.71 events → 7.
    book = workbook.sample_book(n=300, seed=7)
    tiers = workbook.segment(book, "aum")
    figures = ladder.engagement_figures(book, tiers)
    by_tier = book.assign(tier=tiers).groupby("tier", observed=False)
    assert by_tier["contacts_12m"].sum().tolist() == [307, 1_056, 331, 83, 0]
    assert by_tier["events_12m"].sum().tolist()[1:4] == [153, 102, 12]
    assert (book.loc[tiers == "potential", "gift_cost_12m"] > 0).sum() == 71
    assert figures.loc["potential", "gift_share"] == pytest.approx(71 / 144)
    levels = {code: s.level for code, s in ladder.suggestions(figures).items()}
    assert levels == {"mass": 2, "potential": 7, "affluent": 3, "private": 7, "insufficient": None}


def test_assessments_prefer_the_trainees_levels_and_fall_back_to_the_suggestion() -> None:
    suggested = {"a": ladder.Suggestion(4), "b": ladder.Suggestion(2), "c": ladder.Suggestion(None)}
    saved = {"a": {"current": 6, "target": 9}, "b": {"target": 5}, "c": {"current": None, "target": "x"}}
    rows = {r.tier: r for r in ladder.assessments(["a", "b", "c", "d"], saved, suggested)}
    assert (rows["a"].current, rows["a"].target, rows["a"].gap) == (6, 9, 3)
    assert (rows["b"].current, rows["b"].target) == (2, 5)  # suggestion stands in for the unsaved current level
    assert [lvl.number for lvl in rows["b"].steps] == [3, 4, 5]
    assert (rows["c"].current, rows["c"].target) == (None, None)  # a cleared level stays cleared
    assert (rows["d"].current, rows["d"].target) == (None, None)
    assert [ladder.valid_level(v) for v in (3, 3.0, "7", 0, 13, 2.5, True, None, "x")] == [
        3, 3, 7, None, None, None, None, None, None]
