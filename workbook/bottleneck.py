"""1.3 核心瓶颈突破五步法 — Goldratt's five focusing steps on the manager's sales process (DESIGN §4.3).

找出瓶颈 (identify) → 挖尽瓶颈 (exploit) → 其余迁就瓶颈 (subordinate) → 打破瓶颈 (elevate) → 回到第一步，勿让惰性
成为瓶颈 (repeat).

The process is a list of stages (data, editable). Each stage has the weekly hours the manager spends on it,
the hours one customer takes there, and the share of its customers that pass on to the next stage.

    capacity (customers/week) = weekly hours ÷ hours per customer

To compare stages they are all expressed in **deals per week**, relative to the deal stage (成交):

- a stage before the deal: capacity × the pass rates from that stage down to the deal stage (of the customers
  it can handle, this many end in a deal);
- the deal stage itself: its capacity;
- a stage after the deal (转介绍): capacity ÷ the pass rates from the deal stage down to it — the deals per week
  whose follow-up it can keep up with. Referrals it produces feed the next cycle's list; that loop is not
  modelled here.

The constraint is the stage with the lowest deals/week (ties: the first, and the tie is reported); system
throughput equals it. Elevating a stage by x% multiplies its capacity by (1 + x%) — more hours, or fewer hours
per customer.

Subordinating (step 3) as a number: before any extra hour, the same weekly hours spread across the stages so each
supports the same deals/week. A stage needs w = hours per customer ÷ its factor to the deal (after the deal:
hours per customer × its factor) hours per deal, so with H hours in all the best throughput is H ÷ Σ w, each stage
getting that × its w. It is never below today's throughput (today every stage has at least throughput × w hours);
it is an upper bound, since not every hour moves between stages, and a line balanced to the last minute has no
protective capacity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from workbook.schema import finite_number

STEPS: tuple[str, ...] = ("identify", "exploit", "subordinate", "elevate", "repeat")
# The worksheet steps that come with suggested actions per stage kind (catalogue: s1.neck.act.<kind>.<step>).
ACTION_STEPS: tuple[str, ...] = ("exploit", "subordinate", "elevate")

STAGE_KINDS: tuple[str, ...] = ("prospect", "invite", "meet", "propose", "close", "referral", "other")
DEAL_KIND = "close"
DEFAULT_ELEVATION = 0.50  # the what-if's first value: enough to move the default constraint
WEEKS_PER_MONTH = 52 / 12
_TIE_TOLERANCE = 1e-9

# A row as kept in the workspace and shown in the editor (pass rate in percent, as a trainee types it).
ROW_FIELDS: tuple[str, ...] = ("kind", "name", "weekly_hours", "hours_per_customer", "pass_pct")


@dataclass(frozen=True)
class Stage:
    kind: str  # one of STAGE_KINDS: picks the suggested actions
    name: str  # the trainee's own name; "" shows the catalogue label of the kind
    weekly_hours: float
    hours_per_customer: float
    pass_rate: float  # 0–1, share of this stage's customers that go on to the next stage

    @property
    def capacity(self) -> float:
        """Customers per week this stage can handle."""
        return self.weekly_hours / self.hours_per_customer


# 名单获取 → 邀约 → 面谈KYC → 方案呈现 → 成交 → 转介绍: a plausible week of one 客户经理 (29 selling hours).
# Deals/week: 3.6, 2.4, 2.0, 1.5, 3.0, 13.3 → the constraint is 方案呈现 at 1.5.
DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("prospect", "", weekly_hours=3.0, hours_per_customer=0.05, pass_rate=0.50),
    Stage("invite", "", weekly_hours=5.0, hours_per_customer=0.25, pass_rate=0.40),
    Stage("meet", "", weekly_hours=10.0, hours_per_customer=1.5, pass_rate=0.60),
    Stage("propose", "", weekly_hours=6.0, hours_per_customer=2.0, pass_rate=0.50),
    Stage("close", "", weekly_hours=3.0, hours_per_customer=1.0, pass_rate=0.30),
    Stage("referral", "", weekly_hours=2.0, hours_per_customer=0.5, pass_rate=1.00),
)


# ---- rows (workspace / editor) <-> stages ------------------------------------------------------------------


def stage_to_row(stage: Stage) -> dict[str, Any]:
    return {
        "kind": stage.kind,
        "name": stage.name,
        "weekly_hours": stage.weekly_hours,
        "hours_per_customer": stage.hours_per_customer,
        "pass_pct": round(stage.pass_rate * 100.0, 6),
    }


def default_rows() -> list[dict[str, Any]]:
    return [stage_to_row(stage) for stage in DEFAULT_STAGES]


@dataclass(frozen=True)
class RowIssue:
    row: int  # 0-based position in the table
    problem: str  # code (catalogue: s1.neck.issue.<code>)


def stages_from_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[tuple[Stage, ...], tuple[RowIssue, ...]]:
    """Valid stages in table order, and the rows left out with the reason (never silently).

    A row needs weekly hours ≥ 0, hours per customer > 0 and a pass rate 0–100%. An unknown kind becomes
    "other" (it still counts; only the suggestions are generic). A completely empty row (a fresh row in the
    editor) is skipped without complaint.
    """
    stages: list[Stage] = []
    issues: list[RowIssue] = []
    for index, row in enumerate(rows):
        hours = finite_number(row.get("weekly_hours"))
        per_customer = finite_number(row.get("hours_per_customer"))
        pass_pct = finite_number(row.get("pass_pct"))
        name = str(row.get("name") or "").strip()
        kind = row.get("kind") if row.get("kind") in STAGE_KINDS else "other"
        if hours is None and per_customer is None and pass_pct is None and not name:
            continue
        if hours is None or hours < 0:
            issues.append(RowIssue(index, "weekly_hours"))
        elif per_customer is None or per_customer <= 0:
            issues.append(RowIssue(index, "hours_per_customer"))
        elif pass_pct is None or not 0 <= pass_pct <= 100:
            issues.append(RowIssue(index, "pass_pct"))
        else:
            stages.append(Stage(str(kind), name, hours, per_customer, pass_pct / 100.0))
    return tuple(stages), tuple(issues)


# ---- the analysis -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    capacity: float  # customers per week
    to_deal: float  # before/at the deal: Π pass rates to the deal; after it: Π pass rates from the deal
    deals_capacity: float  # deals per week (inf when no flow ever reaches a stage after the deal)
    utilisation: float  # throughput ÷ deals_capacity: how busy this stage is when the system runs at throughput
    idle_hours: float  # weekly hours not needed at throughput: what "subordinate" can move to the constraint

    @property
    def utilisation_pct(self) -> float:
        """The utilisation in percent (0–100), for displays that format percent points ("42%")."""
        return self.utilisation * 100.0


@dataclass(frozen=True)
class Analysis:
    results: tuple[StageResult, ...]
    deal_index: int
    deal_stage_assumed: bool  # True when no stage is of kind "close": the last stage is taken as the deal
    constraint: int  # index of the constraint (the first one on a tie)
    tied: tuple[int, ...]  # every stage at the minimum (more than one → a tie)
    throughput: float  # deals per week of the whole process = the constraint's deals_capacity

    @property
    def is_tie(self) -> bool:
        return len(self.tied) > 1

    @property
    def constraint_stage(self) -> Stage:
        return self.results[self.constraint].stage

    @property
    def throughput_per_month(self) -> float:
        return self.throughput * WEEKS_PER_MONTH

    @property
    def most_idle(self) -> int:
        """Index of the stage with the most idle hours (the first on a tie): where to look for time first."""
        idle = [r.idle_hours for r in self.results]
        return idle.index(max(idle))

    @property
    def idle_hours_elsewhere(self) -> float:
        """Weekly hours of the other stages not needed at throughput: the first place to find constraint time."""
        return sum(r.idle_hours for i, r in enumerate(self.results) if i != self.constraint)


def deal_index(stages: tuple[Stage, ...]) -> tuple[int, bool]:
    """Index of the deal stage (the first "close"), else the last stage (assumed)."""
    for index, stage in enumerate(stages):
        if stage.kind == DEAL_KIND:
            return index, False
    return len(stages) - 1, True


def analyse(stages: tuple[Stage, ...]) -> Analysis:
    if not stages:
        raise ValueError("the process needs at least one stage")
    deal, assumed = deal_index(stages)
    capacities = [stage.capacity for stage in stages]
    factors: list[float] = []
    deals: list[float] = []
    for index in range(len(stages)):
        if index <= deal:
            factor = math.prod(s.pass_rate for s in stages[index:deal])
            deals.append(capacities[index] * factor)
        else:
            factor = math.prod(s.pass_rate for s in stages[deal:index])
            deals.append(capacities[index] / factor if factor > 0 else math.inf)
        factors.append(factor)
    throughput = min(deals)
    # Stages equal up to floating-point rounding (1.8 reached by different products) are a tie; the tolerance
    # is relative, so a tiny but real capacity never ties with zero.
    tolerance = _TIE_TOLERANCE * abs(throughput) if math.isfinite(throughput) else 0.0
    tied = tuple(i for i, d in enumerate(deals) if d == throughput or abs(d - throughput) <= tolerance)
    results = []
    for stage, capacity, factor, deal_capacity in zip(stages, capacities, factors, deals, strict=True):
        if math.isinf(deal_capacity):
            utilisation = 0.0
        elif deal_capacity == 0:
            utilisation = 1.0  # a stage with no capacity is fully bound (it is the constraint)
        else:
            utilisation = throughput / deal_capacity
        results.append(StageResult(stage, capacity, factor, deal_capacity, utilisation,
                                   stage.weekly_hours * (1.0 - utilisation)))
    return Analysis(tuple(results), deal, assumed, tied[0], tied, throughput)


# ---- step 3: subordinate, as a number ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subordination:
    """The same weekly hours rebalanced so every stage supports the same deals/week (see the module docstring)."""

    before: Analysis
    after: Analysis
    hours_before: tuple[float, ...]  # weekly hours per stage today
    hours_after: tuple[float, ...]  # weekly hours per stage, rebalanced (same total)

    @property
    def moved(self) -> tuple[float, ...]:
        """Hours a week each stage gains (> 0) or gives up (< 0)."""
        return tuple(a - b for a, b in zip(self.hours_after, self.hours_before, strict=True))

    @property
    def hours_moved(self) -> float:
        """The weekly hours that change stage (what the others give up)."""
        return sum(-m for m in self.moved if m < 0)

    @property
    def throughput_gain(self) -> float:
        return self.after.throughput - self.before.throughput

    @property
    def gain_share(self) -> float:
        """The throughput gain as a share of today's (NaN when today's is 0)."""
        return self.throughput_gain / self.before.throughput if self.before.throughput > 0 else math.nan


def hours_per_deal(stages: tuple[Stage, ...]) -> tuple[float, ...]:
    """Weekly hours each stage needs for one deal a week: hours per customer ÷ its factor to the deal (before and
    at the deal; inf when no customer of the stage ever reaches a deal), × its factor after the deal."""
    deal, _ = deal_index(stages)
    result = []
    for index, stage in enumerate(stages):
        if index <= deal:
            factor = math.prod(s.pass_rate for s in stages[index:deal])
            result.append(stage.hours_per_customer / factor if factor > 0 else math.inf)
        else:
            result.append(stage.hours_per_customer * math.prod(s.pass_rate for s in stages[deal:index]))
    return tuple(result)


def subordinate(stages: tuple[Stage, ...]) -> Subordination:
    """Step 3: the stages' total weekly hours spread so every stage supports the same deals/week.

    When a pass rate of 0 before the deal makes any deal impossible, no spread helps: the hours stay as they are.
    """
    before = analyse(stages)
    total = sum(stage.weekly_hours for stage in stages)
    per_deal = hours_per_deal(stages)
    need = sum(per_deal)
    hours_before = tuple(stage.weekly_hours for stage in stages)
    if not math.isfinite(need) or need <= 0:
        return Subordination(before, before, hours_before, hours_before)
    throughput = total / need
    hours_after = tuple(throughput * w for w in per_deal)
    after = analyse(tuple(replace(stage, weekly_hours=h) for stage, h in zip(stages, hours_after, strict=True)))
    return Subordination(before, after, hours_before, hours_after)


# ---- step 4: elevate, and step 5: see where the constraint went -------------------------------------------


@dataclass(frozen=True)
class Elevation:
    before: Analysis
    after: Analysis
    stage_index: int  # the stage elevated (the constraint before)
    uplift: float  # x as a fraction
    extra_hours: float  # weekly hours it takes if done with hours alone (same hours per customer)

    @property
    def throughput_gain(self) -> float:
        return self.after.throughput - self.before.throughput

    @property
    def hours_per_customer_after(self) -> float:
        """The time per customer that gives the same uplift without more hours: hours per customer ÷ (1 + x)."""
        return self.before.results[self.stage_index].stage.hours_per_customer / (1.0 + self.uplift)

    @property
    def constraint_moved(self) -> bool:
        return self.after.constraint != self.stage_index


def elevate(stages: tuple[Stage, ...], uplift: float, index: int | None = None) -> Elevation:
    """Raise one stage's capacity (default: the constraint's) by ``uplift`` and analyse again."""
    if uplift < 0:
        raise ValueError("the elevation must be ≥ 0")
    before = analyse(stages)
    target = before.constraint if index is None else index
    stage = stages[target]
    raised = replace(stage, weekly_hours=stage.weekly_hours * (1.0 + uplift))
    after = analyse((*stages[:target], raised, *stages[target + 1:]))
    return Elevation(before, after, target, uplift, stage.weekly_hours * uplift)


def elevate_pct(stages: tuple[Stage, ...], uplift_pct: float, index: int | None = None) -> Elevation:
    """:func:`elevate` with the uplift in percent, as the worksheet's slider gives it."""
    return elevate(stages, uplift_pct / 100.0, index)


def action_key(kind: str, step: str) -> str:
    """Catalogue key of the suggested actions (a short markdown list) for a stage kind and a step."""
    if step not in ACTION_STEPS:
        raise ValueError(f"no suggested actions for step {step!r}")
    return f"s1.neck.act.{kind if kind in STAGE_KINDS else 'other'}.{step}"
