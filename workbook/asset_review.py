"""1.4 客户资产负债审视 — the page's view of customer profitability (DESIGN §4.4).

The arithmetic lives in :mod:`workbook.profit`; this module turns the worksheet's entries (percent
spreads, annual cost and hours) into its parameters, picks the short lists a page shows (top liabilities with a
suggested action, the over- and under-served), thins the charts' points for large books, masks the customer
columns, and says what a book lacks. The 花旗私行 case card's figures are here too (illustrative).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from workbook.profit import (
    COST_INPUTS,
    DEFAULT_ASSUMPTIONS,
    DEFAULT_PARAMS,
    LIABILITY,
    REVENUE_INPUTS,
    TIER_COST_FIELDS,
    AssumedInputs,
    CostAssumptions,
    KindSummary,
    ProfitParams,
    ServiceReview,
    WhaleSummary,
    assumed_inputs,
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
    """The worksheet's entries as the workspace keeps them (module "s1_4"): money in 元 (the page types it in 万元
    and converts), hours, percent. Every field is a plain number so other pages can read the hourly cost and the
    spreads from the workspace (``services.profit_params_from``); ``assume_missing`` is 1 or 0."""

    annual_cost: float = DEFAULT_PARAMS.annual_cost
    effective_hours: float = DEFAULT_PARAMS.effective_hours
    deposit_spread_pct: float = DEFAULT_PARAMS.deposit_spread * 100
    loan_spread_pct: float = DEFAULT_PARAMS.loan_spread * 100
    potential_external: float = DEFAULT_PARAMS.potential_external_assets
    potential_growth_pct: float = DEFAULT_PARAMS.potential_aum_growth * 100
    potential_new_aum: float = DEFAULT_PARAMS.potential_new_aum
    target_cost_ratio_pct: float = DEFAULT_PARAMS.target_cost_ratio * 100
    assume_missing: float = 1.0
    wealth_fee_pct: float = DEFAULT_ASSUMPTIONS.fee_rate("wealth_balance") * 100
    fund_fee_pct: float = DEFAULT_ASSUMPTIONS.fee_rate("fund_balance") * 100
    insurance_fee_pct: float = DEFAULT_ASSUMPTIONS.fee_rate("insurance_balance") * 100

    def params(self, tier_costs: Mapping[str, Mapping[str, Any]] | None = None,
               standard_hours: tuple[tuple[str, float], ...] | None = None) -> ProfitParams:
        """The profitability parameters. Effective hours below 1 are taken as 1 (no division by zero); a target
        ratio outside 1–100% is brought inside it. ``tier_costs``: the trainee's edits of the tier assumptions
        (tier code → {field: value}); ``standard_hours``: 3.4's hours per ``aum`` tier (None: its templates)."""
        fee_pct = {"wealth_balance": self.wealth_fee_pct, "fund_balance": self.fund_fee_pct,
                   "insurance_balance": self.insurance_fee_pct}
        assumptions = DEFAULT_ASSUMPTIONS.with_overrides(
            tier_costs, fee_rates={balance: pct / 100.0 for balance, pct in fee_pct.items()},
            enabled=bool(self.assume_missing))
        ratio_pct = float(self.target_cost_ratio_pct)
        return ProfitParams(
            annual_cost=float(self.annual_cost),
            effective_hours=max(float(self.effective_hours), 1.0),
            deposit_spread=self.deposit_spread_pct / 100.0,
            loan_spread=self.loan_spread_pct / 100.0,
            potential_external_assets=float(self.potential_external),
            potential_aum_growth=self.potential_growth_pct / 100.0,
            potential_new_aum=float(self.potential_new_aum),
            target_cost_ratio=min(max(ratio_pct if math.isfinite(ratio_pct) else 30.0, 1.0), 100.0) / 100.0,
            assumptions=assumptions,
            standard_hours=standard_hours,
        )


DEFAULT_INPUTS = ReviewInputs()
INPUT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ReviewInputs))
# Workspace entries of module "s1_4" beyond the ReviewInputs numbers: the edited tier assumptions.
TIER_COSTS_KEY = "tier_costs"


def inputs_from(values: Mapping[str, Any] | None) -> ReviewInputs:
    """ReviewInputs from the workspace entries of module "s1_4": every known entry that is a finite number, the
    default for anything else (a stale or hand-edited workspace never breaks a page)."""
    chosen: dict[str, float] = {}
    for name in INPUT_NAMES:
        value = (values or {}).get(name)
        if value is None or isinstance(value, str):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            chosen[name] = number
    return ReviewInputs(**chosen)


def params_from(values: Mapping[str, Any] | None,
                standard_hours: tuple[tuple[str, float], ...] | None = None) -> ProfitParams:
    """The trainee's profitability parameters from the workspace module "s1_4" (numbers and the edited tier
    assumptions): the one place other pages (3.x, 4.x) can take 1.4's cost and revenue assumptions from."""
    tier_costs = (values or {}).get(TIER_COSTS_KEY)
    return inputs_from(values).params(tier_costs if isinstance(tier_costs, Mapping) else None, standard_hours)


def standard_hours_from(aum_overrides: Mapping[str, Mapping[str, Any]] | None) -> tuple[tuple[str, float], ...]:
    """The service standard (hours a year per ``aum`` tier) with the trainee's edits of 3.4's ``aum`` matrix
    (``services.overrides_from_rows`` output for the scheme ``aum``), so 1.4's cap follows the plan on 3.4."""
    from workbook import services

    codes = list(DEFAULT_ASSUMPTIONS.codes)
    rows = services.matrix_rows("aum", codes, "zh", aum_overrides or {})
    return tuple((str(row["tier"]), float(row["hours"])) for row in rows)


def service_standard_from(service_plan: Mapping[str, Any] | None) -> tuple[tuple[str, float], ...] | None:
    """The service standard 1.4 caps the justified hours with, from the workspace module "s3_4" (its
    ``overrides``: scheme id → tier → dimension → value): the ``aum`` plan's hours with the trainee's edits, or None
    (3.4's templates, ``ProfitParams.service_standard``) when the ``aum`` plan is not edited."""
    overrides = (service_plan or {}).get("overrides")
    aum = overrides.get("aum") if isinstance(overrides, Mapping) else None
    return standard_hours_from(aum) if isinstance(aum, Mapping) and aum else None


def trainee_params(values: Mapping[str, Any] | None, service_plan: Mapping[str, Any] | None = None) -> ProfitParams:
    """The profitability parameters exactly as page 1.4 uses them: 1.4's entries (``params_from``: the numbers and
    the edited tier assumptions) with 3.4's service standard (``service_standard_from``). Every page that prices
    customers — 1.4, 3.2's asset/liability dimension, 3.3, 3.4, 4.x and the exercises — takes its parameters from
    here, so an edit on 1.4 (or of the ``aum`` plan on 3.4) shows the same figures everywhere."""
    return params_from(values, service_standard_from(service_plan))


def settings_from(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """The 1.4 entries the trainee changed from the defaults, as plain JSON data: the ``ReviewInputs`` numbers by
    name and ``tier_costs`` (tier code → {field: value}, only valid changes). ``params_from(settings_from(v))``
    equals ``params_from(v)``; an empty dict means the defaults. This is what travels in the asset/liability
    dimension's parameters (``segmentation``'s ``profit_kind`` rule) so its verdicts are 1.4's."""
    chosen = inputs_from(values)
    changed: dict[str, Any] = {name: getattr(chosen, name) for name in INPUT_NAMES
                               if getattr(chosen, name) != getattr(DEFAULT_INPUTS, name)}
    raw = (values or {}).get(TIER_COSTS_KEY)
    edited = DEFAULT_ASSUMPTIONS.with_overrides(raw if isinstance(raw, Mapping) else None)
    tier_costs = {
        tier.code: edits for tier, default in zip(edited.tiers, DEFAULT_ASSUMPTIONS.tiers, strict=True)
        if (edits := {name: getattr(tier, name) for name in TIER_COST_FIELDS
                      if getattr(tier, name) != getattr(default, name)})
    }
    if tier_costs:
        changed[TIER_COSTS_KEY] = tier_costs
    return changed


def justified_hours(revenue: float, params: ProfitParams, tier: str | None = None) -> float:
    """倒推: the service hours a year ``revenue`` justifies: revenue × target cost-to-serve ratio ÷ hourly cost,
    capped by the service standard of ``tier`` when one is given."""
    hours = max(revenue, 0.0) * params.target_cost_ratio / params.hourly_cost
    if tier is not None:
        hours = min(hours, params.service_standard().get(tier, math.inf))
    return hours


def tier_cost_rows(assumptions: CostAssumptions) -> list[dict[str, Any]]:
    """The tier assumptions as rows for the page's table: code, AUM range (lower, upper bound in 元; upper None
    for the top tier) and the editable numbers."""
    tiers = assumptions.tiers
    return [
        {"tier": tier.code, "min_aum": tier.min_aum,
         "max_aum": tiers[i + 1].min_aum if i + 1 < len(tiers) else None,
         "hours": tier.hours, "minutes_per_contact": tier.minutes_per_contact,
         "gift_cost": tier.gift_cost, "event_cost": tier.event_cost}
        for i, tier in enumerate(tiers)
    ]


def tier_cost_table(assumptions: CostAssumptions) -> list[dict[str, Any]]:
    """The tier assumptions turned on their side for the page: one row per number (hours, minutes per contact,
    gifts, events), one column per tier code — four narrow tier columns fit a projector where four long
    per-number headers do not."""
    return [{"field": name, **{tier.code: getattr(tier, name) for tier in assumptions.tiers}}
            for name in TIER_COST_FIELDS]


def tier_cost_overrides_from_table(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """``tier_cost_overrides`` of a table shaped by ``tier_cost_table``."""
    by_tier = [{"tier": code, **{str(row.get("field")): row.get(code) for row in rows}}
               for code in DEFAULT_ASSUMPTIONS.codes]
    return tier_cost_overrides(by_tier)


def tier_cost_overrides(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """The cells of an edited assumptions table that differ from the defaults (to keep in the workspace)."""
    result: dict[str, dict[str, float]] = {}
    for row in rows:
        code = str(row.get("tier"))
        if code not in DEFAULT_ASSUMPTIONS.codes:
            continue
        default = DEFAULT_ASSUMPTIONS.tier(code)
        changed = {}
        for name in ("hours", "minutes_per_contact", "gift_cost", "event_cost"):
            try:
                number = float(row.get(name))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            if math.isfinite(number) and number >= 0 and not math.isclose(number, getattr(default, name)):
                changed[name] = number
        if changed:
            result[code] = changed
    return result


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
    assumed: AssumedInputs  # which figures come from the tier assumptions (the page states them)
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


def _status(missing_revenue: tuple[str, ...], missing_cost: tuple[str, ...], assumed: AssumedInputs) -> str:
    # Revenue estimated from product balances counts as revenue; costs from the tier assumptions count as costs,
    # except that a book with neither revenue nor a cost of its own has nothing to review (assumed costs against
    # no revenue would only call everyone a liability).
    no_revenue = len(missing_revenue) == len(REVENUE_INPUTS) and not assumed.fee_from
    no_cost_in_book = len(missing_cost) == len(COST_INPUTS)
    if no_revenue and no_cost_in_book:
        return STATUS_NOTHING
    if no_revenue:
        return STATUS_NO_REVENUE
    if no_cost_in_book and not assumed.any:
        return STATUS_NO_COST
    return STATUS_OK


# A liability within their justified hours loses money through perks or rebates (their time costs less than their
# revenue): the action removes the larger of the two.
_DRIVER_ACTION = {"rebates": "stop_rebates", "perks": "stop_gifts"}


def top_liabilities(result: pd.DataFrame, service: ServiceReview, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """The ``limit`` customers losing the most (kind liability, net ascending) with a suggested action.

    The action is the 倒推's for an over-served customer (it follows the largest cost driver); a liability who is
    *not* over-served in hours loses money through gifts and events or rebates, so the action stops the larger.
    """
    losers = result[result["kind"] == LIABILITY].sort_values("net", kind="stable").head(limit)
    table = losers[["revenue", "cost", "net", "actual_hours", "justified_hours", "gift_cost", "rebate_cost",
                    "event_cost", "perk_cost", "cost_driver"]].copy()
    table["perks"] = table["perk_cost"]
    from_review = service.over["action"].reindex(table.index)
    by_driver = table["cost_driver"].astype("str").map(_DRIVER_ACTION).fillna("stop_gifts")
    table["action"] = from_review.where(from_review.notna() & (from_review != ""), by_driver).astype("str")
    return table


def review(book: pd.DataFrame, params: ProfitParams | None = None, limit: int = TOP_LIMIT) -> AssetReview:
    """Everything page 1.4 shows, computed once per book and parameters."""
    p = params or DEFAULT_PARAMS
    result = profitability(book, p)
    curve = whale_curve(result["net"])
    service = service_review(book, p, result=result)
    missing_revenue = missing_inputs(book, REVENUE_INPUTS)
    missing_cost = missing_inputs(book, COST_INPUTS)
    assumed = assumed_inputs(book, p)
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
        assumed=assumed,
        status=_status(missing_revenue, missing_cost, assumed),
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
    potential: int = 20  # losing money today, but with large assets elsewhere …
    potential_loss_share: float = 0.20  # … losing 20% of total profit between them
    liabilities: int = 50  # the rest lose the remaining 60%: 180% − 20% − 60% = 100%
    hours_freed: float = 600.0  # a year (12 h from each liability), by one-to-many and digital service

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

    @property
    def liabilities_loss_share(self) -> float:
        """The liabilities' part of that loss: 80% − 20% lost by the potential assets = 60%."""
        return self.others_loss_share - self.potential_loss_share

    @property
    def freed_share(self) -> float:
        """The freed hours as a share of her year: 600 ÷ 1,800 = a third."""
        return self.hours_freed / self.effective_hours


CITI_CASE = CitiCase()
