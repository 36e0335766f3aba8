"""客户资产负债审视 — customer profitability, cost to serve, the whale curve and the 倒推 service review (DESIGN §4.4).

A customer is an *asset* (资产) when the revenue they bring covers what it costs to serve them, a *liability*
(负债) when it does not, and a *potential asset* (潜力资产) when they lose money today but show the potential
to become an asset (large assets at other banks, or fast-growing assets with us). DESIGN §4.4 leaves the level
to set; the defaults are ≥ 500,000 元 estimated at other banks or AUM grown ≥ 20% in 12 months (``ProfitParams``).
A customer with net exactly 0 is an asset (net ≥ 0).

    revenue = fee_income_12m + deposit_balance × deposit_spread + loan_balance × loan_spread
    cost    = service_hours_12m × hourly_cost + gift_cost_12m + rebate_cost_12m + event_cost_12m
    net     = revenue − cost

Missing data: an input column absent from the book counts as 0 for every customer (``missing_inputs`` says
which ones, so a page can tell the trainee what the figures leave out); a blank (NaN) cell in a present column
also counts as 0 — a bank export leaves a cell empty when the customer has none of that product or cost. No
customer is ever dropped.

The functions are vectorised (numpy) because the budget is 1,000,000 customers in well under a second.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.schema import column_numbers

# ---- parameters -------------------------------------------------------------------------------------------


class ProfitParamError(i18n.LocalisedError):
    """Assumptions the review cannot work with (catalogue ``error.profit.<code>``; ``text(lang)``)."""

    catalogue_prefix = "error.profit"


@dataclass(frozen=True)
class ProfitParams:
    """The trainee-editable assumptions of the profitability review (defaults from DESIGN §4.4).

    Effective hours must be positive (the hourly cost divides by them): ``ProfitParamError`` otherwise.
    """

    annual_cost: float = 360_000.0  # the manager's salary, benefits and allocated branch cost (元/year)
    effective_hours: float = 1_800.0  # hours a year actually available for customers
    deposit_spread: float = 0.010  # FTP spread earned on deposits
    loan_spread: float = 0.015  # spread earned on loans
    potential_external_assets: float = 500_000.0  # 潜力资产: assets elsewhere at least this …
    potential_aum_growth: float = 0.20  # … or AUM grown by at least this share in 12 months

    def __post_init__(self) -> None:
        if not self.effective_hours > 0:  # NaN fails too
            raise ProfitParamError("effective_hours", value=self.effective_hours)

    @property
    def hourly_cost(self) -> float:
        """元 per hour of the manager's time (360,000 ÷ 1,800 = 200 by default)."""
        return self.annual_cost / self.effective_hours


DEFAULT_PARAMS = ProfitParams()
_GROWTH_TOLERANCE = 1e-9

# Input fields, by what they feed. The order is the order ``missing_inputs`` reports them in.
REVENUE_INPUTS: tuple[str, ...] = ("fee_income_12m", "deposit_balance", "loan_balance")
COST_INPUTS: tuple[str, ...] = ("service_hours_12m", "gift_cost_12m", "rebate_cost_12m", "event_cost_12m")
POTENTIAL_INPUTS: tuple[str, ...] = ("external_assets_est", "aum", "aum_12m_ago")
ALL_INPUTS: tuple[str, ...] = REVENUE_INPUTS + COST_INPUTS + POTENTIAL_INPUTS

# Kind codes, in the order a chart or a table lists them. Labels: catalogue keys profit.kind.<code>.
KINDS: tuple[str, ...] = ("asset", "potential", "liability")
ASSET, POTENTIAL, LIABILITY = KINDS

RESULT_COLUMNS: tuple[str, ...] = (
    "revenue", "cost", "net", "kind", "justified_hours", "actual_hours", "hours_gap",
    # the breakdown, so a page can show where revenue and cost come from without computing anything
    "fee_revenue", "deposit_revenue", "loan_revenue", "time_cost", "gift_cost", "rebate_cost", "event_cost",
)


def missing_inputs(book: pd.DataFrame, inputs: Sequence[str] = ALL_INPUTS) -> tuple[str, ...]:
    """The profitability inputs absent from ``book`` (each counts as 0 in the figures)."""
    return tuple(key for key in inputs if key not in book.columns)


def _values(book: pd.DataFrame, key: str, *, fill: float | None = 0.0) -> np.ndarray:
    """A column as float64; absent column → all ``fill``; NaN cells → ``fill`` (None keeps NaN)."""
    values = column_numbers(book, key)
    if values is None:
        return np.full(len(book), np.nan if fill is None else fill, dtype=np.float64)
    return values if fill is None else np.where(np.isnan(values), fill, values)


# ---- per-customer profitability ---------------------------------------------------------------------------


def profitability(book: pd.DataFrame, params: ProfitParams | None = None) -> pd.DataFrame:
    """Revenue, cost, net and kind of every customer; same index as ``book``.

    Columns: ``revenue``, ``cost``, ``net`` (元/year); ``kind`` (codes asset / potential / liability, a
    Categorical in ``KINDS`` order); ``justified_hours`` = revenue ÷ hourly cost, floored at 0 (the hours a
    year the customer's revenue pays for — the 倒推); ``actual_hours`` = service_hours_12m (NaN when not
    recorded); ``hours_gap`` = actual − justified (> 0: served beyond what they pay for). Then the breakdown:
    ``fee_revenue``, ``deposit_revenue``, ``loan_revenue``, ``time_cost``, ``gift_cost``, ``rebate_cost``,
    ``event_cost``.
    """
    p = params or DEFAULT_PARAMS
    hourly = p.hourly_cost

    fee_revenue = _values(book, "fee_income_12m")
    deposit_revenue = _values(book, "deposit_balance") * p.deposit_spread
    loan_revenue = _values(book, "loan_balance") * p.loan_spread
    revenue = fee_revenue + deposit_revenue + loan_revenue

    actual_hours = _values(book, "service_hours_12m", fill=None)
    time_cost = np.where(np.isnan(actual_hours), 0.0, actual_hours) * hourly
    gift_cost = _values(book, "gift_cost_12m")
    rebate_cost = _values(book, "rebate_cost_12m")
    event_cost = _values(book, "event_cost_12m")
    cost = time_cost + gift_cost + rebate_cost + event_cost
    net = revenue - cost

    external = _values(book, "external_assets_est")
    aum = _values(book, "aum", fill=None)
    aum_before = _values(book, "aum_12m_ago", fill=None)
    # Growth is undefined without a positive base a year ago; such a customer is not "fast-growing".
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(aum_before > 0, aum / aum_before - 1.0, np.nan)
    # The slack keeps a customer exactly on the threshold (120,000 after 100,000 at 20%) on the "at least" side
    # despite binary floating point (1.2 − 1 = 0.19999999999999996).
    promising = (external >= p.potential_external_assets) | (
        np.nan_to_num(growth, nan=-np.inf) >= p.potential_aum_growth - _GROWTH_TOLERANCE
    )
    codes = np.where(net >= 0, 0, np.where(promising, 1, 2)).astype(np.int8)
    kind = pd.Categorical.from_codes(codes, categories=pd.Index(KINDS))

    justified = np.maximum(revenue / hourly, 0.0)
    result = pd.DataFrame(
        {
            "revenue": revenue,
            "cost": cost,
            "net": net,
            "kind": kind,
            "justified_hours": justified,
            "actual_hours": actual_hours,
            "hours_gap": actual_hours - justified,
            "fee_revenue": fee_revenue,
            "deposit_revenue": deposit_revenue,
            "loan_revenue": loan_revenue,
            "time_cost": time_cost,
            "gift_cost": gift_cost,
            "rebate_cost": rebate_cost,
            "event_cost": event_cost,
        },
        index=book.index,
    )
    return result


@dataclass(frozen=True)
class KindSummary:
    """Counts and money by kind (资产 / 潜力资产 / 负债), for the page's headline figures."""

    counts: dict[str, int]
    net: dict[str, float]
    revenue: dict[str, float]
    cost: dict[str, float]
    total_net: float


def kind_summary(result: pd.DataFrame) -> KindSummary:
    """Totals per kind of a ``profitability`` result (every kind present, zero when empty)."""
    grouped = result.groupby("kind", observed=False)[["net", "revenue", "cost"]].sum()
    sizes = result.groupby("kind", observed=False).size()
    return KindSummary(
        counts={k: int(sizes.get(k, 0)) for k in KINDS},
        net={k: float(grouped["net"].get(k, 0.0)) for k in KINDS},
        revenue={k: float(grouped["revenue"].get(k, 0.0)) for k in KINDS},
        cost={k: float(grouped["cost"].get(k, 0.0)) for k in KINDS},
        total_net=float(result["net"].sum()),
    )


# ---- the whale curve --------------------------------------------------------------------------------------


def whale_curve(net: pd.Series) -> pd.DataFrame:
    """Kaplan's whale curve: customers ranked by net (most profitable first), cumulative net as a share of total.

    Index ``rank`` 1..n. Columns: ``customer`` (the customer's index label in ``net``), ``net``,
    ``cumulative_net``, ``customer_share`` (k / n, a fraction: 1.0 = 100%) and ``cumulative_profit_share``
    (cumulative net ÷ total net). Ties keep the book's order. A NaN net counts as 0.

    When total net ≤ 0 the shares of "total profit" mean nothing (the book loses money as a whole), so
    ``cumulative_profit_share`` is NaN throughout; ``has_profit_shares`` says so. Empty input → empty frame.
    The total is the last cumulative sum, so the curve ends at exactly 1.0 whenever total net > 0.
    """
    values = pd.to_numeric(net, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.where(np.isnan(values), 0.0, values)
    n = len(values)
    order = np.argsort(-values, kind="stable")
    ranked = values[order]
    cumulative = np.cumsum(ranked)
    total = cumulative[-1] if n else 0.0
    shares = cumulative / total if total > 0 else np.full(n, np.nan)
    curve = pd.DataFrame(
        {
            "customer": net.index.to_numpy()[order],
            "net": ranked,
            "cumulative_net": cumulative,
            "customer_share": np.arange(1, n + 1, dtype=np.float64) / n if n else np.empty(0),
            "cumulative_profit_share": shares,
        },
        index=pd.RangeIndex(1, n + 1, name="rank"),
    )
    return curve


def has_profit_shares(curve: pd.DataFrame) -> bool:
    """Whether the curve's profit shares are meaningful (total net > 0; not an empty book)."""
    return len(curve) > 0 and bool(curve["cumulative_profit_share"].notna().all())


@dataclass(frozen=True)
class WhaleSummary:
    """The figures a trainer reads off a whale curve. Shares are fractions (1.8 = 180%).

    ``peak_share``: the highest cumulative profit share, reached after ``peak_customer_share`` of customers
    (the point where profitable customers end). ``reach_customer_share``: the smallest share of customers that
    already earns 100% of the total profit. ``crossing_customer_share``: where the curve, after the peak,
    comes back down to 100% — with customers ranked by net this is where the last loss-making customer is
    counted, so it is 1.0 whenever the peak exceeds 100%; None when the curve never rises above 100%.
    ``top20_share``: the cumulative share of the most profitable 20% of customers. All share fields are NaN
    (and the two optional ones None) when ``meaningful`` is False (total net ≤ 0 or no customers).
    """

    peak_share: float
    peak_customer_share: float
    reach_customer_share: float | None
    crossing_customer_share: float | None
    top20_share: float
    total_net: float
    customers: int
    meaningful: bool


# Floating-point slack when comparing a cumulative share with 100%.
_SHARE_TOLERANCE = 1e-9


def top_share(curve: pd.DataFrame, fraction: float) -> float:
    """Cumulative profit share of the top ``fraction`` of customers (the first ⌈fraction × n⌉, at least one)."""
    n = len(curve)
    if n == 0:
        return math.nan
    k = min(n, max(1, math.ceil(fraction * n - _SHARE_TOLERANCE)))
    return float(curve["cumulative_profit_share"].iloc[k - 1])


def whale_summary(curve: pd.DataFrame) -> WhaleSummary:
    """Peak, where 100% is reached and crossed back, and the top-20% share of a ``whale_curve`` frame."""
    n = len(curve)
    total = float(curve["cumulative_net"].iloc[-1]) if n else 0.0
    if not has_profit_shares(curve):
        return WhaleSummary(math.nan, math.nan, None, None, math.nan, total, n, meaningful=False)
    shares = curve["cumulative_profit_share"].to_numpy()
    customer_share = curve["customer_share"].to_numpy()
    peak_at = int(np.argmax(shares))  # first position of the maximum
    peak = float(shares[peak_at])
    reach_at = int(np.argmax(shares >= 1.0 - _SHARE_TOLERANCE))  # the last point is 1.0, so one exists
    crossing: float | None = None
    if peak > 1.0 + _SHARE_TOLERANCE:
        after = shares[peak_at:] <= 1.0 + _SHARE_TOLERANCE
        crossing = float(customer_share[peak_at + int(np.argmax(after))])
    return WhaleSummary(
        peak_share=peak,
        peak_customer_share=float(customer_share[peak_at]),
        reach_customer_share=float(customer_share[reach_at]),
        crossing_customer_share=crossing,
        top20_share=top_share(curve, 0.2),
        total_net=total,
        customers=n,
        meaningful=True,
    )


# ---- 倒推: over- and under-served customers ---------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One test on a review column: ``column op value`` (a missing column or NaN cell fails the test)."""

    column: str
    op: str  # ">=", ">", "<=", "<", "=="
    value: float | str


@dataclass(frozen=True)
class ServiceRule:
    """A suggested action for one list. It applies when every ``all_of`` clause and, if any are given, at least
    one ``any_of`` clause holds. Rules are checked in order; a customer gets every action that applies, the
    first being the primary one. The label is the catalogue entry ``profit.action.<code>``."""

    code: str
    group: str  # "over" or "under"
    all_of: tuple[Clause, ...] = ()
    any_of: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class ReviewParams:
    """Thresholds of the 倒推 review."""

    over_min_gap_hours: float = 0.0  # over-served: actual − justified hours above this
    under_revenue_quantile: float = 0.80  # under-served: revenue in the book's top 20% …
    under_hours_ratio: float = 0.50  # … and actual hours below half of what the revenue justifies
    gift_budget_share: float = 0.10  # gifts, rebates and events worth more than 10% of revenue → stop gifts


# Columns the clauses may test, beyond the profitability result: ``perk_share`` = (gifts + rebates + events) ÷
# revenue (inf when revenue is 0 and perks are not), and book fields copied through.
REVIEW_BOOK_FIELDS: tuple[str, ...] = ("app_logins_30d", "digital_share", "age")

SERVICE_RULES: tuple[ServiceRule, ...] = (
    # A loss-maker with large assets elsewhere or fast growth is worth the time: keep serving, aim to win the
    # outside money rather than cut back.
    ServiceRule("develop_potential", "over", all_of=(Clause("kind", "==", POTENTIAL),)),
    # Perks beyond the budget: the cheapest cost to remove.
    ServiceRule("stop_gifts", "over", all_of=(Clause("perk_share", ">", "gift_budget_share"),)),
    # Digitally active customers can be served on the app and by phone instead of in person.
    ServiceRule("digital", "over", any_of=(Clause("app_logins_30d", ">=", 4), Clause("digital_share", ">=", 0.4))),
    # Everyone else over-served: serve them in groups (salons, events) rather than one by one.
    ServiceRule("one_to_many", "over"),
    # High revenue and too little attention: the customers who pay for the time deserve more of it.
    ServiceRule("deepen", "under"),
)

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(rule.code for rule in SERVICE_RULES))

_OPS = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
}


@dataclass(frozen=True)
class ServiceReview:
    """The 倒推 lists. ``over``/``under``: one row per customer (index = book index) with revenue, cost, net,
    kind, justified/actual hours, hours_gap, ``action`` (primary code) and ``actions`` (all codes, a tuple).
    ``excess_hours``: hours a year spent beyond what over-served customers pay for (the time to win back);
    ``shortfall_hours``: hours under-served customers' revenue would justify beyond what they get.
    ``hours_known``: False when the book has no service hours (then both lists are empty).
    ``shortfall_hours`` is the ceiling the revenue would pay for, not a recommendation: a top customer's
    revenue can justify hundreds of hours nobody could give; read it as "room to deepen"."""

    over: pd.DataFrame
    under: pd.DataFrame
    excess_hours: float
    shortfall_hours: float
    hours_known: bool


def _clause_mask(frame: pd.DataFrame, clause: Clause, review: ReviewParams) -> np.ndarray:
    if clause.column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    column = frame[clause.column]
    value = clause.value
    if isinstance(value, str) and hasattr(review, value):
        value = getattr(review, value)  # a threshold named after a ReviewParams field
    if clause.op == "==":
        return (column.astype("str") == str(value)).to_numpy(dtype=bool, na_value=False)
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return _OPS[clause.op](numbers, float(value)) & ~np.isnan(numbers)


def _rule_mask(frame: pd.DataFrame, rule: ServiceRule, review: ReviewParams) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    for clause in rule.all_of:
        mask &= _clause_mask(frame, clause, review)
    if rule.any_of:
        either = np.zeros(len(frame), dtype=bool)
        for clause in rule.any_of:
            either |= _clause_mask(frame, clause, review)
        mask &= either
    return mask


def _with_actions(frame: pd.DataFrame, group: str, rules: Sequence[ServiceRule], review: ReviewParams) -> pd.DataFrame:
    applicable = [rule for rule in rules if rule.group == group]
    # Each customer's set of applicable rules as a bit pattern: few distinct patterns exist, so the tuples are
    # built once per pattern rather than once per customer (a million-row book stays fast).
    pattern = np.zeros(len(frame), dtype=np.int64)
    for bit, rule in enumerate(applicable):
        pattern |= _rule_mask(frame, rule, review).astype(np.int64) << bit
    codes = {int(p): tuple(rule.code for bit, rule in enumerate(applicable) if int(p) >> bit & 1)
             for p in np.unique(pattern)}
    out = frame.copy()
    patterns = pd.Series(pattern, index=frame.index)
    out["action"] = patterns.map({p: (a[0] if a else "") for p, a in codes.items()}).astype("str")
    out["actions"] = patterns.map(codes).astype(object)
    return out


def service_review(
    book: pd.DataFrame,
    params: ProfitParams | None = None,
    review: ReviewParams | None = None,
    rules: Sequence[ServiceRule] = SERVICE_RULES,
    result: pd.DataFrame | None = None,
) -> ServiceReview:
    """The 倒推: who gets more of the manager's time than their revenue pays for, and who gets far less.

    Over-served: actual hours − justified hours > ``over_min_gap_hours``, sorted by the gap (largest first).
    Under-served: revenue in the top ``1 − under_revenue_quantile`` of the book and actual hours below
    ``under_hours_ratio`` × justified hours, sorted by the shortfall. Customers without recorded hours are in
    neither list. Pass ``result`` (a ``profitability`` frame of the same book and params) to skip recomputing.
    """
    p = params or DEFAULT_PARAMS
    r = review or ReviewParams()
    res = result if result is not None else profitability(book, p)
    base_columns = ["revenue", "cost", "net", "kind", "justified_hours", "actual_hours", "hours_gap"]
    frame = res[base_columns].copy()
    perks = (res["gift_cost"] + res["rebate_cost"] + res["event_cost"]).to_numpy()
    revenue = res["revenue"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["perk_share"] = np.where(revenue > 0, perks / np.where(revenue > 0, revenue, 1.0),
                                       np.where(perks > 0, np.inf, 0.0))
    for key in REVIEW_BOOK_FIELDS:
        if key in book.columns:
            frame[key] = pd.to_numeric(book[key], errors="coerce")

    known = res["actual_hours"].notna().to_numpy()
    gap = res["hours_gap"].to_numpy()
    over_mask = known & (np.nan_to_num(gap, nan=-np.inf) > r.over_min_gap_hours)
    if len(res):
        cutoff = float(np.quantile(revenue, r.under_revenue_quantile))
        actual = res["actual_hours"].to_numpy()
        justified = res["justified_hours"].to_numpy()
        under_mask = (known & (revenue > 0) & (revenue >= cutoff)
                      & (np.nan_to_num(actual, nan=np.inf) < r.under_hours_ratio * justified))
    else:
        under_mask = np.zeros(0, dtype=bool)

    over = frame[over_mask].sort_values("hours_gap", ascending=False, kind="stable")
    under = frame[under_mask].sort_values("hours_gap", ascending=True, kind="stable")
    return ServiceReview(
        over=_with_actions(over, "over", rules, r).drop(columns="perk_share"),
        under=_with_actions(under, "under", rules, r).drop(columns="perk_share"),
        excess_hours=float(over["hours_gap"].sum()),
        shortfall_hours=float(-under["hours_gap"].sum()),
        hours_known=bool(known.any()),
    )
