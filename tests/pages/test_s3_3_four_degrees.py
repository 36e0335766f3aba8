"""3.3 behaviour on the hand-made book: the scheme (and its parameters) carried over from 3.2, the four degrees
shown per tier with the figures of tests/workbook/test_degrees.py, missing inputs named; Chinese and English."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.hand_book import hand_book
from tests.pages.apptest import all_text, open_app
from ui.state import ActiveBook

PAGE = "views/s3_3_four_degrees.py"
FIGURE = {"zh": "指标", "en": "Figure"}


def _book(drop: tuple[str, ...] = ()) -> ActiveBook:
    frame = hand_book().drop(columns=list(drop))
    return ActiveBook(frame=frame, source="upload", label="hand.xlsx", token="hand-" + "-".join(drop))


def _raw(at) -> dict[str, dict[str, str]]:
    """The raw-figure table as {row label: {tier label: text}}."""
    table = next(df.value for df in at.dataframe if "" in df.value.columns and len(df.value) > 8)
    return {row[""]: {k: v for k, v in row.items() if k != ""} for row in table.to_dict("records")}


def _scores(at, lang: str) -> dict[str, dict[str, str]]:
    tier = "层级" if lang == "zh" else "Tier"
    table = next(df.value for df in at.dataframe if tier in df.value.columns)
    return {row[tier]: row for row in table.to_dict("records")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_degrees_by_aum_tier(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    assert not at.exception, [e.value for e in at.exception]
    raw = _raw(at)
    affluent = "财富客户" if lang == "zh" else "Affluent"
    private = "私行客户" if lang == "zh" else "Private banking"
    nps = "满意度 · 净推荐值 NPS" if lang == "zh" else "Satisfaction · Net Promoter Score"
    retention = "忠诚度 · 资产留存率" if lang == "zh" else "Loyalty · AUM retention"
    # affluent NPS: 2 promoters − 1 detractor of 4 = +25; private: 1 respondent, a 9 → +100
    assert raw[nps][affluent] == "+25" and raw[nps][private] == "+100"
    # retention (6,000,000 + 8,000,000) / (5,000,000 + 8,000,000) = 107.7%
    assert raw[retention][private] == "107.7%"
    scores = _scores(at, lang)
    satisfaction = "满意度" if lang == "zh" else "Satisfaction"
    contribution = "贡献度" if lang == "zh" else "Contribution"
    assert scores[affluent][satisfaction] == "62"  # (25 + 100) / 2 = 62.5, shown rounded half to even
    assert scores[affluent][contribution] == "68"  # 50 + 25·log2(14,500 / 8,725) = 68.3
    radar = json.loads(next(c for c in at.get("plotly_chart") if "s3_3_radar" in c.proto.id).proto.spec)
    assert len(radar["data"]) == 5  # four tiers with customers + all customers (信息不足 not picked by default)


def test_scheme_and_parameters_come_from_3_2() -> None:
    workspace = {"version": 1, "trainee": {"name": "", "group": "", "workshop": ""},
                 "modules": {"s3_2": {"scheme": "contribution", "params": {"contribution": {"a_share": 0.5}}}}}
    at = open_app("en", PAGE, book=_book(), workspace=workspace)
    assert not at.exception
    assert at.selectbox(key="s3_3_scheme").value == "contribution"
    assert "Using the parameters you set for this scheme on 3.2." in all_text(at)
    # A at 50%: H07 (0%), H08 (28.7%), H06 (52.5% ≥ 50% → B) → A = 2 customers
    raw = _raw(at)
    assert raw["Customers"]["A (core contributors)"] == "2"


def test_missing_inputs_are_named() -> None:
    at = open_app("zh", PAGE, book=_book(drop=("satisfaction", "referrals_12m")))
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "满意度：名册缺少 满意度/推荐意愿" in infos
    assert "忠诚度：名册缺少 转介绍人数" in infos
    raw = _raw(at)
    assert set(raw["满意度 · 净推荐值 NPS"].values()) == {"—"}
    assert raw["忠诚度 · 平均开户年限"]["财富客户"] == "7.8 年"  # (5 + 8 + 12 + 6) / 4 = 7.75
    scores = _scores(at, "zh")
    assert scores["财富客户"]["满意度"] == "—"
    # three degrees left: the radar is still drawn on them
    radar = json.loads(next(c for c in at.get("plotly_chart") if "s3_3_radar" in c.proto.id).proto.spec)
    assert len(radar["data"][0]["theta"]) == 4  # three axes, closed back to the first


def test_tier_choice_is_kept() -> None:
    at = open_app("en", PAGE, book=_book())
    at.multiselect(key="s3_3_tiers").set_value(["private", "all"]).run()
    assert not at.exception
    assert set(_scores(at, "en")) == {"Private banking", "All customers"}
    at.switch_page("views/s3_2_segmentation.py").run()
    at.switch_page(PAGE).run()
    assert at.multiselect(key="s3_3_tiers").value == ["private", "all"]


def _plan(at, lang: str) -> dict[str, dict]:
    target = "目标" if lang == "zh" else "Target"
    table = next(df.value for df in at.dataframe if target in df.value.columns or "target" in df.value.columns)
    return {row["tier"]: row for row in table.to_dict("records")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_per_tier_is_kept_in_the_workspace(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    assert not at.exception
    plan = _plan(at, lang)
    affluent = "财富客户" if lang == "zh" else "Affluent"
    private = "私行客户" if lang == "zh" else "Private banking"
    # affluent's lowest score is satisfaction (62.5): NPS +25 today, target +35 (a step of 10 points)
    assert plan[affluent]["degree"] == ("满意度" if lang == "zh" else "Satisfaction")
    assert plan[affluent]["current"] == "NPS +25" and plan[affluent]["target"] == 35
    # private's lowest is stickiness (53.3): share with 3+ products 100% → target capped at 100%
    assert plan[private]["target"] == 100
    # the trainee picks loyalty for the affluent tier and writes an action of their own
    loyalty = "忠诚度" if lang == "zh" else "Loyalty"
    edits = {2: {"degree": loyalty, "actions": "到期前一个月逐一面谈"}}  # row 2: 财富客户
    at.session_state[f"s3_3_plan_aum_{lang}_0"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    saved = at.session_state["workspace"]["modules"]["s3_3"]["plans"]["aum"]
    assert saved == {"affluent": {"degree": "loyalty", "actions": "到期前一个月逐一面谈"}}
    plan = _plan(at, lang)
    # the editor starts afresh on loyalty: retention 8,499,999 / 9,850,000 = 86.3% → target 91.3% → shown 91
    assert plan[affluent]["degree"] == loyalty
    assert plan[affluent]["current"] == ("留存率 86.3%" if lang == "zh" else "Retention 86.3%")
    assert plan[affluent]["target"] == 91
    assert plan[affluent]["actions"] == "到期前一个月逐一面谈"
    # leaving and coming back: the plan is still there
    at.switch_page("views/home.py").run()
    at.switch_page(PAGE).run()
    assert _plan(at, lang)[affluent]["actions"] == "到期前一个月逐一面谈"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_churn_figure_shows_its_source_and_grade(lang: str) -> None:
    at = open_app(lang, PAGE, book=_book())
    captions = " ".join(c.value for c in at.caption)
    if lang == "zh":
        assert "持有 3 个及以上产品的客户年流失率约 1–2%" in captions
        # flagged as 3.1 flags every figure not graded high
        assert "（国内银行业期刊论文，引述国外银行数据，2011，可信度 ⚠\u00a0中，单一来源）" in captions
    else:
        assert "churn about 1–2% a year" in captions
        assert "(a Chinese banking-journal paper citing foreign banks, 2011, confidence ⚠\u00a0Medium" in captions


def test_degrees_by_life_cycle_and_personas_on_the_sample_book() -> None:
    at = open_app("zh", PAGE)  # the sample book
    at.selectbox(key="s3_3_scheme").set_value("lifecycle").run()
    assert not at.exception
    raw = _raw(at)
    retention = "忠诚度 · 资产留存率"
    # 送礼仍流失: the decline phase keeps the least of its assets
    values = {tier: float(text.rstrip("%")) for tier, text in raw[retention].items() if text.endswith("%")}
    assert min(values, key=values.__getitem__) == "退化期"
    persona = next(e for e in at.expander if "客户画像" in e.label)
    assert "送礼仍流失：李老师" in all_text(at) and persona
    at.radio(key="s3_3_persona").set_value("rate_shopper").run()
    assert "只比利率：赵老板" in all_text(at)


def test_no_personas_on_an_uploaded_book() -> None:
    at = open_app("zh", PAGE, book=_book())
    assert not [e for e in at.expander if "客户画像" in e.label]
