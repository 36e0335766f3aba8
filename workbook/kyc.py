"""深度KYC与潜在需求 — a customer's profile, their life stage and the latent needs the need rules find (DESIGN §4.12).

A **profile** is a plain mapping, the shape a KYC card keeps (every key optional)::

    {"age": 45, "marital": "已婚" | "married", "children": 2,
     "members": [{"relation": "child", "age": 16}, {"relation": "parent", "age": 74}, {"relation": "spouse"}],
     "life_events": ["child_abroad"] | "子女出国、购房", "occupation": "企业主", "risk_level": "C3",
     "total_assets": 3_200_000 (元), "life_stage": "growth" (the trainee's own call; else derived)}

Words are read into codes by the vocabularies in ``workbook/data/kyc.toml`` (the book's 已婚 / 个体工商户 / 子女出国
as well as codes and English). The life stage is derived by the stage rules there; the needs come from the need
rules in ``workbook/data/need_rules.toml`` (表象需求 → 潜在需求 → product categories, each with a short why).

**Never a guess.** A condition on something the profile does not know is not met, so a rule fires only on what
the card says, and an empty profile has no life stage and no needs. Where a rule does infer (the children's ages
from the parent's age, when a book gives only the number of children) its why says so, and the page asks for
the ages. A blank life event is unknown; the book's 无 is the fact "nothing recent".

Rules answering the same need share a ``need`` id; the first that fires (data order: most specific first) is
the one reported, so a new baby and a two-year-old do not give the same education need twice.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.products import PRODUCTS
from workbook.schema import RISK_LEVELS, column_numbers, finite_number

DATA_DIR = Path(__file__).parent / "data"
ACCOUNT_CODES: tuple[str, ...] = ("spend", "protect", "grow", "preserve")

# The book fields a KYC profile reads (DESIGN §4.1). A book without them still works: the page says what is missing.
KYC_FIELDS: tuple[str, ...] = ("age", "marital", "children", "life_event", "occupation", "risk_level")
NONE_EVENT = "none"


@lru_cache(maxsize=2)
def _load(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def _fold(text: object) -> str:
    """Text as compared with vocabulary words: NFKC, stripped, lower case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


# ---- vocabularies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term(i18n.Labelled):
    """One code of a vocabulary (a marital status, an occupation group, a life event …) and the words for it."""

    code: str
    zh: str
    en: str
    words: tuple[str, ...]
    exact: bool = False  # only a whole-value match counts (the event 无 must not match inside other text)


def _terms(table: Mapping[str, Any]) -> Mapping[str, Term]:
    return MappingProxyType({
        code: Term(code, str(raw["zh"]), str(raw["en"]),
                   tuple(_fold(w) for w in (raw["zh"], raw["en"], code, *raw.get("words", ()))),
                   bool(raw.get("exact", False)))
        for code, raw in table.items()
    })


MARITAL: Mapping[str, Term] = _terms(_load("kyc.toml")["marital"])
RELATIONS: Mapping[str, Term] = _terms(_load("kyc.toml")["relations"])
OCCUPATIONS: Mapping[str, Term] = _terms(_load("kyc.toml")["occupations"])
EVENTS: Mapping[str, Term] = _terms(_load("kyc.toml")["events"])
CATEGORIES: Mapping[str, Term] = _terms(_load("kyc.toml")["categories"])


def _read_term(value: object, vocabulary: Mapping[str, Term], *, contains: bool) -> str | None:
    """The code a value names: equal to one of a code's words, else (``contains``) the first code whose word
    occurs in it. Blank or unrecognised → None."""
    if _blank(value):
        return None
    text = _fold(value)
    for term in vocabulary.values():
        if text in term.words:
            return term.code
    if contains:
        for term in vocabulary.values():
            if not term.exact and any(word and word in text for word in term.words):
                return term.code
    return None


def read_marital(value: object) -> str | None:
    return _read_term(value, MARITAL, contains=False)


def read_relation(value: object) -> str | None:
    return _read_term(value, RELATIONS, contains=False)


def read_occupation(value: object) -> str | None:
    """The occupation group of a free-text occupation (个体工商户 → self_employed); unrecognised → None."""
    return _read_term(value, OCCUPATIONS, contains=True)


_EVENT_SPLIT = re.compile(r"[、,，;；/|\n]+")


def read_events(value: object) -> tuple[str, ...] | None:
    """Life-event codes of a list of codes or a free text such as 「子女出国、购房」, in vocabulary order.

    None: nothing known (blank). ``()``: known to be nothing recent (the book's 无), or only words not in the
    vocabulary (the page shows such text as typed).
    """
    if _blank(value):
        return None
    if isinstance(value, str):
        parts = [p for p in _EVENT_SPLIT.split(value) if p.strip()]
    elif isinstance(value, Iterable):
        parts = [str(p) for p in value if not _blank(p)]
    else:
        parts = [str(value)]
    found: set[str] = set()
    for part in parts:
        text = _fold(part)
        exact = [t.code for t in EVENTS.values() if text in t.words]
        found.update(exact or [t.code for t in EVENTS.values()
                               if not t.exact and any(w and w in text for w in t.words)])
    found.discard(NONE_EVENT)
    return tuple(code for code in EVENTS if code in found)


_RISK_PATTERN = re.compile(r"^c?\s*([1-5])(?![0-9])")


def read_risk(value: object) -> str | None:
    """C1–C5 from 'C3', 'c3', '3' or 'C3（平衡型）'. Names alone (稳健型 …) are not read: banks map them to
    different levels, so guessing one would be wrong at some banks."""
    if _blank(value):
        return None
    match = _RISK_PATTERN.match(_fold(value))
    return f"C{match.group(1)}" if match else None


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return False  # a container is read item by item
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]  # pd.NA, NaT, numpy NaN
    except (TypeError, ValueError):
        return False  # a list or other container: not blank as such


# ---- facts: what a profile knows, in codes --------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """A profile read into codes. None = unknown; an empty tuple of ages = no age known."""

    age: float | None = None
    marital: str | None = None
    children: int | None = None
    child_ages: tuple[float, ...] = ()
    parent_ages: tuple[float, ...] = ()
    spouse_age: float | None = None
    has_spouse: bool = False
    events: tuple[str, ...] | None = None
    occupation: str | None = None
    risk: str | None = None
    assets: float | None = None
    stage: str | None = None  # the stage the trainee set, or the derived one
    stage_given: bool = False


def read_profile(profile: Mapping[str, Any]) -> Facts:
    """The facts of a profile (see the module docstring for its keys); unknown keys are ignored."""
    child_ages: list[float] = []
    parent_ages: list[float] = []
    spouse_age: float | None = None
    has_spouse = False
    child_members = 0
    for member in profile.get("members") or ():
        if not isinstance(member, Mapping):
            continue
        relation = read_relation(member.get("relation"))
        age = finite_number(member.get("age"))
        age = age if age is not None and 0 <= age <= 130 else None
        if relation == "child":
            child_members += 1
            if age is not None:
                child_ages.append(age)
        elif relation == "parent" and age is not None:
            parent_ages.append(age)
        elif relation == "spouse":
            has_spouse = True
            spouse_age = age
    count = finite_number(profile.get("children"))
    # Child rows on the card say there are children; no child rows say nothing (the count may be unknown).
    known_count = count is not None and count >= 0
    children = max(int(count), child_members) if known_count and count is not None else child_members or None
    marital = read_marital(profile.get("marital"))
    if marital is None and has_spouse:
        marital = "married"  # a spouse on the card is a fact about the marital status
    events = read_events(profile.get("life_events", profile.get("life_event")))
    assets = finite_number(profile.get("total_assets", profile.get("aum")))
    age = finite_number(profile.get("age"))
    facts = Facts(
        age=age if age is not None and 0 <= age <= 130 else None,
        marital=marital,
        children=children,
        child_ages=tuple(sorted(child_ages)),
        parent_ages=tuple(sorted(parent_ages)),
        spouse_age=spouse_age,
        has_spouse=has_spouse,
        events=events,
        occupation=read_occupation(profile.get("occupation")),
        risk=read_risk(profile.get("risk_level", profile.get("risk"))),
        assets=assets if assets is not None and assets >= 0 else None,
    )
    given = profile.get("life_stage")
    if isinstance(given, str) and given in STAGE_CODES:
        return _with_stage(facts, given, given=True)
    return _with_stage(facts, _derive_stage(facts), given=False)


def _with_stage(facts: Facts, stage: str | None, *, given: bool) -> Facts:
    return replace(facts, stage=stage, stage_given=given)


# ---- conditions (shared by the stage rules and the need rules) ------------------------------------------------

Evidence = tuple[tuple[str, Any], ...]


def _check(key: str, wanted: Any, facts: Facts) -> Evidence | None:
    """Evidence that one condition holds for ``facts`` ((fact, value) pairs to show), or None when it does not
    hold or the fact is unknown."""
    if key in ("age_min", "age_max"):
        if facts.age is None or not _bound(facts.age, key, wanted):
            return None
        return (("age", facts.age),)
    if key == "marital":
        return (("marital", facts.marital),) if facts.marital in wanted else None
    if key in ("children_min", "children_max"):
        if facts.children is None or not _bound(facts.children, key, wanted):
            return None
        return (("children", facts.children),)
    if key == "children_all_age_min":
        known = facts.children is not None and facts.children >= 1 and len(facts.child_ages) >= facts.children
        if not known or min(facts.child_ages) < wanted:
            return None
        return (("child_age", facts.child_ages[0]),)
    if key == "child_ages_unknown":
        unknown = facts.children is not None and facts.children >= 1 and not facts.child_ages
        return (("children", facts.children),) if unknown == bool(wanted) else None
    if key == "parent_age_min":
        oldest = max(facts.parent_ages, default=None)
        return (("parent_age", oldest),) if oldest is not None and oldest >= wanted else None
    if key == "events":
        hit = [e for e in facts.events or () if e in wanted]
        return (("event", hit[0]),) if hit else None
    if key == "occupation":
        return (("occupation", facts.occupation),) if facts.occupation in wanted else None
    if key == "risk":
        return (("risk", facts.risk),) if facts.risk in wanted else None
    if key == "assets_min":
        return (("assets", facts.assets),) if facts.assets is not None and facts.assets >= wanted else None
    if key == "stage":
        return (("stage", facts.stage),) if facts.stage in wanted else None
    raise ValueError(f"unknown condition {key!r}")  # data is checked at load, so this is a programming error


def _bound(value: float, key: str, wanted: float) -> bool:
    return value >= wanted if key.endswith("_min") else value <= wanted


def _child_range(facts: Facts, low: float | None, high: float | None) -> Evidence | None:
    for age in facts.child_ages:
        if (low is None or age >= low) and (high is None or age <= high):
            return (("child_age", age),)
    return None


@dataclass(frozen=True)
class Condition:
    """One `when` table: every condition must hold (child_age_min/max together: one child in the range)."""

    items: tuple[tuple[str, Any], ...]

    def evidence(self, facts: Facts) -> Evidence | None:
        found: list[tuple[str, Any]] = []
        items = dict(self.items)
        if "child_age_min" in items or "child_age_max" in items:
            hit = _child_range(facts, items.pop("child_age_min", None), items.pop("child_age_max", None))
            if hit is None:
                return None
            found.extend(hit)
        for key, wanted in items.items():
            hit = _check(key, wanted, facts)
            if hit is None:
                return None
            found.extend(pair for pair in hit if pair not in found)
        return tuple(found)


CONDITION_KEYS: frozenset[str] = frozenset({
    "age_min", "age_max", "marital", "children_min", "children_max", "child_age_min", "child_age_max",
    "children_all_age_min", "child_ages_unknown", "parent_age_min", "events", "occupation", "risk", "assets_min",
    "stage",
})
_LIST_KEYS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "marital": MARITAL, "events": EVENTS, "occupation": OCCUPATIONS, "risk": {r: r for r in RISK_LEVELS},
})


def _conditions(owner: str, tables: Sequence[Mapping[str, Any]], stage_codes: Iterable[str]) -> tuple[Condition, ...]:
    """`when` tables checked against the vocabularies (a typo in the data fails at import, not silently)."""
    if not tables:
        raise ValueError(f"{owner}: empty `when`")
    known = {**_LIST_KEYS, "stage": dict.fromkeys(stage_codes)}
    result = []
    for table in tables:
        if not table:
            raise ValueError(f"{owner}: an empty condition table would always hold")
        for key, wanted in table.items():
            if key not in CONDITION_KEYS:
                raise ValueError(f"{owner}: unknown condition {key!r}")
            if key in known:
                unknown = [w for w in wanted if w not in known[key]]
                if unknown:
                    raise ValueError(f"{owner}: unknown {key} {unknown}")
        result.append(Condition(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in table.items())))
    return tuple(result)


def _first_evidence(conditions: Sequence[Condition], facts: Facts) -> Evidence | None:
    for condition in conditions:
        evidence = condition.evidence(facts)
        if evidence is not None:
            return evidence
    return None


# ---- life stages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LifeStage(i18n.Labelled):
    code: str
    zh: str
    en: str
    about: Mapping[str, str]
    when: tuple[Condition, ...]


_STAGE_DATA = _load("kyc.toml")["stages"]
STAGE_CODES: tuple[str, ...] = tuple(str(s["code"]) for s in _STAGE_DATA)
STAGES: Mapping[str, LifeStage] = MappingProxyType({
    str(s["code"]): LifeStage(str(s["code"]), str(s["zh"]), str(s["en"]), MappingProxyType(dict(s["about"])),
                              _conditions(f"stage {s['code']}", s["when"], ()))
    for s in _STAGE_DATA
})


def _derive_stage(facts: Facts) -> str | None:
    for stage in STAGES.values():
        if _first_evidence(stage.when, facts) is not None:
            return stage.code
    return None


def life_stage(profile: Mapping[str, Any]) -> str | None:
    """The profile's life stage code: the trainee's own call (``life_stage``) if given, else the first stage
    rule that holds; None when the profile says too little."""
    return read_profile(profile).stage


def derived_stage(profile: Mapping[str, Any]) -> str | None:
    """The stage the rules give, ignoring the trainee's own call (the page shows both)."""
    facts = read_profile({k: v for k, v in profile.items() if k != "life_stage"})
    return facts.stage


# ---- need rules -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedRule:
    id: str
    need: str
    category: str
    account: str | None
    products: tuple[str, ...]
    when: tuple[Condition, ...]
    texts: Mapping[str, Mapping[str, str]]  # label, stated, latent, why → {"zh", "en"}

    def text(self, part: str, lang: str) -> str:
        entry = self.texts[part]
        return i18n.pick(lang, entry["zh"], entry["en"])


TEXT_PARTS: tuple[str, ...] = ("label", "stated", "latent", "why")


def _rule(raw: Mapping[str, Any]) -> NeedRule:
    rule_id = str(raw["id"])
    category = str(raw["category"])
    if category not in CATEGORIES:
        raise ValueError(f"rule {rule_id}: unknown category {category!r}")
    account = raw.get("account")
    if account is not None and account not in ACCOUNT_CODES:
        raise ValueError(f"rule {rule_id}: unknown account {account!r}")
    products = tuple(str(p) for p in raw["products"])
    unknown = [p for p in products if p not in PRODUCTS]
    if unknown or not products:
        raise ValueError(f"rule {rule_id}: unknown products {unknown}")
    texts = {}
    for part in TEXT_PARTS:
        entry = raw[part]
        if not (str(entry.get("zh", "")).strip() and str(entry.get("en", "")).strip()):
            raise ValueError(f"rule {rule_id}: {part} lacks zh or en")
        texts[part] = MappingProxyType({"zh": str(entry["zh"]), "en": str(entry["en"])})
    return NeedRule(rule_id, str(raw.get("need") or rule_id), category, account, products,
                    _conditions(f"rule {rule_id}", raw["when"], STAGE_CODES), MappingProxyType(texts))


def _rules() -> tuple[NeedRule, ...]:
    rules = tuple(_rule(raw) for raw in _load("need_rules.toml")["rules"])
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise ValueError("need rules: duplicate rule id")
    category_of: dict[str, str] = {}
    for rule in rules:
        if category_of.setdefault(rule.need, rule.category) != rule.category:
            raise ValueError(f"need {rule.need!r}: rules disagree on its category")
    return rules


NEED_RULES: tuple[NeedRule, ...] = _rules()
NEED_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule.need for rule in NEED_RULES))
NEED_CATEGORY: Mapping[str, str] = MappingProxyType({rule.need: rule.category for rule in NEED_RULES})


@dataclass(frozen=True)
class Need:
    """A latent need found on a profile: the rule that fired, the facts it fired on and what it recommends."""

    rule: NeedRule
    evidence: Evidence  # (fact, value) pairs: age, marital, children, child_age, parent_age, event, occupation …

    @property
    def id(self) -> str:
        return self.rule.need

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def category(self) -> str:
        return self.rule.category

    @property
    def account(self) -> str | None:
        return self.rule.account

    @property
    def products(self) -> tuple[str, ...]:
        return self.rule.products

    def text(self, part: str, lang: str) -> str:
        """``label`` (the need), ``stated`` (表象需求), ``latent`` (潜在需求) or ``why`` in ``lang``."""
        return self.rule.text(part, lang)

    def why(self, lang: str) -> str:
        return self.rule.text("why", lang)


def needs_of(facts: Facts, rules: Sequence[NeedRule] = NEED_RULES) -> list[Need]:
    found: list[Need] = []
    seen: set[str] = set()
    for rule in rules:
        if rule.need in seen:
            continue
        evidence = _first_evidence(rule.when, facts)
        if evidence is not None:
            seen.add(rule.need)
            found.append(Need(rule, evidence))
    return found


def latent_needs(profile: Mapping[str, Any], rules: Sequence[NeedRule] = NEED_RULES) -> list[Need]:
    """The latent needs of a profile, in rule order, one per need id (the first rule that fires).

    A profile with nothing to go on returns ``[]``: no rule fires on an unknown fact.
    """
    return needs_of(read_profile(profile), rules)


# ---- the customer book ------------------------------------------------------------------------------------------


def missing_kyc_fields(book: pd.DataFrame) -> tuple[str, ...]:
    """The KYC fields (DESIGN §4.1) the book lacks; the page names them."""
    return tuple(key for key in KYC_FIELDS if key not in book.columns)


def profile_from_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A profile from one customer of the book (canonical keys); blanks stay unknown."""
    profile: dict[str, Any] = {}
    for key in ("age", "marital", "children", "occupation", "risk_level"):
        if key in row and not _blank(row[key]):
            profile[key] = row[key]
    if "life_event" in row and not _blank(row["life_event"]):
        profile["life_events"] = row["life_event"]
    if "aum" in row and finite_number(row["aum"]) is not None:
        profile["total_assets"] = finite_number(row["aum"])
    return profile


def _unique_map(series: pd.Series, reader: Any) -> pd.Series:
    """``reader`` applied once per distinct value (a book repeats a few categories thousands of times)."""
    uniques = series.dropna().unique()
    mapping = {value: reader(value) for value in uniques}
    return series.map(mapping)


def book_facts(book: pd.DataFrame) -> pd.DataFrame:
    """The KYC facts of every customer, as columns a rule can read (one row per customer, the book's index)."""
    n = len(book)
    frame = pd.DataFrame(index=book.index)
    age = column_numbers(book, "age")
    frame["age"] = age if age is not None else np.full(n, np.nan)
    children = column_numbers(book, "children")
    frame["children"] = children if children is not None else np.full(n, np.nan)
    aum = column_numbers(book, "aum")
    frame["assets"] = aum if aum is not None else np.full(n, np.nan)
    for key, reader in (("marital", read_marital), ("occupation", read_occupation), ("risk_level", read_risk)):
        frame[key] = _unique_map(book[key], reader).astype(object) if key in book.columns else None
    if "life_event" in book.columns:
        frame["events"] = _unique_map(book["life_event"].astype(object), _events_key).astype(object)
    else:
        frame["events"] = None
    return frame


def _events_key(value: object) -> str | None:
    """Life events as one hashable text ("child_abroad|home_purchase"; "" for none), None when unknown."""
    events = read_events(value)
    return None if events is None else "|".join(events)


def _facts_from_record(record: Mapping[str, Any]) -> Facts:
    events = record.get("events")
    children = finite_number(record.get("children"))
    facts = Facts(
        age=finite_number(record.get("age")),
        marital=record.get("marital") if isinstance(record.get("marital"), str) else None,
        children=int(children) if children is not None and children >= 0 else None,
        events=None if not isinstance(events, str) else tuple(e for e in events.split("|") if e),
        occupation=record.get("occupation") if isinstance(record.get("occupation"), str) else None,
        risk=record.get("risk_level") if isinstance(record.get("risk_level"), str) else None,
        assets=finite_number(record.get("assets")),
    )
    return _with_stage(facts, _derive_stage(facts), given=False)


def book_needs(book: pd.DataFrame, rules: Sequence[NeedRule] = NEED_RULES) -> pd.DataFrame:
    """Which needs each customer of the book has: a bool frame, the book's index × ``NEED_IDS``.

    The same rules as :func:`latent_needs` on :func:`profile_from_row` (a test holds them equal). Customers with
    the same facts share one evaluation, so a large book costs the number of distinct fact combinations. Asset
    amounts only matter against the rules' ``assets_min`` thresholds, so they are grouped by those.
    """
    facts = book_facts(book)
    thresholds = sorted(_bounds(rules, "assets_min"))
    assets = facts["assets"].to_numpy(dtype=np.float64)
    # Each customer's assets are replaced by the largest threshold they reach (NaN: unknown, 0: below all).
    bucket = np.full(len(assets), np.nan)
    known = ~np.isnan(assets)
    bucket[known] = 0.0
    for threshold in thresholds:
        bucket[known & (assets >= threshold)] = threshold
    facts["assets"] = bucket
    # Ages likewise matter only against the rules' bounds: customers whose age compares alike with every
    # age_min and age_max share a class (the first one's age stands for it).
    bounds_min = np.array(sorted(_bounds(rules, "age_min")))
    bounds_max = np.array(sorted(_bounds(rules, "age_max")))
    age = facts["age"].to_numpy(dtype=np.float64)
    age_class = np.where(np.isnan(age), np.nan, np.searchsorted(bounds_min, age, side="right") * 1000
                         + np.searchsorted(bounds_max, age, side="left"))
    facts["age_class"] = age_class
    columns = ["age_class", "children", "assets", "marital", "occupation", "risk_level", "events"]
    keys = facts[[*columns, "age"]].astype(object).where(facts[[*columns, "age"]].notna(), None)
    group = keys.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    firsts = pd.Series(np.arange(len(group))).groupby(group).first()
    matrix = np.zeros((len(firsts), len(NEED_IDS)), dtype=bool)
    position = {need: i for i, need in enumerate(NEED_IDS)}
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in keys.to_dict("records")]
    for group_id, row in zip(firsts.index, firsts.to_numpy(), strict=True):
        for need in needs_of(_facts_from_record(records[int(row)]), rules):
            matrix[int(group_id), position[need.id]] = True
    return pd.DataFrame(matrix[group] if len(group) else np.zeros((0, len(NEED_IDS)), dtype=bool),
                        index=book.index, columns=list(NEED_IDS))


def _bounds(rules: Sequence[NeedRule], key: str) -> set[float]:
    """Every value of condition ``key`` in the stage rules and ``rules``."""
    conditions = [c for stage in STAGES.values() for c in stage.when] + [c for r in rules for c in r.when]
    return {float(value) for condition in conditions for k, value in condition.items if k == key}


def need_groups(book: pd.DataFrame, needs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customers who share a need category (a customer with several needs is in several groups): per category in
    ``CATEGORIES`` order, the customers, their AUM (元) and their share of the book. Empty categories are left out.
    """
    flags = book_needs(book) if needs is None else needs
    aum = pd.Series(column_numbers(book, "aum"), index=book.index).fillna(0.0)
    rows = []
    for category in CATEGORIES:
        ids = [need for need in flags.columns if NEED_CATEGORY.get(need) == category]
        if not ids:
            continue
        member = flags[ids].any(axis=1)
        count = int(member.sum())
        if count:
            rows.append({"category": category, "customers": count, "aum": float(aum[member].sum()),
                         "customer_share": count / len(book) if len(book) else 0.0})
    frame = pd.DataFrame(rows, columns=["category", "customers", "aum", "customer_share"])
    return frame.set_index("category")
