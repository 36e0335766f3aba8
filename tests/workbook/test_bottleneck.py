"""1.3 核心瓶颈突破五步法: capacities in deals/week, the constraint, elevation (hand-computed)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import bottleneck as neck
from workbook import i18n

# A 5-stage funnel, computed by hand:
#   stage     hours  h/cust  capacity  pass   deals/week
#   prospect    4     0.1      40      50%    40 × .5 × .5 × .5 × .6 = 3.0
#   invite      6     0.5      12      50%    12 × .5 × .5 × .6      = 1.8
#   meet        9     1.5       6      50%     6 × .5 × .6           = 1.8
#   propose     4     2.0       2      60%     2 × .6                = 1.2   ← constraint
#   close       2     0.5       4      —       4                     = 4.0
FUNNEL = (
    neck.Stage("prospect", "", 4, 0.1, 0.5),
    neck.Stage("invite", "", 6, 0.5, 0.5),
    neck.Stage("meet", "", 9, 1.5, 0.5),
    neck.Stage("propose", "", 4, 2.0, 0.6),
    neck.Stage("close", "", 2, 0.5, 1.0),
)


def test_five_stage_funnel_worked_example() -> None:
    analysis = neck.analyse(FUNNEL)
    assert [r.capacity for r in analysis.results] == pytest.approx([40, 12, 6, 2, 4])
    assert [r.deals_capacity for r in analysis.results] == pytest.approx([3.0, 1.8, 1.8, 1.2, 4.0])
    assert analysis.constraint == 3 and not analysis.is_tie
    assert analysis.throughput == pytest.approx(1.2)
    assert analysis.deal_index == 4 and not analysis.deal_stage_assumed
    # busy at throughput: prospect 1.2/3 = 40% → idle 4 × 60% = 2.4 h; invite 1.2/1.8 → idle 6 × 1/3 = 2 h
    assert analysis.results[0].utilisation == pytest.approx(0.4)
    assert analysis.results[0].idle_hours == pytest.approx(2.4)
    assert analysis.results[1].idle_hours == pytest.approx(2.0)
    assert analysis.results[3].idle_hours == pytest.approx(0.0)
    # idle elsewhere: 2.4 + 2 + 9 × (1 − 1.2/1.8) = 3 + 2 × (1 − 0.3) = 1.4 → 8.8
    assert analysis.idle_hours_elsewhere == pytest.approx(2.4 + 2.0 + 3.0 + 1.4)
    # 1.2 deals a week × 52/12 = 5.2 a month
    assert analysis.throughput_per_month == pytest.approx(5.2)


def test_elevating_the_constraint_moves_it() -> None:
    # +100% on propose: capacity 4/week → 2.4 deals; the minimum is now 1.8 at invite and meet (a tie → invite)
    lift = neck.elevate(FUNNEL, 1.0)
    assert lift.stage_index == 3
    assert lift.after.throughput == pytest.approx(1.8)
    assert lift.throughput_gain == pytest.approx(0.6)
    assert lift.after.constraint == 1 and lift.after.tied == (1, 2) and lift.after.is_tie
    assert lift.constraint_moved
    assert lift.extra_hours == pytest.approx(4.0)  # 4 h × 100%
    assert lift.hours_per_customer_after == pytest.approx(1.0)  # 2 h ÷ 2
    # +25%: propose 2.5/week → 1.5 deals, still the lowest
    small = neck.elevate_pct(FUNNEL, 25)
    assert small.after.throughput == pytest.approx(1.5) and not small.constraint_moved
    with pytest.raises(ValueError):
        neck.elevate(FUNNEL, -0.1)


def test_subordinating_rebalances_the_same_hours_worked_example() -> None:
    # Hours per deal a week: hours per customer ÷ the pass rates to the close:
    #   prospect 0.1 ÷ (.5 × .5 × .5 × .6 = .075) = 4/3; invite 0.5 ÷ .15 = 10/3; meet 1.5 ÷ .3 = 5;
    #   propose 2 ÷ .6 = 10/3; close 0.5 ÷ 1 = 0.5 → Σ = 13.5 hours per deal a week
    assert neck.hours_per_deal(FUNNEL) == pytest.approx((4 / 3, 10 / 3, 5, 10 / 3, 0.5))
    result = neck.subordinate(FUNNEL)
    # the same 25 hours: 25 ÷ 13.5 = 1.852 deals a week instead of 1.2 (+54.3%), no extra hour
    assert result.after.throughput == pytest.approx(25 / 13.5)
    assert result.throughput_gain == pytest.approx(25 / 13.5 - 1.2)
    assert result.gain_share == pytest.approx((25 / 13.5) / 1.2 - 1)
    # each stage gets 1.852 × its hours per deal: 2.47, 6.17, 9.26, 6.17, 0.93
    assert result.hours_after == pytest.approx(tuple(25 / 13.5 * w for w in (4 / 3, 10 / 3, 5, 10 / 3, 0.5)))
    assert sum(result.hours_after) == pytest.approx(25)
    # prospect gives up 4 − 2.47 = 1.53 h and close 2 − 0.93 = 1.07 h; the constraint (propose) gains 2.17 h
    assert result.moved[3] == pytest.approx(25 / 13.5 * 10 / 3 - 4)
    assert result.hours_moved == pytest.approx((4 - 25 / 13.5 * 4 / 3) + (2 - 25 / 13.5 * 0.5))
    # every stage now supports the same deals a week: all tied
    assert len(result.after.tied) == len(FUNNEL)


def test_subordinating_the_default_process() -> None:
    # w: 0.05 ÷ .06 = 5/6, 0.25 ÷ .12 = 25/12, 1.5 ÷ .3 = 5, 2 ÷ .5 = 4, close 1, referral after the deal
    # 0.5 × .3 = 0.15 → Σ = 196/15; 29 hours → 29 × 15 ÷ 196 = 2.219 deals a week instead of 1.5 (+48%)
    result = neck.subordinate(neck.DEFAULT_STAGES)
    assert result.after.throughput == pytest.approx(29 * 15 / 196)
    assert result.gain_share == pytest.approx(29 * 15 / 196 / 1.5 - 1)


def test_subordinating_cannot_help_when_no_deal_is_possible() -> None:
    blocked = (neck.Stage("meet", "", 5, 1, 0.0), neck.Stage("close", "", 5, 1, 1.0))
    result = neck.subordinate(blocked)
    assert result.hours_after == result.hours_before == (5, 5)
    assert result.throughput_gain == 0 and math.isnan(result.gain_share)


def test_default_process_and_the_stage_after_the_deal() -> None:
    analysis = neck.analyse(neck.DEFAULT_STAGES)
    # 60 × .5 × .4 × .6 × .5 = 3.6; 20 × .4 × .6 × .5 = 2.4; 6.667 × .6 × .5 = 2.0; 3 × .5 = 1.5; 3;
    # referrals: 4 a week ÷ 30% of deals asked = 13.33 deals a week it can follow up
    assert [r.deals_capacity for r in analysis.results] == pytest.approx([3.6, 2.4, 2.0, 1.5, 3.0, 4 / 0.3])
    assert analysis.constraint_stage.kind == "propose"
    # the default what-if (+50%) moves the constraint to 面谈KYC (2.0 < 2.25)
    lift = neck.elevate(neck.DEFAULT_STAGES, neck.DEFAULT_ELEVATION)
    assert lift.after.constraint_stage.kind == "meet" and lift.after.throughput == pytest.approx(2.0)


def test_a_stage_after_the_deal_with_no_flow_is_never_the_constraint() -> None:
    stages = (neck.Stage("close", "", 1, 1, 0.0), neck.Stage("referral", "", 0.1, 1, 1.0))
    analysis = neck.analyse(stages)
    assert math.isinf(analysis.results[1].deals_capacity)
    assert analysis.constraint == 0 and analysis.results[1].utilisation == 0


def test_no_close_stage_takes_the_last_as_the_deal() -> None:
    stages = (neck.Stage("invite", "", 2, 0.5, 0.5), neck.Stage("meet", "", 3, 1, 1.0))
    analysis = neck.analyse(stages)
    assert analysis.deal_stage_assumed and analysis.deal_index == 1
    # invite: 4 × 0.5 = 2; meet: 3 → invite is the constraint
    assert [r.deals_capacity for r in analysis.results] == pytest.approx([2.0, 3.0])


def test_zero_hours_make_a_zero_capacity_constraint() -> None:
    stages = (neck.Stage("invite", "", 0, 0.5, 0.5), neck.Stage("close", "", 3, 1, 1.0))
    analysis = neck.analyse(stages)
    assert analysis.throughput == 0 and analysis.constraint == 0
    assert analysis.results[0].utilisation == 1.0
    with pytest.raises(ValueError):
        neck.analyse(())


def test_rows_round_trip_and_invalid_rows_are_reported() -> None:
    rows = neck.default_rows()
    stages, issues = neck.stages_from_rows(rows)
    assert stages == neck.DEFAULT_STAGES and issues == ()
    bad = [
        {"kind": "meet", "name": "见面", "weekly_hours": 5, "hours_per_customer": 1, "pass_pct": 50},
        {"kind": "invite", "name": "", "weekly_hours": -1, "hours_per_customer": 1, "pass_pct": 50},
        {"kind": "invite", "name": "", "weekly_hours": 1, "hours_per_customer": 0, "pass_pct": 50},
        {"kind": "invite", "name": "", "weekly_hours": 1, "hours_per_customer": 1, "pass_pct": 120},
        {"kind": None, "name": None, "weekly_hours": None, "hours_per_customer": None, "pass_pct": None},
        {"kind": "mystery", "name": "X", "weekly_hours": 1, "hours_per_customer": 1, "pass_pct": float("nan")},
        {"kind": "mystery", "name": "Y", "weekly_hours": "2", "hours_per_customer": 1, "pass_pct": 10},
    ]
    stages, issues = neck.stages_from_rows(bad)
    assert [(i.row, i.problem) for i in issues] == [
        (1, "weekly_hours"), (2, "hours_per_customer"), (3, "pass_pct"), (5, "pass_pct"),
    ]
    assert [s.name for s in stages] == ["见面", "Y"]
    assert stages[1].kind == "other" and stages[0].pass_rate == 0.5


def test_suggested_actions_exist_for_every_kind_and_step() -> None:
    for kind in neck.STAGE_KINDS:
        for step in neck.ACTION_STEPS:
            key = neck.action_key(kind, step)
            assert i18n.has_key(key), key
            assert i18n.t(key, "zh").startswith("- ") and i18n.t(key, "en").startswith("- ")
        assert i18n.has_key(f"s1.neck.kind.{kind}")
    assert neck.action_key("unknown", "exploit") == "s1.neck.act.other.exploit"
    with pytest.raises(ValueError):
        neck.action_key("meet", "identify")


stage_strategy = st.builds(
    neck.Stage,
    kind=st.sampled_from(neck.STAGE_KINDS),
    name=st.just(""),
    weekly_hours=st.floats(0, 60),
    hours_per_customer=st.floats(0.01, 10),
    pass_rate=st.floats(0, 1),
)


@given(st.lists(stage_strategy, min_size=1, max_size=8).map(tuple))
def test_the_constraint_is_always_a_stage_with_minimum_capacity(stages: tuple[neck.Stage, ...]) -> None:
    analysis = neck.analyse(stages)
    deals = [r.deals_capacity for r in analysis.results]
    assert analysis.throughput == min(deals)
    # the constraint is the first stage at the minimum (equal up to floating-point rounding)
    assert deals[analysis.constraint] == pytest.approx(min(deals), rel=1e-9, abs=0)
    assert all(deals[i] > min(deals) * (1 + 1e-9) for i in range(analysis.constraint))
    assert analysis.constraint == analysis.tied[0]
    assert all(deals[i] == pytest.approx(min(deals), rel=1e-9, abs=0) for i in analysis.tied)
    assert all(0 <= r.utilisation <= 1 + 1e-9 for r in analysis.results)


@given(st.lists(stage_strategy, min_size=1, max_size=8).map(tuple), st.floats(0, 3))
def test_elevating_never_lowers_throughput(stages: tuple[neck.Stage, ...], uplift: float) -> None:
    lift = neck.elevate(stages, uplift)
    assert lift.after.throughput >= lift.before.throughput - 1e-12


@given(st.lists(stage_strategy, min_size=1, max_size=8).map(tuple))
def test_subordinating_keeps_the_hours_and_never_lowers_throughput(stages: tuple[neck.Stage, ...]) -> None:
    result = neck.subordinate(stages)
    assert math.isclose(sum(result.hours_after), sum(result.hours_before), rel_tol=1e-9, abs_tol=1e-9)
    assert all(h >= 0 for h in result.hours_after)
    assert result.after.throughput >= result.before.throughput * (1 - 1e-9) - 1e-12
