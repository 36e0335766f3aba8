"""课程导览: 课程背景 and 课程收益 from the outline, and the day in clock times with lunch, breaks and debriefs."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import markdown_text as _markdown_text


def markdown_text(at) -> str:
    return _markdown_text(at).replace("\u2060", "")  # the word joiners that keep a time on one line

PAGE = "views/home.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_background_benefits_and_the_day_in_clock_times(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    text = markdown_text(at)
    subheaders = [element.value for element in at.subheader]
    if lang == "zh":
        assert "课程背景" in subheaders and "课程收益" in subheaders
        assert "赢得客户、留住客户" in text and "适合自己的客户分层管理模型" in text
        assert "| 12:00–13:00 | 午餐 |" in text
        assert "| 14:50–15:00 | 练习一点评 |" in text
        assert "| 16:20–16:30 | 练习二点评与课程总结 |" in text
        assert "09:00–16:30，授课 6 小时" in text
    else:
        assert "Why this course" in subheaders and "What you take away" in subheaders
        assert "| 12:00–13:00 | Lunch |" in text and "| 14:50–15:00 | Exercise 1 debrief |" in text
        assert "09:00–16:30: 6 hours of teaching" in text
    # teaching slots in bold; the section cards carry their clock times
    assert "| 09:15–10:45 | **" in text
    assert "13:00–15:00" in text  # part 三 with its exercise and debrief
