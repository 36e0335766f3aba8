"""The 1.1 class poll: each trainee sends their 难题自测 ratings to the class; the board pools them.

A trainee's answer goes through the classroom database like a group exercise (``store.submit``), as an exercise of
its own (:data:`POLL_ID`), idempotent on its client key. The poll is anonymous: the stored "group" of an answer is
a respondent code derived from the trainee's resume token (:func:`respondent`), so a trainee who changes a rating
and sends again replaces their own answer, and nobody's name is stored with it. The payload carries the ratings
only (item id → 1–5).

:func:`aggregate` pools the class: per question the number of answers, the mean and the count of each rating; the
class radar is the means in the questions' order. A trainee is shown the class figures beside their own only when
at least :data:`MIN_RESPONDENTS` have answered, so no one's single answer can be read off the class figures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from workbook import self_check

POLL_ID = "poll_s1_1"
PAYLOAD_VERSION = 1
MIN_RESPONDENTS = 3
RESPONDENT_PREFIX = "R-"


def respondent(resume_token: str) -> str:
    """The anonymous code an answer is stored under: the same for one trainee's workbook (so sending again replaces
    the answer), meaningless to anyone else (a digest of the token, never the token)."""
    digest = hashlib.sha256(("poll-respondent:" + resume_token).encode("utf-8")).hexdigest()
    return RESPONDENT_PREFIX + digest[:16]


def poll_payload(ratings: Mapping[str, Any]) -> dict[str, Any]:
    """What is sent: the known questions' ratings (1–5) and nothing else."""
    return {"exercise": POLL_ID, "version": PAYLOAD_VERSION, "ratings": self_check.clean_ratings(ratings)}


def can_send(ratings: Mapping[str, Any]) -> bool:
    """An answer needs at least one rated question."""
    return bool(self_check.clean_ratings(ratings))


@dataclass(frozen=True)
class ItemResult:
    """One question over the class: how many rated it, the mean rating (None when no one did) and the count of
    each rating 1…5 (``counts[0]`` is the number of 1s)."""

    item_id: str
    answers: int
    mean: float | None
    counts: tuple[int, ...]

    def share(self, rating: int) -> float:
        """The share of the answers that gave ``rating`` (0 without answers)."""
        return self.counts[rating - self_check.RATING_MIN] / self.answers if self.answers else 0.0


@dataclass(frozen=True)
class PollResult:
    """The class's answers: how many trainees answered, and one :class:`ItemResult` per question in order."""

    respondents: int
    items: tuple[ItemResult, ...]

    def radar(self) -> list[float]:
        """The class means in the questions' order; a question no one rated plots at the centre (0)."""
        return [item.mean if item.mean is not None else 0.0 for item in self.items]

    def item(self, item_id: str) -> ItemResult:
        return next(item for item in self.items if item.item_id == item_id)

    def group_mean(self, group: str) -> float | None:
        """The mean of the question means of one group (pain, market) over the questions someone rated."""
        means = [i.mean for i in self.items
                 if i.mean is not None and self_check.ITEM_BY_ID[i.item_id].group == group]
        return sum(means) / len(means) if means else None

    @property
    def shown_to_trainees(self) -> bool:
        return self.respondents >= MIN_RESPONDENTS


def answer_ratings(payload: Any) -> dict[str, int]:
    """The ratings of one stored answer (a damaged payload gives none)."""
    raw = payload.get("ratings") if isinstance(payload, Mapping) else None
    return self_check.clean_ratings(raw if isinstance(raw, Mapping) else {})


def aggregate(payloads: Iterable[Any]) -> PollResult:
    """Pool the answers (one payload per respondent, the current ones). An answer without any valid rating does
    not count as a respondent."""
    answers = [ratings for ratings in (answer_ratings(p) for p in payloads) if ratings]
    levels = self_check.RATINGS
    items = []
    for item in self_check.ITEMS:
        given = [ratings[item.id] for ratings in answers if item.id in ratings]
        counts = tuple(sum(1 for value in given if value == level) for level in levels)
        items.append(ItemResult(item.id, len(given), sum(given) / len(given) if given else None, counts))
    return PollResult(len(answers), tuple(items))
