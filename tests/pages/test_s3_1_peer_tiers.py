"""3.1 behaviour: the peer table with its caveat and flags, a bank preset re-tiering the book (and applied to 3.2),
the hysteresis simulator and the star-points calculator, in Chinese and English."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pages.apptest import all_text, open_app
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import gradient, i18n, peers
from workbook.samples import sample_book
from workbook.segmentation import segment_detail, tier_summary

PAGE = "pages/s3_1_peer_tiers.py"


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
    overview = at.table[0].value
    assert len(overview) == 10
    assert overview[i18n.t("peers.col.tiers", lang)].str.contains("⚠").any()  # M and L figures are marked
    assert (overview[i18n.t("peers.col.confidence", lang)] == "H").sum() == 1  # only 招商 is H as a bank


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bank_id", ["cmb", "psbc", "cib"])
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


def test_apply_stores_the_preset_for_3_2_and_persists() -> None:
    at = open_app("zh", PAGE)
    at.selectbox(key="s3_1_preset").set_value("bocom").run()
    at.button(key="s3_1_apply").click().run()
    assert not at.exception
    workspace = at.session_state["workspace"]
    assert workspace["modules"]["s3_2"]["params"]["aum"] == peers.aum_preset("bocom")
    assert workspace["modules"]["s3_1"]["preset"] == "bocom"
    assert any("交通银行" in s.value for s in at.success)
    # Leave and come back: the choice is kept.
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="s3_1_preset").value == "bocom"


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
    for page in ("pages/s3_2_segmentation.py", "pages/s3_4_service_matrix.py", "pages/s3_5_exercise1.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    # 3.5 shows the cmb ladder for the AUM segmentation; 3.4 (visited above) used it too.
    assert any("Sunflower" in c.value for c in at.caption)
    at.switch_page("pages/s3_4_service_matrix.py").run()
    assert at.dataframe[0].value["label"].tolist() == [
        "Below Gold card (unnamed)", "Gold card", "Sunflower", "Diamond", "Private banking"
    ]
