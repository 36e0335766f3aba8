"""A first look at a customer book: size, AUM concentration, AUM bands and which fields it carries.

This is what 我的客户名册 shows after a load, so the trainee sees at once whether their book has the classic
shape (a few customers hold most assets) and which later modules their data can feed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.schema import FIELDS

# AUM bands for the distribution chart, in 元: lower bounds, each band up to the next bound.
# They follow the market's usual ladder (5万 entry, 50万 财富, 600万 私行) with two extra cuts for detail.
AUM_BAND_EDGES: tuple[float, ...] = (0.0, 50_000.0, 500_000.0, 1_000_000.0, 6_000_000.0, 30_000_000.0)
AUM_BAND_LABELS: dict[str, tuple[str, ...]] = {
    "zh": ("<5万", "5万–50万", "50万–100万", "100万–600万", "600万–3000万", "≥3000万"),
    "en": ("<50k", "50k–500k", "500k–1m", "1m–6m", "6m–30m", "≥30m"),
}


@dataclass(frozen=True)
class BookOverview:
    customers: int
    total_aum: float
    median_aum: float
    top5_aum_share: float  # share of AUM held by the top 5% of customers (by AUM)
    top20_aum_share: float
    fields_present: tuple[str, ...]
    fields_missing: tuple[str, ...]


def top_share(aum: pd.Series, customer_fraction: float) -> float:
    """Share of total AUM held by the top ``customer_fraction`` of customers (at least one customer).

    Example: AUM 10, 5, 3, 2 (total 20); top 25% = 1 customer → 10 / 20 = 0.5.
    """
    values = np.sort(aum.dropna().clip(lower=0).to_numpy(dtype=float))[::-1]
    total = values.sum()
    if len(values) == 0 or total <= 0:
        return float("nan")
    count = max(1, int(np.ceil(len(values) * customer_fraction)))
    return float(values[:count].sum() / total)


def overview(book: pd.DataFrame) -> BookOverview:
    aum = book["aum"] if "aum" in book else pd.Series(dtype=float)
    present = tuple(f.key for f in FIELDS if f.key in book.columns and book[f.key].notna().any())
    missing = tuple(f.key for f in FIELDS if f.key not in present)
    return BookOverview(
        customers=len(book),
        total_aum=float(aum.sum(skipna=True)),
        median_aum=float(aum.median()) if aum.notna().any() else float("nan"),
        top5_aum_share=top_share(aum, 0.05),
        top20_aum_share=top_share(aum, 0.20),
        fields_present=present,
        fields_missing=missing,
    )


def aum_bands(book: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Customers and AUM per band (every band listed, empty ones with 0), with shares of the whole book."""
    labels = AUM_BAND_LABELS.get(lang, AUM_BAND_LABELS["zh"])
    aum = book["aum"].astype(float)
    # Negative AUM (overdrafts in some exports) is counted in the lowest band.
    codes = np.searchsorted(np.asarray(AUM_BAND_EDGES), aum.clip(lower=0).to_numpy(), side="right") - 1
    known = aum.notna().to_numpy()
    counts = np.bincount(codes[known], minlength=len(labels))
    sums = np.bincount(codes[known], weights=aum.to_numpy()[known], minlength=len(labels))
    total_count, total_aum = counts.sum(), sums.sum()
    return pd.DataFrame(
        {
            "band": labels,
            "customers": counts.astype(int),
            "aum": sums,
            "customer_share": counts / total_count if total_count else 0.0,
            "aum_share": sums / total_aum if total_aum else 0.0,
        }
    )


def concentration_curve(aum: pd.Series, points: int = 101) -> pd.DataFrame:
    """Cumulative AUM share against cumulative customer share, customers ranked by AUM descending.

    Sampled at ``points`` evenly spaced customer shares (0 to 1) so the chart stays light for big books.
    """
    values = np.sort(aum.dropna().clip(lower=0).to_numpy(dtype=float))[::-1]
    total = values.sum()
    if len(values) == 0 or total <= 0:
        return pd.DataFrame({"customer_share": [], "aum_share": []})
    cumulative = np.concatenate([[0.0], np.cumsum(values) / total])
    shares = np.linspace(0.0, 1.0, points)
    positions = np.rint(shares * len(values)).astype(int)
    return pd.DataFrame({"customer_share": shares, "aum_share": cumulative[positions]})


def age_histogram(book: pd.DataFrame, width: int = 5) -> pd.DataFrame:
    """Customers per age band of ``width`` years (bands from the youngest to the oldest age present).

    Binned here rather than in the browser so a 50,000-customer book sends a dozen bars, not 50,000 ages.
    """
    if "age" not in book or book["age"].notna().sum() == 0:
        return pd.DataFrame({"age_from": pd.Series(dtype=int), "customers": pd.Series(dtype=int)})
    ages = book["age"].dropna().astype(float)
    starts = ages.floordiv(width).mul(width).astype(int)
    counts = starts.value_counts().sort_index()
    full = range(int(counts.index.min()), int(counts.index.max()) + width, width)
    counts = counts.reindex(full, fill_value=0)
    return pd.DataFrame({"age_from": counts.index.to_numpy(), "customers": counts.to_numpy()})
