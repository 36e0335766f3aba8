"""1.4 客户资产负债审视 — the page's view of customer profitability (DESIGN §4.4).

The arithmetic lives in :mod:`workbook.profit`; this module turns the worksheet's entries (percent
spreads, annual cost and hours) into its parameters, picks the short lists a page shows (top liabilities with a
suggested action, the over- and under-served), thins the charts' points for large books, masks the customer
columns, and says what a book lacks. The 花旗私行 case card's figures are here too (illustrative).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.profit import (
    COST_INPUTS,
    DEFAULT_PARAMS,
    LIABILITY,
    REVENUE_INPUTS,
    KindSummary,
    ProfitParams,
    ServiceReview,
    WhaleSummary,
    kind_summary,
    missing_inputs,
    profitability,
    service_review,
    whale_curve,
    whale_summary,
)

TOP_LIMIT = 10  # customer rows shown per list: enough to act on, few enough to read on a projector
SCATTER_LIMIT = 2_000  # points on the revenue/cost scatter (a 50,000-customer book would choke the browser)
CURVE_LIMIT = 800  # points on the whale curve

# What the book lacks: which of the two sides of the review can be computed at all.
STATUS_OK = "ok"
STATUS_NO_REVENUE = "no_revenue"
STATUS_NO_COST = "no_cost"
STATUS_NOTHING = "nothing"


@dataclass(frozen=True)
class ReviewInputs:
    """The worksheet's entries, in the units a trainee types (元, hours, percent)."""

    annual_cost: float = DEFAULT_PARAMS.annual_cost
    effective_hours: float = DEFAULT_PARAMS.effective_hours
    deposit_spread_pct: float = DEFAULT_PARAMS.deposit_spread * 100
    loan_spread_pct: float = DEFAULT_PARAMS.loan_spread * 100
    potential_external: float = DEFAULT_PARAMS.potential_external_assets
    potential_growth_pct: float = DEFAULT_PARAMS.potential_aum_growth * 100

    def params(self) -> ProfitParams:
        """The profitability parameters; effective hours below 1 are taken as 1 (no division by zero)."""
        return ProfitParams(
            annual_cost=float(self.annual_cost),
            effective_hours=max(float(self.effective_hours), 1.0),
            deposit_spread=self.deposit_spread_pct / 100.0,
            loan_spread=self.loan_spread_pct / 100.0,
            potential_external_assets=float(self.potential_external),
            potential_aum_growth=self.potential_growth_pct / 100.0,
        )


DEFAULT_INPUTS = ReviewInputs()


def justified_hours(revenue: float, params: ProfitParams) -> float:
    """倒推: the service hours a year that ``revenue`` pays for at the hourly cost (revenue ÷ hourly cost)."""
    return max(revenue, 0.0) / params.hourly_cost


def hours_value(hours: float, params: ProfitParams) -> float:
    """What ``hours`` of the manager's time cost at the hourly cost."""
    return hours * params.hourly_cost


def lost_share(whale: WhaleSummary) -> float:
    """The share of total profit the customers after the peak lose again: peak − 100% (NaN if not meaningful)."""
    return whale.peak_share - 1.0


def break_even_range(points: pd.DataFrame, positive_only: bool = False) -> tuple[float, float] | None:
    """(low, high) for the revenue = cost line across the plotted points; None when nothing can be drawn."""
    values = np.concatenate([points["revenue"].to_numpy(dtype=np.float64), points["cost"].to_numpy(dtype=np.float64)])
    values = values[np.isfinite(values)]
    if positive_only:
        values = values[values > 0]
    if values.size == 0:
        return None
    return float(values.min()), float(values.max())


@dataclass(frozen=True)
class AssetReview:
    result: pd.DataFrame  # profitability(book, params): one row per customer
    kinds: KindSummary
    curve: pd.DataFrame  # whale_curve(net)
    whale: WhaleSummary
    service: ServiceReview
    missing_revenue: tuple[str, ...]
    missing_cost: tuple[str, ...]
    missing_potential: tuple[str, ...]
    status: str  # STATUS_*: whether revenue and cost could be computed at all
    liabilities: pd.DataFrame  # the largest losses (kind liability), with a suggested action
    over: pd.DataFrame  # top over-served (from the 倒推)
    under: pd.DataFrame  # top under-served
    # Ready to draw: thinned points, each list's masked customer columns (computed once, not on every rerun)
    scatter: pd.DataFrame  # revenue, cost, net, kind and the masked customer_id of the plotted customers
    curve_plot: pd.DataFrame  # the whale curve thinned for plotting
    customers: pd.DataFrame  # masked customer_id (and name) of every customer in the three lists

    @property
    def missing(self) -> tuple[str, ...]:
        return self.missing_revenue + self.missing_cost + self.missing_potential


def _status(missing_revenue: tuple[str, ...], missing_cost: tuple[str, ...]) -> str:
    no_revenue = len(missing_revenue) == len(REVENUE_INPUTS)
    no_cost = len(missing_cost) == len(COST_INPUTS)
    if no_revenue and no_cost:
        return STATUS_NOTHING
    if no_revenue:
        return STATUS_NO_REVENUE
    if no_cost:
        return STATUS_NO_COST
    return STATUS_OK


def top_liabilities(result: pd.DataFrame, service: ServiceReview, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """The ``limit`` customers losing the most (kind liability, net ascending) with a suggested action.

    The action is the 倒推's for an over-served customer; a liability who is *not* over-served in hours loses
    money through gifts, rebates and events, so the action is to stop them.
    """
    losers = result[result["kind"] == LIABILITY].sort_values("net", kind="stable").head(limit)
    table = losers[["revenue", "cost", "net", "actual_hours", "justified_hours", "gift_cost", "rebate_cost",
                    "event_cost"]].copy()
    table["perks"] = table["gift_cost"] + table["rebate_cost"] + table["event_cost"]
    from_review = service.over["action"].reindex(table.index)
    table["action"] = from_review.where(from_review.notna() & (from_review != ""), "stop_gifts").astype("str")
    return table


def review(book: pd.DataFrame, params: ProfitParams | None = None, limit: int = TOP_LIMIT) -> AssetReview:
    """Everything page 1.4 shows, computed once per book and parameters."""
    p = params or DEFAULT_PARAMS
    result = profitability(book, p)
    curve = whale_curve(result["net"])
    service = service_review(book, p, result=result)
    missing_revenue = missing_inputs(book, REVENUE_INPUTS)
    missing_cost = missing_inputs(book, COST_INPUTS)
    liabilities = top_liabilities(result, service, limit)
    over, under = service.over.head(limit), service.under.head(limit)
    points = scatter_points(result)[["revenue", "cost", "net", "kind"]].copy()
    points["customer"] = customer_columns(book, points.index)["customer_id"].astype("str").to_numpy()
    listed = liabilities.index.union(over.index).union(under.index)
    return AssetReview(
        result=result,
        kinds=kind_summary(result),
        curve=curve,
        whale=whale_summary(curve),
        service=service,
        missing_revenue=missing_revenue,
        missing_cost=missing_cost,
        missing_potential=missing_inputs(book, ("external_assets_est", "aum_12m_ago")),
        status=_status(missing_revenue, missing_cost),
        liabilities=liabilities,
        over=over,
        under=under,
        scatter=points,
        curve_plot=curve_points(curve),
        customers=customer_columns(book, listed),
    )


def customer_columns(book: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """customer_id (and name, if the book has it) for the given rows, masked for display.

    Masking uses :func:`workbook.privacy.mask_frame`, which also catches an ID column that holds card or phone
    numbers.
    """
    from workbook import privacy  # imported here: the review itself needs no PII handling

    columns = [c for c in ("customer_id", "name") if c in book.columns]
    return privacy.mask_frame(book.loc[index, columns])


def scatter_points(result: pd.DataFrame, limit: int = SCATTER_LIMIT) -> pd.DataFrame:
    """Rows to plot on the revenue/cost scatter: all of them up to ``limit``; beyond, the largest gains and
    losses (what the eye looks for) plus an even spread of the rest."""
    if len(result) <= limit:
        return result
    extremes = limit // 2
    order = np.argsort(result["net"].to_numpy(), kind="stable")
    keep = np.zeros(len(result), dtype=bool)
    keep[order[: extremes // 2]] = True
    keep[order[len(order) - (extremes - extremes // 2):]] = True
    rest = np.flatnonzero(~keep)
    room = limit - int(keep.sum())
    keep[rest[:: max(1, len(rest) // room)][:room]] = True
    return result.iloc[np.flatnonzero(keep)]


def curve_points(curve: pd.DataFrame, limit: int = CURVE_LIMIT) -> pd.DataFrame:
    """The whale curve thinned to at most about ``limit`` points, always keeping the first, the peak and the last."""
    n = len(curve)
    if n <= limit:
        return curve
    positions = set(np.linspace(0, n - 1, limit).round().astype(int).tolist())
    shares = curve["cumulative_profit_share"].to_numpy()
    if not np.isnan(shares).all():
        positions.add(int(np.nanargmax(shares)))
    positions.add(int(np.argmax(curve["cumulative_net"].to_numpy())))
    return curve.iloc[sorted(positions)]


# ---- case card: 花旗私行 (outline 一.3.(1); the outline gives no figures, so these are illustrative) -----------


@dataclass(frozen=True)
class CitiCase:
    customers: int = 100
    min_net_worth: float = 8_000_000.0  # 净资产 800 万以上
    annual_cost: float = 900_000.0  # a private banker's salary, benefits and allocated cost
    effective_hours: float = 1_800.0
    assets: int = 30  # customers who more than pay for their service …
    assets_profit_share: float = 1.80  # … earning 180% of her total profit
    potential: int = 20  # losing money today, but with large assets elsewhere
    liabilities: int = 50
    hours_freed: float = 600.0  # a year, by moving liabilities to one-to-many and digital service

    @property
    def hourly_cost(self) -> float:
        return self.annual_cost / self.effective_hours

    @property
    def freed_value(self) -> float:
        return self.hours_freed * self.hourly_cost

    @property
    def others_loss_share(self) -> float:
        """The share of total profit the other customers lose again: 180% − 100% = 80%."""
        return self.assets_profit_share - 1.0


CITI_CASE = CitiCase()
