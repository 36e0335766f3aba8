"""The KYC card of page 2.1: what a trainee knows about one customer, kept as plain JSON data in the workspace.

A card starts from one of three sources — a customer of the book, one of the outline's cases
(``workbook/data/kyc_cases.toml``, illustrative families) or a blank card — and the trainee's entries are kept as
**overrides**: only the fields that differ from the source. So a card of a book customer keeps in the workspace
what the trainee typed, never the rest of the customer's row (an uploaded book stays in session memory), and a
book re-uploaded with newer data shows through wherever the trainee typed nothing.

Free text on a card (goals, notes, a family member's note, the proposal) is masked when kept: ID, card and mobile
numbers and the customer's name from the book (``privacy.mask_text``). KYC notes belong to the trainee's
workspace only; no submission builder reads module ``s2_1``.

Card fields and their units (money in 万元, as typed)::

    age, children (numbers or None), marital, risk_level, life_stage (codes or None; life_stage None = derived),
    occupation, goals, notes (text), life_events (codes), members ([{relation, age, note}]),
    total_assets_wan (None: the sum of the holdings), holdings_wan ({account: 万元})
"""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbook import kyc
from workbook.households import ACCOUNTS, holdings_from_row
from workbook.privacy import mask_text
from workbook.schema import finite_number

WAN = 10_000.0  # 元 per 万元
CASES_FILE = Path(__file__).parent / "data" / "kyc_cases.toml"
TEXT_FIELDS: tuple[str, ...] = ("occupation", "goals", "notes")
MASKED_FIELDS: tuple[str, ...] = ("goals", "notes")
CARD_FIELDS: tuple[str, ...] = (
    "age", "marital", "children", "occupation", "risk_level", "life_events", "members", "life_stage", "goals",
    "notes", "total_assets_wan", "holdings_wan",
)
BLANK_KEY = "_blank"
ROUNDING_SLACK = 0.05  # 万元: half of the 0.1 万元 each amount is rounded to
CASE_PREFIX = "case:"


def blank_card() -> dict[str, Any]:
    return {
        "age": None, "marital": None, "children": None, "occupation": "", "risk_level": None, "life_events": [],
        "members": [], "life_stage": None, "goals": "", "notes": "", "total_assets_wan": None,
        "holdings_wan": dict.fromkeys(ACCOUNTS, 0.0),
    }


def _wan(amount: float) -> float:
    """元 → 万元 to 0.1 万元 (1,000 元): enough for a conversation about a household's accounts, and the card then
    shows 42.7 rather than 42.7149."""
    return round(amount / WAN, 1)


def _whole(value: Any) -> int | None:
    number = finite_number(value)
    return None if number is None else round(number)


def card_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A card filled from one customer of the book (canonical keys): what the book says, in card units."""
    card = blank_card()
    profile = kyc.profile_from_row(row)
    card["age"] = _whole(profile.get("age"))
    card["children"] = _whole(profile.get("children"))
    card["marital"] = kyc.read_marital(profile.get("marital"))
    card["risk_level"] = kyc.read_risk(profile.get("risk_level"))
    occupation = profile.get("occupation")
    card["occupation"] = "" if occupation is None else str(occupation).strip()
    card["life_events"] = list(kyc.read_events(profile.get("life_events")) or ())
    holdings = holdings_from_row(row)
    card["holdings_wan"] = {account: _wan(amount) for account, amount in holdings.items()}
    aum = finite_number(row.get("aum")) if hasattr(row, "get") else None
    total = _wan(aum) if aum is not None and aum >= 0 else None
    held = round(sum(card["holdings_wan"].values()), 1)
    if total is not None and abs(held - total) <= ROUNDING_SLACK * len(ACCOUNTS):
        total = held  # AUM is the sum of the balances; rounding each to 0.1 万元 must not make them exceed it
    card["total_assets_wan"] = total
    return card


def _load_cases() -> Mapping[str, Mapping[str, Any]]:
    with CASES_FILE.open("rb") as handle:
        raw = tomllib.load(handle)["cases"]
    return MappingProxyType({key: MappingProxyType(value) for key, value in raw.items()})


CASES: Mapping[str, Mapping[str, Any]] = _load_cases()


def card_from_case(case_id: str, lang: str = "zh") -> dict[str, Any]:
    """A card filled with one of the outline's cases (illustrative family and amounts); its occupation text in
    ``lang``."""
    raw = CASES[case_id]
    occupation = raw.get("occupation") or ""
    if isinstance(occupation, Mapping):
        occupation = occupation.get("en" if lang == "en" else "zh", "")
    card = blank_card()
    card.update({
        "age": _whole(raw.get("age")),
        "marital": kyc.read_marital(raw.get("marital")),
        "children": _whole(raw.get("children")),
        "occupation": str(occupation),
        "risk_level": kyc.read_risk(raw.get("risk_level")),
        "life_events": list(kyc.read_events(raw.get("life_events")) or ()),
        "members": clean_members(raw.get("members") or ()),
        "total_assets_wan": _wan(float(raw["total_assets"])) if "total_assets" in raw else None,
        "holdings_wan": {a: _wan(float((raw.get("holdings") or {}).get(a, 0.0))) for a in ACCOUNTS},
    })
    return card


def merge_card(defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The card as shown: the source's values, then the trainee's (a copy)."""
    card = copy.deepcopy(dict(defaults))
    for field, value in (overrides or {}).items():
        if field in CARD_FIELDS:
            card[field] = copy.deepcopy(value)
    return card


def card_overrides(defaults: Mapping[str, Any], card: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``card`` that differ from ``defaults``: what the workspace keeps."""
    return {f: copy.deepcopy(card[f]) for f in CARD_FIELDS if f in card and card[f] != defaults.get(f)}


def clean_members(rows: Iterable[Mapping[str, Any]], names: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Family members from an editor or a data file: relation as a code (其他 when unrecognised), age a whole
    number 0–120 or None, note masked. Rows with nothing in them are dropped."""
    members = []
    for row in rows:
        relation = kyc.read_relation(row.get("relation"))
        age = _whole(row.get("age"))
        age = age if age is not None and 0 <= age <= 120 else None
        note = row.get("note")
        note = "" if note is None or (isinstance(note, float) and math.isnan(note)) else str(note).strip()
        if relation is None and age is None and not note:
            continue
        members.append({"relation": relation or "other", "age": age, "note": mask_text(note, names)})
    return members


def masked(text: Any, names: Iterable[str] = ()) -> str:
    """Free text as a card keeps it: personal numbers and the customer's name masked."""
    return mask_text("" if text is None else str(text), names)


def card_profile(card: Mapping[str, Any]) -> dict[str, Any]:
    """The profile the need rules read (``kyc.latent_needs``): money in 元; the life stage only when set."""
    profile: dict[str, Any] = {
        "age": card.get("age"),
        "marital": card.get("marital"),
        "children": card.get("children"),
        "members": list(card.get("members") or ()),
        "life_events": list(card.get("life_events") or ()) or None,
        "occupation": card.get("occupation") or None,
        "risk_level": card.get("risk_level"),
    }
    total = plan_total(card)
    if total is not None and total > 0:
        profile["total_assets"] = total
    if card.get("life_stage") in kyc.STAGE_CODES:
        profile["life_stage"] = card["life_stage"]
    return profile


def plan_holdings(card: Mapping[str, Any]) -> dict[str, float]:
    """The card's holdings per account, in 元 (blank or negative entries count as 0)."""
    holdings = card.get("holdings_wan") or {}
    return {a: max(0.0, finite_number(holdings.get(a)) or 0.0) * WAN for a in ACCOUNTS}


def plan_total(card: Mapping[str, Any]) -> float | None:
    """The household's financial assets in 元: the typed total, else the sum of the holdings (None: nothing)."""
    total = finite_number(card.get("total_assets_wan"))
    if total is not None:
        return total * WAN
    held = sum(plan_holdings(card).values())
    return held if held > 0 else None
