"""3.5 behaviour: the finish button is blocked with the list of what is missing; filling the worksheet makes it
complete; finishing keeps the aggregates-only payload in the workspace, in Chinese and English."""

from __future__ import annotations

import json

import pytest

from tests.pages.apptest import open_app
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook.samples import sample_book
from workbook.segmentation import segment_detail

PAGE = "views/s3_5_exercise1.py"
TEXT = {
    "zh": {"blocked": "还不能完成练习", "group": "请填写小组名称", "complete": "练习内容完整",
           "finished": "练习已完成", "schemes": "至少需要 3 种分层方式，目前只有 1 种"},
    "en": {"blocked": "cannot be finished yet", "group": "Enter your group's name",
           "complete": "The exercise is complete", "finished": "Exercise finished",
           "schemes": "At least 3 segmentations are needed; you have 1"},
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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finish_is_blocked_with_the_list_of_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    assert at.multiselect(key="s3_5_schemes").value == ["aum"]  # 3.2's scheme is offered first
    at.button(key="s3_5_finish").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert TEXT[lang]["blocked"] in errors
    assert TEXT[lang]["group"] in errors
    assert TEXT[lang]["schemes"] in errors
    assert not at.session_state["workspace"]["modules"].get("s3_5", {}).get("submission")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_complete_worksheet_finishes_and_keeps_aggregates_only(lang: str) -> None:
    at = open_app(lang, PAGE)
    _fill(at)
    assert not at.exception
    assert any(TEXT[lang]["complete"] in s.value for s in at.success)
    at.button(key="s3_5_finish").click().run()
    assert not at.exception
    assert not at.error
    assert any(TEXT[lang]["finished"] in s.value for s in at.success)
    module = at.session_state["workspace"]["modules"]["s3_5"]
    assert module["_done"] is True
    payload = module["submission"]
    assert payload["group"] == "第三组" and payload["members"] == ["张三", "李四"]
    assert [s["scheme"] for s in payload["schemes"]] == ["aum", "relationship", "behaviour"]
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    for entry in payload["schemes"]:
        assert sum(t["customers"] for t in entry["tiers"]) == SAMPLE_SIZE
        assert all(t["service"] for t in entry["tiers"] if t["customers"])  # prefilled from 3.4's matrix
        assert [t["service_own"] for t in entry["tiers"]].count(True) == 1  # the group's own line
    text = json.dumps(payload, ensure_ascii=False)
    assert not any(customer_id in text for customer_id in book["customer_id"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_prefilled_templates_alone_do_not_complete_it(lang: str) -> None:
    at = open_app(lang, PAGE)
    _fill(at, own=False)
    assert not at.exception
    text = " ".join(m.value for m in at.warning)
    expected = ("“按资产量分层”的各层服务还都是课程模板" if lang == "zh"
                else "“By assets (AUM)”: every tier's service is still the course template")
    assert expected in text
    at.button(key="s3_5_finish").click().run()
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
    service = "差异化服务（本层）" if lang == "zh" else "Differentiated service (this tier)"
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
    raw = next(e for e in at.expander if ("技术细节" if lang == "zh" else "Technical detail") in e.label)
    assert raw.get("json")  # the raw payload stays available, labelled as technical


def test_typed_text_shows_as_typed_in_the_summary() -> None:
    # Group names and service lines are Markdown in the summary: "**", "$" and ":red[…]" must not format.
    from ui.tier_views import plain_markdown

    assert plain_markdown("**A** $5 :red[x]\nnext") == "\\*\\*A\\*\\* \\$5 \\:red\\[x\\]  \nnext"
    at = open_app("zh", PAGE)
    at.text_input(key="s3_5_group").input("**第三组** $5").run()
    assert any("**小组**：\\*\\*第三组\\*\\* \\$5" in m.value for m in at.markdown)
