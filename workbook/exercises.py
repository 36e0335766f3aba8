"""The group exercises: their worksheets' completeness checks and the payloads they submit (DESIGN §4.14).

练习一：三种分层与差异化服务 (outline 三.6): a group segments its book in at least three ways (parameters kept),
records the tier counts, writes at least one differentiated-service line per tier of each segmentation — at least
one of them in its own words per segmentation, not only the course's prefilled template — and reflects on what
it learnt. The finish button stays blocked, with the list of what is missing, until
:func:`check_exercise1` returns no problem.

练习二：核心经营客户方向与策略 (outline 四.6): each member picks a 核心经营客户方向 — one segment of one of the group's
segmentations — with the evidence from the data (customers, AUM, revenue, T per hour), the segment's strategy from
page 4.2 and 90-day actions with owners and dates; :func:`check_exercise2` lists what is missing.

Privacy: :func:`exercise1_submission` and :func:`exercise2_submission` build the payloads from aggregates only —
scheme ids, parameters, tier labels with customer counts and totals per tier, the book's size — plus the
trainees' own text. They never carry a customer row, a customer id or a customer name.

Submitting. Pages 3.5 and 4.4 send these payloads, unchanged, to the classroom database through one flow
(``ui.exercise_views``): ``Store.submit(workshop, group, exercise_id, payload, client_key, submitted_by)`` with
``exercise_id`` = :data:`EXERCISE_ID` ("exercise1") or :data:`EXERCISE2_ID` ("exercise2"). The instructor board reads
them back with ``Store.submissions(workshop, exercise_id)`` (each group's current one); ``Submission.payload`` is the
dict below, plain JSON. Read it with :func:`submission_summary` / :func:`exercise2_summary` and check it with
:func:`check_exercise1` / :func:`check_exercise2`: they accept a damaged payload without raising.

Exercise 1 payload (``PAYLOAD_VERSION`` 2)::

    {"exercise": "exercise1", "version": 2, "group": str, "members": [str, …],
     "book": {"source": "sample" | "upload", "customers": int, "aum": float (元)},
     "schemes": [{"scheme": scheme id, "name": {"zh", "en"}, "params": the resolved parameters,
                  "tiers": [{"code", "zh", "en", "customers": int, "aum": float (元), "customer_share": 0–1,
                             "aum_share": 0–1, "service": str, "service_own": bool}, …]}, …],
     "reflection": str}

Exercise 2 payload (same version)::

    {"exercise": "exercise2", "version": 2, "group": str, "members": [str, …], "book": as above,
     "start": "YYYY-MM-DD" | "" (the 90 days run from it),
     "directions": [{"member": str, "scheme": scheme id, "name": {"zh", "en"}, "params": resolved parameters,
                     "tier": {"code", "zh", "en"},
                     "evidence": {"customers": int, "customer_share": 0–1, "aum": 元, "aum_share": 0–1,
                                  "revenue": 元 | None, "t": 元 | None, "hours": h | None, "t_per_hour": 元 | None,
                                  "hours_source": "book" | "assumed" | None},
                     "strategy": {"goal", "needs", "products", "services", "cadence": str,
                                  "channels": ["one_to_one" | "one_to_many" | "online", …],
                                  "hours_per_customer": h | None, "hours": h | None (planned, a year),
                                  "kpis": {degree: {"figure", "unit", "current": float | None,
                                                    "target": float | None}}},
                     "actions": [{"action": str, "owner": str, "due": "YYYY-MM-DD" | ""}, …]}, …]}

A direction whose member has not chosen a segment carries only ``member``, ``scheme`` and ``actions``. None means
unknown (the book lacks the field), never 0. ``hours`` and ``t_per_hour`` are page 4.3's: the hours 1.4 prices,
from the book (``hours_source`` "book") or 1.4's cost-to-serve assumptions ("assumed").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from workbook import i18n

EXERCISE_ID = "exercise1"
PAYLOAD_VERSION = 2  # 2: each tier says whether its service line is the group's own (``service_own``)
MIN_SCHEMES = 3
MIN_MEMBERS = 1
MIN_REFLECTION_CHARS = 20  # a sentence or two, not a placeholder
BOOK_SOURCES: tuple[str, ...] = ("sample", "upload")  # the only book descriptions a payload carries

# Problem codes, in the order the page lists them. Text: catalogue ``ex1.problem.<code>``.
PROBLEM_CODES: tuple[str, ...] = (
    "group_missing",
    "members_missing",
    "too_few_schemes",
    "duplicate_scheme",
    "unknown_scheme",
    "params_missing",
    "tiers_missing",
    "service_missing",
    "service_not_own",
    "reflection_missing",
    "reflection_short",
)


@dataclass(frozen=True)
class Problem:
    """One reason an exercise is not complete: a code and the values its message needs. Its text is the catalogue
    entry ``<catalogue>.<code>`` (exercise 2 reuses exercise 1's messages where they say the same thing)."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)
    catalogue: str = "ex1.problem"

    def text(self, lang: str) -> str:
        return i18n.t(f"{self.catalogue}.{self.code}", lang, **self.values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip()


def split_members(text: str) -> list[str]:
    """Member names from free text: one per line, or separated by commas / 、 / ；."""
    for separator in ("\n", "，", ",", "、", "；", ";"):
        text = text.replace(separator, "\n")
    return [name.strip() for name in text.split("\n") if name.strip()]


def _name(entry: Mapping[str, Any], lang: str) -> str:
    names = entry.get("name")
    if not isinstance(names, Mapping):
        names = {}
    return str(names.get(lang) or names.get("zh") or entry.get("scheme", "?"))


def _count(value: Any) -> int:
    """A tier's customer count as stored; anything that is not a whole number counts as 0."""
    if isinstance(value, bool):
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0
    return int(number) if math.isfinite(number) else 0


def _entries(value: Any) -> list[Mapping[str, Any]]:
    """The table-like items of a stored list (a payload read back from storage may be damaged)."""
    if not isinstance(value, (list, tuple)):
        return []
    return [item if isinstance(item, Mapping) else {} for item in value]


def _members(submission: Mapping[str, Any]) -> list[str]:
    raw = submission.get("members")
    return [str(m).strip() for m in raw if not _blank(m)] if isinstance(raw, (list, tuple)) else []


def _group_problems(submission: Mapping[str, Any]) -> list[Problem]:
    """The group's name and members, which both exercises need."""
    problems: list[Problem] = []
    if _blank(submission.get("group")):
        problems.append(Problem("group_missing"))
    if len(_members(submission)) < MIN_MEMBERS:
        problems.append(Problem("members_missing", {"minimum": MIN_MEMBERS}))
    return problems


def check_exercise1(submission: Mapping[str, Any], lang: str = "zh") -> list[Problem]:
    """What is still missing from an exercise-1 payload (empty list: complete).

    Message values carry display names (scheme and tier labels in ``lang``) so the page shows them as they are.
    A payload read back from storage is checked the same way: a damaged part counts as missing, never raises.
    """
    from workbook.segmentation import SCHEMES

    if not isinstance(submission, Mapping):
        submission = {}
    problems = _group_problems(submission)
    schemes = _entries(submission.get("schemes"))
    ids = [str(s.get("scheme", "")) for s in schemes]
    if len(set(ids)) < MIN_SCHEMES:
        problems.append(Problem("too_few_schemes", {"count": len(set(ids)), "minimum": MIN_SCHEMES}))
    seen: set[str] = set()
    for entry, scheme_id in zip(schemes, ids, strict=True):
        name = _name(entry, lang)
        if scheme_id in seen:
            problems.append(Problem("duplicate_scheme", {"scheme": name}))
            continue
        seen.add(scheme_id)
        if scheme_id not in SCHEMES:
            problems.append(Problem("unknown_scheme", {"scheme": scheme_id}))
            continue
        if not isinstance(entry.get("params"), Mapping) or not entry.get("params"):
            problems.append(Problem("params_missing", {"scheme": name}))
        tiers = _entries(entry.get("tiers"))
        if not tiers or sum(_count(t.get("customers")) for t in tiers) <= 0:
            problems.append(Problem("tiers_missing", {"scheme": name}))
            continue
        for tier in tiers:
            # A tier with no customer in this book needs no service line; every tier with customers does.
            if _count(tier.get("customers")) > 0 and _blank(tier.get("service")):
                label = str(tier.get(lang) or tier.get("zh") or tier.get("code"))
                problems.append(Problem("service_missing", {"scheme": name, "tier": label}))
        # The exercise is the group's design: at least one line per segmentation in its own words, not only the
        # course's template (a payload without the flag, or with a damaged one, has none of its own).
        if not any(tier.get("service_own") is True and not _blank(tier.get("service")) for tier in tiers):
            problems.append(Problem("service_not_own", {"scheme": name}))
    reflection = submission.get("reflection")
    if _blank(reflection):
        problems.append(Problem("reflection_missing", {"minimum": MIN_REFLECTION_CHARS}))
    elif len(str(reflection).strip()) < MIN_REFLECTION_CHARS:
        problems.append(
            Problem("reflection_short", {"count": len(str(reflection).strip()), "minimum": MIN_REFLECTION_CHARS})
        )
    return problems


def params_text(scheme_id: str, params: Mapping[str, Any] | None, lang: str) -> str:
    """A scheme's resolved parameters in one line for a summary ("AUM thresholds: 5万, 50万, 600万 · …")."""
    from workbook.peers import amount_text
    from workbook.schema import field_label
    from workbook.segmentation import SCHEMES

    scheme = SCHEMES[scheme_id]
    resolved = scheme.resolve(params or {})

    comma = ", " if lang == "en" else "、"

    def show(kind: str, value: Any) -> str:
        if kind == "money_list":
            return comma.join(amount_text(float(v), lang) for v in value)
        if kind == "money":
            return amount_text(float(value), lang)
        if kind == "share":
            return f"{float(value) * 100:g}%"
        if kind == "number_list":
            return comma.join(f"{float(v):g}" for v in value)
        if kind == "weights":
            return comma.join(f"{field_label(k, lang)} {float(v):g}" for k, v in dict(value).items())
        return f"{float(value):g}" if isinstance(value, (int, float)) else str(value)

    colon = ": " if lang == "en" else "："
    shown = [spec for spec in scheme.params if spec.key in resolved]
    return " · ".join(f"{spec.label(lang)}{colon}{show(spec.kind, resolved[spec.key])}" for spec in shown)


def _json_safe(value: Any) -> Any:
    """Parameters as plain JSON data (numpy numbers and tuples from the scheme code become int/float/list)."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and not isinstance(value, float) else number


def template_lines(scheme_id: str, tier_codes: Sequence[str]) -> dict[str, frozenset[str]]:
    """Tier code -> the course template's service line for it, in both languages (as 3.5 prefills it from the
    3.4 templates): a line equal to one of these is the template, not the group's own."""
    from workbook import services

    labels = {lang: {d: i18n.t(f"service.dim.{d}", lang) for d in services.DIMENSIONS} for lang in ("zh", "en")}
    lines: dict[str, set[str]] = {code: set() for code in tier_codes}
    for lang in ("zh", "en"):
        for row in services.template_rows(scheme_id, list(tier_codes), lang):
            lines[str(row["tier"])].add(services.service_line(row, labels[lang], lang).strip())
    return {code: frozenset(found) for code, found in lines.items()}


def scheme_entry(
    book: pd.DataFrame,
    scheme_id: str,
    params: Mapping[str, Any] | None,
    services: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One configured scheme, aggregates only: params, tiers with counts, AUM, shares, the service line and
    whether the line is the group's own (``service_own``: not blank and not the course template's line)."""
    from workbook.segmentation import SCHEMES, segment_detail, tier_summary

    detail = segment_detail(book, scheme_id, params or {})
    summary = tier_summary(book, detail)
    scheme = SCHEMES[scheme_id]
    tiers = []
    figures = summary.to_dict("index")  # tier code -> {customers, customer_share, aum, aum_share}
    templates = template_lines(scheme_id, [t.code for t in detail.tier_list])
    for tier in detail.tier_list:
        row = figures[tier.code]
        line = str((services or {}).get(tier.code, "")).strip()
        tiers.append(
            {
                "code": tier.code,
                "zh": tier.zh,
                "en": tier.en,
                "customers": int(row["customers"]),
                "aum": round(float(row["aum"]), 2),
                "customer_share": round(float(row["customer_share"]), 6),
                "aum_share": round(float(row["aum_share"]), 6),
                "service": line,
                "service_own": bool(line) and line not in templates[tier.code],
            }
        )
    return {
        "scheme": scheme_id,
        "name": {"zh": scheme.name("zh"), "en": scheme.name("en")},
        # The resolved parameters (defaults merged with the trainee's), so the segmentation can be rebuilt.
        "params": _json_safe(detail.params),
        "tiers": tiers,
    }


def book_facts(book: pd.DataFrame, book_source: str) -> dict[str, Any]:
    """What a payload says about the book: which kind ("sample" or "upload" — anything else, such as a file name
    that may name a person, is sent as "upload"), its size and its total AUM."""
    source = book_source if book_source in BOOK_SOURCES else "upload"
    aum = pd.to_numeric(book["aum"], errors="coerce").fillna(0.0)
    return {"source": source, "customers": len(book), "aum": round(float(aum.sum()), 2)}


def _group_fields(group: str, members: Sequence[str]) -> dict[str, Any]:
    return {"group": str(group or "").strip(), "members": [str(m).strip() for m in members if str(m).strip()]}


def exercise1_submission(
    book: pd.DataFrame,
    *,
    group: str,
    members: Sequence[str],
    schemes: Sequence[tuple[str, Mapping[str, Any] | None]],
    services: Mapping[str, Mapping[str, str]] | None = None,
    reflection: str = "",
    book_source: str = "",
) -> dict[str, Any]:
    """The exercise-1 payload: aggregates and the trainees' own text only, never customer rows or ids.

    ``schemes``: (scheme id, params) in the group's order; ``services``: scheme id → tier code → service line.
    ``book_source`` says which kind of book: "sample" or "upload". Anything else (a file name, which may name a
    person) is sent as "upload".
    """
    return {
        "exercise": EXERCISE_ID,
        "version": PAYLOAD_VERSION,
        **_group_fields(group, members),
        "book": book_facts(book, book_source),
        "schemes": [
            scheme_entry(book, scheme_id, params, (services or {}).get(scheme_id)) for scheme_id, params in schemes
        ],
        "reflection": str(reflection or "").strip(),
    }


# ---- a readable summary of a payload (what the page shows before and after finishing) ---------------------------


@dataclass(frozen=True)
class SchemeSummary:
    """One segmentation of a payload as the trainees read it: its name, its parameters in words, and one plain
    row per tier (``tier``, ``customers``, ``customer_share``, ``aum``, ``aum_share``, ``service``)."""

    name: str
    params: str
    tiers: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class SubmissionSummary:
    """An exercise-1 payload in the reader's language. Numbers stay numbers (the page formats them); text the
    trainees wrote is as they wrote it; a missing or damaged part is empty, never an error."""

    group: str
    members: tuple[str, ...]
    book_source: str  # "sample" or "upload" ("" when unknown)
    book_customers: int
    book_aum: float
    schemes: tuple[SchemeSummary, ...]
    reflection: str


def _number(value: Any) -> float:
    """A stored share or amount as a float; anything unreadable or not finite counts as 0."""
    if isinstance(value, bool):
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def scheme_params_text(scheme_id: str, params: Any, lang: str) -> str:
    """A scheme's parameters in words: the AUM ladder as a ladder ("大众客户 < 5万 ≤ 潜力客户 …"), any other scheme
    as its named settings (:func:`params_text`). "—" when the scheme or its parameters cannot be read."""
    from workbook.peers import ladder_text
    from workbook.segmentation import SCHEMES, SchemeParamError

    scheme = SCHEMES.get(scheme_id)
    if scheme is None:
        return "—"
    try:
        resolved = scheme.resolve(dict(params) if isinstance(params, Mapping) else {})
        if scheme_id == "aum" and resolved.get("labels"):
            return ladder_text(resolved, lang)
        return params_text(scheme_id, resolved, lang) or "—"
    except (SchemeParamError, KeyError, TypeError, ValueError):
        return "—"


def submission_summary(submission: Any, lang: str = "zh") -> SubmissionSummary:
    """The payload of :func:`exercise1_submission` as the group reads it back, in ``lang``: group, members, the
    book's size, per segmentation its name, parameters in words and per tier the counts, shares and service line,
    then the reflection. Reads a payload from storage too: whatever is damaged shows as empty."""
    from workbook.segmentation import INSUFFICIENT

    payload: Mapping[str, Any] = submission if isinstance(submission, Mapping) else {}
    schemes = []
    for entry in _entries(payload.get("schemes")):
        scheme_id = str(entry.get("scheme", ""))
        rows = []
        for tier in _entries(entry.get("tiers")):
            if str(tier.get("code")) == INSUFFICIENT and not _count(tier.get("customers")):
                continue  # an empty "insufficient data" tier is not a tier the group planned for
            rows.append(
                {
                    "tier": _text(tier.get(lang)) or _text(tier.get("zh")) or _text(tier.get("code")) or "—",
                    "customers": _count(tier.get("customers")),
                    "customer_share": _number(tier.get("customer_share")),
                    "aum": _number(tier.get("aum")),
                    "aum_share": _number(tier.get("aum_share")),
                    "service": _text(tier.get("service")),
                }
            )
        schemes.append(SchemeSummary(_name(entry, lang), scheme_params_text(scheme_id, entry.get("params"), lang),
                                     tuple(rows)))
    return SubmissionSummary(**_heading(payload), schemes=tuple(schemes), reflection=_text(payload.get("reflection")))


def _heading(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Group, members and book of a payload as a summary shows them (damaged parts empty)."""
    raw_book = payload.get("book")
    book: Mapping[str, Any] = raw_book if isinstance(raw_book, Mapping) else {}
    source = str(book.get("source", ""))
    return {
        "group": _text(payload.get("group")),
        "members": tuple(_members(payload)),
        "book_source": source if source in BOOK_SOURCES else "",
        "book_customers": _count(book.get("customers")),
        "book_aum": _number(book.get("aum")),
    }


# ---- 练习二：核心经营客户方向与策略 ---------------------------------------------------------------------------------

EXERCISE2_ID = "exercise2"
MIN_ACTIONS = 3  # a 90-day plan needs more than one good intention
ACTION_WINDOW_DAYS = 90
ACTION_FIELDS: tuple[str, ...] = ("action", "owner", "due")

# Problem codes of exercise 2, in the order the page lists them (besides exercise 1's group and member codes).
# Text: catalogue ``ex2.problem.<code>``.
EX2_PROBLEM_CODES: tuple[str, ...] = (
    "start_missing",
    "direction_missing",
    "unknown_scheme",
    "segment_empty",
    "goal_missing",
    "channels_missing",
    "kpi_missing",
    "action_incomplete",
    "action_outside",
    "actions_few",
)


def _mapping(value: Any) -> Mapping[str, Any]:
    """A stored table-like value, or an empty one when it is damaged."""
    return value if isinstance(value, Mapping) else {}


def _ex2(code: str, **values: Any) -> Problem:
    return Problem(code, values, catalogue="ex2.problem")


def _date(value: Any) -> date | None:
    """An ISO date (2026-12-05) as a date; anything else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def action_window(start: Any) -> tuple[date, date] | None:
    """The 90 days of the plan: from the start date to start + 90 days (both included); None without a start."""
    first = _date(start)
    return None if first is None else (first, first + timedelta(days=ACTION_WINDOW_DAYS))


def clean_actions(rows: Any) -> list[dict[str, str]]:
    """A member's 90-day actions as plain rows {action, owner, due (ISO date or "")}; empty rows dropped."""
    cleaned = []
    for row in _entries(rows):
        due = _date(row.get("due"))
        item = {"action": _text(row.get("action")), "owner": _text(row.get("owner")),
                "due": due.isoformat() if due else ""}
        if any(item.values()):
            cleaned.append(item)
    return cleaned


def _direction_problems(entry: Mapping[str, Any], window: tuple[date, date] | None, lang: str) -> list[Problem]:
    from workbook.segmentation import SCHEMES

    member = _text(entry.get("member")) or "—"
    scheme_id = _text(entry.get("scheme"))
    tier = _mapping(entry.get("tier"))
    if not scheme_id or not _text(tier.get("code")):
        return [_ex2("direction_missing", member=member)]
    if scheme_id not in SCHEMES:
        return [Problem("unknown_scheme", {"scheme": scheme_id})]
    problems: list[Problem] = []
    evidence = _mapping(entry.get("evidence"))
    if _count(evidence.get("customers")) <= 0:
        label = _text(tier.get(lang)) or _text(tier.get("zh")) or _text(tier.get("code"))
        problems.append(_ex2("segment_empty", member=member, tier=label))
    plan = _mapping(entry.get("strategy"))
    if _blank(plan.get("goal")):
        problems.append(_ex2("goal_missing", member=member))
    channels = plan.get("channels")
    if not isinstance(channels, (list, tuple)) or not [c for c in channels if not _blank(c)]:
        problems.append(_ex2("channels_missing", member=member))
    kpis = _mapping(plan.get("kpis"))
    targets = [k.get("target") for k in kpis.values() if isinstance(k, Mapping)]
    if not any(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in targets):
        problems.append(_ex2("kpi_missing", member=member))
    complete = 0
    for row_number, row in enumerate(clean_actions(entry.get("actions")), start=1):
        if not all(row[f] for f in ACTION_FIELDS):
            problems.append(_ex2("action_incomplete", member=member, row=row_number))
            continue
        due = _date(row["due"])
        if window is not None and due is not None and not window[0] <= due <= window[1]:
            problems.append(_ex2("action_outside", member=member, row=row_number, start=window[0].isoformat(),
                                 end=window[1].isoformat()))
            continue
        complete += 1
    if complete < MIN_ACTIONS:
        problems.append(_ex2("actions_few", member=member, count=complete, minimum=MIN_ACTIONS))
    return problems


def check_exercise2(submission: Mapping[str, Any], lang: str = "zh") -> list[Problem]:
    """What is still missing from an exercise-2 payload (empty list: complete): the group and its members, a start
    date, and for every member a direction (a segment with customers), a goal, at least one way of marketing, at
    least one KPI target and at least ``MIN_ACTIONS`` complete actions (what, who, by when) within the 90 days.
    A payload read back from storage is checked the same way: a damaged part counts as missing, never raises."""
    if not isinstance(submission, Mapping):
        submission = {}
    problems = _group_problems(submission)
    window = action_window(submission.get("start"))
    if window is None:
        problems.append(_ex2("start_missing"))
    directions = {_text(d.get("member")): d for d in _entries(submission.get("directions"))}
    for member in _members(submission):
        problems.extend(_direction_problems(directions.get(member, {"member": member}), window, lang))
    return problems


EVIDENCE_COLUMNS: tuple[str, ...] = (
    "customers", "customer_share", "aum", "aum_share", "revenue", "t", "hours", "t_per_hour", "hours_source",
)
# Where a tier's hours come from (``hours_source``): the book's service hours, or 1.4's cost-to-serve assumptions
# (the hours 1.4 prices when the book records none); "" (None in a payload) when there are no hours at all.
HOURS_BOOK, HOURS_ASSUMED = "book", "assumed"


@dataclass(frozen=True, eq=False)
class SegmentEvidence:
    """The evidence for choosing a segment, for every tier of one segmentation. ``tiers``: per tier the
    ``EVIDENCE_COLUMNS`` — revenue, T and T per hour NaN when the book has no revenue field (unknown, not 0); hours
    and T per hour are 4.3's: the hours 1.4 prices (``hours_source`` says whether the book's or 1.4's assumptions),
    NaN where there are none. ``figures``: the four-degree figures (3.3) per tier, today's values of the KPIs."""

    segmentation: Any
    tiers: pd.DataFrame
    figures: pd.DataFrame


def segment_evidence(
    book: pd.DataFrame, scheme_id: str, params: Mapping[str, Any] | None = None, profit_params: Any = None
) -> SegmentEvidence:
    """Per tier of one segmentation: customers and their share, AUM and its share, revenue, T, hours and T per
    hour (page 4.3's figures), and the four-degree figures — what a member looks at to pick a direction."""
    import numpy as np

    from workbook.degrees import four_degrees
    from workbook.profit import profitability
    from workbook.segmentation import segment_detail, tier_summary
    from workbook.services import revenue_known
    from workbook.throughput import throughput_by_tier

    detail = segment_detail(book, scheme_id, params or {})
    result = profitability(book, profit_params)
    flows = throughput_by_tier(book, detail.tiers, profit_params, result=result)
    tiers = tier_summary(book, detail).join(flows[["revenue", "t", "hours", "t_per_hour"]])
    tiers["hours_source"] = np.where(flows["hours_recorded"] > 0, HOURS_BOOK,
                                     np.where(flows["hours_assumed"] > 0, HOURS_ASSUMED, ""))
    if not revenue_known(book):
        tiers[["revenue", "t", "t_per_hour"]] = np.nan
    figures = four_degrees(book, detail.tiers, revenue=result["revenue"]).figures
    return SegmentEvidence(detail, tiers[list(EVIDENCE_COLUMNS)], figures)


def _maybe(value: Any) -> float | None:
    """A figure for the payload: None when unknown (never a made-up 0), else rounded to cents."""
    return None if value is None or pd.isna(value) else round(_number(value), 2)


def _strategy_entry(plan: Any, customers: int, figures: Mapping[str, Any]) -> dict[str, Any]:
    from workbook.strategy import KPIS, kpi_current

    return {
        **{f: _text(getattr(plan, f, "")) for f in ("goal", "needs", "products", "services", "cadence")},
        "channels": [str(c) for c in getattr(plan, "channels", ())],
        "hours_per_customer": _maybe(getattr(plan, "hours_per_customer", None)),
        "hours": _maybe(customers * _number(getattr(plan, "hours_per_customer", 0.0))),
        "kpis": {
            spec.degree: {"figure": spec.figure, "unit": spec.unit, "current": _maybe(kpi_current(spec, figures)),
                          "target": _maybe((getattr(plan, "kpis", {}) or {}).get(spec.degree))}
            for spec in KPIS
        },
    }


def exercise2_submission(
    book: pd.DataFrame,
    *,
    group: str,
    members: Sequence[str],
    start: str,
    directions: Sequence[Mapping[str, Any]],
    book_source: str = "",
    profit_params: Any = None,
) -> dict[str, Any]:
    """The exercise-2 payload: aggregates and the trainees' own text only, never customer rows, ids or names.

    ``directions``: one per member, each ``{"member", "scheme", "params", "tier", "strategy", "actions"}`` —
    ``strategy`` a :class:`workbook.strategy.Strategy` (from page 4.2), ``actions`` rows {action, owner, due}.
    The evidence per direction is computed here from the book: the segment's customers and their share, AUM and
    its share, revenue and T (None when the book has no revenue field), service hours and T per hour (None when
    the book records no hours).
    """
    from workbook.segmentation import SCHEMES

    cache: dict[str, SegmentEvidence] = {}
    entries = []
    for direction in directions:
        scheme_id = _text(direction.get("scheme"))
        code = _text(direction.get("tier"))
        entry: dict[str, Any] = {"member": _text(direction.get("member")), "scheme": scheme_id,
                                 "actions": clean_actions(direction.get("actions"))}
        if scheme_id in SCHEMES and code:
            params = _mapping(direction.get("params"))
            key = json.dumps([scheme_id, params], sort_keys=True, default=str)
            if key not in cache:
                cache[key] = segment_evidence(book, scheme_id, params, profit_params)
            evidence = cache[key]
            detail = evidence.segmentation
            tier = next((t for t in detail.tier_list if t.code == code), None)
            if tier is not None:
                row = evidence.tiers.loc[code].to_dict()
                customers = int(row["customers"])
                entry.update({
                    "name": {"zh": SCHEMES[scheme_id].name("zh"), "en": SCHEMES[scheme_id].name("en")},
                    "params": _json_safe(detail.params),
                    "tier": {"code": code, "zh": tier.zh, "en": tier.en},
                    "evidence": {
                        "customers": customers,
                        "customer_share": round(float(row["customer_share"]), 6),
                        "aum": round(float(row["aum"]), 2),
                        "aum_share": round(float(row["aum_share"]), 6),
                        **{k: _maybe(row[k]) for k in ("revenue", "t", "hours", "t_per_hour")},
                        "hours_source": str(row["hours_source"]) or None,
                    },
                    "strategy": _strategy_entry(direction.get("strategy"), customers,
                                                {str(k): v for k, v in evidence.figures.loc[code].items()}),
                })
        entries.append(entry)
    return {
        "exercise": EXERCISE2_ID,
        "version": PAYLOAD_VERSION,
        **_group_fields(group, members),
        "book": book_facts(book, book_source),
        "start": first.isoformat() if (first := _date(start)) else "",
        "directions": entries,
    }


@dataclass(frozen=True)
class DirectionSummary:
    """One member's direction as the group reads it: names in the reader's language, the evidence figures (None
    where the book could not show them) and where its hours come from, the strategy's text, ways of marketing
    (codes), KPI rows (degree, unit, current, target) and the 90-day actions."""

    member: str
    scheme: str
    tier: str
    evidence: Mapping[str, float | None]
    hours_source: str  # HOURS_BOOK, HOURS_ASSUMED or "" (no hours, or a damaged payload)
    strategy: Mapping[str, str]
    channels: tuple[str, ...]
    hours_per_customer: float | None
    hours: float | None
    kpis: tuple[dict[str, Any], ...]
    actions: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class Exercise2Summary:
    group: str
    members: tuple[str, ...]
    book_source: str
    book_customers: int
    book_aum: float
    start: str
    end: str
    directions: tuple[DirectionSummary, ...]


def _optional(value: Any) -> float | None:
    return None if value is None or isinstance(value, bool) or _blank(value) else _number(value)


def exercise2_summary(submission: Any, lang: str = "zh") -> Exercise2Summary:
    """The payload of :func:`exercise2_submission` as the group reads it back, in ``lang``. Reads a payload from
    storage too: whatever is damaged shows as empty."""
    payload = _mapping(submission)
    window = action_window(payload.get("start"))
    directions = []
    for entry in _entries(payload.get("directions")):
        tier, plan = _mapping(entry.get("tier")), _mapping(entry.get("strategy"))
        evidence = _mapping(entry.get("evidence"))
        kpis = _mapping(plan.get("kpis"))
        channels = plan.get("channels")
        directions.append(DirectionSummary(
            member=_text(entry.get("member")),
            scheme=_name(entry, lang) if entry.get("name") else _text(entry.get("scheme")),
            tier=_text(tier.get(lang)) or _text(tier.get("zh")) or _text(tier.get("code")),
            evidence={k: _optional(v) for k, v in evidence.items() if k != "hours_source"},
            hours_source=source if (source := _text(evidence.get("hours_source"))) in (HOURS_BOOK, HOURS_ASSUMED)
            else "",
            strategy={f: _text(plan.get(f)) for f in ("goal", "needs", "products", "services", "cadence")},
            channels=tuple(str(c) for c in channels) if isinstance(channels, (list, tuple)) else (),
            hours_per_customer=_optional(plan.get("hours_per_customer")),
            hours=_optional(plan.get("hours")),
            kpis=tuple(
                {"degree": str(degree), "unit": _text(_mapping(k).get("unit")),
                 "current": _optional(_mapping(k).get("current")), "target": _optional(_mapping(k).get("target"))}
                for degree, k in kpis.items()
            ),
            actions=tuple(clean_actions(entry.get("actions"))),
        ))
    return Exercise2Summary(
        **_heading(payload),
        start=window[0].isoformat() if window else "",
        end=window[1].isoformat() if window else "",
        directions=tuple(directions),
    )
