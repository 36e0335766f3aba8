"""Page 1.4 客户资产负债审视 on a 4-customer book computed by hand; the hourly cost drives every figure."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import book, go_away_and_back, id_aum_book, markdown_text, metrics, plotly_figures

PAGE = "views/s1_4_asset_liability.py"


def _tiny_book():
    # At 200 元/h (360,000 ÷ 1,800), deposit spread 1%, loan spread 1.5%:
    #   c1 revenue 10,000 (fees)                 cost 10 h × 200 = 2,000            net  8,000 asset
    #   c2 revenue 1,000 + 100,000 × 1% = 2,000  cost 20 h × 200 + 500 gifts = 4,500 net −2,500 liability
    #   c3 revenue 200,000 × 1.5% = 3,000        cost 5 h × 200 = 1,000             net  2,000 asset
    #   c4 revenue 500                           cost 10 h × 200 + 1,000 rebate     net −2,500 potential
    #                                            = 3,000                            (1,000,000 at other banks)
    # total 5,000. Whale: 8,000, 10,000, 7,500, 5,000 → 160%, 200%, 150%, 100%: peak 200% after 50%.
    return book(pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4"],
        "aum": [500_000.0, 100_000.0, 50_000.0, 20_000.0],
        "fee_income_12m": [10_000.0, 1_000.0, 0.0, 500.0],
        "deposit_balance": [0.0, 100_000.0, 0.0, 0.0],
        "loan_balance": [0.0, 0.0, 200_000.0, 0.0],
        "service_hours_12m": [10.0, 20.0, 5.0, 10.0],
        "gift_cost_12m": [0.0, 500.0, 0.0, 0.0],
        "rebate_cost_12m": [0.0, 0.0, 0.0, 1_000.0],
        "event_cost_12m": [0.0, 0.0, 0.0, 0.0],
        "external_assets_est": [0.0, 0.0, 0.0, 1_000_000.0],
    }), "tiny-profit")


ZH_AT_200 = {"每小时成本": "200 元", "资产（2 位）": "1.0 万元", "潜力资产（1 位）": "-2,500 元",
             "负债（1 位）": "-2,500 元", "全部客户净贡献（4 位）": "5,000 元"}


def test_hand_computed_figures_and_the_hourly_cost_worked_back() -> None:
    at = open_app("zh", PAGE, book=_tiny_book())
    assert not at.exception
    shown = metrics(at)
    assert {k: shown[k] for k in ZH_AT_200} == ZH_AT_200
    text = markdown_text(at)
    # 36.0 万元 ÷ 1,800 h = 200 元/h; 10,000 元 a year pays for 10,000 ÷ 200 = 50 hours
    assert "36.0 万元 ÷ 1,800 小时 = **200 元/小时**" in text and "**50 小时**" in text
    assert "峰值 200%" in text or "**200%**" in text
    # top 20% = the first customer (⌈0.8⌉ = 1): 8,000 ÷ 5,000 = 160%; after the peak 100% is lost again
    assert "**160%**" in text and "**100%**" in text
    whale = next(f for f in plotly_figures(at) if f["data"][0]["mode"] == "lines")
    assert whale["data"][0]["y"] == pytest.approx([0.0, 1.6, 2.0, 1.5, 1.0])  # drawn from the origin
    # 倒推: over-served c2 (20 h vs 2,000 ÷ 200 = 10 h) and c4 (10 vs 2.5): 17.5 h a year (3,500 元);
    # under-served c1: 10,000 ÷ 200 = 50 h justified, 10 given → 40 h short
    assert shown["可收回的过度服务小时/年"] == "18"
    assert shown["约合成本"] == "3,500 元"
    assert shown["高贡献客户应增加的小时/年"] == "40"


def test_doubling_the_annual_cost_doubles_the_hourly_cost_and_changes_every_figure() -> None:
    at = open_app("zh", PAGE, book=_tiny_book())
    at.number_input(key="s1_4_annual_cost").set_value(720_000.0).run()
    assert not at.exception
    shown = metrics(at)
    # 720,000 ÷ 1,800 = 400 元/h: nets c1 6,000; c2 −6,500; c3 1,000; c4 −4,500 → total −4,000
    assert shown["每小时成本"] == "400 元"
    assert shown["资产（2 位）"] == "7,000 元"
    assert shown["潜力资产（1 位）"] == "-4,500 元"
    assert shown["负债（1 位）"] == "-6,500 元"
    assert shown["全部客户净贡献（4 位）"] == "-4,000 元"
    # total net is negative: no percentage whale curve, the page says so
    assert "-4,000 元（不为正）" in markdown_text(at)
    # and the parameters survive leaving the page
    at = go_away_and_back(at, PAGE)
    assert at.number_input(key="s1_4_annual_cost").value == 720_000.0
    assert metrics(at)["每小时成本"] == "400 元"


def test_english_figures_and_lists() -> None:
    at = open_app("en", PAGE, book=_tiny_book())
    assert not at.exception
    shown = metrics(at)
    assert shown["Cost per hour"] == "CNY 200"
    assert shown["Asset (2)"] == "CNY 10.0k"
    assert shown["Net of all customers (4)"] == "CNY 5.0k"
    tables = [element.value for element in at.dataframe]
    over = tables[0]
    assert over["Customer ID"].tolist() == ["c2", "c4"]  # largest gap first: 10 h, then 7.5 h
    assert over["Hours paid for"].tolist() == pytest.approx([10.0, 2.5])
    assert over["Suggested action"].tolist()[1] == "Win their assets from other banks"
    liabilities = tables[2]
    assert liabilities["Customer ID"].tolist() == ["c2"]
    assert liabilities["Suggested action"].tolist() == ["Stop gifts and rebates"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_book_with_only_id_and_aum_says_what_is_missing(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    warning = at.warning[0].value
    assert ("无法判断客户是资产还是负债" if lang == "zh" else "no customer can be judged") in warning
    assert ("鲸鱼曲线" if lang == "zh" else "whale curve") in at.info[0].value
    assert not plotly_figures(at)  # no charts from an empty review
    assert "s1_4_my_assets" in [element.key for element in at.text_area]  # the worksheet is still there
