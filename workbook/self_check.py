"""1.1 难题自测 — the outline's four pain questions and four market changes, rated 1–5, and where to start.

The questions (outline 一.1.(1) and 一.1.(2)) and the rules that turn ratings into recommended modules are
data: each item lists the course modules that answer it, with a weight. A module's score is the weighted sum of
how strongly the trainee feels each item that points to it, so the recommendation can always say *because you
rated …*. Texts live in the catalogue under ``s1.check.item.<id>.{text,short}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

RATING_MIN = 1
RATING_MAX = 5
RATINGS: tuple[int, ...] = tuple(range(RATING_MIN, RATING_MAX + 1))
# A recommendation names at most this many of the items behind it (largest contribution first).
MAX_REASONS = 2
# A module is recommended only when its score reaches this (an item rated 3 with weight 1 scores 0.5).
MIN_FOCUS_SCORE = 0.5
MAX_FOCUS = 3

GROUPS: tuple[str, ...] = ("pain", "market")


@dataclass(frozen=True)
class CheckItem:
    id: str
    group: str  # "pain" (你是否也拥有这些问题) or "market" (市场情况已经发生了改变)
    focus: tuple[tuple[str, float], ...]  # (module id, weight): the modules that answer this item

    @property
    def text_key(self) -> str:
        return f"s1.check.item.{self.id}.text"

    @property
    def short_key(self) -> str:
        return f"s1.check.item.{self.id}.short"


# Order = the outline's order; it is also the radar's axis order.
ITEMS: tuple[CheckItem, ...] = (
    # 为什么你比别人更努力但业绩依然不理想？ → the effort goes to the wrong lever or the wrong stage
    CheckItem("effort", "pain", (("s1_2", 1.0), ("s1_3", 1.0), ("s4_3", 0.5))),
    # 为什么客户总跟我要返佣？ → no value created beyond price: deep KYC, differentiated service, real cost
    CheckItem("rebate", "pain", (("s2_1", 1.0), ("s3_4", 0.5), ("s1_4", 0.5))),
    # 为什么天天送礼，客户还是离我远去？ → gifts are a low rung of the engagement ladder; loyalty is built higher
    CheckItem("gifts", "pain", (("s4_1", 1.0), ("s3_3", 1.0), ("s1_4", 0.5))),
    # 为什么优质客户量不够、结构不健康？ → segment the book, compare with peers, grow the middle
    CheckItem("quality", "pain", (("s3_2", 1.0), ("s3_1", 0.5), ("s2_2", 0.5), ("s4_2", 0.5))),
    # 客户个性化需求日益强烈
    CheckItem("personalised", "market", (("s2_1", 1.0), ("s3_2", 0.5))),
    # 中高端客户争夺日趋激烈
    CheckItem("competition", "market", (("s3_1", 1.0), ("s3_4", 0.5), ("s3_3", 0.5))),
    # 精细化服务营销能力有待提升
    CheckItem("refinement", "market", (("s3_4", 1.0), ("s3_2", 0.5))),
    # 服务营销需要深度协同
    CheckItem("coordination", "market", (("s2_2", 1.0), ("s4_2", 0.5))),
)
ITEM_BY_ID: Mapping[str, CheckItem] = MappingProxyType({item.id: item for item in ITEMS})

# Course order of the modules a recommendation can point to (ties are broken by it).
MODULE_ORDER: tuple[str, ...] = (
    "s1_2", "s1_3", "s1_4", "s2_1", "s2_2", "s3_1", "s3_2", "s3_3", "s3_4", "s4_1", "s4_2", "s4_3",
)


@dataclass(frozen=True)
class FocusPick:
    module_id: str
    score: float
    because: tuple[str, ...]  # the items behind the pick, largest contribution first


def items_in(group: str) -> tuple[CheckItem, ...]:
    return tuple(item for item in ITEMS if item.group == group)


def clean_ratings(raw: Mapping[str, object] | None) -> dict[str, int]:
    """Only known items with a whole rating 1–5; anything else (blank, out of range, stale id) is dropped."""
    ratings: dict[str, int] = {}
    for item_id, value in dict(raw or {}).items():
        if item_id not in ITEM_BY_ID or isinstance(value, bool):
            continue
        if isinstance(value, int | float) and float(value).is_integer() and RATING_MIN <= value <= RATING_MAX:
            ratings[item_id] = int(value)
    return ratings


def radar_values(ratings: Mapping[str, int]) -> list[float]:
    """Ratings in ``ITEMS`` order; an unanswered item plots as 0 (the centre)."""
    clean = clean_ratings(ratings)
    return [float(clean.get(item.id, 0)) for item in ITEMS]


def answered(ratings: Mapping[str, int]) -> int:
    return len(clean_ratings(ratings))


def group_mean(ratings: Mapping[str, int], group: str) -> float | None:
    """Mean rating of the answered items of a group, or None when none is answered."""
    clean = clean_ratings(ratings)
    values = [clean[item.id] for item in items_in(group) if item.id in clean]
    return sum(values) / len(values) if values else None


def module_scores(ratings: Mapping[str, int]) -> dict[str, float]:
    """score(module) = Σ weight × (rating − 1) ÷ 4 over the answered items pointing to it (0 … Σ weights)."""
    clean = clean_ratings(ratings)
    scores: dict[str, float] = {}
    for item in ITEMS:
        if item.id not in clean:
            continue
        strength = (clean[item.id] - RATING_MIN) / (RATING_MAX - RATING_MIN)
        for module_id, weight in item.focus:
            scores[module_id] = scores.get(module_id, 0.0) + weight * strength
    return scores


def focus(ratings: Mapping[str, int], limit: int = MAX_FOCUS) -> tuple[FocusPick, ...]:
    """The modules to start with: highest score first (ties in course order), at most ``limit``.

    Nothing is recommended below ``MIN_FOCUS_SCORE``: a trainee who rates everything 1 is told to follow the
    course in order rather than handed an arbitrary pick.
    """
    clean = clean_ratings(ratings)
    scores = module_scores(clean)
    ranked = sorted(
        (module_id for module_id, score in scores.items() if score >= MIN_FOCUS_SCORE),
        key=lambda module_id: (-scores[module_id], MODULE_ORDER.index(module_id)),
    )
    picks: list[FocusPick] = []
    for module_id in ranked[:limit]:
        contributions = {
            item.id: weight * (clean[item.id] - RATING_MIN)
            for item in ITEMS
            if clean.get(item.id, RATING_MIN) > RATING_MIN
            for m, weight in item.focus
            if m == module_id
        }
        reasons = sorted(contributions, key=lambda item_id: (-contributions[item_id], ITEMS.index(ITEM_BY_ID[item_id])))
        picks.append(FocusPick(module_id, round(scores[module_id], 6), tuple(reasons[:MAX_REASONS])))
    return tuple(picks)


# ---- 一.1.(6)–(7): does my selling meet the customer's real needs? ------------------------------------------
# A five-question check the trainee runs on their own last sales (catalogue s1.check.needs.<id>): each question
# is one way a sale serves the product shelf rather than the customer. Order = the order of a sale.
NEEDS_QUESTIONS: tuple[str, ...] = ("purpose", "latent", "risk", "term", "explain")
# Fewer than this many "yes" answers: the page points to deep KYC (2.1) before more selling.
NEEDS_GOOD = 4
NEEDS_LEVELS: tuple[str, ...] = ("weak", "partial", "good")  # catalogue s1.check.needs_level.<code>


def clean_needs(raw: object) -> tuple[str, ...]:
    """The known questions answered "yes", in question order (anything else in a saved list is dropped)."""
    chosen = set(raw) if isinstance(raw, list | tuple | set) else set()
    return tuple(q for q in NEEDS_QUESTIONS if q in chosen)


def needs_level(yes: tuple[str, ...] | list[str]) -> str:
    """weak (0–2 of 5 "yes"), partial (3) or good (≥ ``NEEDS_GOOD``)."""
    count = len(clean_needs(list(yes)))
    if count >= NEEDS_GOOD:
        return "good"
    return "partial" if count >= NEEDS_GOOD - 1 else "weak"
