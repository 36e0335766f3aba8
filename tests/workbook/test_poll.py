"""The 1.1 class poll (workbook.poll): what a trainee sends, the anonymous respondent code, and the class figures
per question, computed by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import poll, self_check

IDS = [item.id for item in self_check.ITEMS]


def test_the_class_figures_computed_by_hand() -> None:
    answers = [
        poll.poll_payload({"effort": 5, "rebate": 4, "gifts": 2}),
        poll.poll_payload({"effort": 3, "rebate": 4, "gifts": 2, "quality": 1}),
        poll.poll_payload({"effort": 4, "rebate": 1}),
    ]
    result = poll.aggregate(answers)
    assert result.respondents == 3
    effort = result.item("effort")
    # effort: 5, 3, 4 → 3 answers, mean 12 / 3 = 4.0; one each of 3, 4 and 5
    assert (effort.answers, effort.mean, effort.counts) == (3, 4.0, (0, 0, 1, 1, 1))
    rebate = result.item("rebate")
    # rebate: 4, 4, 1 → mean 9 / 3 = 3.0; one 1, two 4s; the share of 4s is 2 / 3
    assert (rebate.answers, rebate.mean, rebate.counts) == (3, 3.0, (1, 0, 0, 2, 0))
    assert rebate.share(4) == pytest.approx(2 / 3)
    gifts = result.item("gifts")
    assert (gifts.answers, gifts.mean, gifts.counts) == (2, 2.0, (0, 2, 0, 0, 0))  # 2, 2 → mean 2.0
    quality = result.item("quality")
    assert (quality.answers, quality.mean) == (1, 1.0)
    assert result.item("coordination").mean is None and result.item("coordination").share(3) == 0
    # the radar: means in the questions' order, an unanswered question at the centre
    assert result.radar() == [4.0, 3.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    # the pain group's mean of means: (4 + 3 + 2 + 1) / 4 = 2.5; no market question answered
    assert result.group_mean("pain") == 2.5 and result.group_mean("market") is None
    assert result.shown_to_trainees  # three answers: the minimum for trainees to see the class


def test_fewer_than_three_answers_are_not_shown_to_trainees() -> None:
    assert not poll.aggregate([poll.poll_payload({"effort": 5}), poll.poll_payload({"effort": 1})]).shown_to_trainees


def test_damaged_or_empty_answers_do_not_count() -> None:
    result = poll.aggregate([{"ratings": {"effort": 9, "nonsense": 3}}, "not a payload", {"ratings": "x"},
                             poll.poll_payload({"rebate": 2})])
    assert result.respondents == 1 and result.item("rebate").counts == (0, 1, 0, 0, 0)


def test_the_payload_carries_the_known_ratings_only() -> None:
    payload = poll.poll_payload({"effort": 5, "rebate": 0, "unknown": 3, "gifts": 2.0, "quality": True})
    assert payload == {"exercise": "poll_s1_1", "version": 1, "ratings": {"effort": 5, "gifts": 2}}
    assert not poll.can_send({}) and poll.can_send({"effort": 1})


def test_the_respondent_code_is_stable_per_trainee_and_reveals_nothing() -> None:
    token = "trainee-token-000001-padding"
    code = poll.respondent(token)
    assert code == poll.respondent(token) and code != poll.respondent("trainee-token-000002-padding")
    assert code.startswith("R-") and len(code) == 18 and token not in code


ratings = st.dictionaries(st.sampled_from(IDS), st.integers(1, 5))


@given(st.lists(ratings, max_size=30))
def test_counts_add_up_and_means_stay_on_the_scale(answers: list[dict[str, int]]) -> None:
    result = poll.aggregate(poll.poll_payload(a) for a in answers)
    assert result.respondents == sum(1 for a in answers if a)
    for item in result.items:
        assert sum(item.counts) == item.answers == sum(1 for a in answers if item.item_id in a)
        if item.answers:
            assert 1 <= item.mean <= 5
            assert item.mean == pytest.approx(sum(r * c for r, c in zip(range(1, 6), item.counts, strict=True))
                                              / item.answers)
