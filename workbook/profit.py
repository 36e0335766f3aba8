"""客户资产负债审视 — customer profitability, cost to serve, the whale curve and the 倒推 service review (DESIGN §4.4).

A customer is an *asset* (资产) when the revenue they bring covers what it costs to serve them, a *liability*
(负债) when it does not, and a *potential asset* (潜力资产) when they lose money today but show the potential
to become an asset: large assets at other banks, fast-growing assets with us, or — for a customer under a year,
who has no base a year ago to grow from — a first year that already brought a set amount. DESIGN §4.4 leaves the
levels to set; the defaults are ≥ 500,000 元 estimated at other banks, AUM grown ≥ 20% in 12 months, or a new
customer with ≥ 50,000 元 (``ProfitParams``). A customer with net exactly 0 is an asset (net ≥ 0).

    revenue = fee_income_12m + deposit_balance × deposit_spread + loan_balance × loan_spread
    cost    = service_hours_12m × hourly_cost + gift_cost_12m + rebate_cost_12m + event_cost_12m
    net     = revenue − cost

Missing data. Most bank exports carry balances and no hours, gifts or fee income; counting those as 0 would make
every customer an asset. So a field the book lacks (absent, or blank in every row) is taken from the stated
cost-to-serve assumptions of the customer's AUM tier (``workbook/data/cost_to_serve.toml``, overridable through
``ProfitParams.assumptions``): service hours from contacts × minutes per contact when the book has contacts, else
the tier's hours a year; gifts and events from the tier's policy; fee income from product balances × a yearly fee
rate; rebates 0 (a compliant bank pays none). ``assumed_inputs`` says which fields were assumed, so a page can say
so. A blank cell in a field the book has counts as 0 — a bank export leaves a cell empty when the customer has
none of that product or cost — and a blank service-hours cell leaves the customer out of the 倒推 lists. With
``CostAssumptions.enabled`` False every missing field counts as 0, as the bare formula says. No customer is ever
dropped.

倒推. The hours a customer's revenue justifies are revenue × a target cost-to-serve ratio ÷ the hourly cost, never
more than the service standard of their tier on 3.4 (``workbook/data/service_templates.toml``, the ``aum``
ladder). revenue ÷ hourly cost alone would be the break-even ceiling — a top customer's revenue "justifies"
hundreds of hours nobody could give — not a service target.

The functions are vectorised (numpy) because the budget is 1,000,000 customers in well under a second.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.schema import column_numbers, finite_number

DATA_FILE = Path(__file__).parent / "data" / "cost_to_serve.toml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


# ---- parameters -------------------------------------------------------------------------------------------


class ProfitParamError(i18n.LocalisedError):
    """Assumptions the review cannot work with (catalogue ``error.profit.<code>``; ``text(lang)``)."""

    catalogue_prefix = "error.profit"


@dataclass(frozen=True)
class TierCost:
    """What serving one customer of an AUM tier costs a year when the book does not say (per customer a year)."""

    code: str  # a tier code of the ``aum`` scheme's default ladder (mass, potential, affluent, private)
    min_aum: float  # the tier's lower bound (元), as in the ladder
    hours: float  # the manager's hours, when the book has neither service hours nor contacts
    minutes_per_contact: float  # one contact's time, when the book has contacts but no service hours
    gift_cost: float  # 元
    event_cost: float  # 元


# The per-tier numbers a trainee may edit (the page's table columns), in order.
TIER_COST_FIELDS: tuple[str, ...] = ("hours", "minutes_per_contact", "gift_cost", "event_cost")
# Product balances fee income can be estimated from, in order.
FEE_BALANCES: tuple[str, ...] = ("wealth_balance", "fund_balance", "insurance_balance")


@dataclass(frozen=True)
class CostAssumptions:
    """The cost-to-serve assumptions used for fields a book lacks; hashable, so a page can memoise on it.

    ``tiers`` low → high AUM; ``fee_rates`` (balance field, yearly fee share) pairs in ``FEE_BALANCES`` order.
    """

    tiers: tuple[TierCost, ...]
    fee_rates: tuple[tuple[str, float], ...]
    enabled: bool = True

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(tier.code for tier in self.tiers)

    def tier(self, code: str) -> TierCost:
        return next(tier for tier in self.tiers if tier.code == code)

    def fee_rate(self, balance: str) -> float:
        return dict(self.fee_rates).get(balance, 0.0)

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]] | None = None,
                       fee_rates: Mapping[str, Any] | None = None, enabled: bool | None = None) -> CostAssumptions:
        """A copy with the trainee's edits: ``overrides`` tier code → {field: value} (``TIER_COST_FIELDS``),
        ``fee_rates`` balance → share. Unknown codes or fields and values that are not non-negative numbers are
        ignored (the default stays), so a stale or hand-edited workspace never breaks the page."""
        tiers = []
        for tier in self.tiers:
            changes: dict[str, Any] = {
                name: number for name, value in (overrides or {}).get(tier.code, {}).items()
                if name in TIER_COST_FIELDS and (number := _non_negative(value)) is not None}
            tiers.append(replace(tier, **changes))
        rates = dict(self.fee_rates)
        for balance, value in (fee_rates or {}).items():
            if balance in rates and (number := _non_negative(value)) is not None:
                rates[balance] = number
        return CostAssumptions(tuple(tiers), tuple(rates.items()), self.enabled if enabled is None else enabled)


def _non_negative(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and number >= 0 else None


def load_assumptions() -> CostAssumptions:
    """The default assumptions from ``cost_to_serve.toml`` (tiers sorted by their lower bound)."""
    raw = _data()
    tiers = tuple(sorted(
        (TierCost(code=str(t["code"]), min_aum=float(t["min_aum"]),
                  **{name: float(t[name]) for name in TIER_COST_FIELDS}) for t in raw["tier"]),
        key=lambda tier: tier.min_aum,
    ))
    rates = tuple((balance, float(raw["fee_rates"].get(balance, 0.0))) for balance in FEE_BALANCES)
    return CostAssumptions(tiers, rates)


DEFAULT_ASSUMPTIONS = load_assumptions()
DEFAULT_TARGET_COST_RATIO = float(_data()["target_cost_ratio"])
DEFAULT_POTENTIAL_NEW_AUM = float(_data()["potential_new_aum"])


@dataclass(frozen=True)
class ProfitParams:
    """The trainee-editable assumptions of the profitability review (defaults from DESIGN §4.4 and
    ``cost_to_serve.toml``).

    Effective hours must be positive (the hourly cost divides by them) and the target cost-to-serve ratio must lie
    in (0, 1]: ``ProfitParamError`` otherwise. ``standard_hours``: the service standard per ``aum`` tier code
    (hours a year) that caps the justified hours; None reads 3.4's templates (``services.TIER_TEMPLATES``), so a
    page passes the trainee's edited 3.4 hours here.
    """

    annual_cost: float = 360_000.0  # the manager's salary, benefits and allocated branch cost (元/year)
    effective_hours: float = 1_800.0  # hours a year actually available for customers
    deposit_spread: float = 0.010  # FTP spread earned on deposits
    loan_spread: float = 0.015  # spread earned on loans
    potential_external_assets: float = 500_000.0  # 潜力资产: assets elsewhere at least this …
    potential_aum_growth: float = 0.20  # … or AUM grown by at least this share in 12 months …
    potential_new_aum: float = DEFAULT_POTENTIAL_NEW_AUM  # … or a customer under a year with at least this AUM
    target_cost_ratio: float = DEFAULT_TARGET_COST_RATIO  # 倒推: share of revenue the manager's time may cost
    assumptions: CostAssumptions = field(default=DEFAULT_ASSUMPTIONS)
    standard_hours: tuple[tuple[str, float], ...] | None = None

    def __post_init__(self) -> None:
        if not self.effective_hours > 0:  # NaN fails too
            raise ProfitParamError("effective_hours", value=self.effective_hours)
        if not 0 < self.target_cost_ratio <= 1:
            raise ProfitParamError("target_cost_ratio", value=self.target_cost_ratio)

    @property
    def hourly_cost(self) -> float:
        """元 per hour of the manager's time (360,000 ÷ 1,800 = 200 by default)."""
        return self.annual_cost / self.effective_hours

    def service_standard(self) -> dict[str, float]:
        """Hours a year per ``aum`` tier code that cap the justified hours (3.4's standard unless overridden)."""
        if self.standard_hours is not None:
            return dict(self.standard_hours)
        return default_service_standard()


@lru_cache(maxsize=1)
def _default_standard() -> tuple[tuple[str, float], ...]:
    # services imports this module, so it is read here, on first use, not at import.
    from workbook.services import TIER_TEMPLATES

    return tuple((code, template.hours) for code, template in TIER_TEMPLATES["aum"].items())


def default_service_standard() -> dict[str, float]:
    """3.4's template hours a year per tier of the default ``aum`` ladder (mass 0.5 … private 24)."""
    return dict(_default_standard())


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

# What costs a customer most beyond what their revenue pays for: time beyond the justified hours, perks (gifts and
# events) or rebates. "none" when a customer costs nothing beyond it. Labels: catalogue profit.driver.<code>.
DRIVERS: tuple[str, ...] = ("time", "perks", "rebates")
NO_DRIVER = "none"

# Where each customer's service hours come from (``AssumedInputs.hours``).
HOURS_FROM_BOOK, HOURS_FROM_CONTACTS, HOURS_FROM_TIER, HOURS_UNKNOWN = "book", "contacts", "tier", "unknown"

RESULT_COLUMNS: tuple[str, ...] = (
    "revenue", "cost", "net", "kind", "justified_hours", "actual_hours", "hours_gap",
    # the breakdown, so a page can show where revenue and cost come from without computing anything
    "fee_revenue", "deposit_revenue", "loan_revenue", "time_cost", "gift_cost", "rebate_cost", "event_cost",
    # the tier behind the assumptions and the cap, and what drives the cost
    "cost_tier", "standard_hours", "new_customer", "perk_cost", "excess_time_cost", "cost_driver",
)


def missing_inputs(book: pd.DataFrame, inputs: Sequence[str] = ALL_INPUTS) -> tuple[str, ...]:
    """The profitability inputs absent from ``book``."""
    return tuple(key for key in inputs if key not in book.columns)


def _values(book: pd.DataFrame, key: str, *, fill: float | None = 0.0) -> np.ndarray:
    """A column as float64; absent column → all ``fill``; NaN cells → ``fill`` (None keeps NaN)."""
    values = column_numbers(book, key)
    if values is None:
        return np.full(len(book), np.nan if fill is None else fill, dtype=np.float64)
    return values if fill is None else np.where(np.isnan(values), fill, values)


def _has(book: pd.DataFrame, key: str) -> bool:
    """Whether the book carries ``key`` with at least one value (an all-blank column says nothing)."""
    values = column_numbers(book, key)
    return values is not None and (len(values) == 0 or not bool(np.isnan(values).all()))


@dataclass(frozen=True)
class AssumedInputs:
    """Which figures of the review come from the assumptions rather than the book (for the page to state).

    ``hours``: HOURS_FROM_BOOK, HOURS_FROM_CONTACTS (contacts × the tier's minutes per contact), HOURS_FROM_TIER
    (the tier's hours a year) or HOURS_UNKNOWN (assumptions off and no hours: no time cost, no 倒推).
    ``gifts`` / ``events``: the tier's policy was used. ``rebates_zero``: no rebate field, counted as 0.
    ``fee_from``: the balances fee income was estimated from (empty when the book has fee income, or nothing to
    estimate from).
    """

    hours: str
    gifts: bool
    events: bool
    rebates_zero: bool
    fee_from: tuple[str, ...]

    @property
    def any(self) -> bool:
        return self.hours in (HOURS_FROM_CONTACTS, HOURS_FROM_TIER) or self.gifts or self.events or bool(self.fee_from)


def assumed_inputs(book: pd.DataFrame, params: ProfitParams | None = None) -> AssumedInputs:
    """What ``profitability(book, params)`` takes from the assumptions (see the module docstring)."""
    p = params or DEFAULT_PARAMS
    on = p.assumptions.enabled
    if _has(book, "service_hours_12m"):
        hours = HOURS_FROM_BOOK
    elif not on:
        hours = HOURS_UNKNOWN
    else:
        hours = HOURS_FROM_CONTACTS if _has(book, "contacts_12m") else HOURS_FROM_TIER
    fee_from: tuple[str, ...] = ()
    if on and not _has(book, "fee_income_12m"):
        fee_from = tuple(b for b in FEE_BALANCES if _has(book, b) and p.assumptions.fee_rate(b) > 0)
    return AssumedInputs(
        hours=hours,
        gifts=on and not _has(book, "gift_cost_12m"),
        events=on and not _has(book, "event_cost_12m"),
        rebates_zero=not _has(book, "rebate_cost_12m"),
        fee_from=fee_from,
    )


def tier_codes(aum: np.ndarray, assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS) -> np.ndarray:
    """Position of each customer's tier in ``assumptions.tiers`` by AUM (a blank AUM → the lowest tier)."""
    bounds = np.array([tier.min_aum for tier in assumptions.tiers[1:]], dtype=np.float64)
    return np.searchsorted(bounds, np.where(np.isnan(aum), -np.inf, aum), side="right").astype(np.int8)


NEW_CUSTOMER_YEARS = 1.0  # a customer with us for less than this is new


def new_customer_flags(book: pd.DataFrame, years: float = NEW_CUSTOMER_YEARS) -> tuple[np.ndarray, np.ndarray]:
    """(new, known) per customer: the one definition of a new customer, used by 1.4 (a new customer has no base a
    year ago to grow from, so a promising first year makes a potential asset), by 3.2's new-or-existing dimension,
    the 新客 tier of the education scheme and the migration (their "upgrade" is the account opening), and by the
    profiles' share of new customers.

    New: tenure under ``years`` where the customer's tenure is known; where it is not (no column, or a blank
    cell), an AUM a year ago of exactly 0 (no assets a year ago). Known: the customer has either value. A customer
    with neither is unknown, and an unknown customer is not new.
    """
    tenure = _values(book, "tenure_years", fill=None)
    before = _values(book, "aum_12m_ago", fill=None)
    has_tenure = ~np.isnan(tenure)
    known = has_tenure | ~np.isnan(before)
    new = np.where(has_tenure, np.nan_to_num(tenure, nan=np.inf) < float(years), np.nan_to_num(before, nan=1.0) == 0)
    return new & known, known


def new_customers(book: pd.DataFrame, years: float = NEW_CUSTOMER_YEARS) -> np.ndarray:
    """Whether each customer is new (:func:`new_customer_flags`; unknown counts as not new)."""
    return new_customer_flags(book, years)[0]


# ---- per-customer profitability ---------------------------------------------------------------------------


def profitability(book: pd.DataFrame, params: ProfitParams | None = None) -> pd.DataFrame:
    """Revenue, cost, net and kind of every customer; same index as ``book``.

    Columns: ``revenue``, ``cost``, ``net`` (元/year); ``kind`` (codes asset / potential / liability, a
    Categorical in ``KINDS`` order); ``justified_hours`` = revenue × target cost-to-serve ratio ÷ hourly cost,
    floored at 0 and capped at the tier's service standard (the 倒推); ``actual_hours`` = service_hours_12m, or
    assumed from contacts or the tier when the book has no hours (NaN when unknown); ``hours_gap`` = actual −
    justified (> 0: served beyond what they pay for). Then the breakdown: ``fee_revenue``, ``deposit_revenue``,
    ``loan_revenue``, ``time_cost``, ``gift_cost``, ``rebate_cost``, ``event_cost``. Then:
    ``cost_tier`` (the customer's ``aum`` tier code, a Categorical in ladder order: the assumptions and the cap
    come from it), ``standard_hours`` (the cap, inf when the standard has no entry for the tier),
    ``new_customer`` (bool, see ``new_customers``), ``perk_cost`` = gifts + events, ``excess_time_cost`` =
    max(actual − justified, 0) × hourly cost, ``cost_driver`` (the largest of excess time cost, perks and rebates:
    a Categorical of ``DRIVERS`` + ``NO_DRIVER``; ties go to the earlier driver).
    """
    p = params or DEFAULT_PARAMS
    hourly = p.hourly_cost
    assumptions = p.assumptions
    assumed = assumed_inputs(book, p)

    aum = _values(book, "aum", fill=None)
    tier_index = tier_codes(aum, assumptions)

    def per_tier(name: str) -> np.ndarray:
        return np.array([getattr(tier, name) for tier in assumptions.tiers], dtype=np.float64)[tier_index]

    fee_revenue = _values(book, "fee_income_12m")
    for balance in assumed.fee_from:
        fee_revenue = fee_revenue + _values(book, balance) * assumptions.fee_rate(balance)
    deposit_revenue = _values(book, "deposit_balance") * p.deposit_spread
    loan_revenue = _values(book, "loan_balance") * p.loan_spread
    revenue = fee_revenue + deposit_revenue + loan_revenue

    if assumed.hours == HOURS_FROM_BOOK or assumed.hours == HOURS_UNKNOWN:
        actual_hours = _values(book, "service_hours_12m", fill=None)
    elif assumed.hours == HOURS_FROM_CONTACTS:
        actual_hours = _values(book, "contacts_12m") * per_tier("minutes_per_contact") / 60.0
    else:
        actual_hours = per_tier("hours")
    time_cost = np.where(np.isnan(actual_hours), 0.0, actual_hours) * hourly
    gift_cost = per_tier("gift_cost") if assumed.gifts else _values(book, "gift_cost_12m")
    rebate_cost = _values(book, "rebate_cost_12m")
    event_cost = per_tier("event_cost") if assumed.events else _values(book, "event_cost_12m")
    cost = time_cost + gift_cost + rebate_cost + event_cost
    net = revenue - cost

    external = _values(book, "external_assets_est")
    aum_before = _values(book, "aum_12m_ago", fill=None)
    new = new_customers(book)
    # Growth is undefined without a positive base a year ago; such a customer is judged by what their first
    # year brought instead (a new customer) or not at all (a blank base).
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(aum_before > 0, aum / aum_before - 1.0, np.nan)
    # The slack keeps a customer exactly on the threshold (120,000 after 100,000 at 20%) on the "at least" side
    # despite binary floating point (1.2 − 1 = 0.19999999999999996).
    promising = (
        (external >= p.potential_external_assets)
        | (np.nan_to_num(growth, nan=-np.inf) >= p.potential_aum_growth - _GROWTH_TOLERANCE)
        | (new & (np.nan_to_num(aum, nan=-np.inf) >= p.potential_new_aum))
    )
    codes = np.where(net >= 0, 0, np.where(promising, 1, 2)).astype(np.int8)
    kind = pd.Categorical.from_codes(codes, categories=pd.Index(KINDS))

    standard = p.service_standard()
    caps = np.array([standard.get(tier.code, np.inf) for tier in assumptions.tiers], dtype=np.float64)[tier_index]
    justified = np.minimum(np.maximum(revenue, 0.0) * p.target_cost_ratio / hourly, caps)
    hours_gap = actual_hours - justified

    perk_cost = gift_cost + event_cost
    excess_time_cost = np.where(np.isnan(hours_gap), 0.0, np.maximum(hours_gap, 0.0)) * hourly
    drivers = np.column_stack([excess_time_cost, perk_cost, rebate_cost])
    driver_codes = np.where(drivers.max(axis=1) > 0, drivers.argmax(axis=1), len(DRIVERS)).astype(np.int8)

    return pd.DataFrame(
        {
            "revenue": revenue,
            "cost": cost,
            "net": net,
            "kind": kind,
            "justified_hours": justified,
            "actual_hours": actual_hours,
            "hours_gap": hours_gap,
            "fee_revenue": fee_revenue,
            "deposit_revenue": deposit_revenue,
            "loan_revenue": loan_revenue,
            "time_cost": time_cost,
            "gift_cost": gift_cost,
            "rebate_cost": rebate_cost,
            "event_cost": event_cost,
            "cost_tier": pd.Categorical.from_codes(tier_index, categories=pd.Index(assumptions.codes)),
            "standard_hours": caps,
            "new_customer": new,
            "perk_cost": perk_cost,
            "excess_time_cost": excess_time_cost,
            "cost_driver": pd.Categorical.from_codes(driver_codes, categories=pd.Index((*DRIVERS, NO_DRIVER))),
        },
        index=book.index,
    )


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
    one ``any_of`` clause holds. Rules are checked in order; a customer gets every action that applies (each code
    once, where it first applies), the first being the primary one. The label is the catalogue entry
    ``profit.action.<code>``."""

    code: str
    group: str  # "over" or "under"
    all_of: tuple[Clause, ...] = ()
    any_of: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class ReviewParams:
    """Thresholds of the 倒推 review."""

    over_min_gap_hours: float = 0.0  # over-served: actual − justified hours above this
    under_hours_ratio: float = 0.50  # under-served: an asset given less than half the hours their revenue justifies
    gift_budget_share: float = 0.10  # gifts and events worth more than 10% of revenue → cut them (a second action)


# Columns the clauses may test, beyond the profitability result: ``perk_share`` = (gifts + events) ÷ revenue (inf
# when revenue is 0 and perks are not), and book fields copied through.
REVIEW_BOOK_FIELDS: tuple[str, ...] = ("app_logins_30d", "digital_share", "age")

_DIGITAL = (Clause("app_logins_30d", ">=", 4), Clause("digital_share", ">=", 0.4))

SERVICE_RULES: tuple[ServiceRule, ...] = (
    # The primary action removes the largest cost driver (``cost_driver``): a customer who costs nothing in gifts
    # is never told first to stop them, and one losing money through rebates is told to stop the rebates.
    ServiceRule("stop_rebates", "over", all_of=(Clause("cost_driver", "==", "rebates"),)),
    ServiceRule("stop_gifts", "over", all_of=(Clause("cost_driver", "==", "perks"),)),
    # Excess time on a loss-maker with large assets elsewhere, fast growth or a promising first year is an
    # investment: keep serving, aim to win the outside money rather than cut back.
    ServiceRule("develop_potential", "over", all_of=(Clause("kind", "==", POTENTIAL),)),
    # Excess time otherwise: digitally active customers can be served on the app and by phone …
    ServiceRule("digital", "over", any_of=_DIGITAL),
    # … everyone else in groups (salons, events) rather than one by one.
    ServiceRule("one_to_many", "over"),
    # Second actions: perks beyond the budget and any rebate are worth cutting even when time costs more.
    ServiceRule("stop_gifts", "over", all_of=(Clause("perk_share", ">", "gift_budget_share"),)),
    ServiceRule("stop_rebates", "over", all_of=(Clause("rebate_cost", ">", 0),)),
    # Assets given far less time than their revenue justifies (and their tier's standard allows): give them more.
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
class TimeBudget:
    """The 倒推 against the manager's capacity (hours a year).

    ``today``: hours given now (customers with known hours); ``to_free``: hours beyond what over-served customers'
    revenue justifies; ``needed``: hours under-served assets lack to reach what their revenue justifies (capped by
    their tier's standard); ``room`` = capacity − (today − to_free), at least 0: what the freed time and any spare
    capacity leave; ``to_reinvest`` = min(needed, room); ``planned`` = today − to_free + to_reinvest. So the plan
    never asks for more hours than the manager has — unless the justified hours alone already exceed capacity
    (``over_capacity``), when nothing is reinvested and the page says so.
    """

    capacity: float
    today: float
    to_free: float
    needed: float

    @property
    def kept(self) -> float:
        return self.today - self.to_free

    @property
    def room(self) -> float:
        return max(self.capacity - self.kept, 0.0)

    @property
    def to_reinvest(self) -> float:
        return min(self.needed, self.room)

    @property
    def unfunded(self) -> float:
        """Hours under-served customers would justify that the manager's capacity cannot give."""
        return self.needed - self.to_reinvest

    @property
    def planned(self) -> float:
        return self.kept + self.to_reinvest

    @property
    def over_capacity(self) -> bool:
        return self.kept > self.capacity

    @property
    def reinvest_share(self) -> float:
        """The share of each under-served customer's shortfall the plan gives (1.0 when all of it fits)."""
        return self.to_reinvest / self.needed if self.needed > 0 else 1.0


@dataclass(frozen=True)
class ServiceReview:
    """The 倒推 lists. ``over``/``under``: one row per customer (index = book index) with revenue, cost, net,
    kind, justified/actual hours, hours_gap, the cost breakdown (perk_cost, rebate_cost, excess_time_cost,
    cost_driver), ``action`` (primary code) and ``actions`` (all codes, a tuple); ``under`` also ``add_hours``:
    the hours the plan gives each (its shortfall × the budget's ``reinvest_share``).
    ``excess_hours``: hours a year spent beyond what over-served customers pay for (the time to win back);
    ``shortfall_hours``: hours under-served assets' revenue justifies beyond what they get; ``budget``: both
    against the manager's capacity. ``hours_known``: False when the book has no service hours and none are
    assumed (then both lists are empty)."""

    over: pd.DataFrame
    under: pd.DataFrame
    excess_hours: float
    shortfall_hours: float
    hours_known: bool
    budget: TimeBudget


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
    codes = {int(p): tuple(dict.fromkeys(rule.code for bit, rule in enumerate(applicable) if int(p) >> bit & 1))
             for p in np.unique(pattern)}
    out = frame.copy()
    patterns = pd.Series(pattern, index=frame.index)
    out["action"] = patterns.map({p: (a[0] if a else "") for p, a in codes.items()}).astype("str")
    out["actions"] = patterns.map(codes).astype(object)
    return out


REVIEW_COLUMNS: tuple[str, ...] = (
    "revenue", "cost", "net", "kind", "justified_hours", "actual_hours", "hours_gap", "perk_cost", "rebate_cost",
    "excess_time_cost", "cost_driver",
)


def service_review(
    book: pd.DataFrame,
    params: ProfitParams | None = None,
    review: ReviewParams | None = None,
    rules: Sequence[ServiceRule] = SERVICE_RULES,
    result: pd.DataFrame | None = None,
) -> ServiceReview:
    """The 倒推: who gets more of the manager's time than their revenue pays for, and who gets far less.

    Over-served: actual hours − justified hours > ``over_min_gap_hours``, sorted by the gap (largest first); the
    primary action removes the customer's largest cost driver. Under-served: assets (net ≥ 0) given less than
    ``under_hours_ratio`` × the hours their revenue justifies, sorted by the shortfall. A liability is never told
    to get more hours: what they lack is revenue, and what they cost beyond it is perks or rebates. A potential
    asset below their hours loses money through perks or rebates too (their time costs less than their revenue
    by construction), so they are not in the list either. Customers without known hours are in neither list.
    Pass ``result`` (a ``profitability`` frame of the same book and params) to skip recomputing.
    """
    p = params or DEFAULT_PARAMS
    r = review or ReviewParams()
    res = result if result is not None else profitability(book, p)
    frame = res[list(REVIEW_COLUMNS)].copy()
    perks = res["perk_cost"].to_numpy()
    revenue = res["revenue"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["perk_share"] = np.where(revenue > 0, perks / np.where(revenue > 0, revenue, 1.0),
                                       np.where(perks > 0, np.inf, 0.0))
    for key in REVIEW_BOOK_FIELDS:
        if key in book.columns:
            frame[key] = pd.to_numeric(book[key], errors="coerce")

    actual = res["actual_hours"].to_numpy()
    known = ~np.isnan(actual)
    gap = res["hours_gap"].to_numpy()
    justified = res["justified_hours"].to_numpy()
    over_mask = known & (np.nan_to_num(gap, nan=-np.inf) > r.over_min_gap_hours)
    under_mask = (known & (res["kind"] == ASSET).to_numpy() & (justified > 0)
                  & (np.nan_to_num(actual, nan=np.inf) < r.under_hours_ratio * justified))

    over = frame[over_mask].sort_values("hours_gap", ascending=False, kind="stable")
    under = frame[under_mask].sort_values("hours_gap", ascending=True, kind="stable")
    excess = float(over["hours_gap"].sum())
    shortfall = max(float(-under["hours_gap"].sum()), 0.0)  # never "-0" for an empty list
    budget = TimeBudget(capacity=p.effective_hours, today=float(np.nansum(actual)), to_free=excess,
                        needed=shortfall)
    under = under.assign(add_hours=-under["hours_gap"] * budget.reinvest_share)
    return ServiceReview(
        over=_with_actions(over, "over", rules, r).drop(columns="perk_share"),
        under=_with_actions(under, "under", rules, r).drop(columns="perk_share"),
        excess_hours=excess,
        shortfall_hours=shortfall,
        hours_known=bool(known.any()),
        budget=budget,
    )
