"""Page 1.3 核心瓶颈突破五步法: the stage table drives the constraint and throughput; elevate moves it."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import go_away_and_back, id_aum_book, markdown_text, metrics, plotly_figures

PAGE = "views/s1_3_bottleneck.py"
LABELS = {
    "zh": {"constraint": "瓶颈环节", "throughput": "系统产出（单/周）", "propose": "方案呈现", "meet": "面谈KYC"},
    "en": {"constraint": "Constraint", "throughput": "System throughput (deals/week)", "propose": "Present a proposal",
           "meet": "Meet & KYC"},
}


def _edit(at, edited_rows: dict[int, dict[str, float]]):
    """Edit the stage table the way the browser does (AppTest cannot type into a data editor)."""
    version = at.session_state.get("s1_3_editor_version", 0)
    at.session_state[f"s1_3_editor_{version}"] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    return at.run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_process_constraint_and_elevation(lang: str) -> None:
    labels = LABELS[lang]
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    shown = metrics(at)
    # default: deals/week 3.6, 2.4, 2.0, 1.5, 3.0, 13.33 → 方案呈现 at 1.50
    assert shown[labels["constraint"]] == labels["propose"]
    assert shown[labels["throughput"]] == "1.5"
    bars = plotly_figures(at)[0]["data"][0]
    assert bars["x"] == pytest.approx([3.6, 2.4, 2.0, 1.5, 3.0, 4 / 0.3])
    # the default what-if (+50%): 方案呈现 → 2.25, so 面谈KYC (2.00) becomes the constraint
    text = markdown_text(at)
    assert "1.5 → **2**" in text
    assert labels["meet"] in at.success[0].value
    at.slider(key="s1_3_elevate_pct").set_value(20.0).run()
    # +20%: 3.6 proposals a week × 50% = 1.80 deals, still the lowest
    assert "1.5 → **1.8**" in markdown_text(at)
    assert labels["propose"] in at.info[-1].value
    assert at.session_state["workspace"]["modules"]["s1_3"]["elevate_pct"] == 20.0


def test_editing_the_table_moves_the_constraint_and_is_saved() -> None:
    at = open_app("zh", PAGE, book=id_aum_book())
    # 方案呈现 12 h a week: capacity 6 → 3.0 deals; the lowest is now 面谈KYC at 2.00
    at = _edit(at, {3: {"weekly_hours": 12.0}})
    assert not at.exception
    shown = metrics(at)
    assert shown["瓶颈环节"] == "面谈KYC" and shown["系统产出（单/周）"] == "2"
    saved = at.session_state["workspace"]["modules"]["s1_3"]["stages"]
    assert saved[3]["weekly_hours"] == 12.0 and saved[3]["name"] == ""
    # the edit survives leaving the page
    at = go_away_and_back(at, PAGE)
    assert not at.exception
    assert metrics(at)["瓶颈环节"] == "面谈KYC"


def test_a_tie_is_reported_and_the_first_stage_taken() -> None:
    at = open_app("en", PAGE, book=id_aum_book())
    # Meet & KYC 7.5 h: capacity 5 × 60% × 50% = 1.50 = Present a proposal → a tie; the first (Meet & KYC) is taken
    at = _edit(at, {2: {"weekly_hours": 7.5}})
    assert metrics(at)["Constraint"] == "Meet & KYC"
    assert any("2 stages tie" in w.value for w in at.warning)


def test_invalid_rows_are_named_and_reset_restores_the_default() -> None:
    at = open_app("zh", PAGE, book=id_aum_book())
    at = _edit(at, {1: {"hours_per_customer": 0.0}})
    assert any("第 2 行未计入" in w.value for w in at.warning)
    # row 2 (邀约) is left out: 名单获取 then feeds 面谈KYC directly, 60 × .5 × .6 × .5 = 9 deals; 方案呈现 stays
    assert metrics(at)["瓶颈环节"] == "方案呈现"
    at.button(key="s1_3_reset").click().run()
    assert not at.warning
    assert at.session_state["workspace"]["modules"]["s1_3"]["stages"][1]["hours_per_customer"] == 0.25


def test_worksheet_actions_survive_leaving_the_page() -> None:
    at = open_app("zh", PAGE, book=id_aum_book())
    at.text_area(key="s1_3_action_exploit").set_value("方案模板化").run()
    at.text_area(key="s1_3_next_focus").set_value("盯住面谈").run()
    at = go_away_and_back(at, PAGE)
    assert at.text_area(key="s1_3_action_exploit").value == "方案模板化"
    assert at.text_area(key="s1_3_next_focus").value == "盯住面谈"
    assert at.session_state["workspace"]["modules"]["s1_3"]["actions"] == {"exploit": "方案模板化"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_subordinating_shows_the_same_hours_rebalanced(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    text = markdown_text(at)
    # the default 29 hours spread by hours per deal (Σ 196/15): 29 × 15 ÷ 196 = 2.22 deals a week, +48%
    assert "1.5" in text and "**2.22**" in text and "+48%" in text
    table = next(element.value for element in at.dataframe
                 if ("重新分配后（小时/周）" if lang == "zh" else "Rebalanced (hours/week)") in element.value.columns)
    rebalanced = table.iloc[:, 2].tolist()
    assert sum(rebalanced) == pytest.approx(29)
    # 方案呈现 (the constraint) gets 2.219 × 4 = 8.88 hours instead of 6
    assert rebalanced[3] == pytest.approx(29 * 15 / 196 * 4)
    # once the hours follow the constraint's pace, rebalancing has nothing left to give
    at = _edit(at, {i: {"weekly_hours": 29 * 15 / 196 * w}
                    for i, w in enumerate((5 / 6, 25 / 12, 5, 4, 1, 0.15))})
    assert ("重新分配不会再增加产出" if lang == "zh" else "rebalancing adds nothing more") in markdown_text(at)
