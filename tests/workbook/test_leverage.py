"""时间杠杆: the hours-saved arithmetic worked by hand, the suggested number of events, the calendar, groups from a
segmentation and from the need rules, and the invariants of the arithmetic."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import workbook
from tests.workbook.test_throughput import PARAMS, hand_book
from workbook import bottleneck
from workbook import leverage as lv
from workbook.leverage import EventFormat, GroupPlan, LeverageError
from workbook.throughput import throughput_by_tier

# A theme salon as in events.toml: 20 seats, 8 hours to prepare and host, 15 minutes' follow-up per attendee.
SALON = lv.FORMATS["salon"]


def test_salon_formats_are_as_the_hand_examples_assume() -> None:
    assert (SALON.capacity, SALON.hours_per_event, SALON.follow_up_hours) == (20, 8, 0.25)


def test_hours_saved_by_two_salons() -> None:
    # 120 customers × 4 hours a year one to one, 1-hour touches, all touches replaceable, 2 salons a month.
    # touches needed  N = 120 × 4 ÷ (12 × 1) = 40 a month; one-to-one hours = 40 × 1 = 40
    # seats = 2 × 20 = 40; attendees A = min(40, 1.0 × 40) = 40; coverage 40 ÷ 40 = 100%
    # event hours = 2 × 8 + 40 × 0.25 = 26; hours after = (40 − 40) × 1 + 26 = 26
    # saved = 40 − 26 = 14 = A × (t − u) − e × H = 40 × 0.75 − 16
    out = lv.group_outcome(GroupPlan("g", 120, 4.0, 1.0, "salon", 2.0, 1.0), SALON)
    assert out.touches_needed == pytest.approx(40)
    assert out.one_to_one_hours == pytest.approx(40)
    assert out.attendees == pytest.approx(40)
    assert out.coverage == pytest.approx(1.0)
    assert out.event_hours == pytest.approx(26)
    assert out.hours_after == pytest.approx(26)
    assert out.hours_saved == pytest.approx(14)
    assert out.event_cost == pytest.approx(6_000)  # 2 × 3,000 元


def test_empty_seats_save_nothing_and_cost_preparation() -> None:
    # Same group, 3 salons: seats 60 but only 40 touches to replace → A = 40, 20 seats empty.
    # saved = 40 × 0.75 − 3 × 8 = 30 − 24 = 6 (a third salon costs 8 hours and replaces nothing)
    out = lv.group_outcome(GroupPlan("g", 120, 4.0, 1.0, "salon", 3.0, 1.0), SALON)
    assert out.empty_seats == pytest.approx(20)
    assert out.hours_saved == pytest.approx(6)


def test_top_tier_events_can_cost_more_than_they_save() -> None:
    # Half the touches replaceable: R = 0.5 × 40 = 20; 2 salons → A = min(40, 20) = 20
    # saved = 20 × 0.75 − 2 × 8 = 15 − 16 = −1: the page warns
    out = lv.group_outcome(GroupPlan("g", 120, 4.0, 0.5, "salon", 2.0, 1.0), SALON)
    assert out.coverage == pytest.approx(0.5)
    assert out.hours_saved == pytest.approx(-1)


def test_longer_touches_save_more_per_attendee() -> None:
    # 10 private-banking customers × 24 hours a year in 2-hour meetings: N = 10 × 24 ÷ (12 × 2) = 10 a month,
    # 20 hours. A private gathering (10 seats, 12 hours, 0.5 follow-up), 20% replaceable → R = 2; one event:
    # A = min(10, 2) = 2; saved = 2 × (2 − 0.5) − 12 = −9
    gathering = lv.FORMATS["private"]
    out = lv.group_outcome(GroupPlan("g", 10, 24.0, 0.2, "private", 1.0, 2.0), gathering)
    assert out.one_to_one_hours == pytest.approx(20)
    assert out.hours_saved == pytest.approx(-9)


def test_suggested_events() -> None:
    # The worked example: replaceable touches 40, 20 seats → 2 salons exactly.
    assert lv.suggest_events(120, 4.0, 1.0, SALON, 1.0) == 2.0
    # 30 replaceable touches (90 customers): ideal 1.5 salons → 1.5 (a quarter step):
    # saved(1.5) = 30 × 0.75 − 12 = 10.5
    assert lv.suggest_events(90, 4.0, 1.0, SALON, 1.0) == 1.5
    # 10 replaceable touches: ideal 0.5 → saved(0.5) = 10 × 0.75 − 4 = 3.5 > 0
    assert lv.suggest_events(30, 4.0, 1.0, SALON, 1.0) == 0.5
    # 2 replaceable touches: ideal 0.1 → candidates 0 and 0.25: saved(0.25) = 2 × 0.75 − 2 = −0.5 → none
    assert lv.suggest_events(6, 4.0, 1.0, SALON, 1.0) == 0.0
    # A full salon saves 20 × (0.5 − 0.25) = 5 hours of half-hour touches for 8 hours' work: never worth it
    assert lv.suggest_events(1_000, 4.0, 1.0, SALON, 0.5) == 0.0


def test_calendar_spreads_events_over_the_year() -> None:
    plans = [GroupPlan("mass", 90, 0.5, 0.9, "online", 0.25), GroupPlan("rich", 59, 8, 0.4, "salon", 1.0)]
    calendar = lv.event_calendar(plans, {"mass": ["a", "b"], "rich": ["x"]}, start_month=11)
    mass = calendar[calendar["group"] == "mass"]
    # 0.25 a month = 3 a year; event j in month ⌊j × 12 ÷ 3⌋ = 0, 4, 8 → Nov, Mar, Jul
    assert mass["offset"].tolist() == [0, 4, 8]
    assert mass["month"].tolist() == [11, 3, 7]
    assert mass["theme"].tolist() == ["a", "b", "a"]  # themes take turns
    assert (calendar["group"] == "rich").sum() == 12
    assert lv.event_calendar([GroupPlan("none", 5, 1, 1, "online", 0.0)], {}).empty
    with pytest.raises(LeverageError):
        lv.event_calendar(plans, {}, start_month=13)


def test_leverage_table_and_totals() -> None:
    plans = [GroupPlan("a", 120, 4.0, 1.0, "salon", 2.0), GroupPlan("b", 120, 4.0, 0.5, "salon", 2.0)]
    table = lv.leverage_table(plans)
    assert list(table.index) == ["a", "b"]
    assert list(table.columns) == list(lv.OUTCOME_COLUMNS)
    total = lv.totals(table)
    assert total.hours_saved == pytest.approx(14 - 1)  # the two worked examples above
    assert total.one_to_one_hours == pytest.approx(80)
    # a week is 52 ÷ 12 of a month: 80 hours a month = 80 × 12 ÷ 52 ≈ 18.46 a week
    assert total.one_to_one_weekly == pytest.approx(80 * 12 / 52)
    # 13 hours a month × 12 × 200 元 = 31,200 元 a year
    assert lv.yearly_value(total.hours_saved, 200) == pytest.approx(31_200)
    assert workbook.leverage_table is lv.leverage_table


def test_bad_numbers_are_refused_with_a_message() -> None:
    with pytest.raises(LeverageError) as caught:
        GroupPlan("g", 10, 1, 1.2, "salon", 1)
    assert caught.value.code == "replaceable"
    with pytest.raises(LeverageError):
        GroupPlan("g", 10, 1, 0.5, "salon", 1, touch_hours=0)
    with pytest.raises(LeverageError) as caught:
        lv.format_with("salon", {"capacity": 0})
    assert "每场人数" in str(caught.value)
    with pytest.raises(LeverageError) as caught:
        lv.format_with("salon", {"hours_per_event": -1})
    assert "Hours an event" in caught.value.text("en")


def test_groups_from_a_segmentation() -> None:
    # The default AUM ladder with an empty 信息不足 tier: four groups, levels base → top by rank.
    codes = ["mass", "potential", "affluent", "private", "insufficient"]
    groups = lv.tier_groups("aum", codes, {"mass": 90, "potential": 144, "affluent": 59, "private": 7},
                            {"mass": 0.5, "potential": 2, "affluent": 8, "private": 24})
    assert [g.code for g in groups] == ["mass", "potential", "affluent", "private"]
    assert [g.defaults for g in groups] == [lv.LEVEL_DEFAULTS[level] for level in ("base", "mid", "high", "top")]
    assert groups[3].key == "tier:aum:private" and groups[3].hours_per_customer == 24


def test_groups_from_the_need_rules() -> None:
    frame = pd.DataFrame({"customers": [55, 3]}, index=pd.Index(["education", "legacy"], name="category"))
    groups = lv.need_group_specs(frame)
    assert [(g.key, g.customers, g.hours_per_customer) for g in groups] == [
        ("need:education", 55, 2.0), ("need:legacy", 3, 4.0)]


def test_a_group_plan_follows_the_suggestion_until_the_trainee_sets_events() -> None:
    spec = lv.GroupSpec("g", "tier", "x", 120, 4.0, lv.GroupDefaults(1.0, "salon", ("market_update",), 1.0))
    plan, suggested = lv.group_plan(spec, None)
    assert (plan.events_per_month, suggested) == (2.0, 2.0)
    plan, suggested = lv.group_plan(spec, {"replaceable_pct": 50})  # R = 20 → one salon
    assert (plan.events_per_month, suggested) == (1.0, 1.0)
    plan, _ = lv.group_plan(spec, {"events_per_month": 3, "format": "online", "touch_hours": "bad"})
    assert (plan.events_per_month, plan.format, plan.touch_hours) == (3.0, "online", 1.0)
    # only what differs from the start is kept
    assert lv.group_overrides(spec, {"format": "salon", "events_per_month": 2.0, "replaceable_pct": 100.0}, 2.0) == {}
    assert lv.group_overrides(spec, {"events_per_month": 1.5}, 2.0) == {"events_per_month": 1.5}


def test_weekly_hours_come_from_the_stages_of_1_3() -> None:
    # default stages: 3 + 5 + 10 + 6 + 3 + 2 = 29 hours a week
    assert lv.weekly_hours(bottleneck.default_rows()) == 29.0
    assert lv.weekly_hours([{"kind": "meet", "weekly_hours": -1, "hours_per_customer": 1, "pass_pct": 50}]) == 0.0


plans = st.builds(
    GroupPlan,
    key=st.just("g"),
    customers=st.integers(0, 5_000),
    hours_per_customer=st.floats(0, 50, allow_subnormal=False),
    replaceable=st.floats(0, 1, allow_subnormal=False),
    format=st.sampled_from(list(lv.FORMATS)),
    events_per_month=st.floats(0, 20, allow_subnormal=False),
    touch_hours=st.floats(0.25, 4),
)


@given(plans)
def test_the_arithmetic_holds_together(plan: GroupPlan) -> None:
    fmt = lv.FORMATS[plan.format]
    out = lv.group_outcome(plan, fmt)
    assert out.hours_saved == pytest.approx(out.one_to_one_hours - out.hours_after, abs=1e-6)
    assert out.hours_saved == pytest.approx(
        out.attendees * (plan.touch_hours - fmt.follow_up_hours) - plan.events_per_month * fmt.hours_per_event,
        abs=1e-6)
    assert 0 <= out.attendees <= min(out.seats, out.replaceable_touches) + 1e-9
    assert 0 <= out.coverage <= plan.replaceable + 1e-9


@given(st.integers(0, 3_000), st.floats(0.5, 30), st.floats(0, 1, allow_subnormal=False),
       st.sampled_from(list(lv.FORMATS)), st.floats(0.25, 3))
def test_no_quarter_step_saves_more_than_the_suggestion(customers: int, hours: float, replaceable: float,
                                                         code: str, touch: float) -> None:
    fmt: EventFormat = lv.FORMATS[code]
    best = lv.suggest_events(customers, hours, replaceable, fmt, touch)

    def saved(events: float) -> float:
        return lv.group_outcome(GroupPlan("g", customers, hours, replaceable, code, events, touch), fmt).hours_saved

    assert saved(best) >= -1e-9
    for step in range(0, 200):
        assert saved(step * lv.EVENT_STEP) <= saved(best) + 1e-9


# ---- what a freed hour is worth: each tier's T per manager-hour (4.3) ---------------------------------------------

GROUPS = {"tier:x:A": "A", "tier:x:B": "B", "tier:x:C": "C"}


def test_freed_hours_are_worth_each_tiers_t_per_hour() -> None:
    # 4.3's hand book (tests/workbook/test_throughput.py): tier A c1 (T 16,500, 20 hours) and c2 (T 7,500, 10 hours);
    # tier B c3 (T 1,400, 8 hours) and c4 (T 500, hours blank); tier C empty. Hourly cost 18,000 ÷ 90 = 200 元.
    book, tiers = hand_book()
    rates = lv.tier_t_per_hour(book, tiers, PARAMS)
    # A: T 16,500 + 7,500 = 24,000 over 20 + 10 hours = 800 an hour; B: T 1,400 + 500 = 1,900 over 8 recorded
    # hours = 237.5; C: nobody, no hours → unknown.
    assert rates["A"] == pytest.approx(800) and rates["B"] == pytest.approx(237.5) and math.isnan(rates["C"])
    values = lv.hour_values(GROUPS, rates, PARAMS.hourly_cost)
    assert values["tier:x:A"] == lv.HourValue(pytest.approx(800), lv.VALUE_T)
    assert values["tier:x:B"] == lv.HourValue(pytest.approx(237.5), lv.VALUE_T)
    assert values["tier:x:C"] == lv.HourValue(200.0, lv.VALUE_COST, lv.NO_HOURS)  # 18,000 ÷ 90, and why
    # A frees 2.5 hours a month: 2.5 × 12 × 800 = 24,000 元 a year; B's events cost an hour a month more than they
    # save: −1 × 12 × 237.5 = −2,850; C frees 3 hours at the hourly cost: 3 × 12 × 200 = 7,200. Total 28,350.
    table = pd.DataFrame({"hours_saved": [2.5, -1.0, 3.0]}, index=pd.Index(list(GROUPS), name="group"))
    yearly = lv.yearly_values(table, values)
    assert yearly.tolist() == pytest.approx([24_000, -2_850, 7_200]) and yearly.sum() == pytest.approx(28_350)


def test_a_book_without_hours_is_priced_on_the_hours_1_4_assumes_or_not_at_all() -> None:
    book, tiers = hand_book()
    no_hours = book.drop(columns="service_hours_12m")
    # With 1.4's tier assumptions on, an hour is priced on the hours 1.4 costs: the same figure 4.3 shows.
    rates = lv.tier_t_per_hour(no_hours, tiers, PARAMS)
    expected = throughput_by_tier(no_hours, tiers, PARAMS)["t_per_hour"]
    assert rates.equals(expected) and rates.notna().any()
    # With them off, nobody's hours are known: every tier's T per hour is unknown (never 3.4's plan, which is not
    # today), and the freed hours fall back to the hourly cost with the reason.
    params = replace(PARAMS, assumptions=PARAMS.assumptions.with_overrides(enabled=False))
    rates = lv.tier_t_per_hour(no_hours, tiers, params)
    assert rates.isna().all()
    values = lv.hour_values({"tier:x:A": "A"}, rates, params.hourly_cost)
    assert values["tier:x:A"] == lv.HourValue(params.hourly_cost, lv.VALUE_COST, lv.NO_HOURS)


def test_no_t_per_hour_falls_back_to_the_hourly_cost_and_says_why() -> None:
    # A tier whose T per hour is not positive earns nothing from an hour more: 0, not a loss and not the cost.
    values = lv.hour_values({"g1": "A", "g2": "B"}, {"A": -50.0, "B": 0.0}, 200.0)
    assert {v.value for v in values.values()} == {0.0} and {v.basis for v in values.values()} == {lv.VALUE_NONE}
    for why in (lv.NEED_GROUPS, lv.NO_REVENUE):
        values = lv.hour_values({"need:retirement": "retirement"}, None, 300.0, why)
        assert values["need:retirement"] == lv.HourValue(300.0, lv.VALUE_COST, why)
