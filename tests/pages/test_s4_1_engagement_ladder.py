"""4.1 behaviour: the suggested level per tier from the sample book, targets set in the table kept in the workspace,
the next actions listing the outline's levels between today and the target, and an id + AUM book that gets no
suggestion but a clear message — in Chinese and English."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import go_away_and_back, id_aum_book, markdown_text
from workbook import ladder

PAGE = "views/s4_1_engagement_ladder.py"
AUM = "mass-potential-affluent-private"


def _editor_key(lang: str, codes: str = AUM, scheme: str = "aum") -> str:
    return f"s4_1_levels_{scheme}_{codes}_{lang}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_suggested_levels_from_the_sample_book(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    # 大众 3.4 contacts → 2; 潜力 7.3 contacts and 1.06 events → 7; 财富 5.6 contacts → 3; 私行 11.9 contacts
    # (< 12) and 1.7 events → 7 (arithmetic in tests/workbook/test_ladder)
    assert table["current"].tolist() == [2, 7, 3, 7]
    assert table["suggested"].tolist() == (["第2级", "第7级", "第3级", "第7级"] if lang == "zh"
                                           else ["Level 2", "Level 7", "Level 3", "Level 7"])
    assert table["target"].isna().all()  # the target is the trainee's, never defaulted
    reasons = markdown_text(at)
    assert ("大众客户：建议第2级，因为近12月户均接触 3.4 次 ≥ 1 次" if lang == "zh"
            else "Mass: level 2 suggested, because 3.4 contacts per customer in 12 months ≥ 1") in reasons
    assert len(at.get("plotly_chart")) == 1  # the staircase shows today's levels


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_target_lists_the_levels_between_as_next_actions(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.session_state[_editor_key(lang)] = {"edited_rows": {0: {"target": 6}, 3: {"current": 9}},
                                           "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    levels = at.session_state["workspace"]["modules"]["s4_1"]["levels"]["aum"]
    # only what the trainee set is kept: mass's target; private's own current level (not the suggestion)
    assert levels == {"mass": {"target": 6}, "private": {"current": 9}}
    text = markdown_text(at)
    climb = "**大众客户**：第2级 → 第6级（4 个台阶）" if lang == "zh" else "**Mass**: level 2 → level 6 (4 steps)"
    assert climb in text
    steps = next(m.value for m in at.markdown if m.value.startswith("3. **"))
    # levels 3 to 6 in the outline's words (zh) or their rendering (en), each with its action, and no more
    assert steps.split("\n") == [f"{n}. **{ladder.level(n).label(lang)}** — {ladder.level(n).action(lang)}"
                                  for n in (3, 4, 5, 6)]


def test_levels_survive_leaving_the_page_and_another_scheme_keeps_its_own() -> None:
    at = open_app("zh", PAGE)
    at.session_state[_editor_key("zh")] = {"edited_rows": {1: {"target": 9}}, "added_rows": [], "deleted_rows": []}
    at.run()
    go_away_and_back(at, PAGE)
    assert at.dataframe[0].value["target"].tolist()[1] == 9
    at.selectbox(key="s4_1_scheme").set_value("relationship").run()
    assert not at.exception
    assert at.session_state["workspace"]["modules"]["s4_1"]["scheme"] == "relationship"
    assert at.dataframe[0].value["target"].isna().all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_id_and_aum_book_says_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert ("名册中没有近12月接触次数" if lang == "zh" else "The book has no Contacts") in info
    table = at.dataframe[0].value
    assert table["suggested"].tolist() == ["—", "—"] and table["current"].isna().all()
    # the trainee's own assessment still works
    codes = "-".join(["potential", "affluent"])
    at.session_state[_editor_key(lang, codes)] = {"edited_rows": {0: {"current": 2, "target": 4}},
                                                  "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.session_state["workspace"]["modules"]["s4_1"]["levels"]["aum"]["potential"] == {"current": 2,
                                                                                              "target": 4}
