"""客户经营的梯度等级 — the outline's 12 engagement levels (四.4) and where each tier stands on them (DESIGN §4.9).

``LADDER`` is the outline's list, verbatim in Chinese with an English rendering, from「从不主动和客户沟通」(1) to
「帮客户的朋友也实现财富小目标」(12); it is data (``workbook/data/ladder.toml``), not code.

A trainee assesses, per tier of a segmentation, the level they reach today and the level they aim for; the next
actions are the levels between the two (:func:`next_levels`). Where the book has the fields, the page offers a
*suggested* current level per tier from four figures (:func:`engagement_figures`):

* ``contacts_per_customer`` — contacts in 12 months, mean over the tier's customers with a value;
* ``gift_share`` — share of those customers with a gift cost above 0 in 12 months;
* ``events_per_customer`` — bank events attended in 12 months, mean;
* ``referrals_per_customer`` — people referred in 12 months, mean.

The suggestion (:func:`suggest_level`) is the highest level whose rule holds on those figures; the rules and
their thresholds are data too, and a suggestion carries the clauses that decided it so a page can say why.
Blank cells are left out of a mean (nothing is guessed); a figure whose field the book lacks is NaN and every
rule that needs it is not checked. Without contacts no rule can be checked and there is no suggestion. It is a
suggestion, never an assessment: levels 6 and 8–11 are about the content of the relationship, which no column
records.
"""

from __future__ import annotations

import math
import operator
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.schema import column_numbers, finite_number

DATA_FILE = Path(__file__).parent / "data" / "ladder.toml"


@dataclass(frozen=True)
class Level(i18n.Labelled):
    """One step of the ladder. ``zh`` is the outline's text verbatim."""

    number: int  # 1 … 12
    zh: str
    en: str
    short_zh: str
    short_en: str
    action_zh: str
    action_en: str

    def short(self, lang: str) -> str:
        return i18n.pick(lang, self.short_zh, self.short_en)

    def action(self, lang: str) -> str:
        return i18n.pick(lang, self.action_zh, self.action_en)


@dataclass(frozen=True)
class Figure:
    """A per-tier figure a suggestion rule may test. ``kind``: "mean" of the field, or "share_positive" (the
    share of customers whose value is above 0)."""

    key: str
    field: str
    kind: str


FIGURES: tuple[Figure, ...] = (
    Figure("contacts_per_customer", "contacts_12m", "mean"),
    Figure("gift_share", "gift_cost_12m", "share_positive"),
    Figure("events_per_customer", "events_12m", "mean"),
    Figure("referrals_per_customer", "referrals_12m", "mean"),
)
FIGURE_KEYS: tuple[str, ...] = tuple(f.key for f in FIGURES)
SUGGESTION_FIELDS: tuple[str, ...] = tuple(f.field for f in FIGURES)


@dataclass(frozen=True)
class Clause:
    """``figure op value``, e.g. contacts_per_customer ≥ 7."""

    figure: str
    op: str  # ">=", ">", "<=", "<"
    value: float


@dataclass(frozen=True)
class SuggestionRule:
    level: int
    all_of: tuple[Clause, ...]


_OPS: Mapping[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _levels(raw: Sequence[Mapping[str, Any]]) -> tuple[Level, ...]:
    return tuple(
        Level(number, str(item["zh"]), str(item["en"]), str(item["short"]["zh"]), str(item["short"]["en"]),
              str(item["action"]["zh"]), str(item["action"]["en"]))
        for number, item in enumerate(raw, start=1)
    )


def _rules(raw: Sequence[Mapping[str, Any]], top: int) -> tuple[SuggestionRule, ...]:
    rules = []
    for item in raw:
        clauses = tuple(Clause(str(c["figure"]), str(c["op"]), float(c["value"])) for c in item["all_of"])
        bad = [c for c in clauses if c.figure not in FIGURE_KEYS or c.op not in _OPS]
        if bad or not 1 <= int(item["level"]) <= top:
            raise ValueError(f"ladder suggestion rule for level {item['level']} is malformed: {bad}")
        rules.append(SuggestionRule(int(item["level"]), clauses))
    return tuple(rules)


LADDER: tuple[Level, ...] = _levels(_data()["level"])
TOP = len(LADDER)
SUGGESTION_RULES: tuple[SuggestionRule, ...] = _rules(_data()["suggestion"], TOP)


def level(number: int) -> Level:
    """The ladder's level ``number`` (1-based). ValueError outside 1 … 12."""
    if not 1 <= number <= TOP:
        raise ValueError(f"the ladder has levels 1 to {TOP}, not {number}")
    return LADDER[number - 1]


def next_levels(current: int | None, target: int | None) -> tuple[Level, ...]:
    """The levels to climb from ``current`` to ``target``: current+1 … target (empty when the target is not above
    the current level or either is unset). These are the next actions of a tier."""
    if current is None or target is None or target <= current:
        return ()
    return tuple(level(n) for n in range(max(current, 0) + 1, min(target, TOP) + 1))


# ---- figures and the suggested level -------------------------------------------------------------------------


def engagement_figures(book: pd.DataFrame, tiers: pd.Series) -> pd.DataFrame:
    """Per tier (every category of ``tiers``, in order): ``customers`` and the four figures (NaN when the book
    lacks the field or no customer of the tier has a value). ``tiers`` is an ordered Categorical such as
    ``segment`` returns, same index as ``book``."""
    categories = [str(c) for c in tiers.cat.categories]
    k = len(categories)
    codes = np.asarray(tiers.cat.codes.to_numpy(), dtype=np.int64)
    counts = np.bincount(codes, minlength=k)[:k] if len(codes) else np.zeros(k, dtype=np.int64)
    result: dict[str, Any] = {"customers": counts.astype(np.int64)}
    for figure in FIGURES:
        values = column_numbers(book, figure.field)
        if values is None:
            result[figure.key] = np.full(k, np.nan)
            continue
        known = ~np.isnan(values)
        if figure.kind == "share_positive":
            values = (values > 0).astype(np.float64)
        n = np.bincount(codes[known], minlength=k)[:k].astype(np.float64)
        sums = np.bincount(codes[known], weights=values[known], minlength=k)[:k]
        with np.errstate(divide="ignore", invalid="ignore"):
            result[figure.key] = np.where(n > 0, sums / np.where(n > 0, n, 1.0), np.nan)
    return pd.DataFrame(result, index=pd.Index(categories, name="tier"))


@dataclass(frozen=True)
class Evidence:
    """One clause as it was tested on a tier: the figure's value beside the rule's threshold."""

    figure: str
    op: str
    threshold: float
    value: float


@dataclass(frozen=True)
class Suggestion:
    """A suggested current level and why. ``level`` None: no rule could be checked (``missing`` names the
    book fields that would allow one). ``evidence``: the clauses of the deciding rule with the tier's values.
    ``unchecked``: fields absent from the book that some higher rule needs (the suggestion may be low)."""

    level: int | None
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


def _field_of(figure_key: str) -> str:
    return next(f.field for f in FIGURES if f.key == figure_key)


def suggest_level(figures: Mapping[str, float], rules: Sequence[SuggestionRule] = SUGGESTION_RULES) -> Suggestion:
    """The highest level whose rule holds on one tier's ``figures`` (a row of :func:`engagement_figures`).

    A rule holds when every clause holds; a clause on a NaN figure is not checked, so its rule cannot hold.
    """
    def known(key: str) -> bool:
        value = figures.get(key)
        return value is not None and not math.isnan(float(value))

    holding = [rule for rule in rules
               if all(known(c.figure) and _OPS[c.op](float(figures[c.figure]), c.value) for c in rule.all_of)]
    best = max(holding, key=lambda rule: rule.level, default=None)
    unknown = tuple(dict.fromkeys(_field_of(c.figure) for r in rules for c in r.all_of if not known(c.figure)))
    if best is None:
        return Suggestion(None, missing=unknown)
    higher_unknown = tuple(dict.fromkeys(
        _field_of(c.figure) for r in rules if r.level > best.level for c in r.all_of if not known(c.figure)
    ))
    evidence = tuple(Evidence(c.figure, c.op, c.value, float(figures[c.figure])) for c in best.all_of)
    return Suggestion(best.level, evidence, unchecked=higher_unknown)


def suggestions(figures: pd.DataFrame) -> dict[str, Suggestion]:
    """:func:`suggest_level` for every tier with customers (a tier without customers gets no suggestion)."""
    return {
        str(code): suggest_level({str(k): float(v) for k, v in row.items()}) if int(row["customers"]) > 0
        else Suggestion(None)
        for code, row in figures.iterrows()
    }


# ---- the trainee's assessment ----------------------------------------------------------------------------------


def valid_level(value: Any) -> int | None:
    """A stored level as an int 1 … 12, or None (blank, damaged or out of range)."""
    number = finite_number(value)
    if number is None or not number.is_integer() or not 1 <= number <= TOP:
        return None
    return int(number)


@dataclass(frozen=True)
class TierAssessment:
    """A tier's current and target level (either may be unset) and the levels between them."""

    tier: str
    current: int | None
    target: int | None

    @property
    def steps(self) -> tuple[Level, ...]:
        return next_levels(self.current, self.target)

    @property
    def gap(self) -> int:
        """Levels still to climb (0 when unset or reached)."""
        return len(self.steps)


def assessments(
    codes: Sequence[str], saved: Mapping[str, Any] | None, suggested: Mapping[str, Suggestion] | None = None
) -> list[TierAssessment]:
    """Each tier's assessment: the trainee's saved current/target levels; where no current level is saved, the
    suggestion (if any). The target is only ever the trainee's."""
    rows = []
    for code in codes:
        entry = (saved or {}).get(code)
        entry = entry if isinstance(entry, Mapping) else {}
        current = valid_level(entry.get("current"))
        if current is None and "current" not in entry and suggested and code in suggested:
            current = suggested[code].level
        rows.append(TierAssessment(code, current, valid_level(entry.get("target"))))
    return rows
