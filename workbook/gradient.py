"""梯度等级 — tier ladders with up/down-grade rules, and 工商银行's star points as a gradient-scale example.

Hysteresis (the 渤海银行 rule in the peer reference): a customer is upgraded the month after their monthly
average meets a higher tier, but downgraded only after 3 consecutive months below their tier (6 for a
private-banking tier). Without such a buffer one bad month drops a customer a tier and the next month lifts
them back: the relationship manager's service plan (and the customer's 专属权益) flickers.

Timing, as the simulator counts it: each month ends with a review of that month's average; the review sets
the tier *held in the next month*. Month 1's tier is given (by default the tier its own average meets).
A downgrade goes to the tier the latest month's average meets.

Private-banking tiers are those whose lower bound is at or above ``private_from`` (default the regulatory
600万 in :data:`workbook.peers.PRIVATE_BANKING_ANCHOR`).

Star points (工商银行 星级, reference confidence M, may be outdated): points = Σ half-year daily average in
万元 × points per 万元 of its asset type; the level is the highest whose minimum the points reach.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from workbook import i18n, peers

# ---- hysteresis -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HysteresisRule:
    """Up/down-grade buffer, in months."""

    upgrade_after_months: int = 1  # months the average must meet a higher tier before the upgrade
    downgrade_after_months: int = 3  # consecutive months below before a downgrade
    private_downgrade_after_months: int = 6  # the same for a private-banking tier

    def __post_init__(self) -> None:
        if min(self.upgrade_after_months, self.downgrade_after_months, self.private_downgrade_after_months) < 1:
            raise ValueError("buffer months must be at least 1")


def _rule_from_data() -> HysteresisRule:
    raw = peers.reference()["hysteresis"]
    return HysteresisRule(
        upgrade_after_months=int(raw["upgrade_after_months"]),
        downgrade_after_months=int(raw["downgrade_after_months"]),
        private_downgrade_after_months=int(raw["private_downgrade_after_months"]),
    )


BOHAI_RULE: HysteresisRule = _rule_from_data()
# Without a buffer every review moves the customer to the tier last month's average met.
NO_BUFFER = HysteresisRule(upgrade_after_months=1, downgrade_after_months=1, private_downgrade_after_months=1)
HYSTERESIS_PROVENANCE = peers.provenance_of(peers.reference()["hysteresis"])

MONTHS = 12


def qualifying_tier(value: float, thresholds: Sequence[float]) -> int:
    """Index of the tier a monthly average meets (0 = base); thresholds are inclusive lower bounds, ascending."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    return bisect.bisect_right(list(thresholds), float(value))


def private_tiers(thresholds: Sequence[float], private_from: float = peers.PRIVATE_BANKING_ANCHOR) -> tuple[bool, ...]:
    """Per tier (base first): does it count as private banking (its lower bound ≥ ``private_from``)?"""
    bounds = [0.0, *map(float, thresholds)]
    return tuple(bound >= private_from for bound in bounds)


@dataclass(frozen=True)
class HysteresisResult:
    """Month by month (index 0 = month 1): the average, the tier it meets, and the tier held each way."""

    monthly_aum: tuple[float, ...]
    qualifies: tuple[int, ...]  # tier index the month's own average meets
    without_buffer: tuple[int, ...]  # tier held in the month, no buffer
    with_buffer: tuple[int, ...]  # tier held in the month, with the rule's buffer
    months_below: tuple[int, ...]  # with buffer: consecutive months below the held tier, counted at month end
    private: tuple[bool, ...]  # per tier index

    @property
    def changes_without_buffer(self) -> int:
        return sum(a != b for a, b in zip(self.without_buffer, self.without_buffer[1:], strict=False))

    @property
    def changes_with_buffer(self) -> int:
        return sum(a != b for a, b in zip(self.with_buffer, self.with_buffer[1:], strict=False))

    def frame(self, tier_labels: Sequence[str]) -> pd.DataFrame:
        """A table for the page: month, average, and tier labels (not indices)."""
        return pd.DataFrame(
            {
                "month": range(1, len(self.monthly_aum) + 1),
                "aum": self.monthly_aum,
                "qualifies": [tier_labels[i] for i in self.qualifies],
                "without_buffer": [tier_labels[i] for i in self.without_buffer],
                "with_buffer": [tier_labels[i] for i in self.with_buffer],
                "months_below": self.months_below,
            }
        )


def _held_tiers(
    qualifies: Sequence[int], start: int, rule: HysteresisRule, private: Sequence[bool]
) -> tuple[list[int], list[int]]:
    held = [start]
    below_counts = []
    above = 0
    below = 0
    for month, tier in enumerate(qualifies):
        current = held[-1]
        if tier > current:
            above += 1
            below = 0
        elif tier < current:
            below += 1
            above = 0
        else:
            above = below = 0
        below_counts.append(below)
        following = current
        if above >= rule.upgrade_after_months:
            # Upgrade to the tier every month of the window met (the lowest of them).
            following = min(qualifies[month - rule.upgrade_after_months + 1 : month + 1])
            above = 0
        needed = rule.private_downgrade_after_months if private[current] else rule.downgrade_after_months
        if below >= needed:
            following = tier  # re-tiered by the latest month's average
            below = 0
        held.append(following)
    # The review of the last month sets a 13th month that the year does not show.
    return held[: len(qualifies)], below_counts


def simulate_hysteresis(
    monthly_aum: Sequence[float],
    thresholds: Sequence[float],
    *,
    rule: HysteresisRule = BOHAI_RULE,
    private_from: float = peers.PRIVATE_BANKING_ANCHOR,
    start_tier: int | None = None,
) -> HysteresisResult:
    """Tier held each month with and without the buffer, for a run of monthly averages (元)."""
    values = tuple(float(v) if v is not None else 0.0 for v in monthly_aum)
    if not values:
        raise ValueError("at least one monthly value is needed")
    if any(math.isnan(v) or v < 0 for v in values):
        raise ValueError("monthly AUM values must be non-negative numbers")
    ordered = [float(t) for t in thresholds]
    if ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise ValueError("thresholds must be strictly ascending")
    qualifies = tuple(qualifying_tier(v, ordered) for v in values)
    private = private_tiers(ordered, private_from)
    start = qualifies[0] if start_tier is None else int(start_tier)
    if not 0 <= start <= len(ordered):
        raise ValueError("start_tier out of range")
    plain, _ = _held_tiers(qualifies, start, NO_BUFFER, private)
    buffered, below = _held_tiers(qualifies, start, rule, private)
    return HysteresisResult(
        monthly_aum=values,
        qualifies=qualifies,
        without_buffer=tuple(plain),
        with_buffer=tuple(buffered),
        months_below=tuple(below),
        private=private,
    )


WAN = 10_000.0  # 元 in one 万元: the page takes monthly averages in 万元, the way bankers quote them


def from_wan(values: Sequence[float | None]) -> tuple[float, ...]:
    """万元 → 元 (a blank counts as 0)."""
    return tuple(float(v or 0.0) * WAN for v in values)


def to_wan(values: Sequence[float]) -> tuple[float, ...]:
    """元 → 万元, for charts and tables that speak in 万元."""
    return tuple(float(v) / WAN for v in values)


# A year for the simulator to start from (万元): a wealth customer who dips for two months, recovers, then slides
# for four — the buffer absorbs the dip and delays the slide. Editable on the page.
DEFAULT_MONTHLY_AUM_WAN: tuple[float, ...] = (62, 58, 45, 48, 66, 55, 42, 38, 35, 30, 52, 60)
DEFAULT_MONTHLY_AUM: tuple[float, ...] = from_wan(DEFAULT_MONTHLY_AUM_WAN)


# ---- 工商银行 star points -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StarAsset(i18n.Labelled):
    code: str
    zh: str
    en: str
    points_per_wan: float  # points per 万元 of half-year daily average


@dataclass(frozen=True)
class StarLevel(i18n.Labelled):
    code: str
    zh: str
    en: str
    min_points: float  # inclusive


_stars = peers.reference()["icbc_stars"]
STAR_ASSETS: tuple[StarAsset, ...] = tuple(
    StarAsset(a["code"], a["zh"], a["en"], float(a["points_per_wan"])) for a in _stars["assets"]
)
STAR_LEVELS: tuple[StarLevel, ...] = tuple(
    sorted((StarLevel(lv["code"], lv["zh"], lv["en"], float(lv["min_points"])) for lv in _stars["levels"]),
           key=lambda lv: lv.min_points)
)
STAR_ASSET_BY_CODE: Mapping[str, StarAsset] = MappingProxyType({a.code: a for a in STAR_ASSETS})
STAR_PROVENANCE = peers.provenance_of(_stars)
STAR_REVIEW: Mapping[str, str] = MappingProxyType({"zh": _stars["review_zh"], "en": _stars["review_en"]})


def star_points(amounts_wan: Mapping[str, float]) -> float:
    """Σ amount (万元, half-year daily average) × points per 万元 of its asset type."""
    total = 0.0
    for code, amount in amounts_wan.items():
        asset = STAR_ASSET_BY_CODE.get(code)
        if asset is None:
            raise ValueError(f"unknown star-point asset type {code!r}")
        value = float(amount or 0.0)
        if math.isnan(value) or value < 0:
            raise ValueError("amounts must be non-negative")
        total += value * asset.points_per_wan
    return total


def star_level(points: float) -> StarLevel:
    """The highest level whose minimum the points reach."""
    index = bisect.bisect_right([lv.min_points for lv in STAR_LEVELS], float(points)) - 1
    return STAR_LEVELS[max(index, 0)]


@dataclass(frozen=True)
class StarResult:
    points: float
    level: StarLevel
    next_level: StarLevel | None
    points_to_next: float  # 0 at the top level
    breakdown: tuple[tuple[str, float, float, float], ...]  # (asset code, 万元, points per 万元, points)

    def wan_to_next(self, asset_code: str) -> float:
        """万元 more of one asset type that would lift the customer to the next level."""
        return self.points_to_next / STAR_ASSET_BY_CODE[asset_code].points_per_wan


def star_result(amounts_wan: Mapping[str, float]) -> StarResult:
    points = star_points(amounts_wan)
    level = star_level(points)
    higher = [lv for lv in STAR_LEVELS if lv.min_points > points]
    following = higher[0] if higher else None
    breakdown = tuple(
        (a.code, float(amounts_wan.get(a.code, 0.0) or 0.0), a.points_per_wan,
         float(amounts_wan.get(a.code, 0.0) or 0.0) * a.points_per_wan)
        for a in STAR_ASSETS
    )
    return StarResult(
        points=points,
        level=level,
        next_level=following,
        points_to_next=(following.min_points - points) if following else 0.0,
        breakdown=breakdown,
    )
