"""Exercise 2: the completeness check case by case, problem messages in both languages, the evidence from the data
(and what an id + AUM book cannot show), and the payload carrying aggregates only — no customer row, id or name."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import exercises, strategy
from workbook.degrees import four_degrees
from workbook.profit import ProfitParams
from workbook.segmentation import segment

START = "2026-12-07"


def hand_book() -> pd.DataFrame:
    # AUM tiers (defaults): 2万 mass, 20万 potential, 80万 and 90万 affluent, 900万 private.
    return pd.DataFrame({
        "customer_id": ["K-ALPHA-1", "K-BRAVO-2", "K-CHARLIE-3", "K-DELTA-4", "K-ECHO-5"],
        "name": ["赵一", "钱二", "孙三", "吴四", "郑五"],
        "aum": [20_000.0, 200_000.0, 800_000.0, 900_000.0, 9_000_000.0],
        "fee_income_12m": [100.0, 1_000.0, 4_000.0, 6_000.0, 30_000.0],
        "gift_cost_12m": [0.0, 200.0, 500.0, 500.0, 5_000.0],
        "service_hours_12m": [1.0, 4.0, 10.0, 10.0, 25.0],
        "satisfaction": [7.0, 9.0, 10.0, 6.0, 9.0],
    })


ACTIONS = [
    {"action": "邀约 20 位财富客户参加资产配置沙龙", "owner": "张三", "due": "2026-12-20"},
    {"action": "为每位财富客户做一次资产检视", "owner": "张三", "due": "2027-01-31"},
    {"action": "请满意客户各引荐一位朋友", "owner": "李四", "due": "2027-03-01"},
]


def _direction(member: str, book: pd.DataFrame, tier: str = "affluent", actions=ACTIONS) -> dict:
    figures = four_degrees(book, segment(book, "aum")).figures  # today's figures: the KPI targets start from them
    plan = strategy.strategies("aum", ["mass", "potential", "affluent", "private", "insufficient"], "zh",
                               figures=figures)[tier]
    return {"member": member, "scheme": "aum", "params": {}, "tier": tier, "strategy": plan, "actions": actions}


def _payload(book: pd.DataFrame, **changes) -> dict:
    members = changes.pop("members", ["张三", "李四"])
    directions = changes.pop("directions", [_direction(m, book) for m in members])
    return exercises.exercise2_submission(
        book, group="第三组", members=members, start=changes.pop("start", START), directions=directions,
        book_source="upload", profit_params=ProfitParams(), **changes)


def test_evidence_from_the_data_on_a_hand_book() -> None:
    payload = _payload(hand_book())
    direction = payload["directions"][0]
    assert direction["tier"] == {"code": "affluent", "zh": "财富客户", "en": "Affluent"}
    evidence = direction["evidence"]
    # Affluent: customers 3 and 4 → 2 of 5 (40%); AUM 80万 + 90万 = 170万 of 1,092万.
    assert evidence["customers"] == 2 and evidence["customer_share"] == pytest.approx(0.4)
    assert evidence["aum"] == 1_700_000 and evidence["aum_share"] == pytest.approx(1_700_000 / 10_920_000, abs=1e-6)
    # Revenue = fee income (no balances): 4,000 + 6,000 = 10,000. The book has no event costs, so 1.4 takes the
    # 财富 tier's 400 元 of events a customer a year (cost_to_serve.toml) and so does T: 10,000 − gifts 1,000
    # − events 2 × 400 = 8,200; hours 10 + 10 = 20 from the book → T per hour 8,200 ÷ 20 = 410.
    assert (evidence["revenue"], evidence["t"], evidence["hours"], evidence["t_per_hour"]) == (10_000, 8_200, 20, 410)
    assert evidence["hours_source"] == "book"
    plan = direction["strategy"]
    # 2 customers × 8 h (the 3.4 plan for 财富客户) = 16 h; NPS of the tier: 1 promoter (10), 1 detractor (6) → 0.
    assert plan["hours"] == 16 and plan["kpis"]["satisfaction"]["current"] == 0
    assert plan["kpis"]["satisfaction"]["target"] == 10  # a "high" tier of four: +10 points
    assert plan["kpis"]["loyalty"]["current"] is None and plan["kpis"]["loyalty"]["target"] is None  # no aum_12m_ago
    assert payload["book"] == {"source": "upload", "customers": 5, "aum": 10_920_000}
    assert payload["start"] == START


def test_the_payload_has_the_documented_shape() -> None:
    # The instructor board reads these keys (workbook/exercises.py documents them): a change here is a change there.
    payload = _payload(hand_book())
    assert set(payload) == {"exercise", "version", "group", "members", "book", "start", "directions"}
    assert payload["exercise"] == exercises.EXERCISE2_ID and payload["version"] == exercises.PAYLOAD_VERSION
    direction = payload["directions"][0]
    assert set(direction) == {"member", "scheme", "name", "params", "tier", "evidence", "strategy", "actions"}
    assert set(direction["evidence"]) == {"customers", "customer_share", "aum", "aum_share", "revenue", "t", "hours",
                                          "t_per_hour", "hours_source"}
    assert set(direction["strategy"]) == {"goal", "needs", "products", "services", "cadence", "channels",
                                          "hours_per_customer", "hours", "kpis"}
    assert all(set(kpi) == {"figure", "unit", "current", "target"} for kpi in direction["strategy"]["kpis"].values())
    assert set(direction["actions"][0]) == {"action", "owner", "due"}
    # a member without a segment: only who, which segmentation and the actions
    bare = _payload(hand_book(), members=["张三"], directions=[{"member": "张三", "scheme": "aum", "actions": []}])
    assert set(bare["directions"][0]) == {"member", "scheme", "actions"}


def test_complete_payload_has_no_problem_and_no_customer_detail() -> None:
    book = hand_book()
    payload = _payload(book)
    assert exercises.check_exercise2(payload) == []
    text = json.dumps(payload, ensure_ascii=False)
    for value in [*book["customer_id"], *book["name"]]:
        assert value not in text
    json.loads(text)  # plain JSON data


def test_an_id_and_aum_book_says_unknown_never_zero() -> None:
    book = hand_book()[["customer_id", "aum"]]
    evidence = _payload(book)["directions"][0]["evidence"]
    assert evidence["customers"] == 2 and evidence["aum"] == 1_700_000
    assert evidence["revenue"] is None and evidence["t"] is None and evidence["t_per_hour"] is None
    # The hours are the ones 1.4 prices for a book without hours: 2 财富 customers × 8 h (cost_to_serve.toml),
    # said to be assumed, never passed off as recorded.
    assert evidence["hours"] == 16 and evidence["hours_source"] == "assumed"


def test_empty_payload_lists_the_group_problems() -> None:
    codes = [p.code for p in exercises.check_exercise2({})]
    assert codes == ["group_missing", "members_missing", "start_missing"]


def test_each_missing_part_is_reported() -> None:
    book = hand_book()

    def codes(payload: dict) -> list[str]:
        return [p.code for p in exercises.check_exercise2(payload)]

    no_direction = _payload(book, directions=[_direction("张三", book)])
    assert codes(no_direction) == ["direction_missing"]  # 李四 has none
    empty = _payload(book, members=["张三"], directions=[_direction("张三", book, tier="insufficient")])
    assert "segment_empty" in codes(empty)
    payload = _payload(book, members=["张三"])
    payload["directions"][0]["strategy"]["goal"] = " "
    payload["directions"][0]["strategy"]["channels"] = []
    for kpi in payload["directions"][0]["strategy"]["kpis"].values():
        kpi["target"] = None
    assert codes(payload) == ["goal_missing", "channels_missing", "kpi_missing"]
    rows = [*ACTIONS[:2], {"action": "电话回访", "owner": "", "due": "2027-01-10"},
            {"action": "年后答谢会", "owner": "张三", "due": "2027-03-15"}]  # 2027-03-15 is after 2027-03-07
    late = _payload(book, members=["张三"], directions=[_direction("张三", book, actions=rows)])
    problems = exercises.check_exercise2(late)
    assert [p.code for p in problems] == ["action_incomplete", "action_outside", "actions_few"]
    assert problems[0].values["row"] == 3
    assert problems[1].text("zh") == "张三的第 4 条行动的日期不在 90 天内（2026-12-07 至 2027-03-07）。"
    assert problems[2].values == {"member": "张三", "count": 2, "minimum": 3}
    assert "2026-12-07 to 2027-03-07" in problems[1].text("en")
    assert codes(_payload(book, start="")) == ["start_missing"]


def test_every_exercise2_problem_has_both_languages() -> None:
    from workbook import i18n

    for code in exercises.EX2_PROBLEM_CODES:
        if code == "unknown_scheme":
            continue  # exercise 1's message
        assert i18n.has_key(f"ex2.problem.{code}"), code


def test_summary_reads_the_payload_back_in_the_language() -> None:
    summary = exercises.exercise2_summary(_payload(hand_book()), "en")
    assert summary.group == "第三组" and summary.members == ("张三", "李四")
    assert (summary.start, summary.end) == ("2026-12-07", "2027-03-07")
    first = summary.directions[0]
    assert (first.member, first.scheme, first.tier) == ("张三", "By assets (AUM)", "Affluent")
    assert first.evidence["t_per_hour"] == 410 and first.hours == 16 and first.hours_source == "book"
    assert first.channels == ("one_to_one", "one_to_many")
    assert [a["owner"] for a in first.actions] == ["张三", "张三", "李四"]
    assert {k["degree"] for k in first.kpis} == {"satisfaction", "loyalty", "stickiness", "contribution"}


payload_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children,
                                                                                max_size=3)),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from(["group", "members", "start", "directions", "book"]), payload_values))
def test_a_damaged_payload_is_checked_and_summarised_without_raising(payload: dict) -> None:
    problems = exercises.check_exercise2(payload)
    assert all(p.text("zh") and p.text("en") for p in problems)
    exercises.exercise2_summary(payload, "zh")
