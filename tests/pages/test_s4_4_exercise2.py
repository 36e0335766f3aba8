"""4.4 behaviour: the group carried over from exercise 1, each member's direction with the evidence from the data,
the 4.2 strategy, 90-day actions; finishing blocked with the list of what is missing, then the aggregates-only
payload kept (no customer id or name) — in Chinese and English; an id + AUM book says what it cannot show."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.pages.apptest import all_text, open_app
from tests.pages.s1_helpers import id_aum_book, markdown_text
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import course
from workbook import workspace as ws
from workbook.samples import sample_book
from workbook.segmentation import SCHEMES

PAGE = "views/s4_4_exercise2.py"
GROUP_SCHEMES = ["aum", "behaviour", "cognition"]
TEXT = {
    "zh": {"blocked": "还不能完成练习二", "group": "请填写小组名称", "complete": "练习二内容完整",
           "finished": "练习二已完成", "direction": "李四还没有选核心经营客户方向"},
    "en": {"blocked": "Exercise 2 cannot be finished yet", "group": "Enter your group's name",
           "complete": "Exercise 2 is complete", "finished": "Exercise 2 finished",
           "direction": "李四 has not chosen a core customer direction"},
}


def _workspace() -> dict:
    workspace = ws.new_workspace()
    ws.set_values(workspace, "s3_5", group="第三组", members="张三\n李四", schemes=GROUP_SCHEMES)
    return workspace


def _actions(at, member: str, lang: str, days: tuple[int, ...] = (10, 40, 80)) -> None:
    start = at.session_state["s4_4_start"]
    rows = [{"action": f"第 {i} 件事", "owner": member, "due": (start + timedelta(days=d)).isoformat()}
            for i, d in enumerate(days, start=1)]
    at.session_state[f"s4_4_actions_{member}_{lang}"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finish_is_blocked_with_the_list_of_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    at.button(key="s4_4_finish").click().run()
    errors = " ".join(e.value for e in at.error)
    assert TEXT[lang]["blocked"] in errors and TEXT[lang]["group"] in errors
    assert not at.session_state["workspace"]["modules"].get("s4_4", {}).get("submission")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_complete_exercise_finishes_with_aggregates_only(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_workspace())
    assert not at.exception
    assert at.text_input(key="s4_4_group").value == "第三组"  # carried over from exercise 1
    # only the group's three segmentations from exercise 1 are offered
    assert at.selectbox(key="s4_4_张三_scheme").options == [SCHEMES[s].name(lang) for s in GROUP_SCHEMES]
    at.selectbox(key="s4_4_张三_tier").set_value("affluent")
    at.selectbox(key="s4_4_李四_scheme").set_value("behaviour").run()
    at.selectbox(key="s4_4_李四_tier").set_value("digital").run()
    first_tab = {m.label: m.value for m in at.tabs[0].metric}
    assert first_tab["客户数" if lang == "zh" else "Customers"] == "59"  # 财富客户 of the sample book
    warning = " ".join(w.value for w in at.warning)
    assert "张三" in warning and "李四" in warning  # no actions yet
    _actions(at, "张三", lang)
    _actions(at, "李四", lang)
    at.run()
    assert not at.exception
    assert any(TEXT[lang]["complete"] in s.value for s in at.success), [w.value for w in at.warning]
    at.button(key="s4_4_finish").click().run()
    assert not at.exception and not at.error
    assert any(TEXT[lang]["finished"] in s.value for s in at.success)
    module = at.session_state["workspace"]["modules"]["s4_4"]
    assert module["_done"] is True
    payload = module["submission"]
    assert payload["exercise"] == "exercise2" and payload["group"] == "第三组"
    first, second = payload["directions"]
    assert (first["member"], first["scheme"], first["tier"]["code"]) == ("张三", "aum", "affluent")
    assert (second["scheme"], second["tier"]["code"]) == ("behaviour", "digital")
    assert first["evidence"]["customers"] == 59 and first["evidence"]["t_per_hour"] > 0
    assert len(first["actions"]) == 3 and first["strategy"]["goal"]
    text = json.dumps(payload, ensure_ascii=False)
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    assert not any(value in text for value in frame["customer_id"])
    assert not any(value in text for value in frame["name"])


def test_an_action_outside_the_ninety_days_is_named() -> None:
    at = open_app("zh", PAGE, workspace=_workspace())
    at.text_area(key="s4_4_members").input("张三").run()
    at.selectbox(key="s4_4_张三_tier").set_value("private").run()
    _actions(at, "张三", "zh", days=(10, 40, 120))
    at.run()
    warning = " ".join(w.value for w in at.warning)
    end = (at.session_state["s4_4_start"] + timedelta(days=90)).isoformat()
    assert f"张三的第 3 条行动的日期不在 90 天内（{at.session_state['s4_4_start'].isoformat()} 至 {end}）" in warning
    assert "张三需要至少 3 条完整的 90 天行动，目前 2 条" in warning


def test_the_start_date_and_directions_survive_leaving_the_page() -> None:
    at = open_app("en", PAGE, workspace=_workspace())
    at.date_input(key="s4_4_start").set_value(date(2027, 1, 4)).run()
    at.selectbox(key="s4_4_张三_tier").set_value("potential").run()
    at.switch_page("views/home.py").run()
    at.switch_page(PAGE).run()
    assert at.date_input(key="s4_4_start").value == date(2027, 1, 4)
    assert at.selectbox(key="s4_4_张三_tier").value == "potential"
    assert "2027-01-04 to 2027-04-04" in markdown_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_id_and_aum_book_shows_counts_and_says_revenue_is_unknown(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book(), workspace=_workspace())
    at.selectbox(key="s4_4_张三_tier").set_value("affluent").run()
    assert not at.exception
    shown = {m.label: m.value for m in at.tabs[0].metric}
    assert shown["客户数" if lang == "zh" else "Customers"] == "1"
    assert shown["每小时有效产出" if lang == "zh" else "Throughput per hour"] == "—"
    unknown = "看不到这一层的收入和有效产出" if lang == "zh" else "revenue and throughput are unknown"
    assert unknown in markdown_text(at)


def test_home_and_progress_list_the_section_four_pages() -> None:
    workspace = _workspace()
    ws.mark_done(workspace, "s4_4", True)
    ws.set_values(workspace, "s4_2", state="今年目标")
    at = open_app("en", "views/home.py", workspace=workspace)
    links = [link.label for link in at.get("page_link")]
    assert "4.1 Engagement ladder · not started" in links
    assert "4.2 Strategy designer · in progress" in links
    assert "4.3 Throughput accounting · not started" in links
    assert "4.4 Exercise 2: core customers and strategy · done" in links
    # every registered worksheet page counts (book, 1.x, 3.x, 4.1–4.4 … as more land); exercise 2 is done
    total = len(course.worksheet_pages())
    assert {"s4_1", "s4_2", "s4_3", "s4_4"} <= {p.id for p in course.worksheet_pages()}
    assert f"1 of {total} worksheet modules finished." in all_text(at)


def test_invalid_parameters_from_3_2_fall_back_to_the_defaults_with_a_warning() -> None:
    workspace = _workspace()
    # thresholds that do not rise: 3.2 would refuse them; the exercise must not break on them
    ws.set_values(workspace, "s3_2", scheme="aum", params={"aum": {"thresholds": [500_000, 50_000, 6_000_000]}})
    at = open_app("zh", PAGE, workspace=workspace)
    at.selectbox(key="s4_4_张三_tier").set_value("affluent").run()
    assert not at.exception
    assert any("3.2 中保存的参数无效" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.tabs[0].metric}["客户数"] == "59"  # the default ladder's 财富客户
