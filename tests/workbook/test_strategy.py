"""The strategy designer's domain: the outline's seven questions verbatim, templates in both languages, starting
strategies from the 3.4 plan and today's four-degree figures, the trainee's overrides, and the hours check."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.workbook.test_ladder import OUTLINE
from workbook import services, strategy
from workbook.segmentation import INSUFFICIENT, SCHEMES

CJK = re.compile(r"[\u4e00-\u9fff]")
AUM_CODES = ["mass", "potential", "affluent", "private"]


def test_the_seven_questions_are_the_outline_verbatim() -> None:
    text = OUTLINE.read_text(encoding="utf-8")
    start = text.index("开始设计你的客户经营策略")
    end = text.index("有效会计产出在客户分层管理", start)
    items = [line.strip() for _, line in re.findall(r"\((\d+)\)\s*(.+)", text[start:end])]
    assert [q.outline for q in strategy.QUESTIONS] == items
    assert len(strategy.QUESTIONS) == 7
    fields = {q.field for q in strategy.QUESTIONS}
    assert set(strategy.OVERALL_FIELDS) <= fields and fields - set(strategy.OVERALL_FIELDS) <= set(strategy.FIELDS)
    for question in strategy.QUESTIONS:
        assert not CJK.search(question.en) and not CJK.search(question.prompt_en)
        assert CJK.search(question.prompt_zh)


def test_every_template_in_both_languages_and_the_kind_schemes_have_their_own() -> None:
    data = strategy._data()
    templates = [*data["generic"].values()] + [t for tiers in data["by_tier"].values() for t in tiers.values()]
    for template in templates:
        for field in ("goal", "needs"):
            assert CJK.search(template[field]["zh"]) and template[field]["en"].strip()
            assert not CJK.search(template[field]["en"])
        assert template["channels"] and set(template["channels"]) <= set(strategy.CHANNELS)
    for scheme_id in ("aum", "behaviour", "cognition"):
        codes = [t.code for t in SCHEMES[scheme_id].tiers() if t.code != INSUFFICIENT]
        assert set(codes) == set(data["by_tier"][scheme_id]), scheme_id
    assert strategy.template_kind("contribution", "A", 2, 3) == ("generic", "top")
    assert strategy.template_kind("aum", INSUFFICIENT, 0, 4) == ("generic", "insufficient")
    assert strategy.template_kind("aum", "private", 3, 4) == ("by_tier", "aum.private")


def _figures() -> pd.DataFrame:
    # mass: NPS 20, retention 0.98, 45% with ≥ 3 products, revenue 600 元 per customer; potential: nothing known.
    nan = math.nan
    return pd.DataFrame(
        {"nps": [20.0, nan], "aum_retention": [0.98, nan], "share_3plus": [0.45, nan],
         "revenue_per_customer": [600.0, nan]},
        index=["mass", "potential"],
    )


def test_starting_strategy_comes_from_the_templates_the_3_4_plan_and_todays_figures() -> None:
    start = strategy.starting_strategies("aum", AUM_CODES, "zh", figures=_figures())
    mass = start["mass"]
    plan = services.TIER_TEMPLATES["aum"]["mass"]
    assert mass.goal.startswith("用线上和一对多低成本覆盖")
    assert mass.products == plan.text["shelf"]["zh"] and mass.cadence == plan.text["cadence"]["zh"]
    assert mass.services == plan.text["activities"]["zh"] + "；" + plan.text["benefits"]["zh"]
    assert mass.hours_per_customer == plan.hours == 0.5
    assert mass.channels == ("one_to_many", "online")  # in the CHANNELS order, whatever the template's order
    # mass is the lowest of four tiers → KPI steps "base": NPS 20 + 5 = 25; retention target 100%;
    # ≥ 3 products 45% + 5 = 50%; revenue per customer +5%. (Retention today 98% < 100%.)
    assert dict(mass.kpis) == {"satisfaction": 25, "loyalty": 100, "stickiness": 50, "contribution": 5}
    # potential: no figure known → no target offered.
    assert set(start["potential"].kpis.values()) == {None}
    # private has no figures row at all → no targets either, and its own template.
    assert start["private"].channels == ("one_to_one",) and start["private"].hours_per_customer == 24
    # a trainee's 3.4 edit flows into the starting strategy
    edited = strategy.starting_strategies("aum", AUM_CODES, "zh", {"mass": {"hours": 1.5, "shelf": "只做存款"}})
    assert edited["mass"].hours_per_customer == 1.5 and edited["mass"].products == "只做存款"


def test_kpi_target_in_the_figures_own_unit() -> None:
    spec = strategy.KPI_BY_DEGREE["contribution"]
    # revenue per customer 600 元, +10% → 660 元
    assert strategy.kpi_target_value(spec, 10, {"revenue_per_customer": 600.0}) == pytest.approx(660)
    assert strategy.kpi_target_value(spec, 10, {"revenue_per_customer": math.nan}) is None
    share = strategy.KPI_BY_DEGREE["stickiness"]
    assert strategy.kpi_current(share, {"share_3plus": 0.456}) == pytest.approx(45.6)
    assert strategy.kpi_target_value(share, 55, {"share_3plus": 0.456}) == 55
    # a level target is never below today: retention 117% today, template 105% → 117%
    assert strategy.kpi_default(strategy.KPI_BY_DEGREE["loyalty"], 105, {"aum_retention": 1.17}) == 117
    # a change target stays in range: NPS 98 + 10 → 100
    assert strategy.kpi_default(strategy.KPI_BY_DEGREE["satisfaction"], 10, {"nps": 98.0}) == 100


def test_overrides_keep_only_what_differs_and_untouched_fields_follow_the_language() -> None:
    start = strategy.starting_strategies("aum", AUM_CODES, "zh", figures=_figures())["mass"]
    mine = strategy.set_override({}, start, "goal", "把大众客户带到线上")
    mine = strategy.set_override(mine, start, "channels", ["online"])
    mine = strategy.set_override(mine, start, "kpi.satisfaction", 30)
    mine = strategy.set_override(mine, start, "hours_per_customer", start.hours_per_customer)  # unchanged
    assert mine == {"goal": "把大众客户带到线上", "channels": ["online"], "kpi.satisfaction": 30.0}
    resolved = strategy.strategies("aum", AUM_CODES, "en", {"mass": mine}, figures=_figures())["mass"]
    assert resolved.goal == "把大众客户带到线上"  # the trainee's words, as written
    assert resolved.needs.startswith("Convenient")  # untouched: follows the language
    assert resolved.channels == ("online",) and resolved.kpis["satisfaction"] == 30
    # setting a field back to its starting value drops the override
    assert "goal" not in strategy.set_override(mine, start, "goal", start.goal + "  ")
    # clearing a target that had a default keeps the clearing
    assert strategy.set_override({}, start, "kpi.loyalty", None) == {"kpi.loyalty": None}
    with pytest.raises(ValueError):
        strategy.set_override({}, start, "colour", "red")


@given(st.dictionaries(st.sampled_from([*strategy.FIELDS, "junk"]),
                       st.one_of(st.none(), st.text(max_size=5), st.floats(allow_nan=True), st.lists(st.text()))))
def test_damaged_overrides_never_break_a_strategy(overrides: dict) -> None:
    start = strategy.starting_strategies("aum", AUM_CODES, "zh")["affluent"]
    resolved = strategy.apply_overrides(start, overrides)
    assert isinstance(resolved.goal, str) and set(resolved.channels) <= set(strategy.CHANNELS)
    assert resolved.hours_per_customer >= 0 and math.isfinite(resolved.hours_per_customer)
    assert all(v is None or math.isfinite(v) for v in resolved.kpis.values())


def test_hours_check_worked_example() -> None:
    start = strategy.starting_strategies("aum", AUM_CODES, "zh")
    chosen = {"mass": start["mass"], "private": start["private"]}
    # mass 90 customers × 0.5 h = 45 h; private 7 × 24 h = 168 h; together 213 h.
    check = strategy.hours_check(chosen, {"mass": 90, "private": 7, "potential": 144}, available=200)
    assert check.tiers["hours"].tolist() == [45, 168]
    assert check.needed == 213 and not check.fits and check.shortfall == 13
    assert strategy.hours_check(chosen, {"mass": 90, "private": 7}, available=1_800).fits
