"""2.1 behaviour: a customer from the book (masked), a case or a blank card; the needs the rules find; the four
accounts against the holdings with the shares editable; KYC notes masked and kept out of the exercise; the sample,
an uploaded and an id+AUM-only book; zh and en."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.pages.apptest import all_text, open_app
from tests.pages.s1_helpers import book, go_away_and_back, id_aum_book, markdown_text
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import cards, kyc
from workbook.samples import sample_book

PAGE = "views/s2_1_kyc.py"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _saved(at) -> dict:
    return at.session_state["workspace"]["modules"].get("s2_1", {})


def _need_labels(profile: dict, lang: str) -> list[str]:
    return [need.text("label", lang) for need in kyc.latent_needs(profile)]


def _suggested_customer() -> tuple[str, pd.Series]:
    """The customer the page opens on: among those with 5万元 or more (the four accounts stay readable), most needs,
    then the larger AUM (the page's rule, worked out here)."""
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    counts = kyc.book_needs(frame).sum(axis=1)
    order = pd.DataFrame({"enough": frame["aum"] >= 50_000, "needs": counts, "aum": frame["aum"]}).sort_values(
        ["enough", "needs", "aum"], ascending=False, kind="stable")
    row = frame.loc[order.index[0]]
    assert row["aum"] >= 50_000
    return str(row["customer_id"]), row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_opens_on_a_book_customer_masked_with_the_needs_the_rules_find(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    customer_id, row = _suggested_customer()
    assert at.radio(key="s2_1_source").value == "book"
    assert at.selectbox(key="s2_1_customer").value == customer_id
    text = all_text(at)
    assert row["name"] not in text and row["phone"] not in text  # masked everywhere on the page
    assert f"{customer_id} · {row['name'][0]}**" in text
    labels = _need_labels(cards.card_profile(cards.card_from_row(row)), lang)
    assert labels
    shown = markdown_text(at)
    for label in labels:
        assert f"**{label}**" in shown
    assert ("表象需求" if lang == "zh" else "Stated need") in shown
    # The book's occupation in the page's language (the sample writes 企业主 and the like)
    occupation = at.text_input(key=f"s2_1_occupation_book:{customer_id}").value
    assert (occupation == row["occupation"]) if lang == "zh" else not CJK.search(occupation)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_card_finds_nothing_until_the_trainee_says_something(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.radio(key="s2_1_source").set_value("blank").run()
    assert not at.exception
    assert any(("规则没有找到需求" if lang == "zh" else "too little for any rule") in i.value for i in at.info)
    # 40 years old with 2 children (ages unknown): the inference rule for the education fund and cover for the
    # earner (need_rules.toml: children_ages_unknown, breadwinner)
    at.number_input(key="s2_1_age__blank").set_value(40).run()
    at.number_input(key="s2_1_children__blank").set_value(2).run()
    assert not at.exception
    shown = markdown_text(at)
    for label in _need_labels({"age": 40, "children": 2}, lang):
        assert f"**{label}**" in shown
    assert _saved(at)["cards"]["_blank"] == {"age": 40, "children": 2}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_xingye_case_card_and_its_four_accounts(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.radio(key="s2_1_source").set_value("case").run()
    at.radio(key="s2_1_case").set_value("xingye").run()
    assert not at.exception
    shown = markdown_text(at)
    for label in _need_labels(cards.card_profile(cards.card_from_case("xingye")), lang):
        assert f"**{label}**" in shown
    # 600万元 with 10/20/30/40: targets 60 / 120 / 180 / 240; held 420 / 0 / 30 / 150;
    # gaps 60 − 420 = −360, 120, 150, 90
    table = at.table[0].value
    assert table.iloc[:, 2].tolist() == ["60", "120", "180", "240"]
    assert table.iloc[:, 4].tolist() == ["-360", "120", "150", "90"]
    assert ("教学示意" if lang == "zh" else "illustrative") in shown + " ".join(c.value for c in at.caption)
    if lang == "en":
        assert not CJK.search(shown)
        assert at.text_input(key="s2_1_occupation_case:xingye").value == "Business owner"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shares_must_add_up_to_100(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.number_input(key="s2_1_share_preserve").set_value(30.0).run()  # 10 + 20 + 30 + 30 = 90
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "90%" in errors
    assert not at.table  # no plan until they do
    assert _saved(at)["shares_pct"]["preserve"] == 30.0
    at.button(key="s2_1_shares_reset").click().run()
    assert not at.error
    assert at.table


def test_changed_shares_change_the_targets() -> None:
    at = open_app("zh", PAGE)
    at.radio(key="s2_1_source").set_value("case").run()
    at.radio(key="s2_1_case").set_value("xingye").run()
    at.number_input(key="s2_1_share_spend").set_value(20.0).run()
    at.number_input(key="s2_1_share_preserve").set_value(30.0).run()
    # 600万元 × 20% / 20% / 30% / 30% = 120 / 120 / 180 / 180
    assert at.table[0].value.iloc[:, 2].tolist() == ["120", "120", "180", "180"]


def test_kyc_notes_are_masked_when_kept_and_never_reach_the_exercise() -> None:
    at = open_app("zh", PAGE)
    customer_id, row = _suggested_customer()
    key = f"s2_1_notes_book:{customer_id}"
    at.text_area(key=key).input(f"{row['name']}的母亲住院，联系13912345678，喜欢打高尔夫").run()
    assert not at.exception
    kept = _saved(at)["cards"][f"book:{customer_id}"]["notes"]
    assert kept == f"{row['name'][0]}**的母亲住院，联系139****5678，喜欢打高尔夫"
    assert at.text_area(key=key).value == kept  # the box shows what is kept
    stored = json.dumps(at.session_state["workspace"], ensure_ascii=False)
    assert row["name"] not in stored and "13912345678" not in stored
    # The exercise page builds its submission from the workspace: the notes are not part of it.
    at.switch_page("views/s3_5_exercise1.py").run()
    assert not at.exception
    assert "高尔夫" not in all_text(at)


def test_entries_survive_leaving_the_page() -> None:
    at = open_app("en", PAGE)
    customer_id, _row = _suggested_customer()
    at.number_input(key=f"s2_1_age_book:{customer_id}").set_value(41).run()
    at.selectbox(key=f"s2_1_life_stage_book:{customer_id}").set_value("maturity").run()
    go_away_and_back(at, PAGE)
    assert at.number_input(key=f"s2_1_age_book:{customer_id}").value == 41
    assert at.selectbox(key=f"s2_1_life_stage_book:{customer_id}").value == "maturity"
    assert _saved(at)["cards"][f"book:{customer_id}"] == {"age": 41, "life_stage": "maturity"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_proposal_draft_is_editable_kept_and_redrawn(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.radio(key="s2_1_source").set_value("case").run()
    key = "s2_1_proposal_case:pufa"
    draft = at.text_area(key=key).value
    # 浦发 card: 180万元, nothing in 保命的钱 (target 36万元) → the draft names that shortfall
    assert ("保命的钱" if lang == "zh" else "Money to protect") in draft
    assert ("36万元" if lang == "zh" else "CNY 360k") in draft
    at.text_area(key=key).input("先补保障，客户电话13800001111").run()
    assert _saved(at)["proposals"]["case:pufa"] == "先补保障，客户电话138****1111"
    at.button(key="s2_1_redraft").click().run()
    assert not at.exception
    assert "case:pufa" not in _saved(at)["proposals"]
    assert at.text_area(key=key).value == draft


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_id_and_aum_book_says_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    assert at.selectbox(key="s2_1_customer").value == "A2"  # no needs anywhere: the larger AUM first
    infos = " ".join(i.value for i in at.info)
    assert ("年龄" if lang == "zh" else "Age") in infos  # the missing KYC fields are named
    assert ("没有存款、理财、基金和保险余额" if lang == "zh" else "no deposit, wealth-product") in infos
    # The plan runs on the AUM alone: 200万元 → targets 20 / 40 / 60 / 80, nothing placed yet
    table = at.table[0].value
    assert table.iloc[:, 2].tolist() == ["20", "40", "60", "80"]
    assert table.iloc[:, 3].tolist() == ["0", "0", "0", "0"]


def test_an_uploaded_book_with_family_fields() -> None:
    frame = pd.DataFrame({
        "customer_id": ["U1", "U2"], "aum": [300_000.0, 9_000_000.0], "name": ["欧阳娜娜", "李雷"],
        "age": [33, 58], "marital": ["已婚", "已婚"], "children": [1, 1], "occupation": ["教师", "企业主"],
        "risk_level": ["C2", "C4"], "life_event": ["生子", "企业上市"],
        "deposit_balance": [100_000.0, 1_000_000.0], "fund_balance": [200_000.0, 8_000_000.0],
    })
    at = open_app("zh", PAGE, book=book(frame, "family"))
    assert not at.exception
    text = all_text(at)
    assert "欧阳娜娜" not in text and "李雷" not in text
    at.selectbox(key="s2_1_customer").set_value("U1").run()
    shown = markdown_text(at)
    # U1: 33, married, a new baby, teacher, C2 → new_baby, breadwinner (children, ages unknown, 25–44),
    # public_sector, risk_conservative
    profile = kyc.profile_from_row(frame.iloc[0])
    for label in _need_labels(profile, "zh"):
        assert f"**{label}**" in shown
    assert "新生儿家庭的教育金与保障" in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_family_members_drive_the_needs_and_their_notes_are_masked(lang: str) -> None:
    workspace = {"version": 1, "trainee": {"name": "", "group": "", "workshop": ""},
                 "modules": {"s2_1": {"source": "blank"}}}
    editor = f"s2_1_members_0_{lang}__blank"
    added = [{"relation": "child", "age": 16, "note": "准备中考"},
             {"relation": "parent", "age": 75, "note": "住院，护工电话13700002222"}]
    at = open_app(lang, PAGE, workspace=workspace,
                  **{editor: {"edited_rows": {}, "added_rows": added, "deleted_rows": []}})
    assert not at.exception
    members = _saved(at)["cards"]["_blank"]["members"]
    assert members == [{"relation": "child", "age": 16, "note": "准备中考"},
                       {"relation": "parent", "age": 75, "note": "住院，护工电话137****2222"}]
    # a child of 16 → child_teen; a parent of 75 → parents_elderly; both → sandwich (child ≤ 17, parent ≥ 60)
    shown = markdown_text(at)
    labels = _need_labels({"members": members}, lang)
    assert [n.rule_id for n in kyc.latent_needs({"members": members})] == ["child_teen", "parents_elderly",
                                                                          "sandwich"]
    for label in labels:
        assert f"**{label}**" in shown
    assert "13700002222" not in json.dumps(at.session_state["workspace"], ensure_ascii=False)
    assert editor not in at.session_state  # the editor holding the raw note was replaced by a masked one


def test_a_large_book_opens_any_customer_by_id() -> None:
    # 2,001 customers: the list holds the 2,000 largest; the smallest (AUM 1 元) is opened by typing its id.
    n = 2_001
    frame = pd.DataFrame({"customer_id": [f"K{i:04d}" for i in range(n)], "aum": [float(i + 1) for i in range(n)],
                          "name": ["张三丰"] * n})
    at = open_app("zh", PAGE, book=book(frame, "large"))
    assert not at.exception
    options = at.selectbox(key="s2_1_customer").options  # shown labels, "K2000 · 张**"
    assert len(options) == 2_000 and not any(option.startswith("K0000") for option in options)
    at.text_input(key="s2_1_customer_id").input("K0000").run()
    assert not at.exception
    assert at.selectbox(key="s2_1_customer").value == "K0000"
    assert _saved(at)["customer"] == "K0000"
    assert "张三丰" not in all_text(at)
    assert "K0000 · 张**" in all_text(at)
