"""4.2 behaviour: a strategy per tier starting from the templates and the 3.4 plan, the trainee's edits kept as
overrides (and surviving a language switch and leaving the page), the seven questions, and the hours all strategies
need against the effective hours with a warning when they do not fit — in Chinese and English."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import go_away_and_back, id_aum_book, markdown_text, metrics
from workbook import strategy

PAGE = "views/s4_2_strategy.py"


def _key(tier: str, field: str, scheme: str = "aum") -> str:
    return f"s4_2_{scheme}_{tier}_{field}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_starting_strategies_and_the_hours_they_need(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    assert [tab.label for tab in at.tabs] == (["大众客户", "潜力客户", "财富客户", "私行客户"] if lang == "zh"
                                              else ["Mass", "Potential", "Affluent", "Private banking"])
    template = strategy._data()["by_tier"]["aum"]["mass"]
    assert at.text_area(key=_key("mass", "goal")).value == template["goal"][lang]
    assert at.multiselect(key=_key("private", "channels")).value == ["one_to_one"]
    # 3.4's plan: 90 × 0.5 + 144 × 2 + 59 × 8 + 7 × 24 = 45 + 288 + 472 + 168 = 973 hours of 1,800
    shown = metrics(at)
    hours = "973 小时" if lang == "zh" else "973 h"
    assert hours in shown.values()
    assert at.success and not at.warning
    # today's NPS of 大众客户 is shown beside its target
    assert ("今天：" if lang == "zh" else "Today: ") in " ".join(c.value for c in at.caption)


def test_edits_are_kept_follow_no_language_and_survive_leaving_the_page() -> None:
    at = open_app("zh", PAGE)
    at.text_area(key=_key("affluent", "goal")).input("一年内把财富客户的产品数提到 4 个").run()
    at.multiselect(key=_key("affluent", "channels")).set_value(["one_to_one", "online"]).run()
    at.number_input(key=_key("affluent", "kpi.satisfaction")).set_value(45).run()
    at.text_area(key="s4_2_state").input("今年目标：中收 120 万元").run()
    assert not at.exception
    module = at.session_state["workspace"]["modules"]["s4_2"]
    assert module["strategies"]["aum"]["affluent"] == {
        "goal": "一年内把财富客户的产品数提到 4 个", "channels": ["one_to_one", "online"], "kpi.satisfaction": 45.0}
    assert module["state"] == "今年目标：中收 120 万元"
    go_away_and_back(at, PAGE)
    assert at.text_area(key=_key("affluent", "goal")).value == "一年内把财富客户的产品数提到 4 个"
    assert at.number_input(key=_key("affluent", "kpi.satisfaction")).value == 45
    assert at.text_area(key="s4_2_state").value == "今年目标：中收 120 万元"
    at.sidebar.radio[0].set_value("en").run()
    # the trainee's own words stay as written; an untouched field follows the language
    assert at.text_area(key=_key("affluent", "goal")).value == "一年内把财富客户的产品数提到 4 个"
    assert at.text_area(key=_key("affluent", "needs")).value.startswith("Asset allocation")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_strategies_that_do_not_fit_the_hours_are_flagged(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.number_input(key=_key("potential", "hours_per_customer")).set_value(12).run()
    assert not at.exception
    # 45 + 144 × 12 + 472 + 168 = 2,413 hours > 1,800: 613 over
    warning = " ".join(w.value for w in at.warning)
    assert ("超出你一年1,800 小时的有效时间 613 小时" if lang == "zh" else "613 h more than your 1,800 h") in warning
    assert ("用时最多的是潜力客户" if lang == "zh" else "Potential takes the most time") in warning
    # fewer tiers: dropping 潜力客户 brings it back within the hours
    at.multiselect(key="s4_2_tiers_aum").set_value(["mass", "affluent", "private"]).run()
    assert not at.warning and at.success
    assert at.session_state["workspace"]["modules"]["s4_2"]["tiers"] == {"aum": ["mass", "affluent", "private"]}


def test_the_seven_questions_are_on_the_page_verbatim() -> None:
    at = open_app("zh", PAGE)
    text = markdown_text(at)
    for question in strategy.QUESTIONS:
        assert question.outline in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_id_and_aum_book_offers_no_made_up_target(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    for tier in ("potential", "affluent"):
        for spec in strategy.KPIS:
            assert at.number_input(key=_key(tier, f"kpi.{spec.degree}")).value is None
    captions = " ".join(c.value for c in at.caption)
    assert ("名册中看不到今天的数值" if lang == "zh" else "The book does not show today's figure") in captions
    assert ("每小时有效产出" if lang == "zh" else "throughput per hour") not in captions
