"""Money as bankers write it (team display rule): 800万元, 36万元, never "800.0 万元"."""

from __future__ import annotations

import math

import pytest

from ui.charts import money


@pytest.mark.parametrize(("value", "zh", "en"), [
    (8_000_000, "800万元", "CNY 8m"),  # 800 万: no decimal, no space
    (360_000, "36万元", "CNY 360k"),  # 36.0 → 36
    (365_000, "36.5万元", "CNY 365k"),  # a real decimal stays
    (12_345_678, "1,235万元", "CNY 12.35m"),  # from 100万 on, whole 万 with a separator
    (125_000_000, "1.25亿元", "CNY 125m"),
    (200_000_000, "2亿元", "CNY 200m"),
    (2_500, "2,500元", "CNY 2.5k"),  # below 1万: whole 元
    (10_000, "1万元", "CNY 10k"),
    (999_999, "100万元", "CNY 1m"),  # rounding carries into the next unit, never "CNY 1,000k"
    (-2_500, "-2,500元", "-CNY 2.5k"),
    (0, "0元", "CNY 0"),
])
def test_money_typography(value: float, zh: str, en: str) -> None:
    assert money(value, "zh") == zh
    assert money(value, "en") == en


def test_missing_money() -> None:
    assert money(math.nan, "zh") == "—"
    assert money(None, "en") == "—"
