"""3.5 behaviour: the finish button is blocked with the list of what is missing; filling the worksheet makes it
complete; finishing keeps the aggregates-only payload in the workspace, in Chinese and English."""

from __future__ import annotations

import json

import pytest

from tests.pages.apptest import open_app
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook.samples import sample_book

PAGE = "pages/s3_5_exercise1.py"
TEXT = {
    "zh": {"blocked": "还不能完成练习", "group": "请填写小组名称", "complete": "练习内容完整",
           "finished": "练习已完成", "schemes": "至少需要 3 种分层方式，目前只有 1 种"},
    "en": {"blocked": "cannot be finished yet", "group": "Enter your group's name",
           "complete": "The exercise is complete", "finished": "Exercise finished",
           "schemes": "At least 3 segmentations are needed; you have 1"},
}


def _fill(at, *, schemes=("aum", "relationship", "behaviour")) -> None:
    at.text_input(key="s3_5_group").input("第三组")
    at.text_area(key="s3_5_members").input("张三\n李四")
    at.multiselect(key="s3_5_schemes").set_value(list(schemes))
    at.text_area(key="s3_5_reflection").input("按资产分层看清了集中度，按行为分层找到了可以线上服务的客户。")
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
    text = json.dumps(payload, ensure_ascii=False)
    assert not any(customer_id in text for customer_id in book["customer_id"])


def test_a_cleared_service_line_blocks_again() -> None:
    at = open_app("zh", PAGE)
    _fill(at, schemes=("aum", "relationship", "cognition"))
    key = "s3_5_services_aum_mass-potential-affluent-private_zh"
    at.session_state[key] = {"edited_rows": {1: {"service": ""}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.warning)  # the open items are listed inside the warning
    assert "“按资产量分层”的“潜力客户”层还没有差异化服务" in text
    assert at.session_state["workspace"]["modules"]["s3_5"]["services"]["aum"] == {"potential": ""}


def test_inputs_survive_leaving_the_page() -> None:
    at = open_app("en", PAGE)
    _fill(at)
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    assert at.text_input(key="s3_5_group").value == "第三组"
    assert at.multiselect(key="s3_5_schemes").value == ["aum", "relationship", "behaviour"]
    assert any(TEXT["en"]["complete"] in s.value for s in at.success)
