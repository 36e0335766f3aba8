"""Money as the pages write it (ui/tier_views.py): 万元 table cells, and 800万元 in running Chinese text."""

from __future__ import annotations

import math

import pytest

from ui.tier_views import money_text, wan_cell, yuan_cell


@pytest.mark.parametrize(("value", "zh", "en"), [
    (8_000_000, "800万元", "CNY 8m"),  # not "800.0 万元"
    (365_000, "36.5万元", "CNY 365k"),
    (360_000, "36万元", "CNY 360k"),  # no needless decimal
    (4_874_999.25, "487万元", "CNY 4.87m"),
    (125_000_000, "1.25亿元", "CNY 125m"),
    (3_500, "3,500元", "CNY 3.5k"),
    (-6_170, "-6,170元", "-CNY 6.2k"),
    (420, "420元", "CNY 420"),
    (0, "0元", "CNY 0"),
])
def test_money_text(value: float, zh: str, en: str) -> None:
    assert money_text(value, "zh") == zh
    assert money_text(value, "en") == en


def test_cells_in_a_column_headed_with_the_unit() -> None:
    # 万元: whole above 100万, one decimal above 1万, two below
    assert [wan_cell(v) for v in (7_199_999, 123_456, 1_000, 100, 0)] == ["720", "12.3", "0.1", "0.01", "0"]
    assert wan_cell(125_000_000) == "12,500"
    assert wan_cell(math.nan) == "—" and yuan_cell(None) == "—"
    assert yuan_cell(14_500.4) == "14,500"
