"""3.4 behaviour: the matrix prefilled from the templates for the scheme chosen in 3.2, plan cost against revenue
with warnings, the hourly cost from 1.4, and edits kept in the workspace, in Chinese and English."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import services
from workbook import workspace as ws
from workbook.samples import sample_book
from workbook.segmentation import segment_detail

PAGE = "views/s3_4_service_matrix.py"
AUM_CODES = "mass-potential-affluent-private"


def _workspace(**modules: dict) -> dict:
    workspace = ws.new_workspace()
    for module_id, values in modules.items():
        ws.set_values(workspace, module_id, **values)
    return workspace


def _expected_hours(scheme_id: str = "aum") -> float:
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    detail = segment_detail(book, scheme_id)
    stats = services.tier_revenue(book, detail.tiers)
    codes = [c for c in stats.index if c != "insufficient" or stats.loc[c, "customers"]]
    rows = services.matrix_rows(scheme_id, codes, "zh")
    return services.plan_summary(services.plan_costs(rows, stats, 200), 1800).hours


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_matrix_prefilled_and_plan_hours_shown(lang: str) -> None:
    at = open_app(lang, PAGE)
    assert not at.exception
    assert at.selectbox(key="s3_4_scheme").value == "aum"
    matrix = at.dataframe[0].value  # the editable matrix, prefilled in the page's language
    assert matrix["cadence"].iloc[0] == services.TIER_TEMPLATES["aum"]["mass"].text["cadence"][lang]
    assert matrix["owner"].iloc[3] == services.TIER_TEMPLATES["aum"]["private"].text["owner"][lang]
    assert at.dataframe[1].value["hours"].tolist() == [0.5, 2.0, 8.0, 24.0]
    metrics = {m.label: m.value for m in at.metric}
    hours_label = "计划总服务小时 / 年" if lang == "zh" else "Planned hours a year"
    assert metrics[hours_label] == f"{_expected_hours():,.0f}"


def test_scheme_defaults_to_the_one_chosen_in_3_2() -> None:
    at = open_app("zh", PAGE, workspace=_workspace(s3_2={"scheme": "behaviour", "params": {}}))
    assert at.selectbox(key="s3_4_scheme").value == "behaviour"
    matrix = at.dataframe[0].value
    assert matrix["channel"].iloc[-1] == services.TIER_TEMPLATES["behaviour"]["digital"].text["channel"]["zh"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hourly_cost_comes_from_1_4(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_workspace(s1_4={"annual_cost": 450_000, "effective_hours": 1_500}))
    captions = " ".join(c.value for c in at.caption)
    # 450,000 ÷ 1,500 = 300 元/h; the annual cost in the page's money format (45万元, CNY 450k)
    expected = "每小时成本 300元 = 年度成本 45万元" if lang == "zh" else "Hourly cost CNY 300 = annual cost CNY 450k"
    assert expected in captions
    assert "1.4" in captions


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_expensive_plan_warns_and_is_kept(lang: str) -> None:
    # 100 hours a year for each 大众 customer at 200 元/h: 100 × 200 = 20,000 元 per customer, far above what a
    # mass customer brings → the tier is flagged.
    key = f"s3_4_numbers_aum_{AUM_CODES}_{lang}"
    at = open_app(lang, PAGE, **{key: {"edited_rows": {0: {"hours": 100.0}}, "added_rows": [], "deleted_rows": []}})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert ("大众客户" if lang == "zh" else "Mass") in warnings
    overrides = at.session_state["workspace"]["modules"]["s3_4"]["overrides"]["aum"]
    assert overrides == {"mass": {"hours": 100.0}}
    metrics = {m.label: m.value for m in at.metric}
    hours_label = "计划总服务小时 / 年" if lang == "zh" else "Planned hours a year"
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    mass = int((segment_detail(book, "aum").tiers == "mass").sum())
    # The mass tier's hours go from 0.5 to 100 per customer: + 99.5 × its customers.
    assert metrics[hours_label] == f"{_expected_hours() + 99.5 * mass:,.0f}"


def test_text_edit_kept_and_reset() -> None:
    key = f"s3_4_matrix_aum_{AUM_CODES}_zh"
    at = open_app("zh", PAGE, **{key: {"edited_rows": {3: {"owner": "私人银行家 + 我"}}, "added_rows": [],
                                      "deleted_rows": []}})
    overrides = at.session_state["workspace"]["modules"]["s3_4"]["overrides"]
    assert overrides["aum"] == {"private": {"owner": "私人银行家 + 我"}}
    at.button(key="s3_4_reset").click().run()
    assert not at.exception
    assert "aum" not in at.session_state["workspace"]["modules"]["s3_4"]["overrides"]


def _small_book():
    import pandas as pd

    from ui.state import ActiveBook

    # as tests/workbook/test_services.py: two 大众 (3 h + 5 h), one 潜力 (10 h), one 财富 (4 h)
    frame = pd.DataFrame({
        "customer_id": list("abcd"),
        "aum": [10_000.0, 20_000.0, 100_000.0, 800_000.0],
        "fee_income_12m": [50.0, 50.0, 1_000.0, 8_000.0],
        "service_hours_12m": [3.0, 5.0, 10.0, 4.0],
        "gift_cost_12m": [100.0, 0.0, 300.0, 0.0],
        "event_cost_12m": [60.0, 0.0, 0.0, 400.0],
        "rebate_cost_12m": [0.0, 0.0, 50.0, 0.0],
    })
    return ActiveBook(frame=frame, source="upload", label="small.xlsx", token="small-book")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_today_beside_the_plan(lang: str) -> None:
    at = open_app(lang, PAGE, book=_small_book())
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # today 3 + 5 + 10 + 4 = 22 h; planned 0.5 × 2 + 2 × 1 + 8 × 1 = 11 h; frees 7 (大众) + 8 (潜力), adds 4 (财富)
    labels = {"zh": ("今天服务小时 / 年", "计划服务小时 / 年", "计划释放的小时", "计划需要增加的小时"),
              "en": ("Hours today a year", "Hours planned a year", "Hours the plan frees", "Hours the plan adds")}
    today, planned, freed, needed = labels[lang]
    assert (metrics[today], metrics[planned], metrics[freed], metrics[needed]) == ("22", "11", "15", "4")
    table = next(df.value for df in at.dataframe if ("今天小时" if lang == "zh" else "Hours today") in df.value.columns)
    change = "小时增减" if lang == "zh" else "Hours ±"
    assert table[change].tolist()[:3] == ["-7", "-8", "+4"]
    gifts = "今天礼品（万元）" if lang == "zh" else "Gifts (CNY 10k)"
    assert table[gifts].tolist()[:2] == ["0.01", "0.03"]  # 100 元 and 300 元 in 万元
    notes = " ".join(c.value for c in at.caption)
    red_line = "返佣和承诺收益都是监管红线" if lang == "zh" else "kickbacks and promised returns are red lines"
    assert red_line in notes


def _deposits_only_book():
    import pandas as pd

    from ui.state import ActiveBook

    frame = pd.DataFrame({"customer_id": ["a", "b"], "aum": [10_000.0, 900_000.0],
                          "deposit_balance": [10_000.0, 900_000.0]})
    return ActiveBook(frame=frame, source="upload", label="x.csv", token="no-hours")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_hours_today_is_what_1_4_assumes_and_says_so(lang: str) -> None:
    at = open_app(lang, PAGE, book=_deposits_only_book())
    assert not at.exception
    notes = " ".join(c.value for c in at.caption)
    assert ("“今天”的这几项按「1.4 客户资产负债审视」的服务成本假设估算" if lang == "zh"
            else "these figures of “today” are estimated with the cost-to-serve assumptions on “1.4") in notes
    table = next(df.value for df in at.dataframe if ("今天小时" if lang == "zh" else "Hours today") in df.value.columns)
    hours_today, change = ("今天小时", "小时增减") if lang == "zh" else ("Hours today", "Hours ±")
    # rows 大众 · 潜力 (empty) · 财富 · 私行 (empty). 1.4's tier hours (cost_to_serve.toml): 大众 1 h, 财富 8 h;
    # 3.4's plan: 0.5 h and 8 h a customer, so 大众 −0.5 h and 财富 ±0
    assert table[hours_today].tolist() == ["1", "0", "8", "0"]
    assert [table[change].tolist()[i] for i in (0, 2)] == ["-0.5", "+0"]
    gifts = "今天礼品（万元）" if lang == "zh" else "Gifts (CNY 10k)"
    assert [table[gifts].tolist()[i] for i in (0, 2)] == ["0", "0.06"]  # 财富's assumed 600 元 of gifts in 万元


def test_today_unknown_without_hours_when_1_4_assumes_none() -> None:
    from workbook import workspace as ws

    work = ws.new_workspace()
    ws.set_values(work, "s1_4", assume_missing=0.0)
    at = open_app("zh", PAGE, book=_deposits_only_book(), workspace=work)
    assert not at.exception
    assert any("无法与今天的实际投入比较" in i.value for i in at.info)
