"""The day's timetable (课程日程): clock times from a start that is data, breaks, debriefs, six teaching hours."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import agenda, course, i18n


def test_the_default_day_in_clock_times() -> None:
    slots = agenda.agenda()
    # 09:00 + 15 (opening) = 09:15; + 90 (一) = 10:45; + 15 tea; + 60 (二) = 12:00; + 60 lunch = 13:00;
    # + 80 (三) = 14:20; + 30 exercise 1 = 14:50; + 10 debrief = 15:00; + 15 tea; + 45 (四) = 16:00;
    # + 20 exercise 2 = 16:20; + 10 debrief = 16:30
    assert [slot.clock for slot in slots] == [
        "09:00–09:15", "09:15–10:45", "10:45–11:00", "11:00–12:00", "12:00–13:00", "13:00–14:20",
        "14:20–14:50", "14:50–15:00", "15:00–15:15", "15:15–16:00", "16:00–16:20", "16:20–16:30",
    ]
    assert agenda.day_span(slots) == "09:00–16:30"
    # six hours of teaching (outline: 1天，6小时/天), 90 minutes of lunch and breaks
    assert agenda.teaching_minutes(slots) == 360
    assert sum(s.minutes for s in slots if not s.teaching) == 90
    kinds = [slot.kind for slot in slots]
    assert kinds.count("debrief") == 2 and kinds.count("exercise") == 2 and kinds.count("lunch") == 1
    # each debrief follows its exercise
    for index, slot in enumerate(slots):
        if slot.kind == "debrief":
            assert slots[index - 1].kind == "exercise" and slots[index - 1].section == slot.section


def test_each_section_keeps_its_time_on_the_course_map() -> None:
    slots = agenda.agenda()
    for section in course.SECTIONS:
        assert agenda.teaching_minutes(slots, section.id) == section.minutes
    assert agenda.teaching_minutes(slots) == course.total_minutes()


def test_a_later_start_moves_every_slot() -> None:
    slots = agenda.agenda("9:30")
    assert agenda.day_span(slots) == "09:30–17:00"
    assert slots[4].clock == "12:30–13:30"  # lunch
    assert agenda.day_span(agenda.agenda("08：45")) == "08:45–16:15"  # a full-width colon too


@pytest.mark.parametrize("bad", ["9", "25:00", "09:75", "noon", ""])
def test_a_start_that_is_not_a_time_is_refused_with_a_message(bad: str) -> None:
    with pytest.raises(agenda.AgendaError) as caught:
        agenda.agenda(bad)
    assert "09:00" in str(caught.value) and "09:00" in caught.value.text("en")


def test_a_day_past_midnight_is_refused() -> None:
    with pytest.raises(agenda.AgendaError) as caught:
        agenda.agenda("18:00")
    assert "午夜" in str(caught.value)


def test_every_slot_has_its_text() -> None:
    for slot in agenda.agenda():
        for lang in i18n.LANGUAGES:
            assert i18n.has_key(f"home.slot.{slot.id}") and "⟦" not in i18n.t(f"home.slot.{slot.id}", lang)


@given(st.integers(0, 16 * 60 + 29))
def test_slots_follow_each_other_without_gaps(start: int) -> None:
    slots = agenda.agenda(agenda.clock(start))
    assert slots[0].start == start
    assert all(a.end == b.start for a, b in itertools.pairwise(slots))
    assert slots[-1].end - slots[0].start == 450  # 7.5 hours door to door
