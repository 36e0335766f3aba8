"""1.2 核心业绩公式 — P = N × c × v (DESIGN §4.2), with an optional fourth lever, 复购率.

    P  业绩           performance in a period (a month or a year)
    N  有效客户数     customers effectively reached in the period
    c  成交率         deals ÷ N
    v  客单价         amount per deal (元)
    r  复购率         optional: the share of buying customers who buy again in the period; it enters as the
                      factor (1 + r), i.e. deals per buying customer

Because P is a product, a target ratio P*/P can be reached by one lever alone (that lever × P*/P) or spread
evenly: each lever × (P*/P)^(1/k) for k levers. +10% on each of three levers gives 1.1³ − 1 = +33.1%; 10× is
2.154× on each (10^(1/3)).

N is 有效触达客户数: the customers actually reached in the period — not the KPI 有效户 (customers above an asset
bar), which the page says. :func:`derive_from_book` says how it got each value:

- N a month: customers whose last contact falls in the 30 days up to the book's latest date (``last_contact_date``;
  whoever was contacted in those days has a last contact in them); without dates, Σ min(contacts, 12) ÷ 12 (a
  customer contacted 3 times a year is reached in about 3 months of 12); else every customer ÷ 12, flagged.
  A year: customers with a contact in 12 months (``contacts_12m`` > 0, else a last contact within 365 days).
- c and v from a stated basis of 业绩 (``BASES``): the trainee's own sales (理财 + 基金 + 保险) or 中收 with their
  deal count; the book's fee income (each customer who paid fees counts as a deal); or, as a weak stand-in, the
  growth of financial assets over 12 months (a customer whose assets grew by at least 10% counts as a deal, the
  growth as its amount — market moves and money shifted between banks included). Book bases give deals a year;
  a month takes a twelfth of them, so c a month = (deals a year ÷ 12) ÷ N a month, never above 100%.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook.schema import column_dates, column_numbers

PERIODS: tuple[str, ...] = ("month", "year")
MONTHS_PER_YEAR = 12

BASE_LEVERS: tuple[str, ...] = ("n", "c", "v")
REPURCHASE = "r"
ALL_LEVERS: tuple[str, ...] = (*BASE_LEVERS, REPURCHASE)

# Stated defaults when the book cannot give a value; the page labels them "default, please enter yours".
DEFAULT_CONVERSION = 0.10
DEFAULT_DEAL_SIZE = 100_000.0
DEFAULT_REPURCHASE = 0.20
DEFAULT_TARGET_RATIO = 1.5  # a first target: +50%, until the trainee sets their own
LESSON_UPLIFT = 0.10  # the classroom lesson: +10% on each lever
# Without sales records, a customer counts as a deal when their assets grew by at least this share in 12 months
# (new customers, with no assets a year ago, count too): smaller moves are mostly market drift, not a sale.
DEAL_GROWTH_MIN = 0.10


# ---- the formula ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Levers:
    """One state of the formula. ``r`` counts only when ``repurchase`` is on."""

    n: float
    c: float
    v: float
    r: float = 0.0
    repurchase: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return ALL_LEVERS if self.repurchase else BASE_LEVERS

    def factor(self, lever: str) -> float:
        """The lever's multiplicative factor in P (for r: 1 + r)."""
        if lever == REPURCHASE:
            return 1.0 + self.r
        return float(getattr(self, lever))

    @property
    def performance(self) -> float:
        return math.prod(self.factor(lever) for lever in self.names)

    def with_factor(self, lever: str, factor: float) -> Levers:
        """A copy with one lever's factor replaced (for r, the factor 1 + r)."""
        if lever == REPURCHASE:
            return replace(self, r=factor - 1.0)
        if lever == "n":
            return replace(self, n=factor)
        if lever == "c":
            return replace(self, c=factor)
        if lever == "v":
            return replace(self, v=factor)
        raise ValueError(f"unknown lever {lever!r}")


def performance(n: float, c: float, v: float, r: float | None = None) -> float:
    """P = N × c × v (× (1 + r) when the repurchase rate is given)."""
    return Levers(n, c, v, r or 0.0, repurchase=r is not None).performance


def compound_uplift(uplifts: Sequence[float]) -> float:
    """The total uplift of several levers raised at once: Π(1 + u) − 1 (three × 10% → 0.331)."""
    return math.prod(1.0 + u for u in uplifts) - 1.0


def lesson(uplift: float = LESSON_UPLIFT, levers: int = 3) -> tuple[float, float]:
    """(compound, additive) uplift of raising ``levers`` levers by ``uplift`` each: (1.1³ − 1, 3 × 10%)."""
    return compound_uplift([uplift] * levers), uplift * levers


def balanced_uplift(ratio: float, levers: int = 3) -> float:
    """The equal uplift on each of ``levers`` levers that multiplies P by ``ratio``: ratio^(1/k) − 1."""
    if ratio <= 0:
        raise ValueError("the target ratio must be positive")
    if levers < 1:
        raise ValueError("at least one lever")
    return float(ratio ** (1.0 / levers) - 1.0)


def apply_uplifts(levers: Levers, uplifts: Mapping[str, float]) -> Levers:
    """Each named lever's factor × (1 + uplift); levers not named stay as they are."""
    result = levers
    for lever, uplift in uplifts.items():
        if lever in levers.names:
            result = result.with_factor(lever, levers.factor(lever) * (1.0 + uplift))
    return result


# ---- from a target to the levers --------------------------------------------------------------------------


@dataclass(frozen=True)
class LeverNeed:
    lever: str
    current: float  # the lever's value today (for r: the rate, not the factor)
    alone: float  # the value needed if only this lever moves
    balanced: float  # the value needed when every lever moves by the balanced uplift
    alone_feasible: bool  # False when a rate would have to exceed 100%
    balanced_feasible: bool


@dataclass(frozen=True)
class TargetPlan:
    current: float  # P
    target: float  # P*
    ratio: float  # P*/P
    alone_uplift: float  # P*/P − 1: what any one lever must do alone
    balanced_uplift: float  # (P*/P)^(1/k) − 1 on each of the k levers
    needs: tuple[LeverNeed, ...]


def _lever_value(levers: Levers, lever: str) -> float:
    return levers.r if lever == REPURCHASE else levers.factor(lever)


def _feasible(lever: str, value: float) -> bool:
    # c is a share of N; r is a share of buyers (each buys again at most once in this simple model).
    return value <= 1.0 + 1e-9 if lever in ("c", REPURCHASE) else True


def target_plan(current: Levers, target: float) -> TargetPlan | None:
    """What each lever must become to reach ``target``; None when today's P is not positive (no ratio)."""
    p = current.performance
    if p <= 0 or target <= 0:
        return None
    ratio = target / p
    k = len(current.names)
    balanced = balanced_uplift(ratio, k)
    needs = []
    for lever in current.names:
        alone = _lever_value(current.with_factor(lever, current.factor(lever) * ratio), lever)
        even = _lever_value(current.with_factor(lever, current.factor(lever) * (1.0 + balanced)), lever)
        needs.append(LeverNeed(lever, _lever_value(current, lever), alone, even, _feasible(lever, alone),
                               _feasible(lever, even)))
    return TargetPlan(p, target, ratio, ratio - 1.0, balanced, tuple(needs))


def default_target(current: Levers) -> float:
    """A first target until the trainee sets one: today × 1.5, rounded to 1,000 元 (a figure one would type)."""
    return float(round(current.performance * DEFAULT_TARGET_RATIO, -3))


# ---- waterfall: current → planned, one lever at a time ----------------------------------------------------


@dataclass(frozen=True)
class WaterfallStep:
    lever: str
    delta: float  # P after changing this lever (earlier levers already changed) − P before


@dataclass(frozen=True)
class Waterfall:
    start: float
    steps: tuple[WaterfallStep, ...]
    end: float
    order: tuple[str, ...]


def attribution_orders(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Every order in which the levers can be attributed (the first is the formula's own order)."""
    return list(itertools.permutations(names))


def waterfall(current: Levers, planned: Levers, order: Sequence[str] | None = None) -> Waterfall:
    """Attribute P(planned) − P(current) to the levers, changing them one at a time in ``order``.

    A product has no unique split: the lever moved later is credited with the interaction of the earlier ones
    (N first then c: c's step uses the new N). The steps always add up exactly to the total change, and the
    page states the order used.
    """
    names = tuple(order) if order is not None else current.names
    if sorted(names) != sorted(current.names):
        raise ValueError(f"order must list each lever of {current.names} once")
    state = current
    steps = []
    for lever in names:
        before = state.performance
        state = state.with_factor(lever, planned.factor(lever))
        steps.append(WaterfallStep(lever, state.performance - before))
    return Waterfall(current.performance, tuple(steps), planned.performance, names)


# ---- from the book ----------------------------------------------------------------------------------------

# Source codes of a derived value (catalogue: s1.formula.source.<code>).
SOURCE_CONTACT_DATE = "contact_date"  # N: last contact in the period's window
SOURCE_CONTACTS = "contacts"  # N a year: contacts_12m > 0
SOURCE_CONTACTS_SPREAD = "contacts_spread"  # N a month: Σ min(contacts, 12) ÷ 12
SOURCE_ALL = "all_customers"
SOURCE_GROWTH = "aum_growth"
SOURCE_FEE = "fee_income"
SOURCE_OWN_SALES = "own_sales"
SOURCE_OWN_FEE = "own_fee"
SOURCE_DEFAULT = "default"
SOURCE_NO_GROWTH = "no_growth"
SOURCE_NO_FEE = "no_fee"
SOURCE_NO_OWN = "no_own"
SOURCE_NO_REACH = "no_reach"

# What 业绩 is measured by, strongest first (catalogue: s1.formula.basis.<code>). The trainee's own figures beat
# anything a customer list can say; 中收 is a real 业绩 figure; AUM growth is only a stand-in.
BASIS_OWN_SALES, BASIS_OWN_FEE, BASIS_FEE, BASIS_GROWTH = "own_sales", "own_fee", "fee_income", "aum_growth"
BASES: tuple[str, ...] = (BASIS_OWN_SALES, BASIS_OWN_FEE, BASIS_FEE, BASIS_GROWTH)
OWN_BASES: tuple[str, ...] = (BASIS_OWN_SALES, BASIS_OWN_FEE)

CONTACT_WINDOW_DAYS = {"month": 30, "year": 365}
DATE_FIELDS: tuple[str, ...] = ("last_contact_date", "last_txn_date")


@dataclass(frozen=True)
class OwnSales:
    """The trainee's own figures for one period (元; deals a count): the row "我的实际业绩" on the page."""

    deals: float = 0.0
    wealth: float = 0.0  # 理财 sales
    fund: float = 0.0  # 基金 sales
    insurance: float = 0.0  # 保险 premiums
    fee_income: float = 0.0  # 中收

    @property
    def sales(self) -> float:
        return self.wealth + self.fund + self.insurance

    def amount(self, basis: str) -> float:
        return self.fee_income if basis == BASIS_OWN_FEE else self.sales

    @property
    def entered(self) -> bool:
        return self.deals > 0 and (self.sales > 0 or self.fee_income > 0)


@dataclass(frozen=True)
class Derived:
    value: float
    source: str
    detail: dict[str, float] = field(default_factory=dict)  # the numbers the explanation quotes


@dataclass(frozen=True)
class BookLevers:
    period: str
    n: Derived
    c: Derived
    v: Derived
    missing: tuple[str, ...]  # book fields that would let the workbook derive more
    basis: str = BASIS_GROWTH  # what 业绩 is measured by
    as_of: str | None = None  # the book's latest date (YYYY-MM-DD) when N came from contact dates

    def levers(self, r: float = DEFAULT_REPURCHASE, repurchase: bool = False) -> Levers:
        return Levers(self.n.value, self.c.value, self.v.value, r, repurchase)


def _numeric(book: pd.DataFrame, key: str) -> np.ndarray | None:
    """The column as numbers; None when the book lacks it or leaves it blank throughout (nothing to derive)."""
    values = column_numbers(book, key)
    return None if values is None or np.isnan(values).all() else values


def _dates(book: pd.DataFrame, key: str) -> np.ndarray | None:
    """A date column as datetime64[ns] (NaT for blanks); None when the book lacks it or it is blank throughout."""
    values = column_dates(book, key)
    return None if values is None or np.isnat(values).all() else values


def book_as_of(book: pd.DataFrame) -> np.datetime64 | None:
    """The book's "today": its latest contact or transaction date (a saved book gives the same N next year)."""
    latest = [dates[~np.isnat(dates)].max() for key in DATE_FIELDS if (dates := _dates(book, key)) is not None]
    return max(latest) if latest else None


def _reached_by_date(book: pd.DataFrame, days: int) -> tuple[np.ndarray, np.datetime64] | None:
    """Customers whose last contact lies within ``days`` days up to the book's latest date (that day included)."""
    contact = _dates(book, "last_contact_date")
    as_of = book_as_of(book)
    if contact is None or as_of is None:
        return None
    age = np.asarray(as_of - contact, dtype="timedelta64[D]").astype("float64")
    age = np.where(np.isnat(contact), np.inf, age)
    return age < days, as_of


def _reached(book: pd.DataFrame, period: str) -> tuple[Derived, np.ndarray, str | None]:
    """N for the period; the customers counted as reached (a month's estimate from contacts spread over the year
    singles nobody out, so it marks every customer with a contact in 12 months); the as-of date when contact dates
    were used."""
    customers = len(book)
    contacts = _numeric(book, "contacts_12m")
    by_date = _reached_by_date(book, CONTACT_WINDOW_DAYS[period])
    if period == "year" and contacts is not None:
        mask = contacts > 0
        return Derived(float(mask.sum()), SOURCE_CONTACTS, {"reached": int(mask.sum()), "customers": customers}), \
            mask, None
    if by_date is not None:
        mask, as_of = by_date
        reached = int(mask.sum())
        detail: dict[str, float] = {"reached": reached, "customers": customers, "days": CONTACT_WINDOW_DAYS[period]}
        return Derived(float(reached), SOURCE_CONTACT_DATE, detail), mask, str(as_of)[:10]
    if contacts is not None:  # a month, without dates
        spread = float(np.minimum(np.where(np.isnan(contacts), 0.0, contacts), MONTHS_PER_YEAR).sum()
                       / MONTHS_PER_YEAR)
        mask = contacts > 0
        return Derived(spread, SOURCE_CONTACTS_SPREAD, {"reached": int(mask.sum()), "customers": customers}), \
            mask, None
    per_period = 1.0 if period == "year" else 1.0 / MONTHS_PER_YEAR
    return Derived(customers * per_period, SOURCE_ALL, {"customers": customers}), \
        np.ones(customers, dtype=bool), None


def _deals_a_year(book: pd.DataFrame, reached_year: np.ndarray, basis: str) \
        -> tuple[float, float, str, dict[str, float]] | None:
    """(deals a year, amount per deal, source, detail) from the book on ``basis``; None when it cannot say."""
    if basis == BASIS_FEE:
        fee = _numeric(book, "fee_income_12m")
        if fee is None:
            return None
        paid = reached_year & (np.nan_to_num(fee) > 0)
        count = int(paid.sum())
        if count == 0:
            return 0.0, 0.0, SOURCE_NO_FEE, {}
        total = float(fee[paid].sum())
        return float(count), total / count, SOURCE_FEE, {"deals_year": count, "total": total}
    aum = _numeric(book, "aum")
    before = _numeric(book, "aum_12m_ago")
    if aum is None or before is None:
        return None
    known = reached_year & ~np.isnan(aum) & ~np.isnan(before)
    growth = aum - before
    grew = known & (growth > 0) & (growth >= DEAL_GROWTH_MIN * np.where(np.isnan(before), 0.0, before))
    known_count, grew_count = int(known.sum()), int(grew.sum())
    if grew_count == 0:
        return 0.0, 0.0, SOURCE_NO_GROWTH, {"known": known_count}
    total_growth = float(growth[grew].sum())
    # Reached customers without last year's assets cannot show a deal: scale the rate seen on those who can.
    deals = grew_count * int(reached_year.sum()) / known_count
    return deals, total_growth / grew_count, SOURCE_GROWTH, {"grew": grew_count, "known": known_count,
                                                             "deals_year": deals, "total": total_growth}


def derive_from_book(book: pd.DataFrame, period: str = "year", basis: str = BASIS_GROWTH,
                     own: OwnSales | None = None) -> BookLevers:
    """N, c and v from the book (and the trainee's own figures), each with where it came from (module docstring)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    missing: list[str] = []
    n, reached, as_of = _reached(book, period)
    if n.source == SOURCE_ALL:
        missing.append("contacts_12m")
    if period == "month" and n.source != SOURCE_CONTACT_DATE:
        missing.append("last_contact_date")
    reached_year = _reached(book, "year")[1] if period == "month" else reached
    n_year = float(reached_year.sum()) if period == "month" else n.value

    def defaults(source: str, detail: dict[str, float] | None = None) -> tuple[Derived, Derived]:
        return (Derived(DEFAULT_CONVERSION, source, dict(detail or {})),
                Derived(DEFAULT_DEAL_SIZE, source, dict(detail or {})))

    if basis in OWN_BASES:
        figures = own or OwnSales()
        amount = figures.amount(basis)
        if figures.deals > 0 and amount > 0 and n.value > 0:
            share = figures.deals / n.value
            detail = {"deals": figures.deals, "n": n.value, "amount": amount}
            c = Derived(min(share, 1.0), basis, {**detail, "capped": float(share > 1.0)})
            v = Derived(amount / figures.deals, basis, detail)
        else:
            c, v = defaults(SOURCE_NO_OWN)
        return BookLevers(period, n, c, v, tuple(missing), basis, as_of)

    year = _deals_a_year(book, reached_year, basis)
    if year is None:
        missing.append("fee_income_12m" if basis == BASIS_FEE else "aum_12m_ago")
        c, v = defaults(SOURCE_DEFAULT)
    elif year[0] == 0:
        c, v = defaults(year[2], year[3])
    elif n.value <= 0:
        c, v = defaults(SOURCE_NO_REACH)
    else:
        deals_year, per_deal, source, detail = year
        deals = deals_year * (1.0 if period == "year" else 1.0 / MONTHS_PER_YEAR)
        # A year's rate among the reached, or a month's deals over a month's reach; a stand-in figure can exceed
        # the customers reached in a short window, and a rate above 100% is no rate: it is capped and said so.
        share = deals / n.value if period == "month" else deals_year / n_year
        c = Derived(min(share, 1.0), source, {**detail, "deals": deals, "n": n.value, "capped": float(share > 1.0)})
        v = Derived(per_deal, source, {**detail, "deals": deals})
    return BookLevers(period, n, c, v, tuple(missing), basis, as_of)


def default_basis(book: pd.DataFrame, own: OwnSales | None = None) -> str:
    """The basis a page starts on: the trainee's own sales once entered, else the book's fee income, else AUM
    growth (the weak stand-in)."""
    if own is not None and own.entered:
        return BASIS_OWN_SALES if own.sales > 0 else BASIS_OWN_FEE
    if _numeric(book, "fee_income_12m") is not None:
        return BASIS_FEE
    return BASIS_GROWTH


# ---- the worksheet: the trainee's overrides on top of the book's values --------------------------------------


@dataclass(frozen=True)
class ResolvedLevers:
    """The levers the page works with: the book's values, replaced where the trainee typed their own."""

    levers: Levers
    book: BookLevers
    overridden: frozenset[str]  # lever names the trainee changed

    @property
    def inputs(self) -> dict[str, float]:
        """The values in the units the worksheet shows: N, c in %, v in 元, r in %."""
        return {"n": self.levers.n, "c_pct": self.levers.c * 100.0, "v": self.levers.v, "r_pct": self.levers.r * 100.0}


def resolve_levers(
    book: BookLevers,
    *,
    n: float | None = None,
    c_pct: float | None = None,
    v: float | None = None,
    repurchase: bool = False,
    r_pct: float | None = None,
) -> ResolvedLevers:
    """Merge the trainee's entries (None = keep the book's value) into the levers; percents become fractions."""
    overridden = set()
    values = {"n": book.n.value, "c": book.c.value, "v": book.v.value}
    for lever, entered in (("n", n), ("c", None if c_pct is None else c_pct / 100.0), ("v", v)):
        if entered is not None and not math.isclose(entered, values[lever], rel_tol=1e-9, abs_tol=1e-12):
            values[lever] = float(entered)
            overridden.add(lever)
    r = DEFAULT_REPURCHASE if r_pct is None else r_pct / 100.0
    if repurchase and r_pct is not None and not math.isclose(r, DEFAULT_REPURCHASE):
        overridden.add(REPURCHASE)
    levers = Levers(values["n"], values["c"], values["v"], r, repurchase)
    return ResolvedLevers(levers, book, frozenset(overridden))


def plan_from_pcts(current: Levers, uplift_pcts: Mapping[str, float]) -> Levers:
    """The planned levers from the uplift in percent the trainee entered per lever."""
    return apply_uplifts(current, {lever: pct / 100.0 for lever, pct in uplift_pcts.items()})


def balanced_pcts(plan: TargetPlan, names: Sequence[str]) -> dict[str, float]:
    """The balanced uplift in percent for each lever (the plan's starting point), rounded to 0.01%."""
    return dict.fromkeys(names, round(plan.balanced_uplift * 100.0, 2))


def lesson_pct(uplift_pct: float, levers: int = 3) -> tuple[float, float]:
    """:func:`lesson` with the uplift in percent (as the slider gives it)."""
    return lesson(uplift_pct / 100.0, levers)


def gap_to_target(planned: float, target: float) -> float | None:
    """planned ÷ target − 1 (negative: the plan falls short); None without a positive target."""
    return planned / target - 1.0 if target > 0 else None


# ---- the outline's cases (numbers illustrative: the outline gives none) -----------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    before: Levers
    uplift: float | None = None  # the same uplift on every lever …
    ratio: float | None = None  # … or the overall multiple to reach, spread evenly


@dataclass(frozen=True)
class CaseResult:
    case: Case
    before: Levers
    after: Levers
    per_lever_uplift: float
    ratio: float

    @property
    def per_lever_factor(self) -> float:
        return 1.0 + self.per_lever_uplift


CASES: Mapping[str, Case] = MappingProxyType({
    # 浦发销冠: three months, every lever +30% → 1.3³ = 2.197× (illustrative; the outline gives no numbers)
    "spdb_champion": Case("spdb_champion", Levers(n=30, c=0.10, v=300_000.0), uplift=0.30),
    # 月销不到200万 vs 月销2000万: 40 × 10% × 50万 = 200万; 10× is 2.154× on each lever
    "ten_x": Case("ten_x", Levers(n=40, c=0.10, v=500_000.0), ratio=10.0),
})


def case_result(case: Case) -> CaseResult:
    k = len(case.before.names)
    if case.uplift is not None:
        uplift = case.uplift
    elif case.ratio is not None:
        uplift = balanced_uplift(case.ratio, k)
    else:
        raise ValueError("a case needs an uplift or a ratio")
    after = apply_uplifts(case.before, dict.fromkeys(case.before.names, uplift))
    return CaseResult(case, case.before, after, uplift, after.performance / case.before.performance)
