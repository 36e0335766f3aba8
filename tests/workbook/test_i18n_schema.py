from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook import i18n, schema
from workbook.gradient import STAR_LEVELS
from workbook.segmentation import Tier


def test_t_fills_placeholders_and_marks_missing_keys() -> None:
    assert i18n.t("sidebar.progress", "zh", done=2, total=9) == "学习进度：2 / 9 个练习"
    assert i18n.t("sidebar.progress", "en", done=2, total=9) == "Progress: 2 / 9 worksheets"
    assert i18n.t("no.such.key", "en") == "⟦no.such.key⟧"


@pytest.mark.parametrize("value, expected", [("en", "en"), ("EN-us", "en"), ("zh", "zh"), (None, "zh"), ("fr", "zh")])
def test_language_from_url(value: object, expected: str) -> None:
    assert i18n.normalise_language(value) == expected


@pytest.mark.parametrize(
    "header, key",
    [
        ("客户号", "customer_id"),
        (" CustomerId ", "customer_id"),
        ("金融资产(万元)", "aum"),
        ("金融资产（万元）", "aum"),
        ("月日均资产", "aum"),
        ("客户资产(万元)", "aum"),
        ("资产余额", "aum"),
        ("AUM", "aum"),
        ("手机号码", "phone"),
        ("近12月中间业务收入", "fee_income_12m"),
        ("服务时长(小时)", "service_hours_12m"),
        ("返佣/让利", "rebate_cost_12m"),
        ("手机银行登录次数(30天)", "app_logins_30d"),
        ("balance", None),
    ],
)
def test_header_aliases(header: str, key: str | None) -> None:
    assert schema.match_header(header) == key


def test_header_unit() -> None:
    assert schema.header_unit("金融资产(万元)") == "万元"
    assert schema.header_unit("金融资产（亿元）") == "亿元"
    assert schema.header_unit("金融资产") is None


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for field in schema.FIELDS:
        for alias in (field.key, field.zh, field.en, *field.aliases):
            normal = schema.normalise_header(alias)
            assert seen.setdefault(normal, field.key) == field.key, (alias, seen[normal], field.key)


def test_column_numbers_reads_every_dtype_alike() -> None:
    book = pd.DataFrame({
        "aum": [1.5, None, 3.0],
        "product_count": pd.array([2, None, 4], dtype="Int64"),
        "digital_share": pd.array(["0.5", "", "x"], dtype="str"),  # text cells: unreadable ones become NaN
        "flag": [True, False, True],
    })
    aum = schema.column_numbers(book, "aum")
    assert aum is not None and aum[0] == 1.5 and math.isnan(aum[1]) and aum[2] == 3.0
    counts = schema.column_numbers(book, "product_count")
    assert counts is not None and counts.dtype == "float64" and counts[2] == 4 and math.isnan(counts[1])
    share = schema.column_numbers(book, "digital_share")
    assert share is not None and share[0] == 0.5 and math.isnan(share[1]) and math.isnan(share[2])
    assert schema.column_numbers(book, "flag").tolist() == [1.0, 0.0, 1.0]
    assert schema.column_numbers(book, "fee_income_12m") is None  # absent column: None, not zeros


def test_labels_pick_english_only_for_english() -> None:
    tier = Tier("mass", "大众客户", "Mass")
    assert (tier.label("zh"), tier.label("en"), tier.label("fr")) == ("大众客户", "Mass", "大众客户")
    assert STAR_LEVELS[0].label("en") == STAR_LEVELS[0].en and STAR_LEVELS[0].label("zh") == STAR_LEVELS[0].zh
    assert i18n.pick("en", "中", "en") == "en" and i18n.pick("zh", "中", "en") == "中"
