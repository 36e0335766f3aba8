"""The class as the instructor's board reads it: which group handed in what and when, which segmentation schemes the
groups chose, two groups' exercise 1 side by side, and the activities the exercise timer can run.

Everything here works on the store's current submissions (:meth:`workbook.store.Store.submissions`), payloads as
``workbook.exercises`` builds them; a damaged payload shows as empty, never raises. The class poll has its own
module (:mod:`workbook.poll`). This module never imports streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbook import agenda, exercises, poll
from workbook.store import Submission

GROUP_EXERCISES: tuple[str, ...] = (exercises.EXERCISE_ID, exercises.EXERCISE2_ID)
TIMER_SHOWN_AFTER_END_S = 10 * 60  # "time's up" stays in view this long after a countdown ends
POLL_MINUTES = 5  # the 1.1 self-check and its poll at the start of section 一


# ---- who handed in what -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handed:
    """A group's current submission of one exercise: when (UTC), by whom, its number in the database."""

    time: datetime
    by: str
    number: int


@dataclass(frozen=True)
class GroupStatus:
    """One group on the board: its members (from its latest submission) and its current submission per exercise."""

    group: str
    members: tuple[str, ...]
    handed: Mapping[str, Handed]

    def has(self, exercise: str) -> bool:
        return exercise in self.handed


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9}
_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百]+")


def _chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23, 一百零五 → 105 (what group names use)."""
    total, current = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def group_sort_key(name: str) -> tuple[Any, ...]:
    """Group names in the order a room counts them: 第二组 before 第十组, "Group 2" before "Group 10"."""
    parts: list[tuple[int, Any]] = []
    position = 0
    for match in _NUMBER.finditer(name):
        if match.start() > position:
            parts.append((1, name[position:match.start()].casefold()))
        token = match.group()
        parts.append((0, int(token) if token.isdigit() else _chinese_number(token)))
        position = match.end()
    if position < len(name):
        parts.append((1, name[position:].casefold()))
    return (*parts, (2, name))


def _members(payload: Any) -> tuple[str, ...]:
    raw = payload.get("members") if isinstance(payload, Mapping) else None
    if not isinstance(raw, (list, tuple)):
        return ()
    return tuple(str(m).strip() for m in raw if str(m or "").strip())


def group_submissions(submissions: Iterable[Submission]) -> list[Submission]:
    """The group exercises' submissions (not the poll's anonymous answers)."""
    return [s for s in submissions if s.exercise in GROUP_EXERCISES]


def roster(submissions: Iterable[Submission]) -> tuple[GroupStatus, ...]:
    """Every group that handed in a group exercise, in counting order, with its members (as its latest submission
    lists them) and its current submission per exercise. ``submissions``: the current ones (one per group and
    exercise)."""
    by_group: dict[str, list[Submission]] = {}
    for submission in group_submissions(submissions):
        by_group.setdefault(submission.group, []).append(submission)
    groups = []
    for name, handed in by_group.items():
        latest = max(handed, key=lambda s: s.number)
        groups.append(GroupStatus(
            group=name,
            members=_members(latest.payload),
            handed={s.exercise: Handed(s.time, s.submitted_by, s.number) for s in handed},
        ))
    return tuple(sorted(groups, key=lambda g: group_sort_key(g.group)))


def current(submissions: Iterable[Submission], group: str, exercise: str) -> Submission | None:
    return next((s for s in submissions if s.group == group and s.exercise == exercise), None)


def poll_answers(submissions: Iterable[Submission]) -> list[Any]:
    """The current poll answers' payloads (one per respondent)."""
    return [s.payload for s in submissions if s.exercise == poll.POLL_ID]


# ---- which schemes the class chose --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeChoice:
    scheme_id: str
    groups: tuple[str, ...]  # the groups whose exercise 1 uses the scheme, in counting order


def scheme_choices(submissions: Iterable[Submission]) -> tuple[SchemeChoice, ...]:
    """For each of the seven schemes (in the course's order), the groups whose current exercise 1 uses it."""
    from workbook.segmentation import SCHEME_IDS

    chosen: dict[str, set[str]] = {scheme_id: set() for scheme_id in SCHEME_IDS}
    for submission in submissions:
        if submission.exercise != exercises.EXERCISE_ID or not isinstance(submission.payload, Mapping):
            continue
        schemes = submission.payload.get("schemes")
        for entry in schemes if isinstance(schemes, list) else []:
            scheme_id = entry.get("scheme") if isinstance(entry, Mapping) else None
            if scheme_id in chosen:
                chosen[str(scheme_id)].add(submission.group)
    return tuple(SchemeChoice(s, tuple(sorted(g, key=group_sort_key))) for s, g in chosen.items())


# ---- two groups' exercise 1 side by side ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TierPair:
    """One tier of a scheme both groups used: its label, each group's customers and service line (None where the
    group's segmentation has no such tier)."""

    tier: str
    customers: tuple[int | None, int | None]
    service: tuple[str | None, str | None]


@dataclass(frozen=True)
class SchemePair:
    """One scheme in the comparison: its name, each group's parameters in words (None: the group did not use it)
    and, for a scheme both used, the tiers side by side."""

    name: str
    params: tuple[str | None, str | None]
    tiers: tuple[TierPair, ...]

    @property
    def shared(self) -> bool:
        return all(p is not None for p in self.params)


@dataclass(frozen=True)
class Comparison:
    """Two groups' exercise 1 side by side: the schemes both used first, then each group's own."""

    groups: tuple[str, str]
    schemes: tuple[SchemePair, ...]
    reflections: tuple[str, str]


def _scheme_summaries(payload: Any, lang: str) -> dict[str, exercises.SchemeSummary]:
    from workbook.segmentation import SCHEMES

    summary = exercises.submission_summary(payload, lang)
    raw = payload.get("schemes") if isinstance(payload, Mapping) else None
    ids = [str(e.get("scheme", "")) if isinstance(e, Mapping) else "" for e in (raw if isinstance(raw, list) else [])]
    return {scheme_id: shown for scheme_id, shown in zip(ids, summary.schemes, strict=False) if scheme_id in SCHEMES}


def compare_exercise1(first: Submission, second: Submission, lang: str = "zh") -> Comparison:
    """Exercise 1 of two groups, scheme by scheme: for a scheme both chose, each tier's customers and service line
    beside each other (tiers in the first group's order, then any only the second has)."""
    left, right = _scheme_summaries(first.payload, lang), _scheme_summaries(second.payload, lang)
    order = [s for s in left if s in right] + [s for s in left if s not in right] + [s for s in right if s not in left]
    pairs = []
    for scheme_id in order:
        a, b = left.get(scheme_id), right.get(scheme_id)
        tiers: list[TierPair] = []
        if a is not None and b is not None:
            a_rows = {row["tier"]: row for row in a.tiers}
            b_rows = {row["tier"]: row for row in b.tiers}
            labels = list(a_rows) + [label for label in b_rows if label not in a_rows]
            for label in labels:
                ra, rb = a_rows.get(label), b_rows.get(label)
                tiers.append(TierPair(
                    label,
                    (ra["customers"] if ra else None, rb["customers"] if rb else None),
                    (ra["service"] if ra else None, rb["service"] if rb else None),
                ))
        either = a if a is not None else b
        name = either.name if either is not None else scheme_id
        pairs.append(SchemePair(name, (a.params if a else None, b.params if b else None), tuple(tiers)))
    return Comparison(
        (first.group, second.group),
        tuple(pairs),
        (exercises.submission_summary(first.payload, lang).reflection,
         exercises.submission_summary(second.payload, lang).reflection),
    )


# ---- the exercise timer ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """What the timer can count down: an id (catalogue ``board.activity.<id>``), its minutes on the day, and the
    exercise whose submissions the board watches meanwhile (None for a debrief)."""

    id: str
    minutes: int
    watches: str | None


def timer_activities(start: str | None = None) -> tuple[Activity, ...]:
    """The day's timed activities in order: the 1.1 poll, then each group exercise and its debrief with the minutes
    the agenda gives them (``workbook/data/agenda.toml``)."""
    slots = {slot.id: slot for slot in agenda.agenda(start)}
    activities = [Activity(poll.POLL_ID, POLL_MINUTES, poll.POLL_ID)]
    for slot in slots.values():
        if slot.kind == "exercise":
            activities.append(Activity(slot.id, slot.minutes, slot.id if slot.id in GROUP_EXERCISES else None))
        elif slot.kind == "debrief":
            activities.append(Activity(slot.id, slot.minutes, None))
    return tuple(activities)


def activity(activity_id: str) -> Activity | None:
    return next((a for a in timer_activities() if a.id == activity_id), None)


def handed_during(groups: Sequence[GroupStatus], exercise: str) -> tuple[list[GroupStatus], list[GroupStatus]]:
    """The groups that have handed in ``exercise`` (earliest first) and those that have not yet."""
    done = sorted((g for g in groups if g.has(exercise)), key=lambda g: g.handed[exercise].time)
    waiting = [g for g in groups if not g.has(exercise)]
    return done, waiting
