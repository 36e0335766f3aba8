"""The class on the board (workbook.classroom): who handed in what and when, groups in counting order, the schemes
the class chose, two groups' exercise 1 side by side, and the timer's activities from the agenda."""

from __future__ import annotations

from datetime import timedelta

from tests.fixtures.classroom import INJECTION, T0, the_class
from workbook import classroom, poll
from workbook.segmentation import SCHEME_IDS


def test_the_roster_lists_each_group_with_its_members_and_hand_ins() -> None:
    groups = classroom.roster(the_class())
    # counting order: 一 (1), 二 (2), 十 (10) — not the code-point order 一, 十, 二
    assert [g.group for g in groups] == ["第一组", "第二组", "第十组"]
    first, second, tenth = groups
    assert first.members == ("张三", "李四")  # from its latest submission (exercise 2)
    assert set(first.handed) == {"exercise1", "exercise2"}
    assert first.handed["exercise1"].time == T0 + timedelta(minutes=12) and first.handed["exercise1"].by == "张三"
    assert second.has("exercise2") and not second.has("exercise1")
    assert tenth.members == ("王五", INJECTION)
    # the poll's anonymous answers are not groups
    assert all(not g.group.startswith("R-") for g in groups)


def test_group_names_sort_the_way_a_room_counts() -> None:
    names = ["第十二组", "第二组", "Group 10", "第十组", "Group 2", "第一组", "第二十组", "A组"]
    assert sorted(names, key=classroom.group_sort_key) == [
        "A组", "Group 2", "Group 10", "第一组", "第二组", "第十组", "第十二组", "第二十组"]


def test_which_schemes_the_class_chose() -> None:
    choices = {c.scheme_id: c.groups for c in classroom.scheme_choices(the_class())}
    assert list(choices) == list(SCHEME_IDS)  # all seven, in the course's order
    # 第一组: aum + contribution; 第十组: aum + behaviour
    assert choices["aum"] == ("第一组", "第十组")
    assert choices["contribution"] == ("第一组",) and choices["behaviour"] == ("第十组",)
    assert choices["relationship"] == () and choices["education"] == ()


def test_two_groups_exercise1_side_by_side() -> None:
    submissions = the_class()
    first = classroom.current(submissions, "第一组", "exercise1")
    tenth = classroom.current(submissions, "第十组", "exercise1")
    compared = classroom.compare_exercise1(first, tenth, "zh")
    assert compared.groups == ("第一组", "第十组")
    # the scheme both chose first, then each group's own
    assert [p.name for p in compared.schemes] == ["按资产量分层", "按综合贡献度分层", "按行为习惯分层"]
    aum = compared.schemes[0]
    assert aum.shared and "5万" in aum.params[0] and "10万" in aum.params[1]
    rows = {p.tier: p for p in aum.tiers}
    # default ladder 1 · 1 · 2 · 1 against 10万 · 100万 · 500万: 1 · 3 · 0 · 1
    assert rows["大众客户"].customers == (1, 1) and rows["潜力客户"].customers == (1, 3)
    assert rows["财富客户"].customers == (2, 0) and rows["私行客户"].customers == (1, 1)
    assert rows["大众客户"].service == ("季度电话", INJECTION)
    contribution = compared.schemes[1]
    assert not contribution.shared and contribution.params[1] is None and contribution.tiers == ()
    assert compared.reflections[0].startswith("按资产分层")


def test_the_timer_activities_take_their_minutes_from_the_agenda() -> None:
    activities = classroom.timer_activities()
    assert [(a.id, a.minutes, a.watches) for a in activities] == [
        (poll.POLL_ID, 5, poll.POLL_ID), ("exercise1", 30, "exercise1"), ("debrief1", 10, None),
        ("exercise2", 20, "exercise2"), ("debrief2", 10, None)]


def test_who_handed_in_while_the_timer_runs() -> None:
    groups = classroom.roster(the_class())
    done, waiting = classroom.handed_during(groups, "exercise1")
    # 第十组 at 14:29 before 第一组 at 14:32; 第二组 has not handed in exercise 1
    assert [g.group for g in done] == ["第十组", "第一组"] and [g.group for g in waiting] == ["第二组"]


def test_a_damaged_payload_shows_as_empty() -> None:
    from tests.fixtures.classroom import submission

    broken = [submission(1, "第一组", "exercise1", {"members": "not a list", "schemes": [1, {"scheme": 5}]})]
    [group] = classroom.roster(broken)
    assert group.members == () and group.has("exercise1")
    assert all(c.groups == () for c in classroom.scheme_choices(broken))
    compared = classroom.compare_exercise1(broken[0], broken[0])
    assert compared.schemes == ()
