"""1.1 难题自测: the items as data, radar values, and the focus recommendation rules (hand-computed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbook import course, i18n, self_check


def test_the_outline_items_in_order_with_text_in_both_languages() -> None:
    assert [item.id for item in self_check.ITEMS] == [
        "effort", "rebate", "gifts", "quality", "personalised", "competition", "refinement", "coordination",
    ]
    assert [item.group for item in self_check.ITEMS] == ["pain"] * 4 + ["market"] * 4
    for item in self_check.ITEMS:
        for key in (item.text_key, item.short_key):
            assert i18n.has_key(key), key
        for module_id, weight in item.focus:
            assert module_id in self_check.MODULE_ORDER
            assert weight > 0
    assert i18n.t("s1.check.item.gifts.text", "zh") == "为什么我天天给客户送礼，他还是离我远去？"


def test_every_recommendable_module_has_a_title_and_a_reason() -> None:
    for module_id in self_check.MODULE_ORDER:
        assert i18n.has_key(f"nav.{module_id}") or i18n.has_key(f"s1.check.module.{module_id}"), module_id
        assert i18n.has_key(f"s1.check.why.{module_id}"), module_id
    registered = {page.id for page in course.PAGES}
    assert {"s1_2", "s1_3"} <= registered


def test_clean_ratings_keeps_only_known_whole_ratings() -> None:
    raw = {"effort": 5, "rebate": 0, "gifts": 6, "quality": 2.0, "personalised": 3.5, "unknown": 4,
           "competition": None, "refinement": True, "coordination": "4"}
    assert self_check.clean_ratings(raw) == {"effort": 5, "quality": 2}


def test_radar_values_in_item_order_with_unanswered_at_zero() -> None:
    assert self_check.radar_values({"effort": 5, "coordination": 2}) == [5.0, 0, 0, 0, 0, 0, 0, 2.0]
    assert self_check.answered({"effort": 5, "coordination": 2}) == 2
    assert self_check.group_mean({"effort": 5, "rebate": 2}, "pain") == 3.5
    assert self_check.group_mean({"effort": 5}, "market") is None


def test_module_scores_worked_example() -> None:
    # effort 5 → strength (5−1)/4 = 1.0: s1_2 += 1.0, s1_3 += 1.0, s4_3 += 0.5
    # gifts 3 → strength 0.5: s4_1 += 0.5, s3_3 += 0.5, s1_4 += 0.25
    # competition 4 → strength 0.75: s3_1 += 0.75, s3_4 += 0.375, s3_3 += 0.375
    scores = self_check.module_scores({"effort": 5, "gifts": 3, "competition": 4})
    assert scores == {
        "s1_2": 1.0, "s1_3": 1.0, "s4_3": 0.5, "s4_1": 0.5, "s3_3": 0.875, "s1_4": 0.25, "s3_1": 0.75,
        "s3_4": 0.375,
    }


def test_focus_worked_example_ranks_by_score_then_course_order() -> None:
    picks = self_check.focus({"effort": 5, "gifts": 3, "competition": 4})
    # s1_2 and s1_3 tie at 1.0 → course order; then s3_3 at 0.875
    assert [p.module_id for p in picks] == ["s1_2", "s1_3", "s3_3"]
    assert [p.score for p in picks] == [1.0, 1.0, 0.875]
    # s3_3's reasons by contribution weight × (rating − 1): gifts 1.0 × 2 = 2.0, competition 0.5 × 3 = 1.5
    assert picks[2].because == ("gifts", "competition")
    assert picks[0].because == ("effort",)


def test_no_focus_without_answers_or_when_everything_is_low() -> None:
    assert self_check.focus({}) == ()
    assert self_check.focus(dict.fromkeys((item.id for item in self_check.ITEMS), 1)) == ()
    # a single 2 scores 0.25 at most: below the 0.5 floor
    assert self_check.focus({"effort": 2}) == ()


@given(st.dictionaries(st.sampled_from([item.id for item in self_check.ITEMS]), st.integers(1, 5)))
def test_focus_is_at_most_three_known_modules_in_score_order(ratings: dict[str, int]) -> None:
    picks = self_check.focus(ratings)
    assert len(picks) <= self_check.MAX_FOCUS
    scores = [p.score for p in picks]
    assert scores == sorted(scores, reverse=True)
    assert all(p.score >= self_check.MIN_FOCUS_SCORE for p in picks)
    assert all(p.because for p in picks)  # every pick can say why
    values = self_check.radar_values(ratings)
    assert len(values) == len(self_check.ITEMS) and all(0 <= v <= 5 for v in values)


def test_the_real_needs_check() -> None:
    # five questions; 4 or 5 "yes" → good, 3 → partial, 0–2 → weak
    assert len(self_check.NEEDS_QUESTIONS) == 5
    assert self_check.needs_level(["purpose", "latent", "risk", "term"]) == "good"
    assert self_check.needs_level(["purpose", "risk", "term"]) == "partial"
    assert self_check.needs_level(["purpose", "risk"]) == "weak"
    assert self_check.needs_level([]) == "weak"
    # stale or repeated ids are dropped; the order is the questions' own
    assert self_check.clean_needs(["term", "old", "purpose", "term"]) == ("purpose", "term")
    assert self_check.clean_needs("purpose") == ()
    for code in (*self_check.NEEDS_QUESTIONS, ):
        for lang in i18n.LANGUAGES:
            assert "⟦" not in i18n.t(f"s1.check.needs.{code}", lang)
    for level in self_check.NEEDS_LEVELS:
        assert i18n.has_key(f"s1.check.needs_level.{level}")
