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
    # 450,000 ÷ 1,500 = 300 元/h
    assert ("每小时成本 300 元" if lang == "zh" else "Hourly cost CNY 300") in captions
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
