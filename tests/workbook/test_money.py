"""Money as bankers write it (the team's one display rule, workbook/money.py): 800万元 and CNY 8m in text and
metrics, 万元 and 元 table cells without the unit, never "800.0 万元", never "CNY 1,000k"."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.money import money_text, money_texts, wan_cell, wan_input, yuan_cell


@pytest.mark.parametrize(("value", "zh", "en"), [
    (8_000_000, "800万元", "CNY 8m"),  # 800 万: no decimal, no space
    (360_000, "36万元", "CNY 360k"),  # 36.0 → 36
    (365_000, "36.5万元", "CNY 365k"),  # a real decimal stays
    (365_600, "36.6万元", "CNY 366k"),  # from CNY 100k on, whole thousands (three figures)
    (36_540, "3.7万元", "CNY 36.5k"),  # 3.654万 → 3.7; 36.54k → 36.5
    (12_345_678, "1,235万元", "CNY 12.35m"),  # from 100万 on, whole 万 with a separator
    (4_874_999.25, "487万元", "CNY 4.87m"),
    (125_000_000, "1.25亿元", "CNY 125m"),
    (200_000_000, "2亿元", "CNY 200m"),
    (2_500_000_000, "25亿元", "CNY 2.5bn"),
    (2_500, "2,500元", "CNY 2.5k"),  # below 1万: whole 元
    (10_000, "1万元", "CNY 10k"),
    (420, "420元", "CNY 420"),
    (0, "0元", "CNY 0"),
    (-2_500, "-2,500元", "-CNY 2.5k"),
    (-6_170, "-6,170元", "-CNY 6.2k"),
    # rounding that reaches the next unit is written in it
    (999_999, "100万元", "CNY 1m"),  # 999.999k → 1,000k → 1m
    (99_999_999, "1亿元", "CNY 100m"),  # 9,999.9999万 → 10,000万 → 1亿
    (9_999.6, "1万元", "CNY 10k"),  # 9,999.6 元 → 10,000 元 → 1万
    (999_999_999, "10亿元", "CNY 1bn"),
    (-0.4, "0元", "CNY 0"),  # rounds to nothing: no minus sign
])
def test_money_text(value: float, zh: str, en: str) -> None:
    assert money_text(value, "zh") == zh
    assert money_text(value, "en") == en


def test_missing_money() -> None:
    assert money_text(math.nan, "zh") == "—"
    assert money_text(None, "en") == "—"


def test_cells_in_a_column_headed_with_the_unit() -> None:
    # 万元: whole from 100, one decimal from 1, two below
    assert [wan_cell(v) for v in (7_199_999, 123_456, 1_000, 100, 0)] == ["720", "12.3", "0.1", "0.01", "0"]
    assert wan_cell(125_000_000) == "12,500"
    assert wan_cell(-1_460_000) == "-146" and wan_cell(-1) == "0"  # −0.0001 万元 shows no sign
    assert wan_cell(math.nan) == "—" and yuan_cell(None) == "—"
    assert yuan_cell(14_500.4) == "14,500" and yuan_cell(-0.3) == "0" and yuan_cell(-6_170) == "-6,170"


@pytest.mark.parametrize(("amount", "text"), [(8_000_000, "800"), (125_000, "12.5"), (427_149, "42.7"),
                                              (0, "0"), (-1_460_000, "-146"), (123_456_789, "12,345.7"),
                                              (1_003_000, "100.3"), (-400, "0")])
def test_typed_amounts_keep_their_tenth_of_a_wan(amount: float, text: str) -> None:
    # 2.1's accounts are typed to 0.1 万元: 100.3 and 100.2 must not both read "100" (wan_cell would round them)
    assert wan_input(amount) == text


_ZH = re.compile(r"^(-?)([\d,]+(?:\.\d+)?)(元|万元|亿元)$")
_EN = re.compile(r"^(-?)CNY ([\d,]+(?:\.\d+)?)(k|m|bn)?$")
_ZH_SIZE: dict[str | None, float] = {"元": 1.0, "万元": 1e4, "亿元": 1e8}
_EN_SIZE: dict[str | None, float] = {None: 1.0, "k": 1e3, "m": 1e6, "bn": 1e9}


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_money_text_reads_back_close_and_never_overflows_its_unit(value: float) -> None:
    for lang, pattern, sizes in (("zh", _ZH, _ZH_SIZE), ("en", _EN, _EN_SIZE)):
        text = money_text(value, lang)
        match = pattern.match(text)
        assert match, text
        sign, figure, suffix = match.groups()
        number = float(figure.replace(",", ""))
        assert not figure.endswith(".0") and not (sign and number == 0), text  # no needless decimal, no "-0"
        if suffix not in (None, "元", "亿元", "bn"):  # a unit with a larger one above it never reaches that one
            assert number * sizes[suffix] < (1e8 if suffix == "万元" else 1e3 * sizes[suffix]), text
        shown = (-1 if sign else 1) * number * sizes[suffix]
        # the largest rounding: half a 元 below 1万 (CNY 1k), else 5% (one decimal of 1.0k / 1.0万) or less
        assert abs(shown - value) <= max(0.5, 0.05 * abs(value)) + 1e-6 * abs(value), (value, text)


def test_a_charts_amounts_share_the_unit_of_the_largest() -> None:
    # 1.2's waterfall: 24,000 元 start, steps of 3,551 / 4,083 / 4,696 元, 36,330 元 end. The largest is 万元-sized,
    # so every label is in 万元: 3,551 / 10,000 = 0.3551 → two decimals below 1 → 0.36; 24,000 → 2.4; 36,330 → 3.6.
    texts, unit = money_texts([24_000, 3_551, 4_083, 4_696, 36_330], "zh")
    assert texts == ["2.4万元", "0.36万元", "0.41万元", "0.47万元", "3.6万元"] and unit == "万元"
    # English in thousands: 3,551 → 3.6k, -4,083 → -4.1k (no "CNY 3,551" beside "CNY 24k")
    texts, unit = money_texts([24_000, 3_551, -4_083], "en")
    assert texts == ["CNY 24k", "CNY 3.6k", "-CNY 4.1k"] and unit == "CNY k"
    # all small: plain 元, whole; a missing amount is a dash; a tiny negative is no loss
    assert money_texts([800, 35, None], "zh") == (["800元", "35元", "—"], "元")
    assert money_texts([2e6, -1], "zh")[0] == ["200万元", "0万元"]
