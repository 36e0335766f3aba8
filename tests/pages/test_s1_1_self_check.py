"""Page 1.1 难题自测: ratings drive the radar and the recommendation, and survive leaving the page."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import go_away_and_back, id_aum_book, markdown_text, metrics, plotly_figures

PAGE = "views/s1_1_self_check.py"


def _rate(at, **ratings: int):
    for item_id, value in ratings.items():
        at.segmented_control(key=f"s1_1_rate_{item_id}").set_value(value)
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ratings_drive_radar_means_and_focus(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    assert plotly_figures(at)[0]["data"][0]["r"] == [0.0] * 9  # 8 axes, closed: nothing answered yet
    at = _rate(at, effort=5, gifts=3, competition=4)
    assert not at.exception
    # radar in item order, closed back to the first axis
    assert plotly_figures(at)[0]["data"][0]["r"] == [5, 0, 3, 0, 0, 4, 0, 0, 5]
    shown = metrics(at)
    # pain mean (5 + 3) / 2 = 4.0; market mean 4 / 1 = 4.0
    assert list(shown.values()) == ["4.0", "4.0"]
    text = markdown_text(at)
    # scores: s1_2 = s1_3 = 1.0, s3_3 = 0.875 → the three picks in that order
    if lang == "zh":
        order = [text.index("1.2 核心业绩公式"), text.index("1.3 核心瓶颈突破五步法"), text.index("3.3 客户四度")]
        assert "已作答 3 / 8" in text
    else:
        order = [text.index("1.2 Core performance formula"), text.index("1.3 Five focusing steps"),
                 text.index("3.3 The four degrees")]
        assert "Answered 3 of 8" in text
    assert order == sorted(order)
    assert at.session_state["workspace"]["modules"]["s1_1"]["ratings"] == {"effort": 5, "gifts": 3, "competition": 4}


def test_answers_survive_leaving_the_page_and_clear_resets_them() -> None:
    at = open_app("zh", PAGE, book=id_aum_book())
    at = _rate(at, rebate=2, coordination=5)
    at.text_area(key="s1_1_note").set_value("到期客户流失").run()
    at = go_away_and_back(at, PAGE)
    assert not at.exception
    assert at.segmented_control(key="s1_1_rate_rebate").value == 2
    assert at.segmented_control(key="s1_1_rate_coordination").value == 5
    assert at.text_area(key="s1_1_note").value == "到期客户流失"
    at.button(key="s1_1_clear").click().run()
    assert at.session_state["workspace"]["modules"]["s1_1"]["ratings"] == {}
    assert at.segmented_control(key="s1_1_rate_rebate").value is None


def test_all_low_ratings_say_follow_the_course() -> None:
    at = open_app("en", PAGE, book=id_aum_book())
    at = _rate(at, effort=1, rebate=1, gifts=1, quality=1)
    assert "follow the course in order" in markdown_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_own_value_and_the_real_needs_check(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    subheaders = [element.value for element in at.subheader]
    assert ("先让自己拥有价值" in " ".join(subheaders)) if lang == "zh" else ("make yourself valuable" in " ".join(
        subheaders))
    # nothing ticked: 0 of 5 → weak, pointing to deep KYC
    assert ("做到 0/5" if lang == "zh" else "0 of 5") in at.warning[0].value
    for question in ("purpose", "risk", "term"):
        at.checkbox(key=f"s1_1_needs_{question}").check()
    at.run()
    # 3 of 5 → partial
    assert ("做到 3/5" if lang == "zh" else "3 of 5") in at.info[-1].value
    at.checkbox(key="s1_1_needs_latent").check().run()
    assert ("做到 4/5" if lang == "zh" else "4 of 5") in at.success[0].value
    at.text_area(key="s1_1_my_value").input("家族信托").run()
    at = go_away_and_back(at, PAGE)
    saved = at.session_state["workspace"]["modules"]["s1_1"]
    assert saved["needs"] == ["purpose", "latent", "risk", "term"] and saved["my_value"] == "家族信托"
    assert at.checkbox(key="s1_1_needs_latent").value
