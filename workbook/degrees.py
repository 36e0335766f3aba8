"""客户四度 — satisfaction, loyalty, stickiness and contribution per tier of a segmentation (DESIGN §4.7).

Raw figures per tier (and for the whole book):

* 满意度 satisfaction — ``nps`` = % scoring 9–10 − % scoring 0–6, of customers with a score (``respondents``);
  a score above 6 and below 9 is passive.
* 忠诚度 loyalty — ``tenure_mean`` (years); ``aum_retention`` = Σ aum ÷ Σ aum_12m_ago over customers with a
  base a year ago (aum_12m_ago > 0; new customers and those who held nothing then are left out, else their whole
  AUM would count as "retained" growth); ``retention_base`` = how many customers that is;
  ``referrals_per_customer`` (12 months).
* 粘合度 stickiness — ``products_mean``; ``share_3plus`` = share holding ≥ 3 products (public figures: churn
  1–2% with ≥ 3 products against ~50% with one); digital activity: ``digital_share_mean`` and
  ``app_logins_mean`` (30 days).
* 贡献度 contribution — ``revenue_per_customer`` and ``revenue_share`` of the book's revenue (revenue as in
  §4.4: fee income + deposit and loan spreads).

Each degree is also put on a 0–100 scale for the radar: the mean of its scored figures that can be computed,
each normalised as ``FIGURES`` states (linear between two anchors and clipped, or — for revenue per customer —
50 at the book average and 25 points per doubling). A figure whose input the book lacks is NaN and its field
is named in ``missing``; a degree with no computable figure is NaN. Nothing is filled in with a guess.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook.schema import column_numbers, finite_number

DEGREES: tuple[str, ...] = ("satisfaction", "loyalty", "stickiness", "contribution")

PROMOTER_MIN = 9.0  # 9–10: promoters
DETRACTOR_MAX = 6.0  # 0–6: detractors
MANY_PRODUCTS = 3  # ≥ 3 products: the sticky customers


@dataclass(frozen=True)
class Figure:
    """One raw figure. ``fields``: the book fields it needs (any one of them for revenue). ``scale``: how it
    enters its degree's 0–100 score — ("linear", low, high): low → 0, high → 100, clipped; ("log_ratio",
    points per doubling): 50 at the book's own value; None: shown, not scored. ``unit``: how to display it."""

    key: str
    degree: str
    fields: tuple[str, ...]
    unit: str  # count, score, years, ratio, share, per_customer, money
    scale: tuple[Any, ...] | None = None


FIGURES: tuple[Figure, ...] = (
    Figure("respondents", "satisfaction", ("satisfaction",), "count"),
    Figure("nps", "satisfaction", ("satisfaction",), "score", ("linear", -100.0, 100.0)),
    Figure("tenure_mean", "loyalty", ("tenure_years",), "years", ("linear", 0.0, 10.0)),
    Figure("aum_retention", "loyalty", ("aum", "aum_12m_ago"), "ratio", ("linear", 0.5, 1.5)),
    Figure("retention_base", "loyalty", ("aum", "aum_12m_ago"), "count"),
    # One referral per customer a year is full marks: a book of fans.
    Figure("referrals_per_customer", "loyalty", ("referrals_12m",), "per_customer", ("linear", 0.0, 1.0)),
    Figure("products_mean", "stickiness", ("product_count",), "per_customer"),
    Figure("share_3plus", "stickiness", ("product_count",), "share", ("linear", 0.0, 1.0)),
    Figure("digital_share_mean", "stickiness", ("digital_share",), "share", ("linear", 0.0, 1.0)),
    # 20 log-ins in 30 days (about every working day) is full marks.
    Figure("app_logins_mean", "stickiness", ("app_logins_30d",), "per_customer", ("linear", 0.0, 20.0)),
    Figure("revenue_per_customer", "contribution", ("fee_income_12m", "deposit_balance", "loan_balance"), "money",
           ("log_ratio", 25.0)),
    Figure("revenue_share", "contribution", ("fee_income_12m", "deposit_balance", "loan_balance"), "share"),
)
FIGURE_BY_KEY: Mapping[str, Figure] = MappingProxyType({f.key: f for f in FIGURES})
_ANY_OF = {"revenue_per_customer", "revenue_share"}  # revenue needs any one of its inputs


@dataclass(frozen=True, eq=False)
class FourDegrees:
    """``figures``: raw figures, one row per tier (all tiers in order, then ``ALL`` for the whole book), columns
    ``customers`` + the ``FIGURES`` keys. ``scores``: the same rows, one 0–100 column per degree.
    ``missing``: book fields absent that some figure needs (in ``FIGURES`` order); ``missing_by_degree``: the
    same per degree."""

    figures: pd.DataFrame
    scores: pd.DataFrame
    missing: tuple[str, ...]
    missing_by_degree: Mapping[str, tuple[str, ...]]


ALL = "all"  # the whole-book row


def _group_sum(codes: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=k)[:k]


def _group_mean(codes: np.ndarray, values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean over non-blank values per group (NaN for a group with none) and the count of non-blank values.
    Group k is the whole book."""
    known = ~np.isnan(values)
    counts = np.bincount(codes[known], minlength=k)[:k].astype(np.float64)
    sums = _group_sum(codes[known], values[known], k)
    counts = np.append(counts, counts.sum())
    sums = np.append(sums, sums.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(counts > 0, sums / counts, np.nan), counts


def _flag(values: np.ndarray, test: np.ndarray) -> np.ndarray:
    """1.0 where ``test`` holds, 0.0 where not, NaN where the value is blank (so a mean counts only answers)."""
    return np.where(np.isnan(values), np.nan, test.astype(np.float64))


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def _scaled(figure: Figure, values: np.ndarray, reference: float) -> np.ndarray:
    assert figure.scale is not None
    if figure.scale[0] == "linear":
        low, high = float(figure.scale[1]), float(figure.scale[2])
        return np.clip((values - low) / (high - low) * 100.0, 0.0, 100.0)
    # log_ratio: 50 at the book's value, ± points per doubling; nothing (0) against something is the floor.
    points = float(figure.scale[1])
    if not (reference > 0):
        return np.full(len(values), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(values > 0, values / reference, 0.0)
        scored = np.where(ratio > 0, 50.0 + points * np.log2(np.where(ratio > 0, ratio, 1.0)), 0.0)
    return np.where(np.isnan(values), np.nan, np.clip(scored, 0.0, 100.0))


def four_degrees(
    book: pd.DataFrame,
    tiers: pd.Series,
    revenue: pd.Series | None = None,
    profit_params: Any = None,
) -> FourDegrees:
    """The four degrees per tier of ``tiers`` (an ordered Categorical such as ``segment`` returns).

    ``revenue`` (per customer, same index) skips recomputing it; otherwise it comes from
    ``profitability(book, profit_params)``.
    """
    categories = list(tiers.cat.categories)
    k = len(categories)
    codes = np.asarray(tiers.cat.codes.to_numpy(), dtype=np.int64)
    n = len(book)
    columns = set(book.columns)
    figures: dict[str, np.ndarray] = {}

    sizes = np.bincount(codes, minlength=k)[:k].astype(np.float64)
    sizes = np.append(sizes, float(n))
    figures["customers"] = sizes

    def absent(figure: Figure) -> bool:
        if figure.key in _ANY_OF:
            return not columns.intersection(figure.fields)
        return not columns.issuperset(figure.fields)

    nan = np.full(k + 1, np.nan)

    def mean_by_tier(values: np.ndarray | None) -> np.ndarray:
        """Mean of the non-blank values per tier (then the whole book); all NaN when the book lacks the field."""
        return nan if values is None else _group_mean(codes, values, k)[0]

    # 满意度
    satisfaction = column_numbers(book, "satisfaction")
    if satisfaction is None:
        figures["respondents"] = nan
        figures["nps"] = nan
    else:
        promoter_share, respondents = _group_mean(codes, _flag(satisfaction, satisfaction >= PROMOTER_MIN), k)
        detractor_share = mean_by_tier(_flag(satisfaction, satisfaction <= DETRACTOR_MAX))
        figures["respondents"] = respondents
        figures["nps"] = (promoter_share - detractor_share) * 100.0

    # 忠诚度
    figures["tenure_mean"] = mean_by_tier(column_numbers(book, "tenure_years"))
    aum, before = column_numbers(book, "aum"), column_numbers(book, "aum_12m_ago")
    if aum is None or before is None:
        figures["aum_retention"] = nan
        figures["retention_base"] = nan
    else:
        # only customers with a base a year ago: a new account's AUM is not "retained"
        both = ~np.isnan(aum) & (np.nan_to_num(before, nan=0.0) > 0)
        now_sum = np.append(_group_sum(codes[both], aum[both], k), aum[both].sum())
        before_sum = np.append(_group_sum(codes[both], before[both], k), before[both].sum())
        figures["aum_retention"] = _ratio(now_sum, before_sum)
        base_counts = np.bincount(codes[both], minlength=k)[:k].astype(np.float64)
        figures["retention_base"] = np.append(base_counts, base_counts.sum())
    figures["referrals_per_customer"] = mean_by_tier(column_numbers(book, "referrals_12m"))

    # 粘合度
    products = column_numbers(book, "product_count")
    figures["products_mean"] = mean_by_tier(products)
    figures["share_3plus"] = mean_by_tier(None if products is None else _flag(products, products >= MANY_PRODUCTS))
    figures["digital_share_mean"] = mean_by_tier(column_numbers(book, "digital_share"))
    figures["app_logins_mean"] = mean_by_tier(column_numbers(book, "app_logins_30d"))

    # 贡献度
    if absent(FIGURE_BY_KEY["revenue_per_customer"]):
        figures["revenue_per_customer"] = nan
        figures["revenue_share"] = nan
    else:
        if revenue is None:
            from workbook.profit import profitability

            revenue = profitability(book, profit_params)["revenue"]
        elif not revenue.index.equals(book.index):
            revenue = revenue.reindex(book.index)  # by customer, not by position; absent → 0
        values = np.nan_to_num(revenue.to_numpy(dtype=np.float64, na_value=np.nan), nan=0.0)
        sums = np.append(_group_sum(codes, values, k), values.sum())
        figures["revenue_per_customer"] = _ratio(sums, sizes)
        total = float(values.sum())
        figures["revenue_share"] = sums / total if total > 0 else nan

    index = pd.Index([*categories, ALL], name="tier")
    figure_frame = pd.DataFrame(figures, index=index)[["customers", *FIGURE_BY_KEY]]
    figure_frame["customers"] = figure_frame["customers"].astype(np.int64)

    scores: dict[str, np.ndarray] = {}
    for degree in DEGREES:
        scored = []
        for figure in FIGURES:
            if figure.degree != degree or figure.scale is None:
                continue
            values = figure_frame[figure.key].to_numpy(dtype=np.float64, na_value=np.nan)
            scored.append(_scaled(figure, values, reference=float(values[-1])))
        stacked = np.vstack(scored)
        known = ~np.isnan(stacked)
        counts = known.sum(axis=0)
        # mean of the figures that could be computed; NaN when none could (never a made-up 0)
        scores[degree] = np.where(counts > 0, np.where(known, stacked, 0.0).sum(axis=0) / np.maximum(counts, 1),
                                  np.nan)
    score_frame = pd.DataFrame(scores, index=index)

    missing_by_degree: dict[str, tuple[str, ...]] = {}
    for degree in DEGREES:
        fields: list[str] = []
        for figure in FIGURES:
            if figure.degree == degree and absent(figure):
                fields.extend(f for f in figure.fields if f not in columns and f not in fields)
        missing_by_degree[degree] = tuple(fields)
    missing = tuple(dict.fromkeys(f for d in DEGREES for f in missing_by_degree[d]))
    return FourDegrees(figure_frame, score_frame, missing, MappingProxyType(missing_by_degree))


def degree_of(figure_key: str) -> str:
    return FIGURE_BY_KEY[figure_key].degree


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# ---- 提高四度: a target and actions per tier (page 3.3) ----------------------------------------------------------

ACTIONS_FILE = Path(__file__).parent / "data" / "degree_actions.toml"


@dataclass(frozen=True)
class DegreeLever:
    """How a tier's target on one degree is set: on ``figure``, by default ``step`` above today's value
    (added, or as a share of today's for ``multiply``), with starting actions (zh/en)."""

    degree: str
    figure: str
    step: float
    step_kind: str  # "add" or "multiply"
    actions_zh: str
    actions_en: str

    def actions(self, lang: str) -> str:
        return self.actions_en if lang == "en" else self.actions_zh

    def default_target(self, current: float) -> float:
        """Today's value plus the step; NPS stays within ±100 and shares within 0–1 (retention may pass 100%)."""
        if is_missing(current):
            return math.nan
        target = current * (1.0 + self.step) if self.step_kind == "multiply" else current + self.step
        unit = FIGURE_BY_KEY[self.figure].unit
        if unit == "score":
            return float(min(target, 100.0))
        if unit == "share":
            return float(min(target, 1.0))
        return float(target)


def _load_levers() -> Mapping[str, DegreeLever]:
    with ACTIONS_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    levers = {}
    for degree in DEGREES:
        entry = raw[degree]
        if FIGURE_BY_KEY[entry["figure"]].degree != degree:
            raise ValueError(f"{degree}: figure {entry['figure']!r} belongs to another degree")
        levers[degree] = DegreeLever(degree, entry["figure"], float(entry["step"]), entry["step_kind"],
                                     entry["actions"]["zh"], entry["actions"]["en"])
    return MappingProxyType(levers)


LEVERS: Mapping[str, DegreeLever] = _load_levers()
PLAN_FIELDS: tuple[str, ...] = ("degree", "target", "actions")  # what the workspace keeps per tier


def weakest_degree(scores: pd.DataFrame, tier: str) -> str | None:
    """The degree on which ``tier`` scores lowest (0–100), first in ``DEGREES`` order on a tie; None when the tier
    has no score at all. The suggestion a 3.3 plan starts from."""
    values = scores.loc[tier, list(DEGREES)].to_numpy(dtype=np.float64, na_value=np.nan)
    known = [(float(v), i, d) for i, (d, v) in enumerate(zip(DEGREES, values, strict=True)) if not math.isnan(v)]
    return min(known)[2] if known else None


@dataclass(frozen=True)
class PlanRow:
    """One tier's row of the 3.3 plan: the degree to raise, the figure and its value today, the target and the
    actions. ``suggested``: the degree the data suggests (the weakest), whatever the trainee chose."""

    tier: str
    degree: str | None
    suggested: str | None
    figure: str | None
    current: float
    target: float
    actions: str


def degree_plan(
    result: FourDegrees, tiers: Sequence[str], saved: Mapping[str, Mapping[str, Any]] | None, lang: str
) -> list[PlanRow]:
    """The 3.3 plan for ``tiers``: per tier the trainee's saved choice (``saved[tier]``: any of ``degree``,
    ``target``, ``actions``), else the suggestion — the weakest degree, its figure's value plus the lever's step,
    the lever's starting actions. A saved target belongs to the degree it was set for: when the degree changes,
    the target starts again from the suggestion."""
    rows = []
    for tier in tiers:
        mine = dict((saved or {}).get(tier) or {})
        suggested = weakest_degree(result.scores, tier)
        degree = mine.get("degree") if mine.get("degree") in DEGREES else suggested
        if degree is None:
            rows.append(PlanRow(tier, None, suggested, None, math.nan, math.nan, str(mine.get("actions") or "")))
            continue
        lever = LEVERS[degree]
        current = float(result.figures[lever.figure].to_numpy(dtype=np.float64, na_value=np.nan)[
            result.figures.index.get_loc(tier)])
        target = finite_number(mine.get("target")) if mine.get("target_for") == degree else None
        actions = mine.get("actions")
        rows.append(PlanRow(
            tier=tier,
            degree=degree,
            suggested=suggested,
            figure=lever.figure,
            current=current,
            target=lever.default_target(current) if target is None else target,
            actions=str(actions) if isinstance(actions, str) and actions.strip() else lever.actions(lang),
        ))
    return rows


def plan_choices(row: PlanRow, degree: Any, target: Any, actions: Any, lang: str) -> dict[str, Any]:
    """What the workspace keeps of one edited plan row: only what differs from the suggestion (so an untouched
    row follows the data and the language). ``target_for`` records the degree a target was set for."""
    kept: dict[str, Any] = {}
    chosen = degree if degree in DEGREES else row.degree
    if chosen is not None and chosen != row.suggested:
        kept["degree"] = chosen
    if chosen == row.degree and row.degree is not None:
        number = finite_number(target)
        default = LEVERS[row.degree].default_target(row.current)
        if number is not None and not (not is_missing(default) and math.isclose(number, default, abs_tol=1e-9)):
            kept["target"] = number
            kept["target_for"] = row.degree
    text = "" if actions is None or (isinstance(actions, float) and math.isnan(actions)) else str(actions).strip()
    default_actions = LEVERS[chosen].actions(lang) if chosen is not None else ""
    if text and text != default_actions and text not in {LEVERS[d].actions(x) for d in DEGREES for x in ("zh", "en")}:
        kept["actions"] = text
    return kept
