"""Page 1.2 核心业绩公式: the book's values, overrides, target, lesson, plan and waterfall, in zh and en."""

from __future__ import annotations

import pytest

from tests.fixtures.small_books import dated_formula_book, formula_book
from tests.pages.apptest import open_app
from tests.pages.s1_helpers import book, go_away_and_back, id_aum_book, markdown_text, metrics, plotly_figures
from workbook import i18n

PAGE = "views/s1_2_performance_formula.py"


def _tiny_book():
    # tests/fixtures/small_books.formula_book: N = 3 a year, c = 2/3, v = 65,000 → P a year = 130,000.
    return book(formula_book(), "tiny-formula")


def _yearly(lang: str):
    at = open_app(lang, PAGE, book=_tiny_book())
    at.radio(key="s1_2_period").set_value("year").run()
    return at


def _current_p(at) -> str:
    return next(value for label, value in metrics(at).items() if "P" in label and ("当前" in label or "today" in label))


def _planned_p(at) -> str:
    return next(value for label, value in metrics(at).items() if "计划" in label or "Planned" in label)


@pytest.mark.parametrize(("lang", "p_year", "p_month"), [("zh", "13万元", "1.1万元"),
                                                         ("en", "CNY 130k", "CNY 10.8k")])
def test_values_from_the_book_and_the_period(lang: str, p_year: str, p_month: str) -> None:
    at = open_app(lang, PAGE, book=_tiny_book())
    assert not at.exception
    # the default period is a month; no contact dates, so N = Σ min(contacts, 12) ÷ 12 = (4 + 1 + 2) ÷ 12 = 7/12
    # → P = 130,000 ÷ 12 = 10,833; the basis is asset growth (no fee income, no own figures) and the page says so
    assert at.number_input(key="s1_2_n_month").value == pytest.approx(7 / 12)
    assert at.radio(key="s1_2_basis").value == "aum_growth"
    assert ("粗略替代" if lang == "zh" else "rough stand-in") in markdown_text(at)
    assert _current_p(at) == p_month
    at.radio(key="s1_2_period").set_value("year").run()
    assert at.number_input(key="s1_2_n_year").value == pytest.approx(3)
    assert at.number_input(key="s1_2_c_pct_year").value == pytest.approx(200 / 3)
    assert at.number_input(key="s1_2_v").value == pytest.approx(6.5)  # 65,000 元 typed in 万元
    assert _current_p(at) == p_year
    text = markdown_text(at)
    if lang == "zh":
        assert "的客户 3 位（名册共 5 位）" in text and "的客户 2 位 ÷" in text and "这 2 位客户的平均资产增量" in text
    else:
        assert "3 customers with at least one contact" in text and "2 customers whose assets grew" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_target_levers_and_plan(lang: str) -> None:
    at = _yearly(lang)
    at.number_input(key="s1_2_target_year").set_value(26.0).run()  # 26万元
    assert not at.exception
    text = markdown_text(at)
    # ratio 2: one lever alone +100%, balanced 2^(1/3) − 1 = 26.0% on each
    assert "100.0%" in text and "26.0%" in text
    table = at.dataframe[0].value
    # one lever per column, its unit in the header: today, this lever alone, balanced
    c_column = table[i18n.t("s1.formula.lever.c", lang)].tolist()
    # c alone: 66.7% × 2 = 133.3% (impossible); balanced: 66.7% × 1.26 = 84.0%
    assert c_column[0] == "66.7" and c_column[1].startswith("133.3%") and c_column[2] == "84.0"
    assert ("不可能" if lang == "zh" else "impossible") in c_column[1]
    # the plan starts balanced → planned P = target 260,000
    assert _planned_p(at) == ("26万元" if lang == "zh" else "CNY 260k")
    # plan: N +100%, c and v unchanged → 6 × 2/3 × 65,000 = 260,000; waterfall N +130,000, c 0, v 0
    at.number_input(key="s1_2_plan_n").set_value(100.0)
    at.number_input(key="s1_2_plan_c").set_value(0.0)
    at.number_input(key="s1_2_plan_v").set_value(0.0).run()
    waterfall = next(f for f in plotly_figures(at) if f["data"][0]["type"] == "waterfall")["data"][0]
    assert waterfall["y"] == pytest.approx([130_000, 130_000, 0, 0, 260_000])
    # v first instead: the order changes the steps, never the total
    at.number_input(key="s1_2_plan_v").set_value(50.0).run()
    at.selectbox(key="s1_2_order").set_value("v,c,n").run()
    waterfall = next(f for f in plotly_figures(at) if f["data"][0]["type"] == "waterfall")["data"][0]
    # v +50% first: 3 × 2/3 × 32,500 = 65,000; c: 0; N +100% last: 3 × 2/3 × 97,500 = 195,000; total 390,000
    assert waterfall["y"] == pytest.approx([130_000, 65_000, 0, 195_000, 390_000])
    assert at.session_state["workspace"]["modules"]["s1_2"]["order"] == "v,c,n"


@pytest.mark.parametrize(("lang", "ten", "twenty"), [("zh", "+33.1%", "+72.8%"), ("en", "+33.1%", "+72.8%")])
def test_the_multiplying_lesson(lang: str, ten: str, twenty: str) -> None:
    at = open_app(lang, PAGE, book=_tiny_book())
    assert ten in markdown_text(at)  # 1.1³ − 1
    at.slider(key="s1_2_lesson_pct").set_value(20.0).run()
    assert twenty in markdown_text(at)  # 1.2³ − 1 = 0.728


def test_overrides_repurchase_and_persistence() -> None:
    at = _yearly("zh")
    at.number_input(key="s1_2_c_pct_year").set_value(20.0).run()
    # 3 × 20% × 65,000 = 39,000
    assert _current_p(at) == "3.9万元"
    assert "已由你修改" in markdown_text(at)
    at.toggle(key="s1_2_repurchase").set_value(True).run()
    # × (1 + 20% default repurchase) = 46,800
    assert _current_p(at) == "4.7万元"
    at.number_input(key="s1_2_r_pct").set_value(50.0).run()
    assert _current_p(at) == "5.9万元"  # 39,000 × 1.5 = 58,500
    at = go_away_and_back(at, PAGE)
    assert not at.exception
    assert at.number_input(key="s1_2_c_pct_year").value == pytest.approx(20.0)
    assert _current_p(at) == "5.9万元"
    at.button(key="s1_2_reset").click().run()
    assert at.number_input(key="s1_2_c_pct_year").value == pytest.approx(200 / 3)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_book_with_only_id_and_aum(lang: str) -> None:
    at = open_app(lang, PAGE, book=id_aum_book())
    assert not at.exception
    # N = all 2 customers ÷ 12; c = 10% and v = 100,000 by default → P = 2/12 × 0.1 × 100,000 = 1,667
    assert _current_p(at) == ("1,667元" if lang == "zh" else "CNY 1.7k")
    text = markdown_text(at)
    assert ("默认值" if lang == "zh" else "Default") in text
    assert ("近12月接触次数" if lang == "zh" else "Contacts (12m)") in text


def test_the_case_cards_show_the_outline_numbers() -> None:
    at = open_app("zh", PAGE, book=id_aum_book())
    text = markdown_text(at)
    assert "2.197" in text  # 1.3³
    assert "2.154" in text and "2,000万元" in text and "200万元" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_n_is_customers_reached_this_month_and_the_basis_is_stated(lang: str) -> None:
    at = open_app(lang, PAGE, book=book(dated_formula_book(), "dated-formula"))
    assert not at.exception
    # last contacts within 30 days of 2026-03-31: c1 and c2 → N = 2; the book has fee income → that basis first
    assert at.number_input(key="s1_2_n_month").value == 2
    assert at.radio(key="s1_2_basis").value == "fee_income"
    n_input = at.number_input(key="s1_2_n_month")
    assert ("有效触达客户数" if lang == "zh" else "customers reached") in n_input.label
    assert ("有效户" in n_input.help) if lang == "zh" else ("effective accounts" in n_input.help)
    text = markdown_text(at)
    assert "2026-03-31" in text
    # fee income: 2 fee-paying customers a year → 1/6 a month over 2 reached: c = 8.3%; v = 4,000 ÷ 2 = 2,000;
    # P = 4,000 ÷ 12 = 333
    assert at.number_input(key="s1_2_c_pct_month").value == pytest.approx(100 / 12)
    assert _current_p(at) == ("333元" if lang == "zh" else "CNY 333")


def test_the_trainees_own_sales_become_the_basis() -> None:
    at = open_app("zh", PAGE, book=book(dated_formula_book(), "dated-formula"))
    # this month: 1 deal, 理财 10万, 基金 5万 → the page switches to "my sales" (the trainee chose no basis):
    # c = 1 ÷ 2 reached = 50%, v = 15万 → P = 15万
    at.number_input(key="s1_2_own_month_deals").set_value(1.0).run()
    at.number_input(key="s1_2_own_month_wealth").set_value(10.0).run()
    at.number_input(key="s1_2_own_month_fund").set_value(5.0).run()
    assert not at.exception
    assert at.radio(key="s1_2_basis").value == "own_sales"
    assert at.number_input(key="s1_2_c_pct_month").value == pytest.approx(50.0)
    assert at.number_input(key="s1_2_v").value == pytest.approx(15.0)
    assert _current_p(at) == "15万元"
    assert "你填入的理财、基金、保险销售额" in markdown_text(at)
    assert at.session_state["workspace"]["modules"]["s1_2"]["own_month"] == {
        "deals": 1.0, "wealth": 100_000.0, "fund": 50_000.0}
    # the trainee's explicit choice stays: back to the book's fee income
    at.radio(key="s1_2_basis").set_value("fee_income").run()
    at = go_away_and_back(at, PAGE)
    assert at.radio(key="s1_2_basis").value == "fee_income"
    assert _current_p(at) == "333元"
