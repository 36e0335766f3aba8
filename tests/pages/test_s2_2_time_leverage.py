"""2.2 behaviour: the week from 1.3, one-to-one hours per tier from 3.4, events per group with their hours saved
and their worth at each tier's T per manager-hour (4.3; 1.4's hourly cost where that is unknown, and why), groups
from the need rules, the calendar; the sample, an uploaded and an id+AUM-only book; zh and en."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import book, go_away_and_back, id_aum_book, markdown_text, metrics
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import bottleneck, kyc, services
from workbook import leverage as lv
from workbook import workspace as ws
from workbook.money import money_text
from workbook.samples import sample_book
from workbook.segmentation import segment_detail
from workbook.throughput import throughput_by_tier

PAGE = "views/s2_2_time_leverage.py"
CJK = re.compile(r"[\u4e00-\u9fff]")
AUM_KEYS = "tier:aum:mass-tier:aum:potential-tier:aum:affluent-tier:aum:private"
LABELS = {
    "zh": {"saved": "每月节省（小时）", "value": "节省时间的价值（每年）", "week": "你每周的时间（小时）",
           "load": "一对一所需（小时/周）"},
    "en": {"saved": "Hours freed a month", "value": "Value of the freed hours (a year)", "week": "Your week (hours)",
           "load": "One-to-one (hours a week)"},
}


def _workspace(**modules: dict) -> dict:
    workspace = ws.new_workspace()
    for module_id, values in modules.items():
        ws.set_values(workspace, module_id, **values)
    return workspace


def _aum_plans(edits: dict | None = None, frame: pd.DataFrame | None = None) -> list[lv.GroupPlan]:
    """A book's AUM tiers (the sample book's by default) as the page builds them: 3.4's default hours, the level
    defaults, the trainee's edits (group key → overrides)."""
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED) if frame is None else frame
    detail = segment_detail(frame, "aum")
    codes = [tier.code for tier in detail.tier_list]
    counts = detail.tiers.value_counts()
    hours = {row["tier"]: float(row["hours"]) for row in services.matrix_rows("aum", codes, "zh")}
    specs = lv.tier_groups("aum", codes, {c: int(counts.get(c, 0)) for c in codes}, hours)
    return [lv.group_plan(spec, (edits or {}).get(spec.key))[0] for spec in specs]


def _valued_at_t_per_hour(plans: list[lv.GroupPlan], s1_4: dict | None = None) -> float:
    """元 a year: each AUM tier's freed hours a month × 12 × that tier's T per manager-hour on the sample book, with
    the 1.4 settings ``s1_4`` (the book records service hours, so 4.3 prices an hour with them)."""
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    params = services.profit_params_from(s1_4)[0]
    rates = throughput_by_tier(frame, segment_detail(frame, "aum").tiers, params)["t_per_hour"]
    table = lv.leverage_table(plans)
    codes = [plan.key.rsplit(":", 1)[1] for plan in plans]
    assert (rates[codes] > 0).all()  # every tier has hours and earns: each is valued at its T per hour
    return float(sum(table.at[plan.key, "hours_saved"] * 12 * rates[code]
                     for plan, code in zip(plans, codes, strict=True)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_plan_on_the_sample_book(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    shown = metrics(at)
    plans = _aum_plans()
    total = lv.totals(lv.leverage_table(plans))
    # one to one: Σ customers × hours a year ÷ 52 weeks
    load = sum(p.customers * p.hours_per_customer for p in plans) / 52
    assert shown[LABELS[lang]["load"]] == f"{load:,.1f}".removesuffix(".0")  # no needless ".0"
    assert shown[LABELS[lang]["week"]] == "29"  # 1.3's default stages: 3 + 5 + 10 + 6 + 3 + 2
    assert shown[LABELS[lang]["saved"]] == f"{total.hours_saved:,.1f}".removesuffix(".0")
    # each tier's freed hours valued at its T per manager-hour (4.3), 12 months (worked by hand in test_leverage)
    value = _valued_at_t_per_hour(plans)
    assert value != pytest.approx(total.hours_saved * 12 * 200)  # not 1.4's hourly cost any more
    assert shown[LABELS[lang]["value"]] == money_text(value, lang)
    captions = " ".join(c.value for c in at.caption)
    assert ("每小时有效产出" if lang == "zh" else "throughput per manager-hour") in captions
    worth = at.table[1].value  # group, basis, an hour's worth, worth a year
    assert worth.iloc[:, 1].tolist() == [("本层每小时有效产出" if lang == "zh" else "Throughput per hour")] * 4
    assert worth.iloc[-1, -1] == "0"  # private banking: no events, nothing freed
    assert at.selectbox(key="s2_2_scheme").value == "aum"
    assert len(at.get("plotly_chart")) == 2  # before/after hours and the calendar


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_week_from_1_3_and_revenue_from_1_4(lang: str) -> None:
    stages = [dict(row, weekly_hours=10.0) for row in bottleneck.default_rows()]  # 6 stages × 10 = 60 hours
    s1_4 = {"annual_cost": 450_000, "effective_hours": 1_500, "deposit_spread_pct": 2.0}
    at = open_app(lang, PAGE, workspace=_workspace(s1_3={"stages": stages}, s1_4=s1_4))
    assert not at.exception
    shown = metrics(at)
    assert shown[LABELS[lang]["week"]] == "60"
    captions = " ".join(c.value for c in at.caption)
    assert "1.3" in captions
    # 1.4's 2% deposit spread raises every tier's revenue, so its T per hour and the freed hours' worth
    plans = _aum_plans()
    value = _valued_at_t_per_hour(plans, s1_4)
    assert value > _valued_at_t_per_hour(plans)
    assert shown[LABELS[lang]["value"]] == money_text(value, lang)


def _no_revenue_book() -> pd.DataFrame:
    """150 customers with an id and AUM only: 100 mass (3万元), 50 potential (20万元); no revenue field."""
    return pd.DataFrame({"customer_id": [f"N{i:03d}" for i in range(150)],
                         "aum": [30_000.0] * 100 + [200_000.0] * 50})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_revenue_the_hours_are_valued_at_1_4s_hourly_cost_and_it_says_so(lang: str) -> None:
    at = open_app(lang, PAGE, book=book(_no_revenue_book(), "no-revenue"),
                  workspace=_workspace(s1_4={"annual_cost": 450_000, "effective_hours": 1_500}))
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    # 450,000 ÷ 1,500 = 300 元 an hour
    assert ("名册没有收入字段" if lang == "zh" else "no revenue field") in captions
    assert ("每小时成本 300元" if lang == "zh" else "hourly cost of CNY 300") in captions
    saved = lv.totals(lv.leverage_table(_aum_plans(frame=_no_revenue_book()))).hours_saved
    assert saved > 0
    assert metrics(at)[LABELS[lang]["value"]] == money_text(saved * 12 * 300, lang)


def test_own_weekly_hours_are_kept() -> None:
    at = open_app("zh", PAGE)
    at.number_input(key="s2_2_weekly_hours").set_value(10.0).run()
    assert at.session_state["workspace"]["modules"]["s2_2"]["weekly_hours"] == 10.0
    # one-to-one of the sample book needs 18.7 hours a week (test above): more than 10 → a warning
    assert any("超过了你每周的 10 小时" in w.value for w in at.warning)
    go_away_and_back(at, PAGE)
    assert at.number_input(key="s2_2_weekly_hours").value == 10.0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_event_that_costs_more_than_it_saves_is_flagged(lang: str) -> None:
    # One private gathering a month for the 7 private-banking customers (24 hours a year each, 2-hour meetings,
    # 20% replaceable): N = 7 × 24 ÷ 24 = 7 touches, A = min(10, 1.4) = 1.4;
    # saved = 1.4 × (2 − 0.5) − 12 = −9.9 hours → the page warns, and the edit is kept.
    key = f"s2_2_events_tier_{AUM_KEYS}_{lang}"
    at = open_app(lang, PAGE, **{key: {"edited_rows": {3: {"events_per_month": 1.0}}, "added_rows": [],
                                       "deleted_rows": []}})
    assert not at.exception
    groups = at.session_state["workspace"]["modules"]["s2_2"]["groups"]
    assert groups == {"tier:aum:private": {"events_per_month": 1.0}}
    warnings = " ".join(w.value for w in at.warning)
    assert ("私行客户" if lang == "zh" else "Private banking") in warnings
    plans = _aum_plans(groups)
    private = lv.group_outcome(plans[3], lv.FORMATS["private"])
    assert private.hours_saved == pytest.approx(-9.9)
    assert metrics(at)[LABELS[lang]["saved"]] == f"{lv.totals(lv.leverage_table(plans)).hours_saved:,.1f}"


def test_use_the_suggested_numbers_drops_the_trainees_event_counts() -> None:
    key = f"s2_2_events_tier_{AUM_KEYS}_zh"
    at = open_app("zh", PAGE, **{key: {"edited_rows": {0: {"events_per_month": 3.0, "format": "salon"}},
                                       "added_rows": [], "deleted_rows": []}})
    assert at.session_state["workspace"]["modules"]["s2_2"]["groups"] == {
        "tier:aum:mass": {"format": "salon", "events_per_month": 3.0}}
    at.button(key="s2_2_use_suggested").click().run()
    assert not at.exception
    # The format stays the trainee's; the count follows the suggestion again.
    assert at.session_state["workspace"]["modules"]["s2_2"]["groups"] == {"tier:aum:mass": {"format": "salon"}}


def test_a_format_change_moves_the_suggestion_without_inventing_an_edit() -> None:
    # Changing only the format must not freeze the old suggested count as the trainee's own number.
    key = f"s2_2_events_tier_{AUM_KEYS}_en"
    at = open_app("en", PAGE, **{key: {"edited_rows": {1: {"format": "online"}}, "added_rows": [],
                                       "deleted_rows": []}})
    assert at.session_state["workspace"]["modules"]["s2_2"]["groups"] == {"tier:aum:potential": {"format": "online"}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_groups_with_a_shared_need(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.radio(key="s2_2_source").set_value("need").run()
    assert not at.exception
    groups = kyc.need_groups(sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED))
    table = at.table[0].value
    assert table.iloc[:, 0].tolist() == [kyc.CATEGORIES[c].label(lang) for c in groups.index]
    assert at.session_state["workspace"]["modules"]["s2_2"]["source"] == "need"
    # need groups overlap and are no scheme's tiers: no T per hour, so 1.4's 200 元 an hour, and the page says why
    captions = " ".join(c.value for c in at.caption)
    assert ("按需求分组时" if lang == "zh" else "Need groups overlap") in captions
    assert set(at.table[1].value.iloc[:, -2]) == {"200"}  # an hour's worth, 元


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_id_and_aum_book_falls_back_to_tiers_and_says_why(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book(),
                  workspace=_workspace(s2_2={"source": "need"}))
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert ("名册缺少" if lang == "zh" else "The book has no") in infos
    # Two customers: 5万元 is 潜力 (5–50万), 200万元 is 财富 (50–600万): two tier groups
    table = at.table[0].value
    assert len(table) == 2


def test_an_uploaded_book_by_tiers_and_needs() -> None:
    frame = pd.DataFrame({
        "customer_id": [f"U{i}" for i in range(6)], "aum": [10_000.0, 20_000.0, 80_000.0, 600_000.0, 900_000.0,
                                                           7_000_000.0],
        "age": [30, 35, 41, 62, 66, 58], "occupation": ["教师", "教师", "企业主", "退休人员", "退休人员", "企业主"],
    })
    at = open_app("zh", PAGE, book=book(frame, "six"))
    assert not at.exception
    assert len(at.table[0].value) == 4  # mass 2, potential 1, affluent 2, private 1
    at.radio(key="s2_2_source").set_value("need").run()
    assert not at.exception
    # the retired → retirement; the 58-year-old owner with 700万元 → legacy (≥ 600万元, ≥ 50);
    # teachers → growth (steady saver); owners → business — in the categories' order
    labels = at.table[0].value.iloc[:, 0].tolist()
    assert labels == ["养老规划", "财富传承", "财富增值", "企业经营"]


def test_the_calendar_lists_a_groups_events_by_month() -> None:
    at = open_app("en", PAGE)
    at.selectbox(key="s2_2_calendar_group").set_value("tier:aum:potential").run()
    assert not at.exception
    detail = at.table[-1].value
    plan = _aum_plans()[1]
    assert len(detail) == len({(j * 12) // round(plan.events_per_month * 12)
                               for j in range(round(plan.events_per_month * 12))})
    assert detail.iloc[0, 1].startswith("Theme salon: ")
    assert not CJK.search(markdown_text(at))  # an English page in English only
