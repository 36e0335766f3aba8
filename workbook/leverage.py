"""时间杠杆：一对多经营 — how much of a manager's week one-to-one service takes, and how many hours events that
serve a whole group at once give back (DESIGN §4.13).

A **group** is customers with something in common: a tier of a segmentation, or a need category from the need
rules (``kyc.need_groups``). Its one-to-one service is ``hours_per_customer`` a year each (from the service
plan of 3.4, or the need's default), delivered as touches of ``touch_hours`` each (a call for a mass customer, a
long meeting at the top). Events of one **format**
(``workbook/data/events.toml``: capacity, hours per event, follow-up hours per attendee) stand in for some of
those touches — at most the ``replaceable`` share: a private-banking customer still needs their meetings.

Per month, for a group of n customers, e events of capacity c, event hours H, follow-up u per attendee, touch
length t and replaceable share r:

    touches needed   N = n × hours_per_customer ÷ (12 × t)
    one-to-one hours     N × t
    attendees        A = min(e × c, r × N)                 (seats beyond the replaceable touches stay empty)
    coverage             A ÷ N                             (share of the group's touches served one-to-many)
    event hours          e × H + A × u
    hours after          (N − A) × t + e × H + A × u
    hours saved          one-to-one hours − hours after = A × (t − u) − e × H

Hours saved are negative when an event fills too few seats to earn back its preparation: the page says so.
A week is 52 ÷ 12 of a month (as in 1.3). A freed hour of a tier is worth that tier's T per manager-hour (4.3,
有效产出 ÷ service hours): the hour can go to the tier's customers again. Where T per hour is unknown — need groups,
a book without revenue, a tier without hours — the manager's hourly cost of 1.4 stands in, and :func:`hour_values`
says why.
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

import pandas as pd

from workbook import i18n
from workbook.bottleneck import stages_from_rows
from workbook.kyc import CATEGORIES
from workbook.profit import ProfitParams
from workbook.schema import finite_number
from workbook.services import generic_level
from workbook.throughput import throughput_by_tier

DATA_FILE = Path(__file__).parent / "data" / "events.toml"
MONTHS_PER_YEAR = 12
WEEKS_PER_YEAR = 52.0
WEEKS_PER_MONTH = WEEKS_PER_YEAR / MONTHS_PER_YEAR
DEFAULT_TOUCH_HOURS = 1.0  # one one-to-one touch when a group's data gives none: a call with its preparation
EVENT_STEP = 0.25  # events per month in quarter steps: 0.25 = one every four months, 0.5 = every other month
OUTCOME_COLUMNS: tuple[str, ...] = (
    "customers", "events_per_month", "touches_needed", "one_to_one_hours", "attendees", "coverage",
    "event_hours", "hours_after", "hours_saved", "event_cost",
)


class LeverageError(i18n.LocalisedError):
    """Inputs the hours arithmetic cannot use (catalogue ``error.leverage.<code>``; ``text(lang)``)."""

    catalogue_prefix = "error.leverage"

    def message_values(self, lang: str) -> Mapping[str, Any]:
        values = dict(self.values)
        name = values.get("name")
        if isinstance(name, str) and i18n.has_key(f"error.leverage.field.{name}"):
            values["name"] = i18n.t(f"error.leverage.field.{name}", lang)
        return values


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class EventFormat(i18n.Labelled):
    code: str
    zh: str
    en: str
    capacity: float  # customers one event serves
    hours_per_event: float  # manager hours: preparing, inviting, hosting
    follow_up_hours: float  # manager hours per attendee afterwards
    cost_per_event: float  # 元
    about: Mapping[str, str]

    def __post_init__(self) -> None:
        if not (math.isfinite(self.capacity) and self.capacity > 0):
            raise LeverageError("capacity", value=self.capacity)
        for name in ("hours_per_event", "follow_up_hours", "cost_per_event"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise LeverageError("negative", name=name, value=value)


@dataclass(frozen=True)
class Theme(i18n.Labelled):
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class GroupDefaults:
    """What a group starts with before the trainee edits it."""

    replaceable: float
    format: str
    themes: tuple[str, ...]
    touch_hours: float = DEFAULT_TOUCH_HOURS
    hours_per_customer: float | None = None  # need groups only; tiers take their service plan's hours


FORMATS: Mapping[str, EventFormat] = MappingProxyType({
    code: EventFormat(code, str(raw["zh"]), str(raw["en"]), float(raw["capacity"]), float(raw["hours_per_event"]),
                      float(raw["follow_up_hours"]), float(raw["cost_per_event"]), MappingProxyType(dict(raw["about"])))
    for code, raw in _data()["formats"].items()
})
THEMES: Mapping[str, Theme] = MappingProxyType(
    {code: Theme(code, str(raw["zh"]), str(raw["en"])) for code, raw in _data()["themes"].items()}
)
FORMAT_FIELDS: tuple[str, ...] = ("capacity", "hours_per_event", "follow_up_hours", "cost_per_event")


def _defaults(section: str) -> Mapping[str, GroupDefaults]:
    result = {}
    for key, raw in _data()[section].items():
        if raw["format"] not in FORMATS or any(t not in THEMES for t in raw["themes"]):
            raise ValueError(f"events.toml {section}.{key}: unknown format or theme")
        hours = raw.get("hours_per_customer")
        result[key] = GroupDefaults(float(raw["replaceable"]), str(raw["format"]), tuple(raw["themes"]),
                                    float(raw.get("touch_hours", DEFAULT_TOUCH_HOURS)),
                                    float(hours) if hours is not None else None)
    return MappingProxyType(result)


LEVEL_DEFAULTS: Mapping[str, GroupDefaults] = _defaults("levels")
NEED_DEFAULTS: Mapping[str, GroupDefaults] = _defaults("needs")
if set(NEED_DEFAULTS) != set(CATEGORIES):
    raise ValueError("events.toml: [needs] must list every need category of kyc.toml")


def format_with(code: str, overrides: Mapping[str, Any] | None = None) -> EventFormat:
    """A format with the trainee's numbers (capacity, hours per event, follow-up hours, cost) applied."""
    base = FORMATS[code]
    values = {name: getattr(base, name) for name in FORMAT_FIELDS}
    for name, value in (overrides or {}).items():
        if name in FORMAT_FIELDS:
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                raise LeverageError("not_a_number", name=name, value=value) from None
    return EventFormat(base.code, base.zh, base.en, about=base.about, **values)


# ---- the arithmetic ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupPlan:
    key: str
    customers: int
    hours_per_customer: float  # one-to-one hours a year per customer
    replaceable: float  # 0–1: share of the touches an event may stand in for
    format: str  # a FORMATS code
    events_per_month: float
    touch_hours: float = DEFAULT_TOUCH_HOURS  # hours of one one-to-one touch

    def __post_init__(self) -> None:
        if self.customers < 0:
            raise LeverageError("negative", name="customers", value=self.customers)
        _touch_hours(self.touch_hours)
        for name in ("hours_per_customer", "events_per_month"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise LeverageError("negative", name=name, value=value)
        if not (math.isfinite(self.replaceable) and 0 <= self.replaceable <= 1):
            raise LeverageError("replaceable", value=self.replaceable)


@dataclass(frozen=True)
class GroupOutcome:
    """One group's month, in manager hours (see the module docstring for the formulas)."""

    touches_needed: float
    one_to_one_hours: float
    replaceable_touches: float
    seats: float
    attendees: float
    coverage: float  # 0–1
    event_hours: float
    hours_after: float
    hours_saved: float
    event_cost: float  # 元 a month

    @property
    def empty_seats(self) -> float:
        return self.seats - self.attendees


def _touch_hours(value: float) -> float:
    if not (math.isfinite(value) and value > 0):
        raise LeverageError("touch_hours", value=value)
    return float(value)


def group_outcome(plan: GroupPlan, fmt: EventFormat) -> GroupOutcome:
    t = plan.touch_hours
    touches = plan.customers * plan.hours_per_customer / (MONTHS_PER_YEAR * t)
    one_to_one = touches * t
    replaceable = plan.replaceable * touches
    seats = plan.events_per_month * fmt.capacity
    attendees = min(seats, replaceable)
    event_hours = plan.events_per_month * fmt.hours_per_event + attendees * fmt.follow_up_hours
    after = (touches - attendees) * t + event_hours
    return GroupOutcome(
        touches_needed=touches,
        one_to_one_hours=one_to_one,
        replaceable_touches=replaceable,
        seats=seats,
        attendees=attendees,
        coverage=attendees / touches if touches > 0 else 0.0,
        event_hours=event_hours,
        hours_after=after,
        hours_saved=one_to_one - after,
        event_cost=plan.events_per_month * fmt.cost_per_event,
    )


def leverage_table(plans: Sequence[GroupPlan], formats: Mapping[str, EventFormat] = FORMATS) -> pd.DataFrame:
    """Every group's month (``OUTCOME_COLUMNS``), indexed by the group key, in the order given."""
    rows = []
    for plan in plans:
        outcome = group_outcome(plan, formats[plan.format])
        rows.append({
            "customers": plan.customers,
            "events_per_month": plan.events_per_month,
            "touches_needed": outcome.touches_needed,
            "one_to_one_hours": outcome.one_to_one_hours,
            "attendees": outcome.attendees,
            "coverage": outcome.coverage,
            "event_hours": outcome.event_hours,
            "hours_after": outcome.hours_after,
            "hours_saved": outcome.hours_saved,
            "event_cost": outcome.event_cost,
        })
    frame = pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS), index=pd.Index([p.key for p in plans], name="group"))
    frame["customers"] = frame["customers"].astype("int64")
    return frame


@dataclass(frozen=True)
class Totals:
    one_to_one_hours: float  # a month
    hours_after: float
    hours_saved: float
    event_cost: float

    @property
    def one_to_one_weekly(self) -> float:
        return self.one_to_one_hours / WEEKS_PER_MONTH

    @property
    def after_weekly(self) -> float:
        return self.hours_after / WEEKS_PER_MONTH

    @property
    def saved_weekly(self) -> float:
        return self.hours_saved / WEEKS_PER_MONTH


def totals(table: pd.DataFrame) -> Totals:
    return Totals(float(table["one_to_one_hours"].sum()), float(table["hours_after"].sum()),
                  float(table["hours_saved"].sum()), float(table["event_cost"].sum()))


def suggest_events(
    customers: int, hours_per_customer: float, replaceable: float, fmt: EventFormat,
    touch_hours: float = DEFAULT_TOUCH_HOURS, step: float = EVENT_STEP,
) -> float:
    """Events per month (a multiple of ``step``) that save the most hours for this group; 0 when an event of this
    format never saves time here. Saved hours rise with each event while its seats fill with replaceable touches
    (each attendee saves t − u, each event costs H) and fall once the seats run empty, so the best count sits at
    replaceable touches ÷ capacity: the quarter-step just below or just above it, whichever saves more (ties:
    fewer events)."""
    t = _touch_hours(touch_hours)
    if fmt.capacity * (t - fmt.follow_up_hours) <= fmt.hours_per_event:
        return 0.0  # even a full event costs more hours than its attendees' touches would
    plan = GroupPlan("_", customers, hours_per_customer, replaceable, fmt.code, 0.0, t)
    replaceable_touches = group_outcome(plan, fmt).replaceable_touches
    ideal = replaceable_touches / fmt.capacity
    candidates = {0.0, math.floor(ideal / step) * step, math.ceil(ideal / step) * step}
    best, best_saved = 0.0, 0.0
    for events in sorted(candidates):
        saved = group_outcome(
            GroupPlan("_", customers, hours_per_customer, replaceable, fmt.code, events, t), fmt
        ).hours_saved
        if saved > best_saved + 1e-9:
            best, best_saved = events, saved
    return best


def yearly_value(hours_saved_per_month: float, hourly_value: float) -> float:
    """元 a year the freed hours are worth: hours a month × 12 × the value of an hour."""
    return hours_saved_per_month * MONTHS_PER_YEAR * hourly_value


# ---- what a freed hour is worth ---------------------------------------------------------------------------------

# How a group's freed hour is valued (``HourValue.basis``), and why not at T per hour (``HourValue.reason``).
VALUE_T = "t_per_hour"  # the tier's T per manager-hour (4.3)
VALUE_NONE = "no_throughput"  # the tier's T per hour is known and not positive: an hour more there earns nothing
VALUE_COST = "hourly_cost"  # the manager's hourly cost (1.4), where T per hour is unknown
NEED_GROUPS = "need_groups"  # need groups overlap and are no scheme's tiers: 4.3 has no T per hour for them
NO_REVENUE = "no_revenue"  # the book has no revenue field: T is unknown, not 0
NO_HOURS = "no_hours"  # the tier has no service hours (neither recorded nor planned) to divide its T by


@dataclass(frozen=True)
class HourValue:
    """What one hour freed in a group is worth (元), and on what basis (``VALUE_*``; ``reason`` with VALUE_COST)."""

    value: float
    basis: str
    reason: str = ""


def tier_t_per_hour(book: pd.DataFrame, tiers: pd.Series, params: ProfitParams | None) -> pd.Series:
    """T per manager-hour of every tier of ``tiers`` (NaN where unknown), exactly as 4.3 prices an hour
    (``throughput.throughput_by_tier``): over the hours 1.4 costs — the book's service hours, or 1.4's tier
    assumptions where the book records none. With the assumptions off and no hours recorded, a tier's T per hour
    is unknown, and :func:`hour_values` says so rather than borrowing 3.4's plan (a plan is not today)."""
    return throughput_by_tier(book, tiers, params)["t_per_hour"]


def hour_values(
    group_tiers: Mapping[str, str], t_per_hour: Mapping[str, float] | pd.Series | None, hourly_cost: float,
    without: str = NO_REVENUE,
) -> dict[str, HourValue]:
    """What one freed hour of each group (``group_tiers``: group key → its tier code) is worth.

    Hours a tier gets back can go to that tier's customers again, so they are worth what an hour with them earns:
    the tier's T per manager-hour (``t_per_hour``: tier code → 元, from :func:`tier_t_per_hour`). Where that is
    known and not positive, an hour more there earns nothing (4.3's allocation never gives such a tier one): 0.
    Where it is unknown, the manager's hourly cost stands in — what the hour costs, not what it earns — with the
    reason: the tier has no hours (NaN; NO_HOURS), or there is no T per hour at all (``t_per_hour`` None;
    ``without`` says why: NO_REVENUE or NEED_GROUPS).
    """
    lookup = {} if t_per_hour is None else {str(k): float(v) for k, v in dict(t_per_hour).items()}
    values: dict[str, HourValue] = {}
    for key, code in group_tiers.items():
        if t_per_hour is None:
            values[key] = HourValue(float(hourly_cost), VALUE_COST, without)
            continue
        rate = lookup.get(str(code), math.nan)
        if math.isnan(rate):
            values[key] = HourValue(float(hourly_cost), VALUE_COST, NO_HOURS)
        elif rate <= 0:
            values[key] = HourValue(0.0, VALUE_NONE)
        else:
            values[key] = HourValue(rate, VALUE_T)
    return values


def yearly_values(table: pd.DataFrame, values: Mapping[str, HourValue]) -> pd.Series:
    """元 a year each group's freed hours are worth (same index as ``table``, a :func:`leverage_table`): hours saved
    a month × 12 × the group's hour value — negative where the events take more hours than they save."""
    saved = table["hours_saved"].astype("float64")
    worth = [yearly_value(float(hours), values[str(key)].value) for key, hours in saved.items()]
    return pd.Series(worth, index=table.index, name="value", dtype="float64")


# ---- the calendar -----------------------------------------------------------------------------------------------


def event_calendar(
    plans: Sequence[GroupPlan], themes: Mapping[str, Sequence[str]], start_month: int = 1,
    months: int = MONTHS_PER_YEAR,
) -> pd.DataFrame:
    """The events of the next ``months`` months, one row each: group, offset (0 = the first month), month (1–12),
    format, theme.

    A group's events a year, round(events per month × 12), are spread evenly (event j falls in month
    ⌊j × 12 ÷ N⌋), so 0.25 a month (three a year) lands in months 1, 5 and 9; its themes rotate in order.
    """
    if not 1 <= start_month <= 12:
        raise LeverageError("start_month", value=start_month)
    rows = []
    for plan in plans:
        count = round(plan.events_per_month * months)
        topics = list(themes.get(plan.key) or ())
        for j in range(count):
            offset = j * months // count
            rows.append({
                "group": plan.key,
                "offset": offset,
                "month": (start_month - 1 + offset) % 12 + 1,
                "format": plan.format,
                "theme": topics[j % len(topics)] if topics else None,
            })
    return pd.DataFrame(rows, columns=["group", "offset", "month", "format", "theme"])


# ---- groups: from a segmentation or from the need rules ---------------------------------------------------------

OVERRIDE_FIELDS: tuple[str, ...] = (
    "hours_per_customer", "touch_hours", "replaceable_pct", "format", "events_per_month",
)


@dataclass(frozen=True)
class GroupSpec:
    """A group before the trainee's edits: who is in it and what it starts with."""

    key: str  # "tier:<scheme>:<code>" or "need:<category>": where the trainee's edits are kept
    kind: str  # "tier" or "need"
    code: str  # the tier code or the need category
    customers: int
    hours_per_customer: float  # one-to-one hours a year per customer
    defaults: GroupDefaults


def tier_groups(
    scheme_id: str, tier_codes: Sequence[str], customers: Mapping[str, int], hours: Mapping[str, float],
    insufficient: str = "insufficient",
) -> list[GroupSpec]:
    """One group per tier with customers, in ladder order (``tier_codes`` low → high, the 信息不足 tier last).

    ``hours``: one-to-one hours a year per customer of each tier (the service plan of 3.4). Format, themes and the
    replaceable share come from the tier's rank in its ladder (the 信息不足 tier: as the lowest).
    """
    ladder = [code for code in tier_codes if code != insufficient]
    groups = []
    for code in tier_codes:
        count = int(customers.get(code, 0))
        if count <= 0:
            continue
        level = generic_level(ladder.index(code), len(ladder)) if code in ladder else "base"
        groups.append(GroupSpec(f"tier:{scheme_id}:{code}", "tier", code, count, float(hours.get(code, 0.0)),
                                LEVEL_DEFAULTS[level]))
    return groups


def need_group_specs(groups: pd.DataFrame) -> list[GroupSpec]:
    """One group per need category of ``kyc.need_groups`` (index: category; column customers)."""
    specs = []
    for category, row in groups.iterrows():
        defaults = NEED_DEFAULTS[str(category)]
        specs.append(GroupSpec(f"need:{category}", "need", str(category), int(row["customers"]),
                               float(defaults.hours_per_customer or 0.0), defaults))
    return specs


def group_plan(
    spec: GroupSpec, overrides: Mapping[str, Any] | None, formats: Mapping[str, EventFormat] = FORMATS
) -> tuple[GroupPlan, float]:
    """The group's plan with the trainee's edits applied, and the suggested events per month for it.

    Events per month follow the suggestion until the trainee sets them; a bad entry falls back to the default.
    """
    edits = dict(overrides or {})
    hours = _edit_number(edits.get("hours_per_customer"), spec.hours_per_customer, low=0.0)
    touch = _edit_number(edits.get("touch_hours"), spec.defaults.touch_hours, low=0.0)
    touch = touch if touch > 0 else spec.defaults.touch_hours
    replaceable = _edit_number(edits.get("replaceable_pct"), spec.defaults.replaceable * 100, low=0.0,
                               high=100.0) / 100
    chosen = edits.get("format")
    fmt = chosen if isinstance(chosen, str) and chosen in formats else spec.defaults.format
    suggested = suggest_events(spec.customers, hours, replaceable, formats[fmt], touch)
    events = _edit_number(edits.get("events_per_month"), suggested, low=0.0)
    return GroupPlan(spec.key, spec.customers, hours, replaceable, fmt, events, touch), suggested


def _edit_number(value: Any, default: float, low: float, high: float | None = None) -> float:
    number = finite_number(value)
    if number is None or number < low or (high is not None and number > high):
        return default
    return number


def group_overrides(spec: GroupSpec, row: Mapping[str, Any], suggested: float) -> dict[str, Any]:
    """The cells of an edited group row that differ from what the group starts with (to keep). Cells the row
    does not have are not edits."""
    start: dict[str, Any] = {
        "hours_per_customer": spec.hours_per_customer, "touch_hours": spec.defaults.touch_hours,
        "replaceable_pct": spec.defaults.replaceable * 100, "format": spec.defaults.format,
        "events_per_month": suggested,
    }
    changed: dict[str, Any] = {}
    for name in OVERRIDE_FIELDS:
        value = row.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if name == "format":
            if value != start[name] and value in FORMATS:
                changed[name] = str(value)
        elif not math.isclose(float(value), float(start[name]), abs_tol=1e-9):
            changed[name] = float(value)
    return changed


def weekly_hours(stage_rows: Sequence[Mapping[str, Any]]) -> float:
    """The manager's weekly hours for customers: the sum over the sales stages of 1.3 (valid rows only)."""
    stages, _issues = stages_from_rows(stage_rows)
    return float(sum(stage.weekly_hours for stage in stages))
