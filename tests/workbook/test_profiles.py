"""客户画像表: the profile of each tier of any grouping, worked on a hand book (「什么样的客户是你的资产」)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook.profiles import ALL, PROFILE_KEYS, profile_missing, profile_table
from workbook.profit import profitability
from workbook.segmentation import segment


def _book() -> pd.DataFrame:
    # a: asset     — fees 6,000, 4 h (800): net +5,200
    # b: asset     — fees 2,000, 2 h (400), gifts 200: net +1,400
    # c: liability — fees 100, 10 h (2,000), gifts 300, events 100: net −2,300
    # d: asset     — new (tenure 0.5, nothing a year ago), fees 1,000, 3 h (600): net +400 (an asset whatever 1.4
    #    decides for new customers who lose money)
    return pd.DataFrame({
        "customer_id": list("abcd"),
        "aum": [2_000_000.0, 600_000.0, 40_000.0, 30_000.0],
        "aum_12m_ago": [1_800_000.0, 600_000.0, 50_000.0, 0.0],
        "fee_income_12m": [6_000.0, 2_000.0, 100.0, 1_000.0],
        "service_hours_12m": [4.0, 2.0, 10.0, 3.0],
        "gift_cost_12m": [0.0, 200.0, 300.0, 0.0],
        "event_cost_12m": [0.0, 0.0, 100.0, 0.0],
        "age": [50.0, 40.0, 70.0, 30.0],
        "tenure_years": [10.0, 6.0, 20.0, 0.5],
        "product_count": [5.0, 3.0, 1.0, 1.0],
        "satisfaction": [10.0, 9.0, 9.0, 5.0],
        "referrals_12m": [2.0, 0.0, 0.0, 0.0],
    })


def test_profile_by_asset_or_liability() -> None:
    book = _book()
    profit = profitability(book)
    assert profit["net"].tolist() == [5_200, 1_400, -2_300, 400]
    table = profile_table(book, segment(book, "kind"), profit, codes=["asset", "liability"])
    assert list(table.columns) == ["asset", "liability", ALL]
    assert list(table.index) == list(PROFILE_KEYS)
    asset, liability = table["asset"], table["liability"]
    assert asset["customers"] == 3 and asset["customer_share"] == 0.75
    assert asset["aum_mean"] == pytest.approx((2_000_000 + 600_000 + 30_000) / 3)
    assert asset["age_mean"] == 40 and liability["age_mean"] == 70  # (50 + 40 + 30) / 3
    assert asset["tenure_mean"] == pytest.approx((10 + 6 + 0.5) / 3)
    assert asset["new_share"] == pytest.approx(1 / 3) and liability["new_share"] == 0  # d
    assert asset["products_mean"] == 3 and liability["products_mean"] == 1  # (5 + 3 + 1) / 3
    # NPS: assets 10, 9 (promoters) and 5 (a detractor) → (2 − 1) / 3 = +33.3; the liability scores 9 → +100
    assert asset["nps"] == pytest.approx(100 / 3) and liability["nps"] == 100
    # retention over customers with a base: assets a and b (d is new): (2,000,000 + 600,000) / (1,800,000 +
    # 600,000) = 108.3%; the liability c: 40,000 / 50,000 = 80%
    assert asset["aum_retention"] == pytest.approx(2_600_000 / 2_400_000)
    assert liability["aum_retention"] == pytest.approx(0.8)
    # the time and the gifts go to the liability: 10 h and 400 元 against 3 h and 66.7 元 each
    assert liability["hours_mean"] == 10 and asset["hours_mean"] == 3
    assert liability["perks_mean"] == 400 and asset["perks_mean"] == pytest.approx(200 / 3)
    assert asset["revenue_mean"] == 3_000 and liability["net_mean"] == -2_300  # (6,000 + 2,000 + 1,000) / 3
    assert asset["referrals_mean"] == pytest.approx(2 / 3)
    assert table.loc["customers", ALL] == 4
    assert table.loc["net_mean", ALL] == pytest.approx((5_200 + 1_400 - 2_300 + 400) / 4)


def test_profile_without_fields_shows_nothing_made_up() -> None:
    book = _book()[["customer_id", "aum", "fee_income_12m"]]
    table = profile_table(book, segment(book, "aum"))
    assert math.isnan(table.loc["nps", "mass"]) and math.isnan(table.loc["revenue_mean", ALL])
    assert table.loc["customers", "mass"] == 2
    assert profile_missing(book) == ("external_assets_est", "age", "tenure_years", "aum_12m_ago", "product_count",
                                     "satisfaction", "service_hours_12m", "gift_cost_12m", "event_cost_12m",
                                     "rebate_cost_12m", "referrals_12m")
    # one perk field is enough for the perk row
    assert "gift_cost_12m" not in profile_missing(_book())


def test_new_share_follows_the_one_new_customer_definition() -> None:
    # Without tenure, a zero base a year ago marks the new customer (1.4's and 3.2's rule): d of a, b, c, d → 25%.
    book = _book().drop(columns="tenure_years")
    table = profile_table(book, segment(book, "aum"))
    assert table.loc["new_share", ALL] == 0.25 and math.isnan(table.loc["tenure_mean", ALL])
    # A customer with neither tenure nor a base is not judged: the share is over the three others, none new.
    book.loc[3, "aum_12m_ago"] = float("nan")
    assert profile_table(book, segment(book, "aum")).loc["new_share", ALL] == 0


def test_sample_book_liabilities_take_the_time() -> None:
    from workbook.samples import sample_book

    book = sample_book()
    profit = profitability(book)
    table = profile_table(book, segment(book, "kind"), profit)
    # 「什么样的客户是你的负债」: small, older, served more hours than their revenue pays for
    assert table.loc["aum_mean", "liability"] < table.loc["aum_mean", "asset"] / 5
    assert table.loc["net_mean", "liability"] < 0 < table.loc["net_mean", "asset"]
    assert table.loc["hours_mean", "liability"] * 200 > table.loc["revenue_mean", "liability"]
