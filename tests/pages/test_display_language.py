"""Display checks from the screenshot review: a page in English shows the book's category values in English, a
page in Chinese keeps them as the book has them, and labels that used to leak or truncate read as intended."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests.pages.apptest import open_app
from ui.values import translate_frame

CJK = re.compile(r"[\u4e00-\u9fff]")


def _column(frame: pd.DataFrame, header: str) -> list[str]:
    return [str(value) for value in frame[header].dropna().tolist()]


def test_book_preview_shows_category_values_in_english() -> None:
    at = open_app("en", "views/book.py")
    assert not at.exception
    preview = at.dataframe[-1].value
    # The sample book writes 性别 as 男/女, 购买意向 as 高/中/低, 婚姻 and 职业 in Chinese.
    assert set(_column(preview, "Gender")) == {"Male", "Female"}
    assert set(_column(preview, "Purchase intent")) <= {"High", "Medium", "Low"}
    for header in ("Gender", "Occupation", "Marital status", "Recent life event", "Purchase intent"):
        if header in preview.columns:
            assert not any(CJK.search(value) for value in _column(preview, header)), header


def test_book_preview_keeps_chinese_values_in_chinese() -> None:
    at = open_app("zh", "views/book.py")
    assert not at.exception
    preview = at.dataframe[-1].value
    assert set(_column(preview, "性别")) == {"男", "女"}


def test_unknown_values_pass_through_unchanged() -> None:
    frame = pd.DataFrame(
        {"gender": ["男", "F", None], "occupation": ["宇航员", "教师", "医生"], "aum": [1.0, 2.0, 3.0]}
    )
    shown = translate_frame(frame, "en")
    assert shown["gender"].iloc[:2].tolist() == ["Male", "F"] and pd.isna(shown["gender"].iloc[2])
    assert shown["occupation"].tolist() == ["宇航员", "Teacher", "Doctor"]  # a value the catalogue lacks stays
    assert shown["aum"].tolist() == [1.0, 2.0, 3.0]
    assert frame["gender"].iloc[0] == "男"  # the book itself is not changed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_catalogued_value_has_both_languages(lang: str) -> None:
    from workbook import i18n

    keys = [key for key in i18n.catalogue() if key.startswith("value.")]
    assert len(keys) >= 30
    for key in keys:
        text = i18n.t(key, lang)
        assert text and (lang == "zh" or not CJK.search(text)), key


def test_tier_members_show_purchase_intent_in_english() -> None:
    # The 成交优先级 scheme lists 购买意向 beside each customer; the sample book writes it as 高/中/低.
    at = open_app("en", "views/s3_2_segmentation.py")
    at.selectbox(key="s3_2_scheme").set_value("priority").run()
    assert not at.exception
    members = next(df.value for df in at.dataframe if "purchase_intent" in df.value.columns)
    shown = set(_column(members, "purchase_intent"))
    assert shown and shown <= {"High", "Medium", "Low"}


def test_member_scores_have_one_decimal() -> None:
    at = open_app("zh", "views/s3_2_segmentation.py")
    at.selectbox(key="s3_2_scheme").set_value("priority").run()
    assert not at.exception
    table = next(df for df in at.dataframe if "score_urgency" in df.value.columns)
    columns = json.loads(table.proto.columns)
    assert columns["score_urgency"]["type_config"]["format"] == "%.1f"
    assert columns["score_value"]["type_config"]["format"] == "localized"  # money keeps its separators


def test_submitted_time_is_shown_in_classroom_time_without_iso_clutter() -> None:
    at = open_app("zh", "views/s3_5_exercise1.py")
    saved = at.session_state["workspace"]
    saved["modules"].setdefault("s3_5", {}).update(
        {"submission": {"x": 1}, "submitted_at": "2026-12-01T06:34:41+00:00",
         "receipt": {"number": 1, "workshop": "BJ1205", "group": "第三组", "time": "2026-12-01T06:34:41+00:00"}})
    at.run()
    assert not at.exception
    shown = " ".join(box.value for box in [*at.success, *at.info]).replace("\u2011", "-").replace("\u00a0", " ")
    assert "2026-12-01 14:34（北京时间）" in shown and "T06:34:41" not in shown  # 06:34 UTC = 14:34 Beijing


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_service_plan_on_a_book_without_revenue_says_revenue_is_unknown(lang: str) -> None:
    from ui.state import ActiveBook

    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [30_000.0, 800_000.0, 9_000_000.0]})
    book = ActiveBook(frame=frame, source="upload", label="id_aum.csv", token="id-aum")
    at = open_app(lang, "views/s3_4_service_matrix.py", book=book)
    assert not at.exception
    info = " ".join(box.value for box in at.info)
    assert ("名册缺少收入字段" if lang == "zh" else "has no revenue field") in info
    # No tier is judged "cost above revenue" on a revenue nobody knows, and the revenue total is not "0".
    assert not at.warning or all(("收入" not in w.value and "brings" not in w.value) for w in at.warning)
    revenue_label = "名册总收入 / 年" if lang == "zh" else "Book revenue a year"
    assert next(m.value for m in at.metric if m.label == revenue_label) == "—"
    plan_cost = "计划成本（万元）" if lang == "zh" else "Plan cost (CNY 10k)"  # one unit per column, in the header
    plan = next(df.value for df in at.dataframe if plan_cost in df.value.columns)
    assert ("判断" if lang == "zh" else "Verdict") not in plan.columns


def test_uploader_chrome_is_chinese_on_a_chinese_page() -> None:
    # Streamlit writes "Upload" and "20MB per file • …" in English; the Chinese page restyles them.
    style = " ".join(element.proto.body for element in open_app("zh", "views/book.py").get("html"))
    assert '"上传文件"' in style and "单个文件不超过 20 MB" in style
    english = " ".join(element.proto.body for element in open_app("en", "views/book.py").get("html"))
    assert "stFileUploaderDropzone" not in english  # the English page keeps Streamlit's own words
