"""One source for the trainee's 1.4 settings: ``asset_review.trainee_params`` builds the ProfitParams every page uses,
so an edited hourly cost or tier assumption gives the same figures to 1.4's profitability, 3.2's asset/liability
dimension, 3.4's today, 4.3's throughput and exercise 2's evidence (hand book, arithmetic in the comments)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import asset_review, exercises, services
from workbook import throughput as tp
from workbook.profit import DEFAULT_PARAMS, TIER_COST_FIELDS, profitability
from workbook.segmentation import segment

# 1.4 as the trainee left it: annual cost 540,000 元 (300 元 an hour over 1,800 h) and a 财富 customer assumed to
# take 20 hours a year instead of 8.
EDITED = {"annual_cost": 540_000.0, "tier_costs": {"affluent": {"hours": 20.0}}}


def no_hours_book() -> pd.DataFrame:
    """大众 (2万), 财富 (80万), 私行 (900万) with fee income only: hours, gifts and events come from 1.4's
    assumptions (cost_to_serve.toml: 1 · 8 · 24 h; gifts 0 · 600 · 3,000; events 0 · 400 · 2,000)."""
    return pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [20_000.0, 800_000.0, 9_000_000.0],
                         "fee_income_12m": [100.0, 5_000.0, 40_000.0]})


def test_services_and_1_4_build_the_same_params() -> None:
    plan = {"overrides": {"aum": {"private": {"hours": 30}}}}
    params, from_s1_4 = services.profit_params_from(EDITED, plan)
    assert params == asset_review.trainee_params(EDITED, plan) and from_s1_4
    assert params.hourly_cost == pytest.approx(300)  # 540,000 ÷ 1,800
    assert params.assumptions.tier("affluent").hours == 20
    assert params.service_standard()["private"] == 30  # 3.4's edited aum plan caps 1.4's justified hours
    # nothing entered: the defaults, and the hourly cost is not "from 1.4"
    assert services.profit_params_from({}) == (DEFAULT_PARAMS, False)
    assert asset_review.trainee_params(None, {"overrides": {}}) == DEFAULT_PARAMS


def test_an_edited_setting_gives_the_same_figures_everywhere() -> None:
    book = no_hours_book()
    params = asset_review.trainee_params(EDITED)
    result = profitability(book, params)
    # b: 5,000 − (20 h × 300 + 600 + 400) = −2,000 → a liability (with the defaults 5,000 − (8 × 200 + 1,000)
    # = +2,400, an asset). a: 100 − 1 × 300 = −200; c: 40,000 − (24 × 300 + 5,000) = +27,800.
    assert result["net"].tolist() == pytest.approx([-200, -2_000, 27_800])
    assert result["kind"].astype(str).tolist() == ["liability", "liability", "asset"]
    assert profitability(book)["kind"].astype(str).tolist() == ["liability", "asset", "asset"]

    # 3.2's asset/liability dimension: the same verdicts from the settings it carries
    settings = asset_review.settings_from(EDITED)
    assert settings == EDITED
    assert segment(book, "kind", settings).astype(str).tolist() == ["liability", "liability", "asset"]

    tiers = segment(book, "aum")
    # 4.3: 财富 hours 20, T = 5,000 − 1,000 = 4,000, 200 an hour, OE 20 × 300 = 6,000, NP −2,000 = b's net
    flows = tp.throughput_by_tier(book, tiers, params)
    assert (flows.loc["affluent", "hours"], flows.loc["affluent", "t_per_hour"], flows.loc["affluent", "oe"],
            flows.loc["affluent", "np"]) == pytest.approx((20, 200, 6_000, -2_000))
    # 3.4: today's hours are 1.4's
    actuals = services.tier_actuals(book, tiers, params)
    assert actuals.loc["affluent", "hours_today"] == 20 and actuals.loc["affluent", "gifts_today"] == 600
    # exercise 2's evidence: 4.3's figures
    evidence = exercises.segment_evidence(book, "aum", {}, params).tiers
    assert (evidence.loc["affluent", "hours"], evidence.loc["affluent", "t_per_hour"]) == pytest.approx((20, 200))
    assert evidence.loc["affluent", "hours_source"] == exercises.HOURS_ASSUMED


def test_today_without_params_is_only_what_the_book_records() -> None:
    book = no_hours_book()
    actuals = services.tier_actuals(book, segment(book, "aum"))
    assert actuals["hours_today"].isna().all() and actuals["gifts_today"].isna().all()
    # 1.4 with its assumptions off assumes nothing either
    off = asset_review.trainee_params({"assume_missing": 0.0})
    assert services.tier_actuals(book, segment(book, "aum"), off)["hours_today"].isna().all()


entries = st.fixed_dictionaries({}, optional={
    **{name: st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10**7), st.text(max_size=3),
                       st.none(), st.booleans())
       for name in asset_review.INPUT_NAMES},
    asset_review.TIER_COSTS_KEY: st.one_of(
        st.none(), st.text(max_size=3),
        st.dictionaries(st.sampled_from(["mass", "potential", "affluent", "private", "nobody"]),
                        st.dictionaries(st.sampled_from([*TIER_COST_FIELDS, "colour"]),
                                        st.one_of(st.floats(-5, 100), st.text(max_size=2), st.none())))),
    "_done": st.booleans(),
})


@given(entries)
def test_the_settings_a_dimension_carries_rebuild_1_4s_params(values: dict) -> None:
    try:
        expected = asset_review.params_from(values)
    except ValueError:  # entries 1.4 itself cannot price (a NaN ratio …) are not what this test is about
        return
    settings = asset_review.settings_from(values)
    assert asset_review.params_from(settings) == expected
    json.dumps(settings, allow_nan=False)  # plain, finite data: it travels in a segmentation's parameters
