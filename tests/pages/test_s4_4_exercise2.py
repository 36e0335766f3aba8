"""4.4 behaviour: the group carried over from exercise 1, each member's direction with the evidence from the data,
the 4.2 strategy, 90-day actions; submitting blocked with the list of what is missing (the workshop code and the
submitter's name included), then the aggregates-only payload (no customer id or name) goes to the classroom database
through the store with a receipt in the room's time — the flow of 3.5: a double click changes nothing, a
resubmission becomes the group's current one, a database that cannot be reached loses nothing; 我的成果 shows the
receipt. In Chinese and English; an id + AUM book says what it cannot show."""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.pages.apptest import all_text, open_app
from tests.pages.s1_helpers import id_aum_book, markdown_text
from ui import saving
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import course
from workbook import workspace as ws
from workbook.samples import sample_book
from workbook.segmentation import SCHEMES
from workbook.store import open_store

PAGE = "views/s4_4_exercise2.py"
GROUP_SCHEMES = ["aum", "behaviour", "cognition"]
TEXT = {
    "zh": {"blocked": "练习二还不能提交", "group": "请填写小组名称", "complete": "练习二内容完整",
           "receipt": "已提交并保存在课堂数据库中", "workshop": "请填写课堂代码", "name": "请填写你的姓名",
           "zone": "（北京时间）", "changed": "提交练习二后又有修改",
           "unavailable": "暂时连不上课堂数据库，练习二没有提交", "submitted": "练习二已提交"},
    "en": {"blocked": "Exercise 2 cannot be submitted yet", "group": "Enter your group's name",
           "complete": "Exercise 2 is complete", "receipt": "Submitted and saved in the classroom database",
           "workshop": "Enter the workshop code", "name": "Enter your name", "zone": "(Beijing time)",
           "changed": "You changed exercise 2 after", "unavailable": "The classroom database cannot be reached",
           "submitted": "Exercise 2 submitted"},
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


def _fill(at, lang: str) -> None:
    """Both members choose a direction and write three actions each: the exercise is complete."""
    at.selectbox(key="s4_4_张三_tier").set_value("affluent")
    at.selectbox(key="s4_4_李四_scheme").set_value("behaviour").run()
    at.selectbox(key="s4_4_李四_tier").set_value("digital").run()
    _actions(at, "张三", lang)
    _actions(at, "李四", lang)
    at.run()


def _identify(at, workshop: str, name: str = "张三") -> None:
    at.text_input(key="s4_4_workshop").input(workshop)
    at.text_input(key="s4_4_name").input(name)
    at.run()


def _workshop() -> str:
    return f"T{secrets.token_hex(4).upper()}"  # each test its own class in the shared test database


def _plain(text: str) -> str:
    """A receipt line with its non-breaking hyphen and space (kept on one line on screen) read as plain ones."""
    return text.replace("\u2011", "-").replace("\u00a0", " ")


def _submit(at) -> None:
    at.button(key="s4_4_submit").click().run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_submit_is_blocked_with_the_list_of_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    _submit(at)
    errors = " ".join(e.value for e in at.error)
    for item in ("blocked", "group", "workshop", "name"):
        assert TEXT[lang][item] in errors, item
    assert not at.session_state["workspace"]["modules"].get("s4_4", {}).get("submission")


def test_a_complete_exercise_still_needs_the_workshop_code_and_a_name() -> None:
    at = open_app("zh", PAGE, workspace=_workspace())
    _fill(at, "zh")
    assert any(TEXT["zh"]["complete"] in s.value for s in at.success)
    _submit(at)
    errors = " ".join(e.value for e in at.error)
    assert TEXT["zh"]["workshop"] in errors and TEXT["zh"]["name"] in errors and TEXT["zh"]["group"] not in errors
    assert not at.session_state["workspace"]["modules"]["s4_4"].get("receipt")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_submitting_saves_aggregates_only_in_the_classroom_database_with_a_receipt(lang: str) -> None:
    workshop = _workshop()
    at = open_app(lang, PAGE, workspace=_workspace())
    assert not at.exception
    assert at.text_input(key="s4_4_group").value == "第三组"  # carried over from exercise 1
    # only the group's three segmentations from exercise 1 are offered
    assert at.selectbox(key="s4_4_张三_scheme").options == [SCHEMES[s].name(lang) for s in GROUP_SCHEMES]
    at.selectbox(key="s4_4_张三_tier").set_value("affluent").run()
    first_tab = {m.label: m.value for m in at.tabs[0].metric}
    assert first_tab["客户数" if lang == "zh" else "Customers"] == "59"  # 财富客户 of the sample book
    warning = " ".join(w.value for w in at.warning)
    assert "李四" in warning  # no direction, no actions yet
    _fill(at, lang)
    assert not at.exception
    assert any(TEXT[lang]["complete"] in s.value for s in at.success), [w.value for w in at.warning]
    _identify(at, workshop.lower() + " ")  # typed carelessly: stored in its one form
    _submit(at)
    assert not at.exception and not at.error
    [receipt_line] = [_plain(s.value) for s in at.success if TEXT[lang]["receipt"] in s.value]
    assert workshop in receipt_line and "第三组" in receipt_line and TEXT[lang]["zone"] in receipt_line

    [current] = open_store().submissions(workshop)
    assert (current.group, current.exercise, current.submitted_by) == ("第三组", "exercise2", "张三")
    local = (current.time + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")  # the database's time, Beijing time
    assert local in receipt_line
    module = at.session_state["workspace"]["modules"]["s4_4"]
    assert module["_done"] is True and module["receipt"]["number"] == current.number
    assert module["receipt"]["exercise"] == "exercise2"
    assert module["submission"] == current.payload
    # the group carried over from exercise 1 is who submitted: the trainee's identity now says so
    assert at.session_state["workspace"]["trainee"] == {"name": "张三", "group": "第三组", "workshop": workshop.lower()}
    payload = current.payload
    assert payload["exercise"] == "exercise2" and payload["group"] == "第三组"
    first, second = payload["directions"]
    assert (first["member"], first["scheme"], first["tier"]["code"]) == ("张三", "aum", "affluent")
    assert (second["scheme"], second["tier"]["code"]) == ("behaviour", "digital")
    assert first["evidence"]["customers"] == 59 and first["evidence"]["t_per_hour"] > 0
    assert first["evidence"]["hours_source"] == "book"  # the sample book records service hours
    assert len(first["actions"]) == 3 and first["strategy"]["goal"]
    text = json.dumps(payload, ensure_ascii=False)
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    assert not any(value in text for value in frame["customer_id"])
    assert not any(value in text for value in frame["name"])
    # no developer wording (the raw JSON) on the trainee's page
    assert not at.json and not any("JSON" in e.label for e in at.expander)


def test_a_double_click_changes_nothing() -> None:
    workshop = _workshop()
    at = open_app("zh", PAGE, workspace=_workspace())
    _fill(at, "zh")
    _identify(at, workshop)
    _submit(at)
    first = at.session_state["workspace"]["modules"]["s4_4"]["receipt"]
    _submit(at)
    assert not at.exception and not at.error
    assert at.session_state["workspace"]["modules"]["s4_4"]["receipt"] == first
    assert len(open_store().history(workshop)) == 1


def test_a_click_whose_answer_was_lost_replays_the_same_submission() -> None:
    workshop = _workshop()
    at = open_app("zh", PAGE, workspace=_workspace())
    _fill(at, "zh")
    _identify(at, workshop)
    _submit(at)
    module = at.session_state["workspace"]["modules"]["s4_4"]
    for field in ("receipt", "submission", "submitted_at"):
        module.pop(field)
    _submit(at)
    assert not at.error and any(TEXT["zh"]["receipt"] in s.value for s in at.success)
    assert len(open_store().history(workshop)) == 1


def test_a_resubmission_becomes_the_groups_current_one() -> None:
    workshop = _workshop()
    at = open_app("en", PAGE, workspace=_workspace())
    _fill(at, "en")
    _identify(at, workshop)
    _submit(at)
    _actions(at, "张三", "en", days=(5, 40, 80, 85))  # a fourth action for 张三
    at.run()
    assert any(TEXT["en"]["changed"] in i.value for i in at.info)
    sent = next(e for e in at.expander if "What was submitted at" in e.label)
    assert sent.table and all(len(tb.value) == 3 for tb in sent.table)  # the version that was sent: 3 actions each
    _submit(at)
    store = open_store()
    assert len(store.history(workshop)) == 2
    [current] = store.submissions(workshop)
    assert len(current.payload["directions"][0]["actions"]) == 4
    assert not at.info and any(TEXT["en"]["receipt"] in s.value for s in at.success)


def test_a_database_that_cannot_be_reached_loses_nothing_and_the_retry_goes_in(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "classroom"
    monkeypatch.setenv("WORKBOOK_DB_URL", f"sqlite:///{(folder / 'workbook.sqlite').as_posix()}")
    monkeypatch.setattr(saving, "RETRY_SECONDS", 0.0)  # retry at once (the pause between attempts is not tested)
    monkeypatch.setattr(saving, "_unavailable_until", 0.0)
    workshop = _workshop()
    at = open_app("zh", PAGE, workspace=_workspace())
    _fill(at, "zh")
    _identify(at, workshop)
    folder.rename(tmp_path / "away")  # the database is gone
    _submit(at)
    assert not at.exception
    assert any(TEXT["zh"]["unavailable"] in e.value for e in at.error)
    assert at.text_input(key="s4_4_group").value == "第三组"
    module = at.session_state["workspace"]["modules"]["s4_4"]
    assert len(module["directions"]["张三"]["actions"]) == 3 and module["directions"]["李四"]["tier"] == "digital"
    assert not module.get("receipt")
    (tmp_path / "away").rename(folder)  # back
    _submit(at)
    assert not at.error and any(TEXT["zh"]["receipt"] in s.value for s in at.success)
    assert len(open_store().history(workshop)) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_my_results_shows_the_receipt_of_exercise_2(lang: str) -> None:
    workshop = _workshop()
    at = open_app(lang, PAGE, workspace=_workspace())
    _fill(at, lang)
    _identify(at, workshop)
    _submit(at)
    [current] = open_store().submissions(workshop)
    at.switch_page("views/results.py").run()
    assert not at.exception
    captions = _plain(" ".join(c.value for c in at.caption))
    local = (current.time + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert f"{TEXT[lang]['submitted']}" in captions and local in captions and workshop in captions
    assert ("练习一尚未提交" if lang == "zh" else "Exercise 1 not submitted yet") in captions


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
