"""练习一：三种分层与差异化服务 — the group worksheet, its completeness check and the payload it submits.

The exercise (outline 三.6, DESIGN §4.14): a group segments its book in at least three ways (parameters kept),
records the tier counts, writes at least one differentiated-service line per tier of each segmentation — at least
one of them in its own words per segmentation, not only the course's prefilled template — and reflects on what
it learnt. The finish button stays blocked, with the list of what is missing, until
:func:`check_exercise1` returns no problem.

Privacy: :func:`exercise1_submission` builds the payload from aggregates only — scheme ids, parameters, tier
labels with customer counts and AUM per tier, the book's size — plus the trainees' own text. It never carries a
customer row or a customer id; the classroom issue sends exactly this payload to the instructor.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    """One reason the exercise is not complete: a code and the values its message needs."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return i18n.t(f"ex1.problem.{self.code}", lang, **self.values)


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


def check_exercise1(submission: Mapping[str, Any], lang: str = "zh") -> list[Problem]:
    """What is still missing from an exercise-1 payload (empty list: complete).

    Message values carry display names (scheme and tier labels in ``lang``) so the page shows them as they are.
    A payload read back from storage is checked the same way: a damaged part counts as missing, never raises.
    """
    from workbook.segmentation import SCHEMES

    if not isinstance(submission, Mapping):
        submission = {}
    problems: list[Problem] = []
    if _blank(submission.get("group")):
        problems.append(Problem("group_missing"))
    raw_members = submission.get("members")
    members = [m for m in raw_members if not _blank(m)] if isinstance(raw_members, (list, tuple)) else []
    if len(members) < MIN_MEMBERS:
        problems.append(Problem("members_missing", {"minimum": MIN_MEMBERS}))
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
    source = book_source if book_source in BOOK_SOURCES else "upload"
    aum = pd.to_numeric(book["aum"], errors="coerce").fillna(0.0)
    return {
        "exercise": EXERCISE_ID,
        "version": PAYLOAD_VERSION,
        "group": str(group or "").strip(),
        "members": [str(m).strip() for m in members if str(m).strip()],
        "book": {"source": source, "customers": len(book), "aum": round(float(aum.sum()), 2)},
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
    raw_members = payload.get("members")
    members = tuple(_text(m) for m in raw_members if not _blank(m)) if isinstance(raw_members, (list, tuple)) else ()
    raw_book = payload.get("book")
    book: Mapping[str, Any] = raw_book if isinstance(raw_book, Mapping) else {}
    source = str(book.get("source", ""))
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
    return SubmissionSummary(
        group=_text(payload.get("group")),
        members=members,
        book_source=source if source in BOOK_SOURCES else "",
        book_customers=_count(book.get("customers")),
        book_aum=_number(book.get("aum")),
        schemes=tuple(schemes),
        reflection=_text(payload.get("reflection")),
    )
