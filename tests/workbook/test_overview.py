from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from workbook import overview


def _book(aum: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(aum))], "aum": aum})


def test_top_share_worked_example() -> None:
    # AUM 100, 50, 30, 20 → total 200. Top 5% of 4 customers rounds up to 1 customer: 100 / 200 = 0.5.
    # Top 20% of 4 = 0.8 → 1 customer as well; top 50% = 2 customers: 150 / 200 = 0.75.
    aum = pd.Series([20.0, 100.0, 30.0, 50.0])
    assert overview.top_share(aum, 0.05) == 0.5
    assert overview.top_share(aum, 0.20) == 0.5
    assert overview.top_share(aum, 0.50) == 0.75


def test_overview_worked_example() -> None:
    book = _book([20.0, 100.0, 30.0, 50.0])
    result = overview.overview(book)
    assert result.customers == 4
    assert result.total_aum == 200.0
    assert result.median_aum == 40.0  # (30 + 50) / 2
    assert result.fields_present == ("customer_id", "aum")
    assert "name" in result.fields_missing


def test_bands_worked_example() -> None:
    # 1万 and 4.9万 → <5万; 5万 exactly → 5–50万 (lower bound inclusive); 700万 → 600–3000万; 5亿 → ≥3000万.
    book = _book([10_000, 49_000, 50_000, 7_000_000, 500_000_000])
    bands = overview.aum_bands(book, "zh")
    assert bands["customers"].tolist() == [2, 1, 0, 0, 1, 1]
    assert bands.loc[0, "aum"] == 59_000
    assert math.isclose(bands["customer_share"].sum(), 1.0)
    assert bands["band"].iloc[-1] == "≥3000万"
    assert overview.aum_bands(book, "en")["band"].iloc[-1] == "≥30m"


@given(st.lists(st.floats(min_value=0, max_value=1e10, allow_nan=False), min_size=1, max_size=60))
def test_concentration_curve_runs_from_zero_to_one(values: list[float]) -> None:
    curve = overview.concentration_curve(pd.Series(values))
    if sum(values) <= 0:
        assert curve.empty
        return
    assert curve["aum_share"].iloc[0] == 0.0
    assert math.isclose(curve["aum_share"].iloc[-1], 1.0)
    assert np.all(np.diff(curve["aum_share"].to_numpy()) >= -1e-12)
    # Ranked from the largest: the curve lies on or above the diagonal.
    assert np.all(curve["aum_share"].to_numpy() + 1e-9 >= curve["customer_share"].to_numpy() - 1.0 / len(values))


@given(st.lists(st.floats(min_value=-1e6, max_value=1e9, allow_nan=False) | st.none(), min_size=1, max_size=40))
def test_bands_count_every_customer_with_aum(values: list[float | None]) -> None:
    book = _book([np.nan if v is None else v for v in values])
    bands = overview.aum_bands(book)
    assert bands["customers"].sum() == sum(v is not None for v in values)


def test_age_histogram_worked_example() -> None:
    # Ages 23, 24, 31, 39, 40 in 5-year bands: 20–24 → 2, 25–29 → 0 (listed), 30–34 → 1, 35–39 → 1, 40–44 → 1.
    book = pd.DataFrame({"customer_id": list("ABCDEF"), "aum": [1.0] * 6, "age": [23, 24, 31, 39, 40, None]})
    histogram = overview.age_histogram(book)
    assert histogram["age_from"].tolist() == [20, 25, 30, 35, 40]
    assert histogram["customers"].tolist() == [2, 0, 1, 1, 1]
    assert overview.age_histogram(book.drop(columns="age")).empty
