"""客户画像表 — what the customers of each tier of any grouping look like, side by side (page 3.2).

The outline asks 「什么样的客户是你的资产，什么样的客户是你的负债」(一.3). Group the book by 1.4's kind (asset /
potential asset / liability) — or by any scheme or dimension — and this table answers it with figures: how much
they hold, how long they have been customers, how many products, how they score you, whether their assets
stayed, how much of your time and of the gift budget they take, what they bring and what is left.

Every figure is a plain average (or share) over the tier's customers with a known value; a figure whose field
the book lacks is NaN (shown "—", never estimated). Money in 元; the page shows it in 万元 or 元 per customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.degrees import DETRACTOR_MAX, PROMOTER_MIN
from workbook.profit import new_customer_flags
from workbook.schema import column_numbers

ALL = "all"  # the whole-book column


@dataclass(frozen=True)
class ProfileFigure:
    """One row of the profile table. ``unit``: how the page shows it (count, share, money, money_small, years,
    number, rate, score, ratio). ``fields``: the book fields it needs (``profit``: needs the profitability result);
    with ``any_field`` one of them is enough."""

    key: str
    unit: str
    fields: tuple[str, ...]
    any_field: bool = False


PROFILE_FIGURES: tuple[ProfileFigure, ...] = (
    ProfileFigure("customers", "count", ()),
    ProfileFigure("customer_share", "share", ()),
    ProfileFigure("aum_mean", "money", ("aum",)),
    ProfileFigure("external_mean", "money", ("external_assets_est",)),
    ProfileFigure("age_mean", "years", ("age",)),
    ProfileFigure("tenure_mean", "years", ("tenure_years",)),
    ProfileFigure("new_share", "share", ("tenure_years", "aum_12m_ago"), any_field=True),
    ProfileFigure("products_mean", "number", ("product_count",)),
    ProfileFigure("nps", "score", ("satisfaction",)),
    ProfileFigure("aum_retention", "ratio", ("aum", "aum_12m_ago")),
    ProfileFigure("hours_mean", "number", ("service_hours_12m",)),
    ProfileFigure("perks_mean", "money_small", ("gift_cost_12m", "event_cost_12m", "rebate_cost_12m"), any_field=True),
    ProfileFigure("revenue_mean", "money_small", ("profit",)),
    ProfileFigure("net_mean", "money_small", ("profit",)),
    ProfileFigure("referrals_mean", "rate", ("referrals_12m",)),
)
PROFILE_KEYS: tuple[str, ...] = tuple(f.key for f in PROFILE_FIGURES)


def _means(codes: np.ndarray, values: np.ndarray | None, k: int) -> np.ndarray:
    """Mean of the known values per group, then over the whole book (NaN for a group without any)."""
    if values is None:
        return np.full(k + 1, np.nan)
    known = ~np.isnan(values)
    counts = np.bincount(codes[known], minlength=k)[:k].astype(np.float64)
    sums = np.bincount(codes[known], weights=values[known], minlength=k)[:k]
    counts, sums = np.append(counts, counts.sum()), np.append(sums, sums.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def profile_table(book: pd.DataFrame, tiers: pd.Series, profit: pd.DataFrame | None = None,
                  codes: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per figure of ``PROFILE_FIGURES``, one column per tier of ``tiers`` (an ordered Categorical, as
    ``segment`` returns) and a last column ``ALL`` for the whole book. ``profit``: a ``profitability`` result of
    the same book (revenue and net rows are NaN without it). ``codes``: the tier columns to keep (default all).

    Figures: customers and their share of the book; mean AUM and mean estimated assets elsewhere (元); mean age
    and tenure (years); the share of new customers (``profit.new_customer_flags``, over the customers it can
    judge); products held; NPS (% scoring 9–10 −
    % scoring 0–6); AUM retention (Σ aum ÷ Σ aum a year ago, over customers with a base a year ago); mean
    service hours, gifts + events + concessions, revenue and net (元 a year); referrals per customer.
    """
    categories = [str(c) for c in tiers.cat.categories]
    k = len(categories)
    tier_codes = np.asarray(tiers.cat.codes.to_numpy(), dtype=np.int64)
    n = len(book)
    rows: dict[str, np.ndarray] = {}
    sizes = np.append(np.bincount(tier_codes, minlength=k)[:k].astype(np.float64), float(n))
    rows["customers"] = sizes
    rows["customer_share"] = sizes / n if n else np.full(k + 1, np.nan)
    rows["aum_mean"] = _means(tier_codes, column_numbers(book, "aum"), k)
    rows["external_mean"] = _means(tier_codes, column_numbers(book, "external_assets_est"), k)
    rows["age_mean"] = _means(tier_codes, column_numbers(book, "age"), k)
    tenure = column_numbers(book, "tenure_years")
    rows["tenure_mean"] = _means(tier_codes, tenure, k)
    new, judged = new_customer_flags(book)
    rows["new_share"] = _means(tier_codes, np.where(judged, new.astype(np.float64), np.nan), k)
    rows["products_mean"] = _means(tier_codes, column_numbers(book, "product_count"), k)
    score = column_numbers(book, "satisfaction")
    if score is None:
        rows["nps"] = np.full(k + 1, np.nan)
    else:
        promoters = _means(tier_codes, np.where(np.isnan(score), np.nan, (score >= PROMOTER_MIN) * 1.0), k)
        detractors = _means(tier_codes, np.where(np.isnan(score), np.nan, (score <= DETRACTOR_MAX) * 1.0), k)
        rows["nps"] = (promoters - detractors) * 100.0
    aum, before = column_numbers(book, "aum"), column_numbers(book, "aum_12m_ago")
    if aum is None or before is None:
        rows["aum_retention"] = np.full(k + 1, np.nan)
    else:
        based = ~np.isnan(aum) & (np.nan_to_num(before, nan=0.0) > 0)
        now_sum = np.append(np.bincount(tier_codes[based], weights=aum[based], minlength=k)[:k], aum[based].sum())
        then_sum = np.append(np.bincount(tier_codes[based], weights=before[based], minlength=k)[:k],
                             before[based].sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rows["aum_retention"] = np.where(then_sum > 0, now_sum / then_sum, np.nan)
    rows["hours_mean"] = _means(tier_codes, column_numbers(book, "service_hours_12m"), k)
    perk_columns = [column_numbers(book, key) for key in ("gift_cost_12m", "event_cost_12m", "rebate_cost_12m")]
    present = [values for values in perk_columns if values is not None]
    perks = np.sum([np.nan_to_num(v, nan=0.0) for v in present], axis=0) if present else None
    rows["perks_mean"] = _means(tier_codes, perks, k)
    for key, column in (("revenue_mean", "revenue"), ("net_mean", "net")):
        values = None if profit is None else profit[column].reindex(book.index).to_numpy(dtype=np.float64,
                                                                                         na_value=np.nan)
        rows[key] = _means(tier_codes, values, k)
    rows["referrals_mean"] = _means(tier_codes, column_numbers(book, "referrals_12m"), k)
    frame = pd.DataFrame(rows, index=pd.Index([*categories, ALL], name="tier")).T
    frame.index.name = "figure"
    keep = [*(codes if codes is not None else categories), ALL]
    return frame[keep]


def profile_missing(book: pd.DataFrame) -> tuple[str, ...]:
    """The book fields some row of the profile needs and the book lacks (each once, in ``PROFILE_FIGURES``
    order; the fields of an ``any_field`` row only when all of them are missing, since any one gives the row)."""
    missing: list[str] = []
    for figure in PROFILE_FIGURES:
        needed = [key for key in figure.fields if key != "profit"]
        if figure.any_field and set(needed) & set(book.columns):
            continue
        missing.extend(key for key in needed if key not in book.columns and key not in missing)
    return tuple(missing)
