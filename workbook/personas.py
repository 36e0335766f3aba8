"""客户画像 — the six persona customers of the sample book: who they are, the story each tells, and what the pages
show about them.

The personas are data (``workbook/data/personas.toml``). The generator writes each of them into every sample book
of at least ``MIN_BOOK`` customers, in place of a generated customer of the same tier of the course's AUM ladder
(so the tier counts stay as generated), at a row fixed by the book's size (:func:`persona_rows`). A persona card
then reads the persona's row back from the book and computes its figures with the same functions the pages use,
so the card and the page never disagree.

Only a sample book carries them; an uploaded book has no persona (:func:`persona_cards` returns nothing).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n

DATA_FILE = Path(__file__).parent / "data" / "personas.toml"
MIN_BOOK = 100  # smaller sample books have too few 私行 customers to host the private-banking persona
PAGES: tuple[str, ...] = ("s1_4", "s3_2", "s3_3")  # the pages that offer the cards
AUM_TIERS: tuple[str, ...] = ("mass", "potential", "affluent", "private")  # the course ladder, low → high
# Days before the book's reference date, stored in the data as whole numbers (the book holds dates).
DAY_FIELDS: Mapping[str, str] = MappingProxyType({"last_txn_days": "last_txn_date",
                                                   "last_contact_days": "last_contact_date"})


@dataclass(frozen=True)
class Persona:
    id: str
    tier: str  # AUM tier code of the course ladder
    title_zh: str
    title_en: str
    story_zh: str
    story_en: str
    lesson_zh: str
    lesson_en: str
    hints: Mapping[str, Mapping[str, str]]  # page id -> {"zh", "en"}
    fields: Mapping[str, Any]  # canonical key (or *_days) -> value

    def title(self, lang: str) -> str:
        return i18n.pick(lang, self.title_zh, self.title_en)

    def story(self, lang: str) -> str:
        return i18n.pick(lang, self.story_zh, self.story_en)

    def lesson(self, lang: str) -> str:
        return i18n.pick(lang, self.lesson_zh, self.lesson_en)

    def hint(self, page_id: str, lang: str) -> str:
        text = self.hints.get(page_id)
        return "" if text is None else i18n.pick(lang, text["zh"], text["en"])


@lru_cache(maxsize=1)
def _load() -> tuple[Persona, ...]:
    with DATA_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    personas = []
    for entry in raw["personas"]:
        personas.append(Persona(
            id=entry["id"],
            tier=entry["tier"],
            title_zh=entry["title"]["zh"], title_en=entry["title"]["en"],
            story_zh=entry["story"]["zh"], story_en=entry["story"]["en"],
            lesson_zh=entry["lesson"]["zh"], lesson_en=entry["lesson"]["en"],
            hints=MappingProxyType({page: MappingProxyType(dict(text)) for page, text in entry["hint"].items()}),
            fields=MappingProxyType(dict(entry["fields"])),
        ))
    return tuple(personas)


PERSONAS: tuple[Persona, ...] = _load()
PERSONA_BY_ID: Mapping[str, Persona] = MappingProxyType({p.id: p for p in PERSONAS})


def persona_rows(tiers: np.ndarray) -> dict[str, int]:
    """Persona id -> the row (0-based position) it takes in a book whose generated AUM tiers (indices into
    ``AUM_TIERS``) are ``tiers``. Empty below ``MIN_BOOK`` customers.

    Each persona takes the first customer of its tier at or after an anchor spread evenly over the book (the
    k-th of six personas starts looking at k/6 of the way), skipping rows already taken: fixed for a given book,
    never two personas on one row, and always within the persona's tier.
    """
    n = len(tiers)
    if n < MIN_BOOK:
        return {}
    taken: set[int] = set()
    rows: dict[str, int] = {}
    for k, persona in enumerate(PERSONAS):
        wanted = AUM_TIERS.index(persona.tier)
        start = (k * n) // len(PERSONAS) + 7  # a little past the anchor, so the first persona is not C000001
        order = np.r_[np.arange(start, n), np.arange(0, start)]
        candidates = [int(i) for i in order if tiers[i] == wanted and int(i) not in taken]
        if not candidates:
            continue
        rows[persona.id] = candidates[0]
        taken.add(candidates[0])
    return rows


def persona_customers(book: pd.DataFrame) -> dict[str, str]:
    """Persona id -> customer id in ``book``, for the personas whose row is there unchanged (a sample book).

    A row counts as the persona's when its customer id is where the generator put it and its name and AUM are
    the persona's: an uploaded or edited book does not pretend to hold personas it has lost.
    """
    if "customer_id" not in book.columns or len(book) < MIN_BOOK or "aum" not in book.columns:
        return {}
    found: dict[str, str] = {}
    names = book["name"].astype("str").to_numpy() if "name" in book.columns else None
    aum = pd.to_numeric(book["aum"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    for persona in PERSONAS:
        matches = np.flatnonzero(np.isclose(aum, float(persona.fields["aum"]), rtol=0, atol=0.005))
        for row in matches:
            if names is None or names[row] == persona.fields["name"]:
                found[persona.id] = str(book["customer_id"].iloc[row])
                break
    return found


@dataclass(frozen=True)
class PersonaCard:
    """A persona as the card shows it: the story, and the figures the pages compute for the persona's row."""

    persona: Persona
    customer_id: str
    facts: Mapping[str, Any]  # see persona_cards


def persona_cards(book: pd.DataFrame, profit_params: Any = None) -> tuple[PersonaCard, ...]:
    """The cards of the personas present in ``book`` (none for an uploaded book).

    ``facts`` per card: ``aum``, ``aum_12m_ago``, ``retention`` (aum ÷ a year ago, NaN without a base),
    ``revenue``, ``cost``, ``net``, ``kind`` (asset / potential / liability, from ``profitability``),
    ``justified_hours``, ``actual_hours``, ``gifts_events`` (gifts + events, 元), ``tiers`` (scheme or dimension
    id -> tier code under its defaults) for the seven schemes and the extra dimensions.
    """
    from workbook.profit import profitability
    from workbook.segmentation import CROSS_IDS, segment

    customers = persona_customers(book)
    if not customers:
        return ()
    profit = profitability(book, profit_params)
    tiers = {scheme_id: segment(book, scheme_id, revenue=profit["revenue"] if scheme_id == "contribution" else None)
             for scheme_id in CROSS_IDS}
    position = {cid: i for i, cid in enumerate(book["customer_id"].astype("str"))}
    cards = []
    for persona in PERSONAS:
        if persona.id not in customers:
            continue
        row = position[customers[persona.id]]
        line = book.iloc[row]
        result = profit.iloc[row]
        before = float(line["aum_12m_ago"]) if "aum_12m_ago" in book.columns else float("nan")
        aum = float(line["aum"])
        facts = {
            "aum": aum,
            "aum_12m_ago": before,
            "retention": aum / before if before > 0 else float("nan"),
            "revenue": float(result["revenue"]),
            "cost": float(result["cost"]),
            "net": float(result["net"]),
            "kind": str(result["kind"]),
            "justified_hours": float(result["justified_hours"]),
            "actual_hours": float(result["actual_hours"]),
            "gifts_events": float(result["gift_cost"] + result["event_cost"]),
            "tiers": MappingProxyType({sid: str(series.iloc[row]) for sid, series in tiers.items()}),
        }
        cards.append(PersonaCard(persona, customers[persona.id], MappingProxyType(facts)))
    return tuple(cards)


def persona_ids() -> Sequence[str]:
    return tuple(p.id for p in PERSONAS)
