"""差异化服务矩阵 — tiers × service dimensions, templates per tier, and what each tier's plan costs (DESIGN §4.8).

Service dimensions: cadence (联系频率), channel (渠道), benefits (专属权益), shelf (产品货架), activities (活动),
response (响应时效), owner (服务人员). Templates are data (``workbook/data/service_templates.toml``): every
scheme's default tiers have their own, each of the scheme's kind (resources by AUM tier, the next step of trust
by relationship, the sales action of each apple quadrant by priority, retain / grow / cut cost by contribution,
channel by behaviour, shelf by cognition, the activities of each stage by education); any other tier (a bank
preset's, a relabelled one) takes a generic template by its rank in its ladder (lowest → base template,
highest → top template).
The trainee's edits are kept as *overrides* (only the cells they changed), so an untouched cell follows the
language and a template update, and an edited one stays theirs.

Plan cost of a tier (元 a year), against the revenue the tier brings (§4.4 revenue, summed over the tier):

    time cost     = hours per customer × customers × hourly cost
    benefits cost = benefits per customer × customers
    plan cost     = time cost + benefits cost;  margin = revenue − plan cost

A tier whose plan costs more than it brings is flagged: serve it through cheaper channels (一对多, 线上) or
lift its revenue — the link back to 1.4's 倒推.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook.profit import (
    DEFAULT_PARAMS,
    HOURS_UNKNOWN,
    REVENUE_INPUTS,
    ProfitParams,
    assumed_inputs,
    missing_inputs,
    profitability,
)
from workbook.segmentation import INSUFFICIENT

DATA_FILE = Path(__file__).parent / "data" / "service_templates.toml"
NUMBER_COLUMNS: tuple[str, ...] = ("hours", "benefits_cost")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


DIMENSIONS: tuple[str, ...] = tuple(_data()["dimensions"])
GENERIC_ORDER: tuple[str, ...] = tuple(_data()["generic_order"])
MATRIX_COLUMNS: tuple[str, ...] = ("tier", *DIMENSIONS, *NUMBER_COLUMNS)


@dataclass(frozen=True)
class ServiceTemplate:
    key: str
    hours: float  # manager hours per customer a year
    benefits_cost: float  # 元 per customer a year
    text: Mapping[str, Mapping[str, str]]  # dimension -> {"zh", "en"}

    def row(self, lang: str) -> dict[str, Any]:
        language = "en" if lang == "en" else "zh"
        row: dict[str, Any] = {d: self.text[d][language] for d in DIMENSIONS}
        row["hours"] = self.hours
        row["benefits_cost"] = self.benefits_cost
        return row


def _template(key: str, raw: Mapping[str, Any]) -> ServiceTemplate:
    missing = [d for d in DIMENSIONS if d not in raw]
    if missing:
        raise ValueError(f"service template {key!r} lacks {missing}")
    return ServiceTemplate(
        key=key,
        hours=float(raw["hours"]),
        benefits_cost=float(raw["benefits_cost"]),
        text={d: {"zh": raw[d]["zh"], "en": raw[d]["en"]} for d in DIMENSIONS},
    )


# scheme id -> tier code -> template
TIER_TEMPLATES: Mapping[str, Mapping[str, ServiceTemplate]] = MappingProxyType({
    scheme: MappingProxyType({code: _template(f"{scheme}.{code}", raw) for code, raw in tiers.items()})
    for scheme, tiers in _data()["by_tier"].items()
})
GENERIC_TEMPLATES: Mapping[str, ServiceTemplate] = MappingProxyType(
    {k: _template(k, v) for k, v in _data()["generic"].items()}
)


def generic_level(rank: int, count: int) -> str:
    """The generic template for the ``rank``-th tier (0 = lowest) of a ladder of ``count`` tiers.

    The lowest tier always gets the base template and the highest the top one; tiers between spread evenly.
    A one-tier ladder gets the middle template.
    """
    levels = GENERIC_ORDER
    if count <= 1:
        return "mid"
    position = rank * (len(levels) - 1) / (count - 1)
    return levels[math.floor(position + 0.5)]


def template_for(scheme_id: str, tier_code: str, rank: int, count: int) -> ServiceTemplate:
    own = TIER_TEMPLATES.get(scheme_id, {})
    if tier_code in own:
        return own[tier_code]
    if tier_code == INSUFFICIENT:
        return GENERIC_TEMPLATES["insufficient"]
    return GENERIC_TEMPLATES[generic_level(rank, count)]


def _ranked(tier_codes: Sequence[str]) -> list[tuple[str, int, int]]:
    """(code, rank among real tiers, number of real tiers); the 信息不足 tier is outside the ladder."""
    ladder = [c for c in tier_codes if c != INSUFFICIENT]
    return [(c, ladder.index(c) if c in ladder else 0, len(ladder)) for c in tier_codes]


def template_rows(scheme_id: str, tier_codes: Sequence[str], lang: str) -> list[dict[str, Any]]:
    """The templates for a scheme's ladder (tier codes low → high), one row per tier, in ``lang``."""
    return [
        {"tier": code, **template_for(scheme_id, code, rank, count).row(lang)}
        for code, rank, count in _ranked(tier_codes)
    ]


def matrix_rows(
    scheme_id: str, tier_codes: Sequence[str], lang: str, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The service matrix: templates with the trainee's overrides (tier code → {column: value}) applied."""
    rows = template_rows(scheme_id, tier_codes, lang)
    for row in rows:
        for column, value in (overrides or {}).get(row["tier"], {}).items():
            if column in DIMENSIONS:
                row[column] = str(value)
            elif column in NUMBER_COLUMNS:
                row[column] = _non_negative(value)
    return rows


def _non_negative(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def overrides_from_rows(
    scheme_id: str,
    rows: Sequence[Mapping[str, Any]],
    lang: str,
    previous: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The cells of an edited matrix that differ from the templates (to keep in the workspace).

    ``previous`` holds overrides of tiers not in ``rows`` (another preset's ladder): they are kept.
    """
    codes = [str(r["tier"]) for r in rows]
    templates = {r["tier"]: r for r in template_rows(scheme_id, codes, lang)}
    result: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (previous or {}).items() if k not in codes}
    for row in rows:
        code = str(row["tier"])
        template = templates[code]
        changed: dict[str, Any] = {}
        for column in DIMENSIONS:
            value = "" if row.get(column) is None or _is_nan(row.get(column)) else str(row[column]).strip()
            if value != template[column]:
                changed[column] = value
        for column in NUMBER_COLUMNS:
            number = _non_negative(row.get(column))
            if not math.isclose(number, float(template[column])):
                changed[column] = number
        if changed:
            result[code] = changed
    return result


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def service_line(row: Mapping[str, Any], labels: Mapping[str, str], lang: str) -> str:
    """One line summarising a tier's plan, e.g. for the exercise: "联系频率：…；渠道：…；专属权益：…"."""
    colon, separator = (": ", "; ") if lang == "en" else ("：", "；")
    shown = [d for d in ("cadence", "channel", "benefits") if str(row.get(d) or "").strip()]
    return separator.join(f"{labels[d]}{colon}{str(row[d]).strip()}" for d in shown)


# ---- plan cost against revenue ------------------------------------------------------------------------------


def tier_revenue(book: pd.DataFrame, tiers: pd.Series, params: ProfitParams | None = None) -> pd.DataFrame:
    """Per tier (in the ladder's order, empty tiers included): customers, aum, revenue (元/year, §4.4)."""
    revenue = profitability(book, params or DEFAULT_PARAMS)["revenue"]
    aum = pd.to_numeric(book["aum"], errors="coerce").fillna(0.0)
    frame = pd.DataFrame({"tier": tiers, "revenue": revenue, "aum": aum})
    grouped = frame.groupby("tier", observed=False)
    result = pd.DataFrame(
        {"customers": grouped.size(), "aum": grouped["aum"].sum(), "revenue": grouped["revenue"].sum()}
    )
    result["customers"] = result["customers"].astype("int64")
    result.index = result.index.astype(str)
    result.index.name = "tier"
    return result


def missing_revenue_inputs(book: pd.DataFrame) -> tuple[str, ...]:
    """The revenue fields (§4.4: fee income, deposit and loan balances) that ``book`` lacks."""
    return missing_inputs(book, REVENUE_INPUTS)


def revenue_known(book: pd.DataFrame) -> bool:
    """Whether ``book`` has any revenue field. Without one, every tier's revenue reads 0 although it is unknown,
    and a page must say so rather than warn that every plan costs more than its tier brings."""
    return len(missing_revenue_inputs(book)) < len(REVENUE_INPUTS)


@dataclass(frozen=True)
class PlanSummary:
    hours: float  # the whole plan's manager hours a year
    plan_cost: float
    revenue: float
    over_tiers: tuple[str, ...]  # tier codes whose plan costs more than their revenue
    available_hours: float  # the manager's effective hours a year (1.4)

    @property
    def over_capacity(self) -> bool:
        return self.hours > self.available_hours


def plan_costs(rows: Sequence[Mapping[str, Any]], stats: pd.DataFrame, hourly_cost: float) -> pd.DataFrame:
    """Each tier's plan cost against its revenue. ``rows``: the matrix; ``stats``: ``tier_revenue`` output.

    Columns: customers, revenue, hours_per_customer, benefits_per_customer, plan_hours, time_cost,
    benefits_total, plan_cost, margin (revenue − plan cost), cost_share (plan cost ÷ revenue, NaN without
    revenue), over (plan cost > revenue). Index: tier code in the matrix order.
    """
    if hourly_cost < 0 or not math.isfinite(hourly_cost):
        raise ValueError("hourly cost must be a non-negative number")
    codes = [str(r["tier"]) for r in rows]
    customers = np.array([float(stats["customers"].get(c, 0)) for c in codes])
    revenue = np.array([float(stats["revenue"].get(c, 0.0)) for c in codes])
    hours = np.array([_non_negative(r.get("hours")) for r in rows])
    benefits = np.array([_non_negative(r.get("benefits_cost")) for r in rows])
    plan_hours = hours * customers
    time_cost = plan_hours * hourly_cost
    benefits_total = benefits * customers
    plan_cost = time_cost + benefits_total
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(revenue > 0, plan_cost / revenue, np.nan)
    return pd.DataFrame(
        {
            "customers": customers.astype("int64"),
            "revenue": revenue,
            "hours_per_customer": hours,
            "benefits_per_customer": benefits,
            "plan_hours": plan_hours,
            "time_cost": time_cost,
            "benefits_total": benefits_total,
            "plan_cost": plan_cost,
            "margin": revenue - plan_cost,
            "cost_share": share,
            "over": plan_cost > revenue,
        },
        index=pd.Index(codes, name="tier"),
    )


def plan_summary(costs: pd.DataFrame, available_hours: float) -> PlanSummary:
    # A tier with no customers costs nothing and brings nothing: it is not "over".
    over = costs.index[costs["over"] & (costs["customers"] > 0)]
    return PlanSummary(
        hours=float(costs["plan_hours"].sum()),
        plan_cost=float(costs["plan_cost"].sum()),
        revenue=float(costs["revenue"].sum()),
        over_tiers=tuple(str(c) for c in over),
        available_hours=float(available_hours),
    )


# ---- today beside the plan ----------------------------------------------------------------------------------

# What the book says each tier gets today (last 12 months), in the order the page shows them.
ACTUAL_FIELDS: tuple[str, ...] = ("service_hours_12m", "gift_cost_12m", "event_cost_12m", "rebate_cost_12m")
ACTUAL_COLUMNS: Mapping[str, str] = MappingProxyType({
    "service_hours_12m": "hours_today", "gift_cost_12m": "gifts_today", "event_cost_12m": "events_today",
    "rebate_cost_12m": "rebates_today",
})


def tier_actuals(book: pd.DataFrame, tiers: pd.Series, params: ProfitParams | None = None,
                 result: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per tier (ladder order, empty tiers included): customers and what they got in the last 12 months —
    ``hours_today``, ``gifts_today``, ``events_today``, ``rebates_today`` (元), and ``perks_today`` (the three
    money columns together). A field the book lacks is NaN for every tier (unknown, not 0); a blank cell in a
    present field counts 0.

    With ``params`` (the trainee's 1.4 settings), hours, gifts and events are the ones 1.4 prices: where the book
    lacks the field, 1.4's cost-to-serve assumptions (``profit.assumed_inputs`` says which), so "today" here is
    today on 1.4 and 4.x; still NaN where 1.4 assumes nothing either (its assumptions off). Rebates are always the
    book's (1.4 counts a missing rebate field as none; here it stays unknown). Pass ``result``
    (``profitability(book, params)``) to skip recomputing it."""
    frame = pd.DataFrame({"tier": tiers})
    for key, column in ACTUAL_COLUMNS.items():
        frame[column] = pd.to_numeric(book[key], errors="coerce").fillna(0.0) if key in book.columns else np.nan
    known = {key: key in book.columns for key in ACTUAL_COLUMNS}
    if params is not None:
        assumed = assumed_inputs(book, params)
        priced = result if result is not None else profitability(book, params)
        for key, column, source, used in (
            ("service_hours_12m", "hours_today", "actual_hours", assumed.hours != HOURS_UNKNOWN),
            ("gift_cost_12m", "gifts_today", "gift_cost", assumed.gifts or "gift_cost_12m" in book.columns),
            ("event_cost_12m", "events_today", "event_cost", assumed.events or "event_cost_12m" in book.columns),
        ):
            if used:
                frame[column] = priced[source].fillna(0.0).to_numpy(dtype=np.float64)
                known[key] = True
    grouped = frame.groupby("tier", observed=False)
    result_frame = grouped[list(ACTUAL_COLUMNS.values())].sum(min_count=1)
    for key, column in ACTUAL_COLUMNS.items():
        if not known[key]:
            result_frame[column] = np.nan
        else:  # an empty tier holds 0 hours, not an unknown number
            result_frame[column] = result_frame[column].fillna(0.0)
    result_frame.insert(0, "customers", grouped.size().astype("int64"))
    result_frame["perks_today"] = result_frame[["gifts_today", "events_today", "rebates_today"]].sum(
        axis=1, min_count=1)
    result_frame.index = result_frame.index.astype(str)
    result_frame.index.name = "tier"
    return result_frame


@dataclass(frozen=True)
class HoursBalance:
    """The plan's hours against today's: ``freed`` = hours the plan takes away from the tiers it serves with
    less, ``needed`` = hours it adds where it serves more, ``change`` = planned − today in all (negative: the
    plan frees time). ``known``: False when the book records no service hours (then the figures are NaN)."""

    today: float
    planned: float
    freed: float
    needed: float
    known: bool

    @property
    def change(self) -> float:
        return self.planned - self.today


def plan_vs_today(costs: pd.DataFrame, actuals: pd.DataFrame) -> tuple[pd.DataFrame, HoursBalance]:
    """Each tier's plan (``plan_costs`` output) beside what it gets today (``tier_actuals`` output), in the plan's
    order: ``customers``, ``hours_today``, ``plan_hours``, ``hours_change`` (planned − today: below 0 the plan frees
    hours, above 0 it needs more), ``perks_today`` and ``benefits_planned`` (元 a year), and the hours balance."""
    codes = list(costs.index)
    today = actuals.reindex(codes)
    frame = pd.DataFrame(
        {
            "customers": costs["customers"],
            "hours_today": today["hours_today"].to_numpy(dtype=np.float64, na_value=np.nan),
            "plan_hours": costs["plan_hours"],
            "gifts_today": today["gifts_today"].to_numpy(dtype=np.float64, na_value=np.nan),
            "events_today": today["events_today"].to_numpy(dtype=np.float64, na_value=np.nan),
            "rebates_today": today["rebates_today"].to_numpy(dtype=np.float64, na_value=np.nan),
            "perks_today": today["perks_today"].to_numpy(dtype=np.float64, na_value=np.nan),
            "benefits_planned": costs["benefits_total"],
        },
        index=pd.Index(codes, name="tier"),
    )
    frame.insert(3, "hours_change", frame["plan_hours"] - frame["hours_today"])
    change = frame["hours_change"].to_numpy(dtype=np.float64, na_value=np.nan)
    known = bool(np.isfinite(frame["hours_today"].to_numpy(dtype=np.float64, na_value=np.nan)).any())
    balance = HoursBalance(
        today=float(frame["hours_today"].sum()) if known else math.nan,
        planned=float(frame["plan_hours"].sum()),
        freed=float(-change[change < 0].sum()) if known else math.nan,
        needed=float(change[change > 0].sum()) if known else math.nan,
        known=known,
    )
    return frame, balance


# ---- the hourly cost, from 1.4 when the trainee set it there ------------------------------------------------

# Page 1.4 keeps its entries in the workspace module "s1_4" in the units a trainee types
# (``asset_review.ReviewInputs``: annual_cost, effective_hours, deposit_spread_pct, …). These two set the hourly cost.
HOURLY_COST_KEYS: tuple[str, ...] = ("annual_cost", "effective_hours")


def profit_params_from(values: Mapping[str, Any] | None,
                       service_plan: Mapping[str, Any] | None = None) -> tuple[ProfitParams, bool]:
    """ProfitParams from the trainee's 1.4 entries (``values``: workspace module "s1_4") and 3.4's plan
    (``service_plan``: module "s3_4", for the service standard), exactly as 1.4 builds them
    (``asset_review.trainee_params``); and whether the hourly cost came from 1.4 (else the defaults).

    Revenue, cost-to-serve assumptions and hourly cost are then 1.4's, so 3.4's "tier revenue", 4.3's throughput
    and the exercises' evidence match 1.4's figures.
    """
    from workbook.asset_review import trainee_params

    entered = values or {}
    from_s1_4 = any(_typed_number(entered.get(key)) for key in HOURLY_COST_KEYS)
    return trainee_params(values, service_plan), from_s1_4


def _typed_number(value: Any) -> bool:
    """Whether a stored 1.4 entry is a number 1.4 uses (``asset_review.inputs_from`` reads no text)."""
    if value is None or isinstance(value, str):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
