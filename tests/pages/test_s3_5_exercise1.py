"""3.5 behaviour: submitting is blocked with the list of what is missing (the workshop code and the submitter's
name included); a complete worksheet goes to the classroom database with a receipt in the room's time; a double
click changes nothing; a resubmission becomes the group's current one; a database that cannot be reached loses
nothing. In Chinese and English."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from pathlib import Path

import pytest

from tests.pages.apptest import open_app
from ui import saving
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook.samples import sample_book
from workbook.segmentation import segment_detail
from workbook.store import open_store

PAGE = "views/s3_5_exercise1.py"
TEXT = {
    "zh": {"blocked": "还不能提交", "group": "请填写小组名称", "complete": "练习内容完整",
           "receipt": "已提交并保存在课堂数据库中", "schemes": "至少需要 3 种分层方式，目前只有 1 种",
           "workshop": "请填写课堂代码", "name": "请填写你的姓名", "zone": "（北京时间）",
           "changed": "提交后又有修改", "unavailable": "暂时连不上课堂数据库，练习没有提交"},
    "en": {"blocked": "cannot be submitted yet", "group": "Enter your group's name",
           "complete": "The exercise is complete", "receipt": "Submitted and saved in the classroom database",
           "schemes": "At least 3 segmentations are needed; you have 1", "workshop": "Enter the workshop code",
           "name": "Enter your name", "zone": "(Beijing time)", "changed": "You changed the exercise after",
           "unavailable": "The classroom database cannot be reached"},
}


OWN_LINE = "每月一次企业微信问候，节日电话"


def _editor_key(scheme_id: str, lang: str) -> str:
    """The service editor's key on the sample book: the tiers with customers, in ladder order."""
    detail = segment_detail(sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED), scheme_id)
    counts = detail.tiers.value_counts()
    codes = [t.code for t in detail.tier_list if t.code != "insufficient" or counts.get(t.code, 0)]
    return f"s3_5_services_{scheme_id}_{'-'.join(codes)}_{lang}"


def _fill(at, *, schemes=("aum", "relationship", "behaviour"), own: bool = True) -> None:
    at.text_input(key="s3_5_group").input("第三组")
    at.text_area(key="s3_5_members").input("张三\n李四")
    at.multiselect(key="s3_5_schemes").set_value(list(schemes))
    at.text_area(key="s3_5_reflection").input("按资产分层看清了集中度，按行为分层找到了可以线上服务的客户。")
    if own:  # one line per segmentation in the group's own words (the first tier's)
        lang = at.query_params["lang"][0] if isinstance(at.query_params["lang"], list) else at.query_params["lang"]
        for scheme_id in schemes:
            at.session_state[_editor_key(scheme_id, lang)] = {
                "edited_rows": {0: {"service": OWN_LINE}}, "added_rows": [], "deleted_rows": []}
    at.run()


def _identify(at, workshop: str, name: str = "张三") -> None:
    at.text_input(key="s3_5_workshop").input(workshop)
    at.text_input(key="s3_5_name").input(name)
    at.run()


def _workshop() -> str:
    return f"T{secrets.token_hex(4).upper()}"  # each test its own class in the shared test database


def _plain(text: str) -> str:
    """A receipt line with its non-breaking hyphen and space (kept on one line on screen) read as plain ones."""
    return text.replace("\u2011", "-").replace("\u00a0", " ")


def _submit(at) -> None:
    at.button(key="s3_5_submit").click().run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_submit_is_blocked_with_the_list_of_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    assert at.multiselect(key="s3_5_schemes").value == ["aum"]  # 3.2's scheme is offered first
    _submit(at)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    for item in ("blocked", "group", "schemes", "workshop", "name"):
        assert TEXT[lang][item] in errors, item
    assert not at.session_state["workspace"]["modules"].get("s3_5", {}).get("submission")


def test_a_complete_exercise_still_needs_the_workshop_code_and_a_name() -> None:
    at = open_app("zh", PAGE)
    _fill(at)
    _submit(at)
    errors = " ".join(e.value for e in at.error)
    assert TEXT["zh"]["workshop"] in errors and TEXT["zh"]["name"] in errors and TEXT["zh"]["group"] not in errors
    assert not at.session_state["workspace"]["modules"]["s3_5"].get("receipt")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_submitting_saves_aggregates_only_in_the_classroom_database_with_a_receipt(lang: str) -> None:
    workshop = _workshop()
    at = open_app(lang, PAGE)
    _fill(at)
    assert any(TEXT[lang]["complete"] in s.value for s in at.success)
    _identify(at, workshop.lower() + " ")  # typed carelessly: stored in its one form
    _submit(at)
    assert not at.exception and not at.error
    [receipt_line] = [_plain(s.value) for s in at.success if TEXT[lang]["receipt"] in s.value]
    assert workshop in receipt_line and "第三组" in receipt_line and TEXT[lang]["zone"] in receipt_line

    [current] = open_store().submissions(workshop)
    assert (current.group, current.exercise, current.submitted_by) == ("第三组", "exercise1", "张三")
    # the receipt's time is the database's, shown in Beijing time (UTC+8)
    local = (current.time + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    assert local in receipt_line
    module = at.session_state["workspace"]["modules"]["s3_5"]
    assert module["_done"] is True and module["receipt"]["number"] == current.number
    assert module["submission"] == current.payload
    assert at.session_state["workspace"]["trainee"] == {"name": "张三", "group": "第三组", "workshop": workshop.lower()}
    payload = current.payload
    assert payload["group"] == "第三组" and payload["members"] == ["张三", "李四"]
    assert [s["scheme"] for s in payload["schemes"]] == ["aum", "relationship", "behaviour"]
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    for entry in payload["schemes"]:
        assert sum(t["customers"] for t in entry["tiers"]) == SAMPLE_SIZE
        assert all(t["service"] for t in entry["tiers"] if t["customers"])  # prefilled from 3.4's matrix
        assert [t["service_own"] for t in entry["tiers"]].count(True) == 1  # the group's own line
    text = json.dumps(payload, ensure_ascii=False)
    assert not any(customer_id in text for customer_id in book["customer_id"])
    # no developer wording (the raw JSON) on the trainee's page
    assert not at.json and not any("JSON" in e.label for e in at.expander)


def test_a_double_click_changes_nothing() -> None:
    workshop = _workshop()
    at = open_app("zh", PAGE)
    _fill(at)
    _identify(at, workshop)
    _submit(at)
    first = at.session_state["workspace"]["modules"]["s3_5"]["receipt"]
    _submit(at)
    assert not at.exception and not at.error
    assert at.session_state["workspace"]["modules"]["s3_5"]["receipt"] == first
    assert len(open_store().history(workshop)) == 1


def test_a_click_whose_answer_was_lost_replays_the_same_submission() -> None:
    # The first click's run committed, then the page reran before it kept the receipt (a second click arrived):
    # the repeated click must not add a second submission.
    workshop = _workshop()
    at = open_app("zh", PAGE)
    _fill(at)
    _identify(at, workshop)
    _submit(at)
    module = at.session_state["workspace"]["modules"]["s3_5"]
    for field in ("receipt", "submission", "submitted_at"):
        module.pop(field)
    _submit(at)
    assert not at.error and any(TEXT["zh"]["receipt"] in s.value for s in at.success)
    assert len(open_store().history(workshop)) == 1


def test_switching_language_after_submitting_does_not_make_the_exercise_look_changed() -> None:
    # Untouched service lines are 3.4's prefills in the page's language; once sent they are the group's own.
    workshop = _workshop()
    at = open_app("zh", PAGE)
    _fill(at)
    _identify(at, workshop)
    _submit(at)
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception and not at.info
    assert any(TEXT["en"]["receipt"] in s.value for s in at.success)
    _submit(at)  # and submitting again in English sends nothing new
    assert len(open_store().history(workshop)) == 1


def test_a_resubmission_becomes_the_groups_current_one() -> None:
    workshop = _workshop()
    at = open_app("en", PAGE)
    _fill(at)
    _identify(at, workshop)
    _submit(at)
    at.text_area(key="s3_5_reflection").input("We will move the behaviour tiers online and keep advisers for the top.")
    at.run()
    assert any(TEXT["en"]["changed"] in i.value for i in at.info)
    sent = next(e for e in at.expander if "What was submitted at" in e.label)
    assert any("按资产分层看清了集中度" in m.value for m in sent.markdown)  # the version that was sent
    _submit(at)
    store = open_store()
    assert len(store.history(workshop)) == 2
    [current] = store.submissions(workshop)
    assert current.payload["reflection"].startswith("We will move")
    assert not at.info and any(TEXT["en"]["receipt"] in s.value for s in at.success)


def test_a_database_that_cannot_be_reached_loses_nothing_and_the_retry_goes_in(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "classroom"
    monkeypatch.setenv("WORKBOOK_DB_URL", f"sqlite:///{(folder / 'workbook.sqlite').as_posix()}")
    monkeypatch.setattr(saving, "RETRY_SECONDS", 0.0)  # retry at once (the pause between attempts is not tested)
    monkeypatch.setattr(saving, "_unavailable_until", 0.0)
    workshop = _workshop()
    at = open_app("zh", PAGE)
    _fill(at)
    _identify(at, workshop)
    folder.rename(tmp_path / "away")  # the database is gone
    _submit(at)
    assert not at.exception
    assert any(TEXT["zh"]["unavailable"] in e.value for e in at.error)
    assert at.text_input(key="s3_5_group").value == "第三组"
    assert at.session_state["workspace"]["modules"]["s3_5"]["reflection"].startswith("按资产分层")
    assert not at.session_state["workspace"]["modules"]["s3_5"].get("receipt")
    (tmp_path / "away").rename(folder)  # back
    _submit(at)
    assert not at.error and any(TEXT["zh"]["receipt"] in s.value for s in at.success)
    assert len(open_store().history(workshop)) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_prefilled_templates_alone_do_not_complete_it(lang: str) -> None:
    at = open_app(lang, PAGE)
    _fill(at, own=False)
    assert not at.exception
    text = " ".join(m.value for m in at.warning)
    expected = ("“按资产量分层”的各层服务还都是课程模板" if lang == "zh"
                else "“By assets (AUM)”: every tier's service is still the course template")
    assert expected in text
    at.button(key="s3_5_submit").click().run()
    assert not at.session_state["workspace"]["modules"]["s3_5"].get("submission")


def test_a_cleared_service_line_blocks_again() -> None:
    at = open_app("zh", PAGE)
    _fill(at, schemes=("aum", "relationship", "cognition"))
    key = "s3_5_services_aum_mass-potential-affluent-private_zh"
    at.session_state[key] = {"edited_rows": {1: {"service": ""}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.warning)  # the open items are listed inside the warning
    assert "“按资产量分层”的“潜力客户”层还没有差异化服务" in text
    assert at.session_state["workspace"]["modules"]["s3_5"]["services"]["aum"] == {"mass": OWN_LINE, "potential": ""}


def test_inputs_survive_leaving_the_page() -> None:
    at = open_app("en", PAGE)
    _fill(at)
    at.switch_page("views/home.py").run()
    at.switch_page(PAGE).run()
    assert at.text_input(key="s3_5_group").value == "第三组"
    assert at.multiselect(key="s3_5_schemes").value == ["aum", "relationship", "behaviour"]
    assert any(TEXT["en"]["complete"] in s.value for s in at.success)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_what_is_submitted_reads_as_a_summary_in_the_language(lang: str) -> None:
    at = open_app(lang, PAGE)
    _fill(at)
    assert not at.exception
    service = "差异化服务" if lang == "zh" else "Service"
    summaries = [tb.value for tb in at.table if service in tb.value.columns]
    assert len(summaries) == 3  # one per segmentation
    aum = summaries[0]
    tier, customers = ("层级", "客户数") if lang == "zh" else ("Tier", "Customers")
    # the sample book on the default ladder: 90 · 144 · 59 · 7 customers (tests/pages/test_s3_1 counts the same book)
    assert aum[tier].tolist() == (["大众客户", "潜力客户", "财富客户", "私行客户"] if lang == "zh"
                                  else ["Mass", "Potential", "Affluent", "Private banking"])
    assert [int(n) for n in aum[customers]] == [90, 144, 59, 7]
    # the group's own line (escaped for Markdown), then whole template lines, not cut-off cells
    assert aum[service].iloc[0] == OWN_LINE
    assert all(len(line) > 20 for line in aum[service].iloc[1:])
    text = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])
    assert ("**小组**：第三组" if lang == "zh" else "**Group**: 第三组") in text
    assert ("张三、李四" if lang == "zh" else "张三, 李四") in text
    assert ("大众客户 < 5万 ≤ 潜力客户" if lang == "zh" else "Mass < CNY 50k ≤ Potential") in text
    if lang == "zh":
        # no English keys or codes outside the technical expander: "Mass", "params", "schemes" …
        shown = text + " ".join(" ".join(tb.value.astype(str).stack().tolist()) for tb in at.table)
        for word in ("Mass", "params", "schemes", "customer_share", "mass"):
            assert word not in shown, word


def test_typed_text_shows_as_typed_in_the_summary() -> None:
    # Group names and service lines are Markdown in the summary: "**", "$" and ":red[…]" must not format.
    from ui.tier_views import plain_markdown

    assert plain_markdown("**A** $5 :red[x]\nnext") == "\\*\\*A\\*\\* \\$5 \\:red\\[x\\]  \nnext"
    at = open_app("zh", PAGE)
    at.text_input(key="s3_5_group").input("**第三组** $5").run()
    assert any("**小组**：\\*\\*第三组\\*\\* \\$5" in m.value for m in at.markdown)
