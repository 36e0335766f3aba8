"""讲师提示 timing (workbook.teaching): each page's clock time on the 09:00 day, the pages fill every teaching slot
exactly, and every course page has its notes in both languages."""

from __future__ import annotations

from workbook import agenda, course, i18n, teaching


def test_page_times_on_the_default_day_by_hand() -> None:
    times = teaching.page_times()
    # opening 09:00–09:15: home 5 min, then the book 10 min
    assert (times["home"].clock, times["book"].clock) == ("09:00–09:05", "09:05–09:15")
    # section 一 09:15–10:45: 1.1 15 min, then 1.2, 1.3, 1.4 25 min each (15 + 3 × 25 = 90)
    assert [times[p].clock for p in ("s1_1", "s1_2", "s1_3", "s1_4")] == [
        "09:15–09:30", "09:30–09:55", "09:55–10:20", "10:20–10:45"]
    # after the tea break (10:45–11:00): 2.1 35 min, 2.2 25 min
    assert (times["s2_1"].clock, times["s2_2"].clock) == ("11:00–11:35", "11:35–12:00")
    # exercise 1 (14:20–14:50) and its debrief (14:50–15:00) join into one stretch of 40 minutes
    assert (times["s3_5"].clock, times["s3_5"].minutes, times["s3_5"].slots) == (
        "14:20–15:00", 40, ("exercise1", "debrief1"))
    # exercise 2 16:00–16:20 plus five of the debrief's ten minutes; the results page takes the last five
    assert (times["s4_4"].clock, times["results"].clock) == ("16:00–16:25", "16:25–16:30")


def test_a_later_start_moves_every_page() -> None:
    assert teaching.page_times("09:30")["s1_2"].clock == "10:00–10:25"


def test_the_pages_fill_every_teaching_slot_exactly() -> None:
    teaching_slots = {slot.id: slot.minutes for slot in agenda.agenda() if slot.teaching}
    assert teaching.slot_fill() == teaching_slots


def test_every_course_page_is_placed_and_has_its_notes() -> None:
    pages = [p.id for p in course.PAGES if p.section != "instructor"]
    assert list(teaching.planned_pages()) == pages
    assert teaching.page_time("board") is None
    for page_id in pages:
        for part in ("points", "ask", "listen"):
            key = f"notes.{page_id}.{part}"
            assert i18n.has_key(key), key
            assert i18n.t(key, "zh") != i18n.t(key, "en")
