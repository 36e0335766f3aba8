"""4.3 behaviour: T, OE, NP and T/OE of the sample book as the domain computes them, T per hour by tier, the best
allocation of the hours with its uplift, an infeasible floor shown as a clear error, the budget turning on ROI, the
case cards, and books without revenue or without hours — in Chinese and English."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import book, id_aum_book, markdown_text, metrics
from ui import charts
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import throughput as tp
from workbook.money import money_text
from workbook.profit import ProfitParams
from workbook.samples import sample_book
from workbook.segmentation import segment

PAGE = "views/s4_3_throughput.py"
LABELS = {
    "zh": {"t": "有效产出 T", "np": "净利润 NP", "oe": "全年营运费用 OE", "ratio": "生产率 T ÷ OE",
           "roi": "投资回报率 ROI", "best_t": "最优分配下的 T", "moved": "挪动的小时数"},
    "en": {"t": "Throughput T", "np": "Net profit NP", "oe": "Operating expense OE", "ratio": "Productivity T ÷ OE",
           "roi": "Return on investment", "best_t": "T with the best hours", "moved": "Hours moved"},
}


def _expected() -> tuple[tp.ThroughputTotals, tp.AllocationComparison]:
    frame = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    by_tier = tp.throughput_by_tier(frame, segment(frame, "aum"), ProfitParams())
    totals = tp.throughput_totals(by_tier, ProfitParams())
    priced = by_tier[by_tier["t_per_hour"].notna() & (by_tier["customers"] > 0)]
    table = tp.allocation_table(priced)
    return totals, tp.compare_allocation(table, round(float(priced["hours"].sum())), totals.np)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_book_and_the_best_hours(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    shown, names = metrics(at), LABELS[lang]
    totals, comparison = _expected()
    assert shown[names["t"]] == money_text(totals.t, lang)
    assert shown[names["oe"]] == money_text(360_000, lang)  # the default annual cost, no other OE
    assert shown[names["np"]] == money_text(totals.t - 360_000, lang)
    assert shown[names["ratio"]] == f"{totals.t / 360_000:.2f}"
    assert shown[names["roi"]] == "—"  # no budget entered
    assert shown[names["best_t"]] == money_text(comparison.t_best, lang)
    assert comparison.t_best > comparison.t_today
    assert shown[names["moved"]] == (f"{comparison.hours_moved:,.0f} 小时" if lang == "zh"
                                     else f"{comparison.hours_moved:,.0f} h")
    text = markdown_text(at)
    best = "**私行客户** 每小时有效产出最高" if lang == "zh" else "**Private banking** earns the most per hour"
    assert best in text
    assert len(at.get("plotly_chart")) == 2  # T per hour, hours moved


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_floors_above_the_hours_show_the_error_not_a_result(lang: str) -> None:
    at = open_app(lang, PAGE)
    at.number_input(key="s4_3_floor_pct").set_value(100).run()
    at.number_input(key="s4_3_available").set_value(1000).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert ("最低服务小时数合计" if lang == "zh" else "floors add up to") in errors
    assert "1,000" in errors
    assert LABELS[lang]["best_t"] not in metrics(at)
    module = at.session_state["workspace"]["modules"]["s4_3"]
    assert module["floor_pct"] == 100 and module["available"] == 1000


def test_a_budget_gives_roi_per_tier_and_in_total() -> None:
    at = open_app("zh", PAGE)
    # 财富客户 gets a budget of 10 万元 (row 2 of the budget editor)
    at.session_state["s4_3_investment_aum_mass-potential-affluent-private_zh"] = {
        "edited_rows": {2: {"investment": 10}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.session_state["workspace"]["modules"]["s4_3"]["investment"] == {"aum": {"affluent": 100_000.0}}
    totals, _ = _expected()
    assert metrics(at)["投资回报率 ROI"] == charts.percent((totals.t - 360_000) / 100_000, 0)


def test_a_bound_typed_for_a_tier_is_kept_and_used() -> None:
    at = open_app("en", PAGE)
    # rows in T-per-hour order: private, affluent, potential, mass; private's ceiling 168 × 150% = 252 → 400
    key = "s4_3_bounds_aum_private-affluent-potential-mass_en"
    at.session_state[key] = {"edited_rows": {0: {"ceiling": 400}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.session_state["workspace"]["modules"]["s4_3"]["bounds"] == {"aum": {"private": {"ceiling": 400.0}}}
    best = at.dataframe[-1].value
    assert best.iloc[0, 2] == "400 h"  # private banking filled to its new ceiling first


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_case_cards(lang: str) -> None:
    at = open_app(lang, PAGE)
    text = markdown_text(at)
    if lang == "zh":
        assert "每分钟 3 美元胜过每分钟 2 美元" in text and "净利润 **−300 美元**" in text
        assert "净利润 **300 美元**" in text and "（**+30%**）" in text and "达成 **125%**" in text
        assert text.count("示意数字") == 2
    else:
        assert "\\$3 a minute beats \\$2 a minute" in text and "net profit **−\\$300**" in text
        assert "(**+30%**)" in text and "(**125%** of target)" in text
        assert text.count("Illustrative numbers") == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_id_and_aum_book_says_revenue_is_unknown(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert ("无法计算有效产出" if lang == "zh" else "throughput T — cannot be computed") in warning
    assert not at.metric and not at.dataframe  # nothing made up
    assert ("高德拉特" if lang == "zh" else "Goldratt") in markdown_text(at)  # the cases still teach


def _no_hours_book():
    import pandas as pd

    # AUM tiers 大众 (2万), 财富 (80万), 私行 (900万); fee income only: no hours, contacts, gifts or events.
    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [20_000.0, 800_000.0, 9_000_000.0],
                          "fee_income_12m": [100.0, 5_000.0, 40_000.0]})
    return book(frame, "no-hours")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_book_without_hours_counts_the_hours_1_4_prices_and_says_which_they_are(lang: str) -> None:
    at = open_app(lang, PAGE, book=_no_hours_book())
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    # 1.4's tier assumptions, and 3.4's plan named as something else
    assert ("就是「1.4 客户资产负债审视」计算服务成本用的小时数" if lang == "zh"
            else "the ones “1.4 Asset or liability?” costs") in info
    assert ("「3.4 差异化服务矩阵」里的小时数是你计划给各层的时间，不是今天的时间" if lang == "zh"
            else "what you plan to give each tier, not what it gets today") in info
    hours, per_hour = (("服务小时", "每小时有效产出（元/小时）") if lang == "zh"
                       else ("Service hours", "Throughput per hour (CNY/h)"))
    table = next(d.value for d in at.dataframe if hours in d.value.columns)
    # cost_to_serve.toml: 大众 1 h, 财富 8 h, 私行 24 h a customer a year (not 3.4's plan: 大众 0.5 h)
    assert table[hours].tolist() == ["1", "8", "24"]
    # T = fee income − the tier's assumed gifts and events: 大众 100 − 0 = 100 over 1 h; 财富 5,000 − 600 − 400
    # = 4,000 over 8 h = 500; 私行 40,000 − 3,000 − 2,000 = 35,000 over 24 h = 1,458.33 an hour; one unit per column
    assert table[per_hour].tolist() == ["100", "500", "1,458"]


def test_with_the_assumptions_off_a_book_without_hours_is_not_priced_per_hour() -> None:
    from workbook import workspace as ws

    work = ws.new_workspace()
    ws.set_values(work, "s1_4", assume_missing=0.0)
    at = open_app("zh", PAGE, book=_no_hours_book(), workspace=work)
    assert not at.exception
    assert "服务成本假设已关闭" in " ".join(i.value for i in at.info)
    table = next(d.value for d in at.dataframe if "服务小时" in d.value.columns)
    assert table["服务小时"].tolist() == ["—", "—", "—"]
    assert table["每小时有效产出（元/小时）"].tolist() == ["—", "—", "—"]
