"""The demo customer book: one 客户经理's customers, synthetic but shaped like a real Chinese retail bank's, and
planted with the patterns the course teaches, so the pages reveal them.

``sample_book(n=300, seed=7)`` is deterministic (one numpy Generator seeded once, draws in a fixed order; dates
relative to a fixed reference date, never today) and fills every canonical field of ``workbook.schema``,
PII included — all of it fictional: names from common surname/given-name pools, resident ID numbers with a
valid check digit and a birth date matching the age, mobile numbers, debit card numbers with a valid Luhn digit.

What makes it look real (DESIGN §4.1):

* AUM is heavy-tailed: customers are ranked by a latent wealth score (age, occupation, noise) and cut into
  fixed shares of 大众 (< 5万), 潜力 (5–50万), 财富 (50–600万) and 私行 (≥ 600万); within each tier amounts
  follow a truncated Pareto law (most 财富 customers hold 50–150万, few near 600万), the 私行 tail is Pareto.
  The customers at 50万 and above (招行's 金葵花及以上) hold about 88% of the AUM, as 招行's 2.12% of customers
  held 82% of its AUM in 2021; in one manager's book they are a fifth of the customers rather than 2%, because a
  理财经理 is given the bank's better customers.
* Balances add up to AUM; the mix follows risk level, age and wealth; fee income follows the mix.
* Costs are the manager's reality and stay plausible: about 2,100–2,200 hours a year per 300 customers (more than
  the 1,800 effective hours of 1.4's default: the course's "working harder than the others"), most of them on
  small customers; gifts, private-banking 权益 and events of about a fifth of the revenue; and only compliant 让利
  — fee waivers and points (手续费减免、积分), about 2% of the revenue; no above-rate deposits and no kickbacks,
  which are forbidden (存款利率自律; the wealth-management rules ban promising returns and rebates). Small customers
  who visit often take more hours than they pay for, so with the default ``ProfitParams`` the whale curve has its
  classic shape (the top 20% earn about 150–300% of total profit).
* Contact is uneven, as it is for a real manager: private clients hear from you every few weeks, many mass
  customers not for months and about one in seven not at all this year; ``last_contact_date`` follows the year's
  contacts, so about a third of the book is reached in a month.
* Referrals (one customer in fifteen to twenty refers someone in a year) and life events (about one in eight had
  one in the year; inheritance is rare) are at plausible annual rates.
* Behaviour follows age: younger customers log in to the app and trade online, older ones come to events.

The course's stories are planted as small groups (``ARCHETYPES``), each with the behaviour the outline
describes, so the pages reveal them and a test asserts each one as a property:

* 送礼仍流失 — long-standing customers showered with gifts and events whose AUM still falls by a fifth to a half;
* 比价客户 — rate shoppers: deposits and large CDs about to mature, money at several banks, a low score (NPS);
* 私行低粘性 — private clients holding deposits and one or two products, with most of their money elsewhere;
* 被忽略的财富客户 — under-served 财富 customers with large assets elsewhere, rarely contacted;
* 忠粉 — fans: long tenure, many products, growing assets, the referrals.

Six of them are persona cards (``workbook/personas.py``), written into the book at fixed rows.

Everything is vectorised: 20,000 customers take a fraction of a second.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook.schema import FIELDS, Kind

REFERENCE_DATE = date(2026, 11, 30)  # the book's "today": dates are drawn back from it
POOLS_FILE = Path(__file__).parent / "data" / "sample_pools.toml"

# AUM tiers: (share of customers, lower bound, upper bound, Pareto alpha within the tier) in 元. Shares follow the
# usual ladder of a city branch manager's book: most customers are small, a few are private-banking clients.
# Alpha 0 is log-uniform; the larger alpha, the more customers sit near the tier's floor.
AUM_TIERS: tuple[tuple[float, float, float, float], ...] = (
    (0.30, 800.0, 50_000.0, 0.0),  # 大众
    (0.48, 50_000.0, 500_000.0, 1.2),  # 潜力
    (0.195, 500_000.0, 6_000_000.0, 1.5),  # 财富
    (0.025, 6_000_000.0, 25_000_000.0, 3.0),  # 私行
)

# Median service hours a year per AUM tier; lognormal spread; extra hours of "high-maintenance" customers
# (branch regulars who call and visit often, mostly older) — the core of the liabilities.
TIER_MEDIAN_HOURS: tuple[float, ...] = (2.5, 6.0, 5.0, 12.0)
HOURS_SIGMA = 0.45
HIGH_MAINTENANCE_SHARE = 0.20
HIGH_MAINTENANCE_FACTOR = 4.0
# Share of each tier the manager did not reach at all this year (no contact, no hours): mostly small customers.
TIER_UNREACHED_SHARE: tuple[float, ...] = (0.25, 0.08, 0.02, 0.0)
# A new customer's first year takes extra hours: account opening, the KYC, setting up the app, the first products.
ONBOARDING_HOURS: tuple[float, float] = (3.0, 6.0)
CONTACTS_PER_HOUR = 0.8  # a contact takes over an hour: preparation, the talk or the visit, the follow-up

# Gifts (节日礼品, 粮油, 生日礼遇): share of customers receiving them and median 元 a year per recipient, per tier.
TIER_GIFT_SHARE: tuple[float, ...] = (0.30, 0.55, 0.80, 1.0)
TIER_GIFT_MEDIAN: tuple[float, ...] = (60.0, 250.0, 1_000.0, 9_000.0)
# Cost per head of an event attended (沙龙, 讲座 … 品鉴会), per tier, 元.
TIER_EVENT_COST: tuple[tuple[float, float], ...] = ((30.0, 80.0), (60.0, 150.0), (150.0, 400.0), (800.0, 2_000.0))
# Compliant concessions (让利): fee waivers and points. Share of customers per tier who get any, and the share of
# their fee income waived; points on top (元).
TIER_REBATE_SHARE: tuple[float, ...] = (0.0, 0.04, 0.12, 0.30)
FEE_WAIVER_SHARE: tuple[float, float] = (0.10, 0.30)
POINTS_VALUE: tuple[float, float] = (50.0, 300.0)

# Fee income (中收) a year as a share of the balance: wealth-management fees, fund sales and trail,
# insurance commission.
FEE_RATES: Mapping[str, tuple[float, float]] = MappingProxyType({
    "wealth": (0.0010, 0.0030),
    "fund": (0.0030, 0.0070),
    "insurance": (0.0040, 0.0100),
})

RISK_SHARES: tuple[float, ...] = (0.08, 0.30, 0.35, 0.20, 0.07)  # C1…C5
INTENT_SHARES: tuple[float, ...] = (0.15, 0.35, 0.50)  # 高, 中, 低
TIER_DORMANT_SHARE: tuple[float, ...] = (0.20, 0.08, 0.03, 0.0)  # no transaction for months
NEW_CUSTOMER_SHARE = 0.06  # opened within the last year: no AUM a year ago

# The planted groups, by AUM tier (大众, 潜力, 财富, 私行): the share of each tier that belongs to the group. A customer
# belongs to at most one, taken in this order; new customers to none (the stories need a year of history).
ARCHETYPES: Mapping[str, tuple[float, ...]] = MappingProxyType({
    "private_low_sticky": (0.0, 0.0, 0.0, 0.40),  # 私行低粘性
    "underserved": (0.0, 0.0, 0.15, 0.0),  # 被忽略的财富客户
    "rate_shopper": (0.0, 0.05, 0.08, 0.0),  # 比价客户
    "gift_decliner": (0.0, 0.06, 0.10, 0.0),  # 送礼仍流失
    "fan": (0.02, 0.05, 0.12, 0.15),  # 忠粉
})
ARCHETYPE_CODES: tuple[str, ...] = tuple(ARCHETYPES)

# The 17 weights and the check characters of a resident ID number (GB 11643).
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array(list("10X98765432"))

# The dtype of each kind of field in the canonical frame.
DTYPE_BY_KIND: Mapping[Kind, Any] = MappingProxyType({
    Kind.TEXT: "str",
    Kind.MONEY: "float64",
    Kind.NUMBER: "float64",
    Kind.COUNT: "Int64",  # nullable, as intake reads counts (an uploaded copy of the sample is identical)
    Kind.SHARE: "float64",
    Kind.DATE: "datetime64[ns]",  # as intake reads dates
})


@lru_cache(maxsize=1)
def pools() -> dict[str, Any]:
    """The name, occupation, life-event, region, phone and card pools (read once: they are code, not data)."""
    with POOLS_FILE.open("rb") as handle:
        return tomllib.load(handle)


# ---- small vectorised helpers -------------------------------------------------------------------------------


def _counts(n: int, shares: tuple[float, ...]) -> np.ndarray:
    """Split n into whole counts by shares (largest remainder), so the proportions hold at every size."""
    raw = np.asarray(shares, dtype=np.float64) / sum(shares) * n
    counts = np.floor(raw).astype(np.int64)
    remainder = n - int(counts.sum())
    if remainder:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:remainder]] += 1
    return counts


def _rank_cut(score: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """Group index per customer: the highest scores get the last group, in the given shares."""
    n = len(score)
    counts = _counts(n, shares)
    group = np.empty(n, dtype=np.int64)
    order = np.argsort(score, kind="stable")  # ascending: lowest scores first → group 0
    group[order] = np.repeat(np.arange(len(shares)), counts)
    return group


def _exact_share(rng: np.random.Generator, group: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """A random selection of exactly round(share × size) members of each group (less luck at small n)."""
    key = rng.random(len(group))
    selected = np.zeros(len(group), dtype=bool)
    for index, share in enumerate(shares):
        members = np.flatnonzero(group == index)
        chosen = members[np.argsort(key[members], kind="stable")[: round(share * len(members))]]
        selected[chosen] = True
    return selected


def _choice(rng: np.random.Generator, options: list[str] | np.ndarray, weights: Any, n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=np.float64)
    return np.asarray(options)[rng.choice(len(p), size=n, p=p / p.sum())]


def _weighted_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row, drawn with the row's weights; -1 for a row whose weights are all zero."""
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1]
    u = rng.random(len(weights)) * total
    picked = (cumulative <= u[:, None]).sum(axis=1)
    return np.where(total > 0, np.minimum(picked, weights.shape[1] - 1), -1)


def _digits(rng: np.random.Generator, n: int, width: int) -> np.ndarray:
    """n strings of ``width`` random decimal digits."""
    values = rng.integers(0, 10, size=(n, width), dtype=np.uint8) + ord("0")
    return values.view(f"S{width}").ravel().astype(str) if width else np.full(n, "")


def _digit_matrix(strings: np.ndarray, width: int) -> np.ndarray:
    return np.frombuffer("".join(strings).encode("ascii"), dtype=np.uint8).reshape(-1, width).astype(np.int64) - 48


def _luhn_digit(body: np.ndarray, width: int) -> np.ndarray:
    """The Luhn check digit of each all-digit string of ``width`` characters."""
    digits = _digit_matrix(body, width)
    doubled = np.zeros(width, dtype=bool)
    doubled[width - 1 :: -2] = True  # from the right, the digit next to the check digit is doubled
    values = np.where(doubled, digits * 2, digits)
    values = np.where(values > 9, values - 9, values)
    return ((10 - values.sum(axis=1) % 10) % 10).astype(str)


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643 ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS.tolist(), strict=True))
    return str(_ID_CHECK[total % 11])


def luhn_valid(number: str) -> bool:
    """Whether a card number passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _round_to(values: np.ndarray, step: float) -> np.ndarray:
    return np.round(values / step) * step


# ---- the generator ------------------------------------------------------------------------------------------


def _tier_amounts(rng: np.random.Generator, k: int, low: float, high: float, alpha: float) -> np.ndarray:
    """k amounts of one tier, largest first: stratified quantiles (one draw in each 1/k slice, so the tier keeps its
    shape at every size and a small book does not hinge on one lucky draw) of a Pareto law truncated to
    [low, high) — log-uniform when alpha is 0."""
    quantile = (np.arange(k) + rng.random(k)) / k
    if alpha <= 0:
        amounts = np.exp(math.log(low) + quantile * (math.log(high) - math.log(low)))
    else:
        amounts = low * (1.0 - quantile * (1.0 - (low / high) ** alpha)) ** (-1.0 / alpha)
    return np.sort(np.minimum(amounts, np.nextafter(high, 0)))[::-1]


def _archetypes(rng: np.random.Generator, tier: np.ndarray, age: np.ndarray, owner: np.ndarray,
                excluded: np.ndarray) -> np.ndarray:
    """The planted group of each customer (index into ``ARCHETYPE_CODES``, −1 for none): exactly
    round(share × tier size) of each tier per group, drawn among customers not yet in a group and not
    ``excluded``, with a tilt towards who the story is about (older customers for 送礼仍流失, business people for
    比价, working age for the under-served)."""
    group = np.full(len(tier), -1, dtype=np.int64)
    tilt = {
        "gift_decliner": 0.6 * (age >= 55),
        "rate_shopper": 0.4 * owner,
        "underserved": 0.5 * (age < 55),
        "fan": 0.3 * (age >= 35),
    }
    for index, code in enumerate(ARCHETYPE_CODES):
        key = rng.random(len(tier)) - tilt.get(code, 0.0)
        for level, share in enumerate(ARCHETYPES[code]):
            size = int((tier == level).sum())
            wanted = round(share * size)
            if not wanted:
                continue
            members = np.flatnonzero((tier == level) & (group < 0) & ~excluded)
            chosen = members[np.argsort(key[members], kind="stable")[:wanted]]
            group[chosen] = index
    return group


def sample_book(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """A synthetic customer book of ``n`` customers in the canonical schema (every field filled).

    The same (n, seed) gives the same frame on every call and machine. n < 1 raises ValueError.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"the sample book needs at least one customer (n={n!r})")
    n = int(n)
    rng = np.random.default_rng(seed)
    data = pools()

    # -- who they are
    male = rng.random(n) < 0.48
    age = (22 + np.floor(59 * rng.beta(2.0, 2.2, n))).astype(np.int64)  # 22–80, median about 48
    senior = age >= 60
    occupations = data["occupations"]
    occ_names = np.array([o["name"] for o in occupations])
    occ_index = np.where(
        senior,
        rng.choice(len(occupations), n, p=_normalised([o["weight_senior"] for o in occupations])),
        rng.choice(len(occupations), n, p=_normalised([o["weight"] for o in occupations])),
    )
    occupation = occ_names[occ_index]
    owner = np.isin(occupation, ["企业主", "个体工商户", "公司高管"])

    # -- AUM: latent wealth → tier by rank (fixed shares) → amount within the tier, monotone in wealth
    wealth_tilt = np.array([o["wealth"] for o in occupations])[occ_index]
    wealth_score = rng.normal(0, 1, n) + 0.03 * np.clip(age - 30, 0, 35) + 0.8 * wealth_tilt
    tier = _rank_cut(wealth_score, tuple(share for share, _, _, _ in AUM_TIERS))
    aum = np.empty(n)
    for index, (_, low, high, alpha) in enumerate(AUM_TIERS):
        members = np.flatnonzero(tier == index)
        if len(members):
            # richer score → larger amount inside the tier
            aum[members[np.argsort(-wealth_score[members], kind="stable")]] = _tier_amounts(
                rng, len(members), low, high, alpha)
    aum = np.round(aum, 2)

    # -- the planted groups; new customers (opened within the year) belong to none
    new_customer = rng.random(n) < NEW_CUSTOMER_SHARE
    group = _archetypes(rng, tier, age, owner, new_customer)
    private_low_sticky, underserved, rate_shopper, gift_decliner, fan = (
        group == ARCHETYPE_CODES.index(code) for code in ARCHETYPE_CODES)
    restricted = private_low_sticky | rate_shopper | gift_decliner  # hold deposits and little else

    # -- relationship length and last year's AUM
    tenure = np.round(np.minimum(rng.gamma(1.8, 4.0, n) + 0.1, age - 18), 1)
    tenure = np.where(fan, np.maximum(tenure, rng.uniform(6, 20, n)), tenure)
    tenure = np.where(gift_decliner, np.maximum(tenure, rng.uniform(5, 20, n)), tenure)
    tenure = np.where(rate_shopper, rng.uniform(1, 4, n), tenure)
    tenure = np.round(np.minimum(tenure, age - 18), 1)
    tenure = np.where(new_customer, np.round(rng.uniform(0.1, 0.9, n), 1), np.maximum(tenure, 1.0))
    growth = rng.normal(0.03, 0.10, n)
    jump = rng.random(n)
    growth = np.where(jump < 0.08, rng.uniform(0.25, 1.0, n), np.where(jump > 0.95, rng.uniform(-0.5, -0.2, n), growth))
    growth = np.where(gift_decliner, rng.uniform(-0.5, -0.2, n), growth)
    growth = np.where(fan, np.abs(rng.normal(0.12, 0.06, n)), growth)
    growth = np.where(rate_shopper, rng.normal(-0.03, 0.15, n), growth)
    growth = np.where(private_low_sticky, rng.normal(0.0, 0.08, n), growth)
    aum_12m_ago = np.where(new_customer, 0.0, np.round(aum / (1 + growth), 2))

    # -- investing: experience and risk level (younger, richer and experienced customers take more risk)
    invest_years = np.round(np.clip(rng.gamma(1.6, 3.0, n) + 1.5 * np.clip(wealth_score, 0, None), 0, age - 20), 0)
    risk_score = rng.normal(0, 1, n) + 0.12 * invest_years - 0.025 * (age - 45) + 0.3 * tier
    risk = _rank_cut(risk_score, RISK_SHARES)  # 0 = C1 … 4 = C5
    risk = np.where(rate_shopper | gift_decliner, np.minimum(risk, 1), risk)  # savers: C1 / C2
    risk_level = np.array(["C1", "C2", "C3", "C4", "C5"])[risk]

    # -- the AUM split: which products they hold, then a mix of weights within what they hold
    holds_wealth = rng.random(n) < np.array([0.25, 0.60, 0.85, 0.95])[tier]
    holds_fund = rng.random(n) < np.clip(np.array([0.05, 0.25, 0.50, 0.70])[tier] + 0.08 * (risk - 2), 0.02, 0.95)
    holds_insurance = rng.random(n) < np.clip(np.array([0.05, 0.25, 0.45, 0.65])[tier] + 0.004 * (age - 45), 0, 0.9)
    holds_fund &= ~restricted
    holds_insurance &= ~restricted
    weights = np.column_stack(
        [
            rng.gamma(2.0, 1.0, n) * (1.2 - 0.2 * risk) * np.where(restricted, 10.0, 1.0),
            rng.gamma(2.0, 1.0, n) * 1.2 * holds_wealth,
            rng.gamma(2.0, 1.0, n) * (0.3 + 0.3 * risk) * holds_fund,
            rng.gamma(2.0, 1.0, n) * 0.6 * holds_insurance,
        ]
    )
    weights /= weights.sum(axis=1, keepdims=True)
    wealth_balance = np.round(aum * weights[:, 1], 2)
    fund_balance = np.round(aum * weights[:, 2], 2)
    insurance_balance = np.round(aum * weights[:, 3], 2)
    deposit_balance = np.round(aum - wealth_balance - fund_balance - insurance_balance, 2)

    has_loan = (rng.random(n) < 0.03 + 0.10 * owner + 0.05 * ((age >= 28) & (age <= 45))) & ~restricted
    loan_balance = np.where(has_loan, _round_to(rng.lognormal(math.log(250_000), 0.7, n) * (1 + owner), 100), 0.0)
    extra_products = np.where(restricted, 0, rng.poisson(0.4 + 0.4 * tier, n) + 2 * fan)
    product_count = (1 + holds_wealth + holds_fund + holds_insurance + has_loan + extra_products).astype(np.int64)

    fee_income = (
        wealth_balance * rng.uniform(*FEE_RATES["wealth"], n)
        + fund_balance * rng.uniform(*FEE_RATES["fund"], n)
        + insurance_balance * rng.uniform(*FEE_RATES["insurance"], n)
        + rng.uniform(10, 120, n)  # card, transfer and other small fees
    )
    fee_income = np.round(fee_income, 2)

    # -- service: who was reached, hours, contacts, gifts, events, concessions
    dormant = _exact_share(rng, tier, TIER_DORMANT_SHARE) & (group < 0)
    unreached = ((_exact_share(rng, tier, TIER_UNREACHED_SHARE) | (dormant & (rng.random(n) < 0.5))) & (group < 0)
                 & ~new_customer)
    high_maintenance = (rng.random(n) < (HIGH_MAINTENANCE_SHARE * np.where(age >= 55, 1.8, 0.6)
                                         * np.where(tier <= 1, 1.0, 0.4))) & (group < 0) & ~dormant & ~unreached
    hours_factor = (np.where(high_maintenance, HIGH_MAINTENANCE_FACTOR, 1.0) * np.where(dormant, 0.3, 1.0)
                    * np.select([underserved, gift_decliner, fan, private_low_sticky, rate_shopper],
                                [0.2, 1.6, 1.2, 0.6, 1.4], 1.0))
    hours = (np.array(TIER_MEDIAN_HOURS)[tier] * rng.lognormal(0, HOURS_SIGMA, n) * hours_factor
             + new_customer * rng.uniform(*ONBOARDING_HOURS, n))
    service_hours = np.where(unreached, 0.0, np.maximum(np.round(hours * 2) / 2, 0.5))  # recorded in half hours
    contacts = np.where(unreached, 0, np.maximum(rng.poisson(service_hours * CONTACTS_PER_HOUR), 1)).astype(np.int64)

    gets_gift = ((rng.random(n) < np.array(TIER_GIFT_SHARE)[tier] * np.where(dormant, 0.3, 1.0))
                 | gift_decliner) & ~unreached & ~underserved
    gift_factor = np.select([gift_decliner, high_maintenance], [4.0, 1.5], 1.0)
    gift_cost = np.where(
        gets_gift, _round_to(np.array(TIER_GIFT_MEDIAN)[tier] * rng.lognormal(0, 0.5, n) * gift_factor, 10), 0.0)
    event_factor = np.select([unreached, dormant, underserved, gift_decliner, fan], [0.0, 0.1, 0.2, 2.5, 1.6], 1.0)
    events = rng.poisson((0.2 + 0.8 * (age >= 55) + 0.5 * tier) * event_factor).astype(np.int64)
    per_head_low, per_head_high = (np.array(bounds) for bounds in zip(*TIER_EVENT_COST, strict=True))
    event_cost = _round_to(events * rng.uniform(per_head_low[tier], per_head_high[tier]), 10)

    # Compliant concessions only: part of the customer's own fees waived, and points. Rate shoppers ask every
    # time and get the most of it.
    gets_rebate = (_exact_share(rng, tier, TIER_REBATE_SHARE) | rate_shopper) & ~unreached
    rebate = gets_rebate * (fee_income * rng.uniform(*FEE_WAIVER_SHARE, n) + rng.uniform(*POINTS_VALUE, n)
                            + rate_shopper * rng.uniform(200, 500, n))
    rebate_cost = _round_to(rebate, 10)

    # -- digital behaviour follows age; dormant customers are not logging in either
    login_rate = (np.exp(3.1 - 0.05 * (age - 22)) * np.where(dormant | unreached, 0.05, 1.0)
                  * np.where(private_low_sticky, 0.2, 1.0))
    app_logins = rng.poisson(login_rate * rng.lognormal(0, 0.5, n)).astype(np.int64)
    digital_share = np.round(np.clip(app_logins / (app_logins + 6.0) + rng.normal(0, 0.08, n), 0, 1), 2)

    days_since_txn = np.where(dormant, rng.integers(120, 900, n), np.floor(rng.exponential(15, n)))
    # The last of k contacts spread over the year lies 365 × Beta(1, k) days back; nobody reached: a year or more.
    days_since_contact = np.where(
        contacts > 0, np.floor(364 * rng.beta(1.0, np.maximum(contacts, 1), n)), rng.integers(365, 900, n))
    reference = np.datetime64(REFERENCE_DATE.isoformat(), "D")
    last_txn = reference - days_since_txn.astype("timedelta64[D]")
    last_contact = reference - days_since_contact.astype("timedelta64[D]")

    # -- satisfaction, referrals, outside assets, maturities
    satisfaction = (rng.normal(7.6, 1.5, n) + 0.3 * np.log1p(service_hours) - 1.0 * dormant - 0.5 * unreached)
    satisfaction = np.select([rate_shopper, gift_decliner, fan, underserved, private_low_sticky],
                             [rng.normal(4.5, 1.2, n), rng.normal(7.5, 1.0, n), rng.normal(9.6, 0.5, n),
                              rng.normal(8.3, 1.0, n), rng.normal(7.0, 1.0, n)], satisfaction)
    satisfaction = np.clip(np.round(satisfaction), 0, 10)
    referrals = rng.poisson(0.006 + 0.01 * tier + 0.05 * (satisfaction >= 9) + 0.45 * fan).astype(np.int64)
    knows_outside = rng.random(n) < 0.55
    outside_share = np.select(
        [rate_shopper, private_low_sticky, underserved],
        [rng.uniform(1.0, 3.0, n), rng.uniform(2.0, 6.0, n), rng.uniform(1.5, 5.0, n)],
        rng.lognormal(-0.5, 1.1, n) * np.where(owner, 3.0, 1.0) * knows_outside,
    )
    external = _round_to(aum * outside_share, 10_000)
    maturing = _round_to(
        wealth_balance * (rng.random(n) < 0.35) * rng.uniform(0.2, 1.0, n)
        + deposit_balance * np.where(rate_shopper, rng.uniform(0.4, 0.8, n),
                                     (rng.random(n) < 0.20) * rng.uniform(0.2, 0.6, n)),
        100,
    )

    # -- family and life events
    u = rng.random(n)
    single_share = np.where(age < 28, 0.70, np.where(age < 35, 0.30, 0.06))
    divorced_share = np.where(age < 30, 0.02, 0.08)
    widowed_share = np.where(age >= 65, 0.15 + 0.01 * (age - 65), 0.01 * (age >= 45))
    marital = np.where(
        u < single_share, "未婚",
        np.where(u < single_share + divorced_share, "离异",
                 np.where(u < single_share + divorced_share + widowed_share, "丧偶", "已婚")),
    )
    child_mean = np.where(age < 30, 0.4, np.where(age < 45, 1.2, np.where(age < 60, 1.4, 1.9)))
    children = np.where(marital == "未婚", 0, np.clip(rng.poisson(child_mean), 0, 5)).astype(np.int64)
    life_event = _life_events(rng, age, children, marital, occupation, data)

    intent_score = (rng.normal(0, 1, n) + 1.0 * (maturing > 0) + 0.7 * (life_event != "无")
                    + 0.3 * (satisfaction >= 9) - 1.0 * (dormant | unreached) + 1.5 * rate_shopper + 0.8 * underserved)
    purchase_intent = np.array(["低", "中", "高"])[_rank_cut(intent_score, INTENT_SHARES[::-1])]

    # -- PII (fictional)
    name = _names(rng, male, data)
    id_number = _id_numbers(rng, age, male, data)
    phone = _choice(rng, data["phones"]["prefixes"], np.ones(len(data["phones"]["prefixes"])), n)
    phone = np.char.add(phone.astype(str), _digits(rng, n, 8))
    card_no = _card_numbers(rng, n, data)

    columns: dict[str, Any] = {
        "customer_id": np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "card_no": card_no,
        "gender": np.where(male, "男", "女"),
        "age": age,
        "occupation": occupation,
        "aum": aum,
        "aum_12m_ago": aum_12m_ago,
        "deposit_balance": deposit_balance,
        "wealth_balance": wealth_balance,
        "fund_balance": fund_balance,
        "insurance_balance": insurance_balance,
        "loan_balance": loan_balance,
        "product_count": product_count,
        "fee_income_12m": fee_income,
        "tenure_years": tenure,
        "contacts_12m": contacts,
        "service_hours_12m": service_hours,
        "gift_cost_12m": gift_cost,
        "rebate_cost_12m": rebate_cost,
        "event_cost_12m": event_cost,
        "events_12m": events,
        "referrals_12m": referrals,
        "app_logins_30d": app_logins,
        "digital_share": digital_share,
        "last_txn_date": last_txn,
        "last_contact_date": last_contact,
        "risk_level": risk_level,
        "invest_years": invest_years,
        "satisfaction": satisfaction,
        "external_assets_est": external,
        "maturing_90d": maturing,
        "purchase_intent": purchase_intent,
        "marital": marital,
        "children": children,
        "life_event": life_event,
    }
    _plant_personas(rng, columns, tier, data)
    return pd.DataFrame({f.key: pd.Series(columns[f.key]).astype(DTYPE_BY_KIND[f.kind]) for f in FIELDS})


def _life_events(rng: np.random.Generator, age: np.ndarray, children: np.ndarray, marital: np.ndarray,
                 occupation: np.ndarray, data: dict[str, Any]) -> np.ndarray:
    """At most one life event of the last 12 months per customer: each event happens at its annual rate among the
    customers it can happen to; one who qualifies for several has one, chosen in proportion to the rates."""
    events = data["life_events"]
    eligible = np.column_stack(
        [
            (age >= e["min_age"]) & (age <= e["max_age"])
            & ((children > 0) if e.get("needs_children") else True)
            & ((marital == "未婚") if e.get("needs_unmarried") else True)
            & ((marital == "已婚") if e.get("needs_married") else True)
            & ((occupation == "企业主") if e.get("needs_owner") else True)
            for e in events
        ]
    )
    rates = eligible * np.array([e["rate"] for e in events], dtype=np.float64)
    picked = _weighted_rows(rng, rates)
    happened = (rng.random(len(age)) < np.minimum(rates.sum(axis=1), 0.9)) & (picked >= 0)
    names = np.array([e["name"] for e in events])
    return np.where(happened, names[np.maximum(picked, 0)], data["life_event_none"]["name"])


def _plant_personas(rng: np.random.Generator, columns: dict[str, Any], tier: np.ndarray,
                    data: dict[str, Any]) -> None:
    """Write the persona customers (workbook/data/personas.toml) into their rows, in place. Each takes a row of
    its own AUM tier, so the tier counts stay as generated; its resident ID number is drawn again to match its
    age and gender (phone and card stay the generated ones: fictional either way)."""
    from workbook.personas import DAY_FIELDS, PERSONA_BY_ID, persona_rows

    rows = persona_rows(tier)
    if not rows:
        return
    reference = np.datetime64(REFERENCE_DATE.isoformat(), "D")
    for key, values in columns.items():
        values = np.asarray(values)
        # text columns as objects, so a persona's longer text is not cut to the generated column's width
        columns[key] = values.astype(object) if values.dtype.kind == "U" else values.copy()
    for persona_id, row in rows.items():
        for key, value in PERSONA_BY_ID[persona_id].fields.items():
            if key in DAY_FIELDS:
                columns[DAY_FIELDS[key]][row] = reference - np.timedelta64(int(value), "D")
            else:
                columns[key][row] = value
    planted = np.array(sorted(rows.values()))
    male = np.asarray(columns["gender"])[planted] == "男"
    columns["id_number"][planted] = _id_numbers(rng, np.asarray(columns["age"])[planted], male, data)


def _normalised(weights: list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=np.float64)
    return array / array.sum()


def _names(rng: np.random.Generator, male: np.ndarray, data: dict[str, Any]) -> np.ndarray:
    n = len(male)
    surname = _choice(rng, data["surnames"]["values"], data["surnames"]["weights"], n)
    male_pool = np.array(data["given_names"]["male"])
    female_pool = np.array(data["given_names"]["female"])
    first, second = (
        np.where(male, male_pool[rng.integers(0, len(male_pool), n)], female_pool[rng.integers(0, len(female_pool), n)])
        for _ in range(2)
    )
    two_chars = (rng.random(n) < 0.72) & (first != second)
    return np.char.add(np.char.add(surname, first), np.where(two_chars, second, ""))


def _id_numbers(rng: np.random.Generator, age: np.ndarray, male: np.ndarray, data: dict[str, Any]) -> np.ndarray:
    """18-character resident ID numbers: region, a birth date giving exactly ``age`` on the reference date,
    a sequence number odd for men and even for women, and the GB 11643 check character."""
    n = len(age)
    region = _choice(rng, data["regions"]["values"], data["regions"]["weights"], n)
    month_day = np.timedelta64(REFERENCE_DATE.month - 1, "M"), np.timedelta64(REFERENCE_DATE.day - 1, "D")
    years = (REFERENCE_DATE.year - age - 1970).astype("timedelta64[Y]")
    anniversary = ((np.datetime64("1970", "Y") + years).astype("datetime64[M]") + month_day[0]).astype(
        "datetime64[D]") + month_day[1]
    previous = ((np.datetime64("1970", "Y") + years - np.timedelta64(1, "Y")).astype("datetime64[M]")
                + month_day[0]).astype("datetime64[D]") + month_day[1]
    span = (anniversary - previous).astype(np.int64)  # 365 or 366 days
    # born after the previous anniversary and on or before this one → exactly ``age`` on the reference date
    birth = anniversary - np.floor(rng.random(n) * span).astype("timedelta64[D]")
    birth_text = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    sequence = rng.integers(0, 500, n) * 2 + male  # odd for men
    body = np.char.add(np.char.add(region, birth_text), np.char.zfill(sequence.astype(str), 3))
    check = _ID_CHECK[(_digit_matrix(body, 17) * _ID_WEIGHTS).sum(axis=1) % 11]
    return np.char.add(body, check)


def _card_numbers(rng: np.random.Generator, n: int, data: dict[str, Any]) -> np.ndarray:
    prefixes = data["cards"]["prefixes"]
    lengths = data["cards"]["lengths"]
    which = rng.integers(0, len(prefixes), n)
    cards = np.empty(n, dtype=object)
    for index, (prefix, length) in enumerate(zip(prefixes, lengths, strict=True)):
        members = np.flatnonzero(which == index)
        body = np.char.add(prefix, _digits(rng, len(members), length - len(prefix) - 1))
        cards[members] = np.char.add(body, _luhn_digit(body, length - 1)) if len(members) else body
    return cards.astype(str)


# ---- the shipped files -------------------------------------------------------------------------------------

EXPORT_SHEET = "客户名册"


def export_headers() -> dict[str, str]:
    """Canonical key → the Chinese column header a bank export carries (the field's zh label, so intake maps
    every column by itself; money in 元, ``aum`` as 金融资产)."""
    return {f.key: f.zh for f in FIELDS}


def bank_export(book: pd.DataFrame) -> pd.DataFrame:
    """The book as a bank system would export it: Chinese headers, schema order."""
    headers = export_headers()
    return book[[key for key in headers if key in book.columns]].rename(columns=headers)
