"""3.2 behaviour on the hand-made book (tests/fixtures/hand_book.py): change the scheme and a threshold, the tier
counts shown move as the answer key says; parameters persist in the workspace; the cross-tab, the migration
metrics and the masked members; Chinese and English."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.fixtures.hand_book import hand_book
from tests.pages.apptest import all_text, open_app
from ui.state import ActiveBook

PAGE = "views/s3_2_segmentation.py"
COLUMNS = {"zh": ("层级", "客户数"), "en": ("Tier", "Customers")}


def _book() -> ActiveBook:
    frame = hand_book()
    frame.insert(1, "name", pd.array(["张三丰", "李四光"] + ["王五"] * 10, dtype="str"))
    return ActiveBook(frame=frame, source="upload", label="hand.xlsx", token="hand-book")


def _counts(at, lang: str) -> dict[str, int]:
    tier, customers = COLUMNS[lang]
    table = next(df.value for df in at.dataframe if {tier, customers} <= set(df.value.columns))
    return dict(zip(table[tier], (int(n) for n in table[customers]), strict=True))


def _profile(at) -> pd.DataFrame:
    """The profile table: its first column holds the figure names (the first is the customer count)."""
    return next(df.value for df in at.dataframe if df.value.iloc[:, 0].tolist()[:1] in (["客户数"], ["Customers"]))


def _figure(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    return json.loads(chart.proto.spec)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_aum_tiers_and_a_threshold_change(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    assert not at.exception, [e.value for e in at.exception]
    # answer key: mass H01 H10 · potential H02 H03 H04 · affluent H05 H06 H07 H11 · private H08 H09 · H12 blank
    expected = {"zh": {"大众客户": 2, "潜力客户": 3, "财富客户": 4, "私行客户": 2, "信息不足": 1},
                "en": {"Mass": 2, "Potential": 3, "Affluent": 4, "Private banking": 2, "Insufficient data": 1}}
    assert _counts(at, lang) == expected[lang]
    threshold = at.number_input(key="s3_2_param_aum_thresholds_0")
    assert threshold.value == 5.0  # 万元
    threshold.set_value(3.0).run()
    assert not at.exception
    # 3万: H10 (30,000, on the cut → up) and H01 (49,999) join 潜力
    counts = _counts(at, lang)
    assert counts["潜力客户" if lang == "zh" else "Potential"] == 5
    assert counts["大众客户" if lang == "zh" else "Mass"] == 0
    saved = at.session_state["workspace"]["modules"]["s3_2"]["params"]["aum"]
    assert saved["thresholds"] == [30_000, 500_000, 6_000_000]


def test_change_scheme_shows_its_tiers_and_warnings() -> None:
    at = open_app("zh", PAGE, book=_book())
    at.selectbox(key="s3_2_scheme").set_value("relationship").run()
    assert not at.exception
    # answer key: stranger H01 H09 H10 · acquainted H02 H03 · familiar H04 H11 · trusted H05 H06 ·
    # close friend H07 H08 · insufficient H12
    assert _counts(at, "zh") == {"陌生": 3, "认识": 2, "熟悉": 2, "信任": 2, "挚友": 2, "信息不足": 1}
    assert at.session_state["workspace"]["modules"]["s3_2"]["scheme"] == "relationship"
    warnings = " ".join(w.value for w in at.warning)
    assert "1 位客户的“参加活动次数”为空" in warnings  # H11
    # the cut widgets are labelled by the tier they open
    assert [n.label for n in at.number_input][:4] == ["认识 起点", "熟悉 起点", "信任 起点", "挚友 起点"]

    at.selectbox(key="s3_2_scheme").set_value("priority").run()
    assert not at.exception
    # answer key at the default top-quarter cuts: batch H02 H03 H05 H06 H11 · standardise H01 H04 ·
    # nurture H08 H09 · close now H07 · insufficient H10 H12
    assert _counts(at, "zh") == {"小而生 · 批量低成本服务": 5, "小而熟 · 快速标准化": 2, "大而生 · 重点培育": 2,
                                 "大而熟 · 立即成交": 1, "信息不足": 2}
    # the ripeness cut moved to the median: 4 customers tie on 25 and all count as ripe
    at.slider(key="s3_2_param_priority_urgency_quantile").set_value(50.0).run()
    assert not at.exception
    text = all_text(at)
    assert "4 位客户的成交紧迫度恰好等于切分点 25" in text
    assert "价值潜力切分点：487万元" in text  # 4,874,999.25 元


def test_parameters_persist_when_leaving_and_coming_back() -> None:
    at = open_app("en", PAGE, book=_book())
    at.selectbox(key="s3_2_scheme").set_value("relationship").run()
    at.number_input(key="s3_2_param_relationship_cuts_1").set_value(45.0).run()
    # 熟悉 from 45: H04 (40) and H11 (43) fall back to 认识 beside H02 (26) and H03 (32); 熟悉 is empty
    counts = _counts(at, "en")
    assert counts["Acquainted"] == 4 and counts["Familiar"] == 0
    at.switch_page("views/s3_3_four_degrees.py").run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert at.selectbox(key="s3_2_scheme").value == "relationship"
    assert at.number_input(key="s3_2_param_relationship_cuts_1").value == 45.0
    assert _counts(at, "en")["Acquainted"] == 4
    at.button(key="s3_2_reset").click().run()
    assert at.number_input(key="s3_2_param_relationship_cuts_1").value == 40.0
    assert _counts(at, "en")["Acquainted"] == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_invalid_thresholds_show_a_clear_error(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    at.number_input(key="s3_2_param_aum_thresholds_1").set_value(1.0).run()  # 1万 below 5万
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert ("严格递增" if lang == "zh" else "strictly increasing") in errors
    # the defaults are shown meanwhile
    assert _counts(at, lang)["大众客户" if lang == "zh" else "Mass"] == 2


def test_members_are_masked_and_sorted() -> None:
    at = open_app("zh", PAGE, book=_book())
    member_box = at.selectbox(key="s3_2_members_aum")
    assert member_box.value == "private"  # the highest tier with customers
    member_box.set_value("mass").run()
    # (column labels come from column_config; the frame keeps the canonical keys)
    table = next(df.value for df in at.dataframe if "customer_id" in df.value.columns)
    assert table["customer_id"].tolist() == ["H01", "H10"]  # largest AUM first
    assert "张三丰" not in table["name"].tolist() and table["name"].iloc[0].startswith("张")
    assert "金融资产" in all_text(at)  # the AUM column's label


def test_crosstab_and_migration() -> None:
    at = open_app("en", PAGE, book=_book())
    heat = _figure(at, "s3_2_heatmap")["data"][0]
    assert heat["type"] == "heatmap"
    # AUM (rows) × contribution (columns): affluent row = C 1 (H11), B 1 (H05), A 2 (H06, H07)
    row = heat["y"].index("Affluent")
    assert [heat["text"][row][heat["x"].index(c)] for c in ("C (minor contributors)", "B (important contributors)",
                                                             "A (core contributors)")] == ["1", "1", "2"]
    at.radio(key="s3_2_cross_value").set_value("aum").run()
    heat = _figure(at, "s3_2_heatmap")["data"][0]
    row = heat["y"].index("Affluent")
    # in 万元 (the unit is on the switch): (1,200,000 + 5,999,999) / 10,000 = 719.9999 → 720
    assert heat["text"][row][heat["x"].index("A (core contributors)")] == "720"
    assert at.session_state["workspace"]["modules"]["s3_2"]["crosstab"]["value"] == "aum"
    metrics = {m.label: m.value for m in at.metric}
    # MIGRATION_MOVES of the hand book: H01 and H10 opened within the year, so they are new, not a move
    assert metrics == {"Moved up": "3", "Stayed": "4", "Moved down": "1", "New accounts": "2",
                       "Insufficient data": "2"}
    sankey = _figure(at, "s3_2_sankey")["data"][0]
    assert sum(sankey["link"]["value"]) == 12
    assert sankey["node"]["label"][0] == "New customers"  # the first source on the left


def test_lesson_is_shown() -> None:
    at = open_app("zh", PAGE)
    assert not at.exception
    assert any("选对池塘钓大鱼，也要选对池塘养大鱼" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_new_customers_and_the_life_cycle_cross_any_scheme(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    at.selectbox(key="s3_2_cross_b").set_value("lifecycle").run()
    assert not at.exception
    heat = _figure(at, "s3_2_heatmap")["data"][0]
    exploration, decline = ("考察期", "退化期") if lang == "zh" else ("Exploration", "Decline")
    mass, affluent = ("大众客户", "财富客户") if lang == "zh" else ("Mass", "Affluent")
    # hand book life cycle: exploration H01, H10 (both 大众); decline H06 (财富)
    assert heat["text"][heat["y"].index(mass)][heat["x"].index(exploration)] == "2"
    assert heat["text"][heat["y"].index(affluent)][heat["x"].index(decline)] == "1"
    at.selectbox(key="s3_2_cross_a").set_value("new").run()
    heat = _figure(at, "s3_2_heatmap")["data"][0]
    new = "新客户（开户不满1年）" if lang == "zh" else "New customer (under a year)"
    assert heat["text"][heat["y"].index(new)][heat["x"].index(exploration)] == "2"
    assert at.session_state["workspace"]["modules"]["s3_2"]["crosstab"]["a"] == "new"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_table_answers_which_customers_are_assets(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    assert not at.exception
    assert at.selectbox(key="s3_2_profile").value == "kind"
    table = _profile(at)
    rows = table.set_index(table.columns[0])
    customers = "客户数" if lang == "zh" else "Customers"
    asset, liability = ("资产", "负债") if lang == "zh" else ("Asset", "Liability")
    # the hand book at 1.4's defaults (revenue = fees + deposits × 1%, cost = hours × 200 元):
    # assets H03 (3,000 − 1,000), H04, H05, H06, H07, H08, H09 (15,000 − 1,200) and H12 (0 − 0: net 0 counts as
    # an asset) = 8; potential H02 (500 − 600 = −100, AUM +25% on a year ago); liabilities H01 (200 − 400),
    # H10 (0 − 200), H11 (0 − 1,000) = 3
    assert rows.loc[customers, asset] == "8"
    assert rows.loc[customers, liability] == "3"
    # liabilities take the time: H01 2 h, H10 1 h, H11 5 h → 2.7 h each
    hours = "人均服务小时 / 年" if lang == "zh" else "Service hours per customer a year"
    assert rows.loc[hours, liability] == "2.7"
    all_label = "全部客户" if lang == "zh" else "All customers"
    assert rows.loc[customers, all_label] == "12"
    aum = "平均金融资产（万元）" if lang == "zh" else "Mean AUM (CNY 10k)"
    assert aum in rows.index
    # grouped by the AUM ladder instead: the private tier's mean AUM (6,000,000 + 8,000,000) / 2 = 700万
    at.selectbox(key="s3_2_profile").set_value("aum").run()
    table = _profile(at)
    private = "私行客户" if lang == "zh" else "Private banking"
    assert table.set_index(table.columns[0]).loc[aum, private] == "700"
    assert at.session_state["workspace"]["modules"]["s3_2"]["profile"] == "aum"
