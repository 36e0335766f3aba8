"""有效产出会计 — throughput accounting per tier, and the best use of the manager's hours (DESIGN §4.11).

Goldratt's three measures, applied to a customer book (amounts in 元 a year):

    T  有效产出 = revenue − truly variable costs      (revenue as in 1.4; truly variable: gifts, rebates and the
                                                      per-customer event cost — they go when the customer goes)
    OE 营运费用 = what it costs to run the business whatever is sold: the manager's annual cost, allocated branch
                 cost, fixed event cost
    I  投资     = money tied up to earn T (here: a marketing budget, optional)
    NP = T − OE;   ROI = NP ÷ I;   productivity = T ÷ OE

Per tier, OE is the manager's time the tier takes (its service hours × the hourly cost): the tier's NP then equals
1.4's net summed over the tier. The hours are the ones 1.4 prices — one source of truth: the book's
``service_hours_12m`` where it records them, else 1.4's cost-to-serve assumptions (contacts × minutes per contact,
or the tier's hours a year; ``profit.assumed_inputs``). Were 4.3 to count other hours (3.4's plan, say) than 1.4
costs, the same customers would cost one amount on 1.4 and another here, and "NP = Σ 1.4's net" would fail. A
service plan's hours are what the manager *intends* to give; pages show them beside today's, never instead.

The total OE is the whole year's cost (annual cost + other fixed costs), which is paid whether or not the hours
are spent on customers. The difference between the two is OE no tier carries — hours not spent with customers,
plus fixed costs; it does not disappear when a tier is served less. That is the point of throughput accounting:
moving hours changes T, not OE, so the uplift in NP equals the uplift in T.

The constraint is the manager's hours, so the ranking that matters is T per hour (Goldratt's P & Q: $3 a
constraint-minute beats $2 a minute, though Q has more margin per unit). :func:`allocate_hours` finds the hours
per tier that earn the most T within each tier's floor and ceiling; it assumes T per hour stays constant between
them (the ceiling is where that stops being true). :func:`throughput_by_tier` is the figure other pages use to
value an hour of the manager's time in a tier (``t_per_hour``).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.profit import DEFAULT_PARAMS, HOURS_FROM_BOOK, ProfitParams, assumed_inputs, profitability

CASES_FILE = Path(__file__).parent / "data" / "throughput_cases.toml"
VARIABLE_COSTS: tuple[str, ...] = ("gift_cost", "rebate_cost", "event_cost")  # columns of ``profitability``
ALLOCATION_COLUMNS: tuple[str, ...] = ("t_per_hour", "floor", "ceiling")
DEFAULT_FLOOR_SHARE = 0.5  # a tier keeps at least half of today's hours: below that its customers are neglected
DEFAULT_CEILING_SHARE = 1.5  # and at most half as much again: beyond that more hours are assumed to add nothing
_TOLERANCE = 1e-9


# ---- T, OE, NP per tier -----------------------------------------------------------------------------------------


def _per_tier(values: Mapping[str, Any] | pd.Series | None, codes: Sequence[str], fill: float) -> np.ndarray:
    """A per-tier input (tier code → number) as an array in ``codes`` order; absent or unreadable → ``fill``."""
    out = np.full(len(codes), fill, dtype=np.float64)
    if values is None:
        return out
    lookup = values.to_dict() if isinstance(values, pd.Series) else dict(values)
    for index, code in enumerate(codes):
        try:
            number = float(lookup.get(code, fill))
        except (TypeError, ValueError):
            continue
        out[index] = number if math.isfinite(number) else fill
    return out


def throughput_by_tier(
    book: pd.DataFrame,
    tiers: pd.Series,
    params: ProfitParams | None = None,
    *,
    investment: Mapping[str, float] | pd.Series | None = None,
    result: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """T, OE, NP and T per manager-hour for every tier of ``tiers`` (an ordered Categorical, same index as
    ``book``), in tier order, empty tiers included.

    Columns: ``customers``; ``revenue``, ``variable_cost``, ``t`` (元/year); ``hours`` — the tier's service hours
    as 1.4 prices them (``profitability``'s ``actual_hours`` summed over customers with a value; NaN when none has
    one: the book records no hours and 1.4's assumptions are off); ``hours_recorded`` (customers whose hours come
    from the book) and ``hours_assumed`` (customers whose hours come from 1.4's cost-to-serve assumptions);
    ``oe`` = hours × hourly cost (0 when hours are unknown); ``np`` = t − oe; ``t_over_oe``
    (NaN when oe is 0); ``t_per_hour`` = t ÷ hours (NaN when hours are unknown or 0) — what one hour of the
    manager's time in this tier earns; ``investment`` (tier → 元, default 0) and ``roi`` = np ÷ investment (NaN
    without an investment). Pass ``result`` (``profitability(book, params)``) to skip recomputing it.
    """
    p = params or DEFAULT_PARAMS
    res = result if result is not None else profitability(book, p)
    categories = [str(c) for c in tiers.cat.categories]
    k = len(categories)
    codes = np.asarray(tiers.cat.codes.to_numpy(), dtype=np.int64)

    def sums(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=k)[:k] if len(codes) else np.zeros(k)

    customers = np.bincount(codes, minlength=k)[:k] if len(codes) else np.zeros(k, dtype=np.int64)
    revenue = sums(res["revenue"].to_numpy(dtype=np.float64))
    variable = sums(res[list(VARIABLE_COSTS)].to_numpy(dtype=np.float64).sum(axis=1))
    t = revenue - variable

    actual = res["actual_hours"].to_numpy(dtype=np.float64)
    known = ~np.isnan(actual)
    priced = np.bincount(codes[known], minlength=k)[:k] if len(codes) else np.zeros(k, dtype=np.int64)
    tier_hours = np.where(priced > 0, sums(np.where(known, actual, 0.0)), np.nan)
    from_book = assumed_inputs(book, p).hours == HOURS_FROM_BOOK
    recorded = priced if from_book else np.zeros(k, dtype=np.int64)

    oe = np.nan_to_num(tier_hours, nan=0.0) * p.hourly_cost
    np_ = t - oe
    invested = np.maximum(_per_tier(investment, categories, 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_over_oe = np.where(oe > 0, t / np.where(oe > 0, oe, 1.0), np.nan)
        t_per_hour = np.where(tier_hours > 0, t / np.where(tier_hours > 0, tier_hours, 1.0), np.nan)
        roi = np.where(invested > 0, np_ / np.where(invested > 0, invested, 1.0), np.nan)
    return pd.DataFrame(
        {
            "customers": customers.astype(np.int64),
            "revenue": revenue,
            "variable_cost": variable,
            "t": t,
            "hours": tier_hours,
            "hours_recorded": recorded.astype(np.int64),
            "hours_assumed": (priced - recorded).astype(np.int64),
            "oe": oe,
            "np": np_,
            "t_over_oe": t_over_oe,
            "t_per_hour": t_per_hour,
            "investment": invested,
            "roi": roi,
        },
        index=pd.Index(categories, name="tier"),
    )


@dataclass(frozen=True)
class ThroughputTotals:
    """The book as a whole. ``oe`` is the year's whole operating expense (annual cost + ``other_oe``);
    ``oe_assigned`` the part the tiers' hours carry and ``oe_unassigned`` the rest (negative when the recorded hours
    exceed the effective hours). ``roi`` is NaN without an investment; ``t_over_oe`` NaN when OE is 0."""

    revenue: float
    variable_cost: float
    t: float
    hours: float
    oe_assigned: float
    other_oe: float
    oe: float
    np: float
    t_over_oe: float
    investment: float
    roi: float

    @property
    def oe_unassigned(self) -> float:
        return self.oe - self.oe_assigned


def throughput_totals(by_tier: pd.DataFrame, params: ProfitParams | None = None, other_oe: float = 0.0
                      ) -> ThroughputTotals:
    """Totals of a :func:`throughput_by_tier` frame. ``other_oe``: allocated branch cost and fixed event cost
    (元/year, beyond the manager's annual cost in ``params``)."""
    p = params or DEFAULT_PARAMS
    other = float(other_oe) if math.isfinite(float(other_oe)) and other_oe > 0 else 0.0
    t = float(by_tier["t"].sum())
    oe = p.annual_cost + other
    np_ = t - oe
    invested = float(by_tier["investment"].sum())
    return ThroughputTotals(
        revenue=float(by_tier["revenue"].sum()),
        variable_cost=float(by_tier["variable_cost"].sum()),
        t=t,
        hours=float(by_tier["hours"].sum(skipna=True)),
        oe_assigned=float(by_tier["oe"].sum()),
        other_oe=other,
        oe=oe,
        np=np_,
        t_over_oe=t / oe if oe > 0 else math.nan,
        investment=invested,
        roi=np_ / invested if invested > 0 else math.nan,
    )


# ---- the best use of the hours ------------------------------------------------------------------------------------


class AllocationError(i18n.LocalisedError):
    """An allocation table or an hours figure the allocation cannot work with (catalogue ``error.allocation``)."""

    catalogue_prefix = "error.allocation"

    def message_values(self, lang: str) -> Mapping[str, Any]:
        # Hours read as whole numbers with separators in both languages ("1,250").
        return {k: f"{v:,.0f}" if isinstance(v, float) else v for k, v in self.values.items()}


class HoursInfeasibleError(AllocationError):
    """The floors need more hours than are available: no allocation respects them all."""


def _validated(table: pd.DataFrame, available_hours: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    missing = [c for c in ALLOCATION_COLUMNS if c not in table.columns]
    if missing:
        raise AllocationError("columns", columns=", ".join(missing))
    try:
        available = float(available_hours)
    except (TypeError, ValueError):
        available = math.nan
    if not math.isfinite(available) or available < 0:
        raise AllocationError("available", available=str(available_hours))
    t_per_hour, floor, ceiling = (pd.to_numeric(table[c], errors="coerce").to_numpy(dtype=np.float64)
                                  for c in ALLOCATION_COLUMNS)
    for name, values in (("t_per_hour", t_per_hour), ("floor", floor)):
        bad = ~np.isfinite(values)
        if bad.any():
            raise AllocationError(f"bad_{name}", tier=str(table.index[int(np.argmax(bad))]))
    ceiling = np.where(np.isnan(ceiling), np.inf, ceiling)  # no ceiling: as many hours as there are
    below = (floor < 0) | (ceiling < floor)
    if below.any():
        at = int(np.argmax(below))
        raise AllocationError("bounds", tier=str(table.index[at]), floor=float(floor[at]), ceiling=float(ceiling[at]))
    needed = float(floor.sum())
    if needed > available * (1 + _TOLERANCE) + _TOLERANCE:
        raise HoursInfeasibleError("floors_exceed", floors=needed, available=available)
    return t_per_hour, floor, ceiling, available


def allocate_hours(table: pd.DataFrame, available_hours: float) -> pd.Series:
    """The hours per tier that earn the most throughput: ``table`` is indexed by tier with columns ``t_per_hour``
    (T per hour of the manager's time), ``floor`` and ``ceiling`` (hours; a NaN ceiling is no ceiling). Returns
    hours per tier (same index, named ``hours``) with floor ≤ hours ≤ ceiling and Σ hours ≤ ``available_hours``.

    Every tier gets its floor; the hours left go to the tiers in descending order of T per hour (ties: table
    order), each filled to its ceiling before the next, and never to a tier whose T per hour is ≤ 0. Hours no
    tier can use profitably stay unallocated. Raises :class:`HoursInfeasibleError` (a ``ValueError``) when the
    floors add up to more than the hours available, and :class:`AllocationError` for a malformed table (missing
    column, a non-finite T per hour or floor, a negative floor, a ceiling below its floor, or negative hours).

    Why this greedy fill is an exact optimum (not a heuristic). The problem is the linear programme

        maximise Σ tᵢ·hᵢ   subject to   fᵢ ≤ hᵢ ≤ cᵢ,   Σ hᵢ ≤ H.

    Write hᵢ = fᵢ + xᵢ: maximise Σ tᵢ·fᵢ + Σ tᵢ·xᵢ with 0 ≤ xᵢ ≤ uᵢ = cᵢ − fᵢ and Σ xᵢ ≤ B = H − Σ fᵢ. The first
    sum is fixed, so this is a *fractional* (bounded) knapsack in which every hour weighs the same: item i offers
    up to uᵢ units of value tᵢ each, the budget is B units. (1) Hours given to a tier with tᵢ ≤ 0 never raise the
    objective, so an optimum exists with xᵢ = 0 for them. (2) Exchange argument for the rest: take any feasible x
    and two tiers with tᵢ > tⱼ where xᵢ < uᵢ and xⱼ > 0; moving ε = min(uᵢ − xᵢ, xⱼ) hours from j to i keeps
    feasibility and changes the objective by ε·(tᵢ − tⱼ) ≥ 0. Likewise, spare budget (Σ x < B) moved to a tier
    with tᵢ > 0 and xᵢ < uᵢ gains ε·tᵢ > 0. Repeating these moves from an optimal x never lowers the objective
    and ends in a solution where no higher-T tier below its bound coexists with a lower-T tier above 0 or with
    spare budget — which is exactly the greedy fill (ties among equal tᵢ change nothing in the objective). Hence
    the greedy value equals the optimum. With whole-number floors, ceilings and hours the greedy hours are whole
    numbers too, so a brute force over whole hours reaches the same value (the tests check it).
    """
    t_per_hour, floor, ceiling, available = _validated(table, available_hours)
    hours = floor.copy()
    left = max(available - float(floor.sum()), 0.0)
    # Descending T per hour; a stable sort keeps the table order among equals.
    for index in np.argsort(-t_per_hour, kind="stable"):
        if t_per_hour[index] <= 0 or left <= 0:
            break
        add = min(ceiling[index] - floor[index], left)
        hours[index] += add
        left -= add
    return pd.Series(hours, index=table.index, name="hours")


def allocation_table(
    by_tier: pd.DataFrame,
    floor_share: float = DEFAULT_FLOOR_SHARE,
    ceiling_share: float = DEFAULT_CEILING_SHARE,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> pd.DataFrame:
    """The allocation table of a :func:`throughput_by_tier` frame: the tiers whose hours and T per hour are known
    and whose hours are above 0 (a tier with no recorded time cannot be priced per hour), with ``today`` (hours),
    ``t_per_hour``, ``floor`` = floor_share × today and ``ceiling`` = ceiling_share × today, unless ``overrides``
    (tier → {"floor": h, "ceiling": h}) set a tier's own. A ceiling below its floor is lifted to the floor."""
    usable = by_tier[(by_tier["hours"] > 0) & by_tier["t_per_hour"].notna()]
    today = usable["hours"].astype(np.float64)
    table = pd.DataFrame(
        {
            "today": today,
            "t_per_hour": usable["t_per_hour"].astype(np.float64),
            "floor": today * max(float(floor_share), 0.0),
            "ceiling": today * max(float(ceiling_share), 0.0),
        },
        index=usable.index,
    )
    for code, values in (overrides or {}).items():
        if code not in table.index or not isinstance(values, Mapping):
            continue
        for column in ("floor", "ceiling"):
            try:
                number = float(values.get(column))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
            if math.isfinite(number) and number >= 0:
                table.loc[code, column] = number
    table["ceiling"] = np.maximum(table["ceiling"], table["floor"])
    return table


@dataclass(frozen=True)
class AllocationComparison:
    """Today's hours against the best ones. ``tiers``: per tier ``today``, ``best``, ``moved`` (best − today),
    ``t_per_hour``, ``t_today`` and ``t_best`` (= T per hour × hours). ``t_uplift`` = Σ t_best − Σ t_today; OE does
    not change with the hours (they are paid either way), so NP rises by the same amount."""

    tiers: pd.DataFrame
    available: float
    t_today: float
    t_best: float
    np_today: float

    @property
    def t_uplift(self) -> float:
        return self.t_best - self.t_today

    @property
    def np_best(self) -> float:
        return self.np_today + self.t_uplift

    @property
    def np_change(self) -> float:
        """The NP uplift as a share of today's NP (NaN when today's NP is not positive: a share of a loss
        misleads)."""
        return self.t_uplift / self.np_today if self.np_today > 0 else math.nan

    @property
    def hours_moved(self) -> float:
        """Hours taken from some tiers and given to others (the sum of the increases)."""
        return float(self.tiers["moved"].clip(lower=0).sum())

    @property
    def hours_unused(self) -> float:
        return self.available - float(self.tiers["best"].sum())


def compare_allocation(table: pd.DataFrame, available_hours: float, np_today: float) -> AllocationComparison:
    """:func:`allocate_hours` on ``table`` (an :func:`allocation_table`, with its ``today`` column) against today."""
    best = allocate_hours(table, available_hours)
    tiers = pd.DataFrame(
        {
            "today": table["today"],
            "best": best,
            "moved": best - table["today"],
            "t_per_hour": table["t_per_hour"],
            "t_today": table["t_per_hour"] * table["today"],
            "t_best": table["t_per_hour"] * best,
        },
        index=table.index,
    )
    return AllocationComparison(tiers, float(available_hours), float(tiers["t_today"].sum()),
                                float(tiers["t_best"].sum()), float(np_today))


# ---- the case cards -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cases() -> dict[str, Any]:
    with CASES_FILE.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class PQProduct:
    code: str
    price: float
    material: float
    minutes: float
    demand: float

    @property
    def t_per_unit(self) -> float:
        return self.price - self.material

    @property
    def t_per_minute(self) -> float:
        return self.t_per_unit / self.minutes


@dataclass(frozen=True)
class PQPlan:
    """One way to use the constraint's minutes: units made of each product, T and NP."""

    units: Mapping[str, float]
    t: float
    np: float


@dataclass(frozen=True)
class PQCase:
    products: tuple[PQProduct, ...]
    available: float  # constraint minutes a week
    operating_expense: float
    by_margin: PQPlan  # the cost-accounting ranking: most margin per unit first
    by_constraint: PQPlan  # throughput accounting: most T per constraint minute first


def _pq_plan(products: Sequence[PQProduct], available: float, oe: float, rank_by: Sequence[float]) -> PQPlan:
    # The same greedy fill, ranked by ``rank_by``; T is then counted at each product's true T per minute.
    table = pd.DataFrame(
        {"t_per_hour": list(rank_by), "floor": 0.0, "ceiling": [p.demand * p.minutes for p in products]},
        index=[p.code for p in products],
    )
    minutes = allocate_hours(table, available)
    units = {p.code: float(minutes[p.code]) / p.minutes for p in products}
    t = sum(units[p.code] * p.t_per_unit for p in products)
    return PQPlan(units, t, t - oe)


def pq_case() -> PQCase:
    """Goldratt's P & Q, computed: ranking by margin per unit against ranking by T per constraint minute."""
    raw = _cases()["pq"]
    products = tuple(PQProduct(str(p["code"]), float(p["price"]), float(p["material"]), float(p["minutes"]),
                               float(p["demand"])) for p in raw["products"])
    available, oe = float(raw["available"]), float(raw["operating_expense"])
    return PQCase(
        products, available, oe,
        by_margin=_pq_plan(products, available, oe, [p.t_per_unit for p in products]),
        by_constraint=_pq_plan(products, available, oe, [p.t_per_minute for p in products]),
    )


@dataclass(frozen=True)
class OutletCase:
    """An outline case with our illustrative numbers: groups of customers, the hours moved between them, and the
    result as profit (``measure`` "profit": NP = T − OE) or as 中收 against a target ("fee_target")."""

    key: str
    measure: str
    groups: pd.DataFrame  # per group: name_zh, name_en and the AllocationComparison columns
    comparison: AllocationComparison
    operating_expense: float = 0.0
    target: float = 0.0

    def achievement(self, t: float) -> float:
        """中收 as a share of the target (fee_target cases)."""
        return t / self.target if self.target > 0 else math.nan


def outlet_case(key: str) -> OutletCase:
    """The ``spdb`` or ``mobile`` case card, computed with :func:`compare_allocation` on its table."""
    raw = _cases()[key]
    groups = raw["groups"]
    table = pd.DataFrame(
        {
            "today": [float(g["today"]) for g in groups],
            "t_per_hour": [float(g["t_per_hour"]) for g in groups],
            "floor": [float(g["floor"]) for g in groups],
            "ceiling": [float(g["ceiling"]) for g in groups],
        },
        index=[str(g["code"]) for g in groups],
    )
    oe = float(raw.get("operating_expense", 0.0))
    today_t = float((table["today"] * table["t_per_hour"]).sum())
    comparison = compare_allocation(table, float(table["today"].sum()), today_t - oe)
    names = pd.DataFrame({"name_zh": [g["name"]["zh"] for g in groups], "name_en": [g["name"]["en"] for g in groups]},
                         index=table.index)
    return OutletCase(key, str(raw["measure"]), names.join(comparison.tiers), comparison, oe,
                      float(raw.get("target", 0.0)))
