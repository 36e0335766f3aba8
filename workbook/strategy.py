"""经营策略设计 — an engagement strategy per segment, guided by the outline's seven questions (DESIGN §4.10).

A strategy (:class:`Strategy`) says, for one tier of a segmentation: the goal (经营目标), the real needs (真实需求),
the product mix (产品组合), the service actions (服务动作), the ways of marketing (营销方式: one-to-one, one-to-many,
online), the cadence (节奏), KPIs as four-degree targets (page 3.3's measures: NPS, AUM retention, the share with
three products or more, revenue per customer) and the manager's hours per customer a year.

Starting points are data (``workbook/data/strategy_templates.toml``: goal, needs, ways of marketing per tier, KPI
steps per tier kind). Products, services, cadence and hours start from the tier's differentiated-service plan of
page 3.4 (with the trainee's 3.4 edits), so the two pages never disagree until the trainee makes them.

The trainee's edits are kept as *overrides* — a flat mapping per tier of only the fields that differ from the
starting point (``goal``, ``needs``, ``products``, ``services``, ``cadence``, ``channels``, ``hours_per_customer``,
``kpi.<degree>``) — so an untouched field follows the language and the 3.4 plan, and an edited one stays theirs.

KPI targets are in the units a trainee types: NPS in points, AUM retention and the ≥ 3 products share in percent,
revenue per customer as a growth in percent. A default target is offered only where the book shows today's figure
(a target on a figure the book cannot show is the trainee's to type, never a guess).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from workbook import i18n, services
from workbook.schema import finite_number
from workbook.segmentation import INSUFFICIENT

DATA_FILE = Path(__file__).parent / "data" / "strategy_templates.toml"
TEXT_FIELDS: tuple[str, ...] = ("goal", "needs", "products", "services", "cadence")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


CHANNELS: tuple[str, ...] = tuple(_data()["channels"])  # one_to_one, one_to_many, online


@dataclass(frozen=True)
class KpiSpec:
    """A four-degree KPI: the 3.3 figure it targets and how its target is typed. ``kind``: "change" (target =
    today + step, in the figure's display unit), "level" (the step is the target itself) or "growth" (a growth in
    percent on today's figure). ``scale`` turns the 3.3 figure into the display unit (share 0.6 → 60 %)."""

    degree: str
    figure: str
    unit: str  # points, percent, growth_percent
    kind: str
    step_key: str
    scale: float
    low: float
    high: float


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("satisfaction", "nps", "points", "change", "nps_change", 1.0, -100.0, 100.0),
    KpiSpec("loyalty", "aum_retention", "percent", "level", "aum_retention", 100.0, 0.0, 1_000.0),
    KpiSpec("stickiness", "share_3plus", "percent", "change", "share_3plus_change", 100.0, 0.0, 100.0),
    KpiSpec("contribution", "revenue_per_customer", "growth_percent", "growth", "revenue_growth", 1.0, -100.0,
            1_000.0),
)
KPI_BY_DEGREE: Mapping[str, KpiSpec] = MappingProxyType({k.degree: k for k in KPIS})
KPI_FIELDS: tuple[str, ...] = tuple(f"kpi.{k.degree}" for k in KPIS)
FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "channels", "hours_per_customer", *KPI_FIELDS)


@dataclass(frozen=True)
class Question:
    """One of the outline's seven questions (四.5) and where page 4.2 answers it."""

    number: int
    outline: str  # verbatim
    en: str
    prompt_zh: str
    prompt_en: str
    field: str  # state / review (once per book) or a strategy field

    def label(self, lang: str) -> str:
        return i18n.pick(lang, self.outline, self.en)

    def prompt(self, lang: str) -> str:
        return i18n.pick(lang, self.prompt_zh, self.prompt_en)


QUESTIONS: tuple[Question, ...] = tuple(
    Question(number, str(q["outline"]), str(q["en"]), str(q["prompt"]["zh"]), str(q["prompt"]["en"]), str(q["field"]))
    for number, q in enumerate(_data()["question"], start=1)
)
OVERALL_FIELDS: tuple[str, ...] = ("state", "review")  # the answers that are about the whole book, not one segment


@dataclass(frozen=True)
class Strategy:
    """One segment's strategy, every field resolved (starting point + the trainee's overrides), in one language.

    ``kpis``: degree → target in the KPI's unit, None where there is none."""

    tier: str
    goal: str
    needs: str
    products: str
    services: str
    cadence: str
    channels: tuple[str, ...]
    hours_per_customer: float
    kpis: Mapping[str, float | None]

    def value(self, field: str) -> Any:
        """A field by its override name (``kpi.<degree>`` for a KPI)."""
        if field.startswith("kpi."):
            return self.kpis.get(field[4:])
        return getattr(self, field)


def template_kind(scheme_id: str, tier_code: str, rank: int, count: int) -> tuple[str, str]:
    """Which template a tier starts from: ("by_tier", "<scheme>.<code>") for the tiers that have their own,
    else ("generic", base / mid / high / top / insufficient) by rank, as page 3.4 picks service templates."""
    if tier_code in _data()["by_tier"].get(scheme_id, {}):
        return "by_tier", f"{scheme_id}.{tier_code}"
    if tier_code == INSUFFICIENT:
        return "generic", "insufficient"
    return "generic", services.generic_level(rank, count)


def _template(kind: tuple[str, str]) -> Mapping[str, Any]:
    group, key = kind
    if group == "by_tier":
        scheme, code = key.split(".", 1)
        return _data()["by_tier"][scheme][code]
    return _data()["generic"][key]


def _kpi_kind(scheme_id: str, tier_code: str, rank: int, count: int) -> str:
    # KPI steps go by the tier's rank (how much room there is to grow), also for tiers with their own template.
    return "insufficient" if tier_code == INSUFFICIENT else services.generic_level(rank, count)


def kpi_current(spec: KpiSpec, figures: Mapping[str, Any] | None) -> float | None:
    """Today's figure in the KPI's display unit (NPS points, percent; revenue per customer in 元), None if the
    book cannot show it."""
    value = finite_number((figures or {}).get(spec.figure))
    if value is None:
        return None
    return value if spec.kind == "growth" else value * spec.scale


def kpi_default(spec: KpiSpec, step: float, figures: Mapping[str, Any] | None) -> float | None:
    """The starting target: today + step ("change"), the step itself but never below today ("level": a target
    under what the tier already achieves is no target), the growth in % ("growth"); each only where today's figure
    is known; rounded to whole units and kept within the KPI's range."""
    current = kpi_current(spec, figures)
    if current is None:
        return None
    target = {"change": current + step, "level": max(step, current)}.get(spec.kind, step)
    return float(min(max(round(target), spec.low), spec.high))


def kpi_target_value(spec: KpiSpec, target: float | None, figures: Mapping[str, Any] | None) -> float | None:
    """What a growth target means in the figure's own unit (revenue per customer in 元): today × (1 + g%). For
    the other KPIs the target is already the figure."""
    if target is None:
        return None
    if spec.kind != "growth":
        return target
    current = kpi_current(spec, figures)
    return None if current is None else current * (1 + target / 100.0)


def _channels(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, (list, tuple)):
        return None
    chosen = {str(v) for v in value}
    return tuple(c for c in CHANNELS if c in chosen)


def _hours(value: Any) -> float | None:
    number = finite_number(value)
    return number if number is not None and number >= 0 else None


def _ranked(codes: Sequence[str]) -> list[tuple[str, int, int]]:
    ladder = [c for c in codes if c != INSUFFICIENT]
    return [(c, ladder.index(c) if c in ladder else 0, len(ladder)) for c in codes]


def starting_strategies(
    scheme_id: str,
    codes: Sequence[str],
    lang: str,
    service_overrides: Mapping[str, Mapping[str, Any]] | None = None,
    figures: pd.DataFrame | None = None,
) -> dict[str, Strategy]:
    """The starting strategy of every tier in ``codes`` (low → high): goal, needs and ways of marketing from the
    templates, products / services / cadence / hours from the 3.4 plan (``service_overrides``: the trainee's 3.4
    edits for this scheme), KPI targets from today's figures (``figures``: ``four_degrees(...).figures``)."""
    plan = {row["tier"]: row for row in services.matrix_rows(scheme_id, codes, lang, service_overrides)}
    language = "en" if lang == "en" else "zh"
    separator = "; " if language == "en" else "；"
    result = {}
    for code, rank, count in _ranked(codes):
        template = _template(template_kind(scheme_id, code, rank, count))
        steps = _data()["kpi"][_kpi_kind(scheme_id, code, rank, count)]
        row_figures = ({str(k): v for k, v in figures.loc[code].items()}
                       if figures is not None and code in figures.index else None)
        row = plan[code]
        result[code] = Strategy(
            tier=code,
            goal=str(template["goal"][language]),
            needs=str(template["needs"][language]),
            products=str(row["shelf"]),
            services=separator.join(str(row[d]) for d in ("activities", "benefits") if str(row[d]).strip()),
            cadence=str(row["cadence"]),
            channels=_channels(template["channels"]) or (),
            hours_per_customer=float(row["hours"]),
            kpis=MappingProxyType({
                spec.degree: kpi_default(spec, float(steps[spec.step_key]), row_figures) for spec in KPIS
            }),
        )
    return result


def apply_overrides(strategy: Strategy, overrides: Mapping[str, Any] | None) -> Strategy:
    """``strategy`` with the trainee's overrides for its tier; a damaged value (wrong type, NaN) is ignored."""
    changes: dict[str, Any] = {}
    kpis = dict(strategy.kpis)
    for field, value in (overrides or {}).items():
        if field in TEXT_FIELDS and isinstance(value, str):
            changes[field] = value
        elif field == "channels" and _channels(value) is not None:
            changes[field] = _channels(value)
        elif field == "hours_per_customer" and _hours(value) is not None:
            changes[field] = _hours(value)
        elif field in KPI_FIELDS and (value is None or finite_number(value) is not None):
            kpis[field[4:]] = finite_number(value)
    return replace(strategy, **changes, kpis=MappingProxyType(kpis))


def strategies(
    scheme_id: str,
    codes: Sequence[str],
    lang: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    service_overrides: Mapping[str, Mapping[str, Any]] | None = None,
    figures: pd.DataFrame | None = None,
) -> dict[str, Strategy]:
    """Every tier's strategy: the starting point with the trainee's overrides (tier → field → value) applied."""
    start = starting_strategies(scheme_id, codes, lang, service_overrides, figures)
    return {code: apply_overrides(s, (overrides or {}).get(code)) for code, s in start.items()}


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, float) or isinstance(b, float):
        fa, fb = finite_number(a), finite_number(b)
        return (fa is None and fb is None) or (fa is not None and fb is not None and math.isclose(fa, fb))
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return bool(a == b)


def set_override(overrides: Mapping[str, Any] | None, start: Strategy, field: str, value: Any) -> dict[str, Any]:
    """A tier's overrides after the trainee set ``field`` to ``value``: kept only when it differs from the
    starting point, so setting a field back to its starting value drops the override."""
    if field not in FIELDS:
        raise ValueError(f"unknown strategy field {field!r}")
    result = dict(overrides or {})
    if field == "channels":
        value = list(_channels(value) or ())
        differs = tuple(value) != start.channels
    elif field == "hours_per_customer":
        value = _hours(value) or 0.0
        differs = not _same(value, start.hours_per_customer)
    elif field in KPI_FIELDS:
        value = finite_number(value)
        differs = not _same(value, start.value(field))
    else:
        value = "" if value is None else str(value)
        differs = not _same(value, start.value(field))
    if differs:
        result[field] = value
    else:
        result.pop(field, None)
    return result


# ---- the hours all strategies need ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursCheck:
    """Hours a year the strategies need against the hours the manager has. ``tiers``: per tier ``customers``,
    ``hours_per_customer`` and ``hours`` (= customers × hours per customer)."""

    tiers: pd.DataFrame
    available: float

    @property
    def needed(self) -> float:
        return float(self.tiers["hours"].sum())

    @property
    def fits(self) -> bool:
        return self.needed <= self.available

    @property
    def shortfall(self) -> float:
        """Hours beyond what is available (0 when the strategies fit)."""
        return max(self.needed - self.available, 0.0)


def hours_check(chosen: Mapping[str, Strategy], customers: Mapping[str, int] | pd.Series, available: float
                ) -> HoursCheck:
    """The hours the chosen tiers' strategies need (customers × hours per customer) against ``available``."""
    codes = list(chosen)
    counts = [int(customers.get(c, 0) or 0) for c in codes]
    per_customer = [chosen[c].hours_per_customer for c in codes]
    frame = pd.DataFrame(
        {"customers": counts, "hours_per_customer": per_customer,
         "hours": [n * h for n, h in zip(counts, per_customer, strict=True)]},
        index=pd.Index(codes, name="tier"),
    )
    return HoursCheck(frame, float(available))
