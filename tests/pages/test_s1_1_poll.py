"""1.1 and the class poll: a trainee sends their ratings anonymously to the class (idempotent, a change sent again
replaces the answer), and once three have answered sees the class beside their own ratings. In Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import plotly_figures
from ui import poll_views
from workbook import poll
from workbook.store import open_store

PAGE = "views/s1_1_self_check.py"
CODE = "BJ1205"
TEXT = {"zh": {"sent": "已发送到课堂 BJ1205", "changed": "你在发送后修改了评分", "need_code": "请填写课堂代码",
               "need_rating": "请至少为一个问题打分", "class": "我和全班", "waiting": "目前有 1 位学员提交",
               "mine": "我的评分"},
        "en": {"sent": "Sent to workshop BJ1205", "changed": "You changed your ratings after sending",
               "need_code": "Enter the workshop code", "need_rating": "Rate at least one statement",
               "class": "Me and the class", "waiting": "1 trainees have answered so far", "mine": "My rating"}}


@pytest.fixture(autouse=True)
def classroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{(tmp_path / 'classroom' / 'workbook.sqlite').as_posix()}"
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    poll_views._class_poll.clear()
    yield url
    poll_views._class_poll.clear()


def _rate(at, **ratings: int):
    for item_id, value in ratings.items():
        at.segmented_control(key=f"s1_1_rate_{item_id}").set_value(value)
    return at.run()


def _send(at, code: str | None = CODE):
    if code is not None:
        at.text_input(key=poll_views.WORKSHOP_WIDGET).input(code)
    at.button(key="s1_1_poll_send").click().run()
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sending_the_ratings_is_anonymous_and_idempotent(classroom: str, lang: str) -> None:
    at = _rate(open_app(lang, PAGE), effort=5, gifts=3)
    _send(at, "bj 1205")
    assert not at.exception and TEXT[lang]["sent"] in at.success[0].value
    store = open_store(classroom)
    [answer] = store.history(CODE, poll.POLL_ID)
    # the ratings only, under the respondent code of this trainee's token; no name
    assert answer.payload == {"exercise": poll.POLL_ID, "version": 1, "ratings": {"effort": 5, "gifts": 3}}
    assert answer.group == poll.respondent(at.session_state["resume_token"]) and answer.submitted_by == ""
    assert at.session_state["workspace"]["trainee"]["workshop"] == CODE  # the code is kept for the exercises
    _send(at, None)  # a second click: nothing new
    assert len(store.history(CODE, poll.POLL_ID)) == 1
    _rate(at, gifts=1)
    assert TEXT[lang]["changed"] in at.info[-1].value
    _send(at, None)
    assert len(store.history(CODE, poll.POLL_ID)) == 2
    [current] = store.submissions(CODE, poll.POLL_ID)
    assert current.payload["ratings"] == {"effort": 5, "gifts": 1}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_is_sent_without_a_rating_or_a_code(classroom: str, lang: str) -> None:
    at = _send(open_app(lang, PAGE))
    assert TEXT[lang]["need_rating"] in at.error[0].value
    at = _send(_rate(at, effort=2), code="")
    assert TEXT[lang]["need_code"] in at.error[0].value
    assert open_store(classroom).history(CODE) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_class_appears_beside_ones_own_answer_from_three_answers(classroom: str, lang: str) -> None:
    at = _send(_rate(open_app(lang, PAGE), effort=5, rebate=4, gifts=2))
    text = "\n".join(c.value for c in at.caption)
    assert TEXT[lang]["waiting"] in text and len(plotly_figures(at)) == 1  # only one's own radar so far
    store = open_store(classroom)
    for number, ratings in ((1, {"effort": 3, "rebate": 4, "gifts": 2, "quality": 1}), (2, {"effort": 4, "rebate": 1})):
        store.submit(CODE, f"R-{number:016d}", poll.POLL_ID, poll.poll_payload(ratings), f"k{number}")
    poll_views._class_poll.clear()
    at.button(key="s1_1_poll_refresh").click().run()
    assert not at.exception and TEXT[lang]["class"] in [h.value for h in at.subheader]
    radar, distribution = plotly_figures(at)[1:3]
    # the class radar: my ratings, then the class mean per question (effort (5 + 3 + 4) / 3 = 4.0, rebate 3.0,
    # gifts 2.0, quality 1.0)
    assert radar["data"][1]["r"][:4] == [4.0, 3.0, 2.0, 1.0] and radar["data"][0]["r"][:3] == [5, 4, 2]
    mine = next(trace for trace in distribution["data"] if trace.get("name") == TEXT[lang]["mine"])
    assert mine["x"] == [5, 4, 2]
