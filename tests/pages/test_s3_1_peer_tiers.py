"""3.1 behaviour: the peer table with its caveat and flags, a bank preset re-tiering the book (and applied to 3.2),
the hysteresis simulator and the star-points calculator, in Chinese and English."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.pages.apptest import all_text, open_app
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import gradient, i18n, peers
from workbook.samples import sample_book
from workbook.segmentation import segment_detail, tier_summary

PAGE = "views/s3_1_peer_tiers.py"


def _tier_table(at, lang: str) -> pd.DataFrame:
    header = "客户数" if lang == "zh" else "Customers"
    tier = "层级" if lang == "zh" else "Tier"
    return next(tb.value for tb in at.table if {header, tier} <= set(tb.value.columns))


def _expected_counts(bank_id: str, lang: str) -> dict[str, int]:
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    params = peers.aum_preset(bank_id)
    detail = segment_detail(book, "aum", params)
    summary = tier_summary(book, detail)
    labels = detail.labels(lang)
    return {labels[c]: int(n) for c, n in summary["customers"].items() if c != "insufficient" or n}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_peer_table_caveat_and_flags(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    text = all_text(at)
    assert any(w.value == peers.caveat(lang) for w in at.warning)
    assert ("600万" if lang == "zh" else "CNY 6m") in text  # the regulatory anchor
    overview = _peer_table(at, lang)
    assert len(overview) == 10
    assert overview[i18n.t("peers.col.tiers", lang)].str.contains("⚠").any()  # M and L figures are marked
    high = "高" if lang == "zh" else "High"
    assert (overview[i18n.t("peers.col.confidence", lang)] == high).sum() == 1  # only 招商 is H as a bank
    # one tier per line (Markdown line breaks in the static table): 招商 has four published tiers
    assert overview[i18n.t("peers.col.tiers", lang)].iloc[0].count("  \n") == 3
    legend = " ".join(c.value for c in at.caption)
    assert ("高 = 多个来源一致" if lang == "zh" else "High = several consistent sources") in legend


def _peer_table(at, lang: str):
    """The ten banks' overview (after the trainee's own ladder on the page): the static table with a bank column."""
    bank = i18n.t("peers.col.bank", lang)
    return next(table.value for table in at.table if bank in table.value.columns)


def _shown_text(at) -> list[str]:
    """The words a trainee reads: boxes, markdown, captions and every cell of the tables (charts left out)."""
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "success") for e in getattr(at, kind)]
    for frame in [tb.value for tb in at.table] + [df.value for df in at.dataframe]:
        texts += [str(v) for v in frame.columns] + [str(v) for v in frame.astype(str).stack().tolist()]
    return texts


RAW_GRADE = re.compile(r"(?<![A-Za-z])[HML](?:[-–][HML])?(?![A-Za-z])")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_page_has_no_english_years_or_letter_grades() -> None:
    # QA: the year column read "recent" and "2015; later", grades read "⚠ M" — on the Chinese page.
    at = open_app("zh", PAGE)
    assert not at.exception
    for bank_id in ("citic", "cib", "icbc"):  # the banks whose years were worded
        at.selectbox(key="s3_1_preset").set_value(bank_id).run()
        for text in _shown_text(at):
            assert not re.search(r"\b(recent|later)\b", text), text
            assert not RAW_GRADE.search(text), text
    overview = _peer_table(at, "zh").set_index("银行")
    assert overview.loc["中信银行", "年份"] == "2015年及以后" and overview.loc["兴业银行", "年份"] == "近期"
    assert overview.loc["工商银行", "可信度"] == "⚠\u00a0中高"
    text = " ".join(_shown_text(at))
    assert "可信度 高，多个来源一致" in text  # the regulatory anchor, in words
    assert "可信度 ⚠\u00a0中，单一来源）" in text  # the star-points calculator (M), no nested brackets


def test_english_peer_table_has_no_chinese() -> None:
    at = open_app("en", PAGE)
    overview = _peer_table(at, "en")
    for value in [*overview.columns, *overview.astype(str).stack().tolist()]:
        assert not CJK.search(value), value
    assert overview.set_index("Bank").loc["China CITIC Bank", "Year"] == "2015 and later"


def _origin_table(at, lang: str) -> pd.DataFrame:
    origin = i18n.t("peers.col.origin", lang)
    return next(tb.value for tb in at.table if origin in tb.value.columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bank_is_offered_as_a_preset(lang: str) -> None:
    at = open_app(lang, PAGE)
    options = at.selectbox(key="s3_1_preset").options
    assert len(options) == len(peers.PEER_BANKS) + 1 and options[-1] == i18n.t("s3_1.course_ladder", lang)
    assert all(o.startswith(b.name(lang)) for o, b in zip(options, peers.PEER_BANKS, strict=False))
    # each option says how much of the ladder is published: 招商 5 tiers, 4 published and 1 filled in
    options = at.selectbox(key="s3_1_preset").options
    assert options[0] == ("招商银行（5 层：公开 4，填补 1）" if lang == "zh"
                          else "China Merchants Bank (5 tiers: 4 published, 1 filled in)")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bank_id", peers.PRESET_BANKS)
def test_preset_selectbox_re_tiers_the_book(lang: str, bank_id: str) -> None:
    at = open_app(lang, PAGE)
    at.selectbox(key="s3_1_preset").set_value(bank_id).run()
    assert not at.exception
    table = _tier_table(at, lang)
    counts_col = "客户数" if lang == "zh" else "Customers"
    tier_col = "层级" if lang == "zh" else "Tier"
    shown = dict(zip(table[tier_col], table[counts_col], strict=True))
    assert shown == _expected_counts(bank_id, lang)
    assert sum(shown.values()) == SAMPLE_SIZE
    # Next to the preset: tier by tier what is published and what is filled in, with source, year and grade,
    # and the caveat.
    origins = _origin_table(at, lang)
    expected = peers.preset_table(bank_id, lang)
    assert origins[i18n.t("peers.col.origin", lang)].tolist() == expected["origin"].tolist()
    assert origins[i18n.t("peers.col.provenance", lang)].tolist() == expected["provenance"].tolist()
    assert any(peers.caveat(lang) in c.value for c in at.caption)
    assert any(peers.BANK_BY_ID[bank_id].note(lang) == c.value for c in at.caption)


def test_two_tier_preset_counts_on_the_sample_book() -> None:
    # 农业银行: 600万; the sample book has 7 customers at ≥600万 (tests/workbook/test_peers.py counts them).
    at = open_app("zh", PAGE)
    at.selectbox(key="s3_1_preset").set_value("abc").run()
    shown = _tier_table(at, "zh").set_index("层级")["客户数"].to_dict()
    assert shown == {"私行以下（未列名）": SAMPLE_SIZE - 7, "私人银行": 7}
    origins = _origin_table(at, "zh")
    assert origins["公开 / 填补"].iloc[0].startswith("填补")
    assert origins["来源（年份，可信度）"].tolist() == ["本手册填补", "考试资料；2025年文章（2025，可信度 ⚠\u00a0中）"]
    # 中国银行 in English: the recent CNY 6m, flagged L–M, with the US$1m conflict stated.
    at = open_app("en", PAGE)
    at.selectbox(key="s3_1_preset").set_value("boc").run()
    origins = _origin_table(at, "en")
    assert origins["Source (year, confidence)"].iloc[1] == "2025 article (2025, confidence ⚠\u00a0Low–medium)"
    assert "US$1m" in origins["Published / filled in"].iloc[1]
    shown = _tier_table(at, "en").set_index("Tier")["Customers"].to_dict()
    assert shown == {"BOC Wealth Management · BOC Fortune (below CNY 6m)": SAMPLE_SIZE - 7, "Private banking": 7}


@pytest.mark.parametrize("bank_id", peers.PRESET_BANKS)
def test_apply_stores_each_preset_for_3_2(bank_id: str) -> None:
    at = open_app("zh", PAGE)
    at.selectbox(key="s3_1_preset").set_value(bank_id).run()
    at.button(key="s3_1_apply").click().run()
    assert not at.exception
    workspace = at.session_state["workspace"]
    assert workspace["modules"]["s3_2"]["params"]["aum"] == peers.aum_preset(bank_id)
    assert workspace["modules"]["s3_1"]["applied"] == bank_id
    assert any(peers.BANK_BY_ID[bank_id].zh in s.value for s in at.success)


def test_apply_stores_the_preset_for_3_2_and_persists() -> None:
    at = open_app("en", PAGE)
    at.selectbox(key="s3_1_preset").set_value("spdb").run()
    at.button(key="s3_1_apply").click().run()
    assert not at.exception
    workspace = at.session_state["workspace"]
    assert workspace["modules"]["s3_2"]["params"]["aum"] == {
        "thresholds": [8_000_000],  # 浦发 月日均 ≥800万
        "labels": [
            {"code": "spdb_below", "zh": "私行以下（未列名）", "en": "Below private banking (unnamed)"},
            {"code": "spdb_private", "zh": "私人银行", "en": "Private banking"},
        ],
    }
    assert workspace["modules"]["s3_1"]["preset"] == "spdb"
    assert any("Shanghai Pudong Development Bank" in s.value for s in at.success)
    # Leave and come back: the choice is kept.
    at.switch_page("views/home.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="s3_1_preset").value == "spdb"
    # 3.2 segments the book with the applied two-tier ladder.
    at.switch_page("views/s3_2_segmentation.py").run()
    assert not at.exception
    assert "Below private banking (unnamed)" in all_text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hysteresis_simulator_on_the_hand_sequence(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.selectbox(key="s3_1_preset").set_value("course").run()
    # The hand sequence of tests/workbook/test_gradient.py: 5 changes without the buffer, 2 with it.
    for month, value in enumerate([60, 60, 40, 45, 70, 40, 30, 20, 3, 60, 60, 60]):
        at.number_input(key=f"s3_1_month_{month}").set_value(float(value))
    at.run()
    assert not at.exception
    metrics = [m.value for m in at.metric]
    assert metrics[:2] == ["5", "2"]
    assert at.session_state["workspace"]["modules"]["s3_1"]["monthly_aum_wan"][8] == 3.0


def test_hysteresis_with_a_two_tier_ladder_says_why_nothing_changes() -> None:
    # 农业银行: one threshold, 600万; the default months (30万–66万) all sit below it → 0 changes either way.
    at = open_app("zh", PAGE)
    at.selectbox(key="s3_1_preset").set_value("abc").run()
    assert [m.value for m in at.metric][:2] == ["0", "0"]
    assert any("600万" in c.value and "同一层" in c.value for c in at.caption)
    # Months 5–6 at 650万 and 700万 (≥600万): the customer is 私人银行 from month 6 (the month after meeting it).
    # No buffer: back below in month 8, after month 7's 42万 → 2 changes. With the buffer a private tier is kept
    # until 6 months below (months 7–12 are only the sixth by year end) → 1 change.
    at.number_input(key="s3_1_month_4").set_value(650.0)
    at.number_input(key="s3_1_month_5").set_value(700.0).run()
    assert [m.value for m in at.metric][:2] == ["2", "1"]
    assert not any("同一层" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_star_points_calculator(lang: str) -> None:
    at = open_app(lang, PAGE)
    # Default: 50万 短期资产 → 50 × 135 = 6,750 points → 五星.
    values = {m.label: m.value for m in at.metric}
    assert "6,750" in values.values()
    assert ("五星" if lang == "zh" else "Five-star") in values.values()
    # + 100万 房贷 × 100 = 10,000 → 16,750 → 六星.
    at.number_input(key="s3_1_star_mortgage").set_value(100.0).run()
    values = {m.label: m.value for m in at.metric}
    assert "16,750" in values.values()
    assert ("六星" if lang == "zh" else "Six-star") in values.values()
    assert gradient.star_level(16_750).code == "star6"


def test_applied_preset_flows_to_3_2_3_4_and_3_5() -> None:
    at = open_app("en", PAGE)
    at.selectbox(key="s3_1_preset").set_value("cmb").run()
    at.button(key="s3_1_apply").click().run()
    for page in ("views/s3_2_segmentation.py", "views/s3_4_service_matrix.py", "views/s3_5_exercise1.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    # 3.5 shows the cmb ladder for the AUM segmentation; 3.4 (visited above) used it too.
    assert any("Sunflower" in c.value for c in at.caption)
    at.switch_page("views/s3_4_service_matrix.py").run()
    assert at.dataframe[0].value["label"].tolist() == [
        "Below Gold card (unnamed)", "Gold card", "Sunflower", "Diamond", "Private banking"
    ]


def _figure(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return json.loads(chart.proto.spec)


def test_tier_chart_is_horizontal_and_hides_empty_shares() -> None:
    # A three-customer book on 招商's ladder: 2,000 元 (below 金卡), 60万 and 80万 (金葵花). 金卡, 钻石 and 私人银行
    # are empty, so their bars carry no "0%" label. AUM shares: 0.2 ÷ 140.2 = 0.14% ("<1%", not "0%"),
    # 140 ÷ 140.2 = 99.86% ("100%"); customers 1 ÷ 3 = 33%, 2 ÷ 3 = 67%.
    from ui.state import ActiveBook

    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [2_000.0, 600_000.0, 800_000.0]})
    book = ActiveBook(frame=frame, source="upload", label="three.csv", token="three")
    at = open_app("zh", PAGE, book=book)
    at.selectbox(key="s3_1_preset").set_value("cmb").run()
    assert not at.exception
    traces = {trace["name"]: trace for trace in _figure(at, "s3_1_tier_chart")["data"]}
    customers, aum = traces["客户占比"], traces["资产占比"]
    assert customers["orientation"] == "h"
    assert customers["y"][0] == "金卡以下（未列名）" and customers["y"][-1] == "私人银行"  # the ladder, low at the foot
    assert customers["text"] == ["33%", "", "67%", "", ""]
    assert aum["text"] == ["<1%", "", "100%", "", ""]


def test_hysteresis_chart_names_tiers_beside_the_plot() -> None:
    at = open_app("en", PAGE)
    at.selectbox(key="s3_1_preset").set_value("cmb").run()
    figure = _figure(at, "s3_1_hysteresis_chart")
    # the threshold names sit right of the plot (x = 1 of the domain, anchored left), never over a bar
    notes = {a["text"]: a for a in figure["layout"]["annotations"]}
    assert notes["Sunflower"]["x"] == 1 and notes["Sunflower"]["xanchor"] == "left"
    assert figure["layout"]["yaxis2"]["side"] == "right"
    bars = figure["data"][0]
    assert bars["textfont"]["color"] == "#1F2A36"  # dark month labels, readable on a projector


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_two_tier_bank_can_keep_the_course_lower_tiers(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.selectbox(key="s3_1_preset").set_value("icbc").run()
    assert not at.exception
    at.checkbox(key="s3_1_blend").check().run()
    assert not at.exception
    # 工商银行 800万 over the course's 大众 · 潜力 · 财富: the sample book has 4 customers at ≥ 800万 (counted in
    # tests/workbook/test_peers.py) and 59 + 3 between 50万 and 800万
    shown = _tier_table(at, lang).set_index("层级" if lang == "zh" else "Tier")
    counts = shown["客户数" if lang == "zh" else "Customers"].to_dict()
    names = (["大众客户", "潜力客户", "财富客户", "私人银行"] if lang == "zh"
             else ["Mass", "Potential", "Affluent", "Private banking"])
    assert counts == dict(zip(names, [90, 144, 62, 4], strict=True))
    origins = _origin_table(at, lang)
    assert origins[i18n.t("peers.col.origin", lang)].tolist() == peers.preset_table("icbc", lang, blend=True)[
        "origin"].tolist()
    at.button(key="s3_1_apply").click().run()
    workspace = at.session_state["workspace"]
    assert workspace["modules"]["s3_2"]["params"]["aum"] == peers.course_blend("icbc").params()
    assert workspace["modules"]["s3_1"]["blend"] is True
    assert any(("课程的低层级" if lang == "zh" else "course's lower tiers") in s.value for s in at.success)
    # a bank with its own lower tiers offers no such choice
    at.selectbox(key="s3_1_preset").set_value("cmb").run()
    assert "s3_1_blend" not in [c.key for c in at.checkbox]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_three_uses_of_a_gradient_scale(lang: str) -> None:
    at = open_app(lang, PAGE)
    text = all_text(at)
    assert ("分层管理" in text and "更精准地设计营销方案" in text) if lang == "zh" else "design marketing" in text
    assert ("客户服务等级" if lang == "zh" else "Service levels") in text
    # the life-cycle tag counted on the sample book (tests/workbook/test_dimensions.py tags the same way)
    from workbook.samples import sample_book
    from workbook.segmentation import segment

    phases = segment(sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED), "lifecycle").value_counts()
    exploration = "考察期" if lang == "zh" else "Exploration"
    expected = f"{exploration} {phases['exploration']} 位" if lang == "zh" else f"{exploration} {phases['exploration']}"
    assert expected in " ".join(c.value for c in at.caption)
