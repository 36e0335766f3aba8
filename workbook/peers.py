"""同业分层 — the ten banks' published customer tiers as data, and the presets they give the ``aum`` scheme.

The figures live in ``workbook/data/peer_banks.toml`` (transcribed from the project's reference, each with its
source, year and confidence). Nothing here is an official rulebook: every screen that shows them carries
:data:`CAVEAT` and flags figures whose confidence is not H.

Presets. Every bank is a preset for the ``aum`` scheme (``preset_rule`` in the data file): its tiers with a known
AUM lower bound, plus its private-banking threshold as a top tier when no tier starts there. So 招商 (金卡 5万 ·
金葵花 50万 · 钻石 500万 · 私行 1000万), 交通 (沃德 ≈50万 · 私行 600万), 邮储 (VIP ≈10万 · 富嘉 ≈50万 · 鼎福 600万),
中信 (私行白钻 600万 · 1000万) and 兴业 (品尊 600万 · 领尊 3000万 · 顶尊 1亿) give multi-tier ladders, while
工商 (800万; its 星级 are by points, see :mod:`workbook.gradient`), 农业 (600万), 中国银行 (600万, conflicting with
US$1m ≈ 800万 at launch), 建设 (600万 now, 1000万 at launch) and 浦发 (800万) give two tiers: below private
banking and private banking.

How a preset handles an unknown lower bound: a tier without one merges with the tier below it (their names
are joined, e.g. 交通 "普通 · 交银理财"); when the lowest tier's bound is unknown it becomes the base tier
("…（600万以下）"); customers below the lowest known bound form a base tier the bank does not name (招商
"金卡以下（未列名）", 农业 "私行以下（未列名）"). :func:`peer_preset` records, tier by tier, which of these
happened and the provenance behind each bound; :func:`preset_table` shows it.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.i18n import pick

DATA_FILE = Path(__file__).parent / "data" / "peer_banks.toml"

# Confidence grades, most to least certain. Anything but H is flagged on screen. The data keeps the reference's
# letter codes; the screen shows them as words (catalogue ``peers.grade.<code>``: 高 / 中 / 低 …).
CONFIDENCE_LEVELS: tuple[str, ...] = ("H", "M-H", "M", "M-L", "L-M", "L")
# A year of a figure is written as digits ("2022") or a list of them (["2015", "2020"]); anything worded
# ("recent", "2015 and later") needs ``year_zh`` and ``year_en`` so no English leaks into the Chinese page.
_YEAR_CHARACTERS = frozenset("0123456789-")


# The mark of a figure to check, joined to its grade by a no-break space so a narrow cell never strands the ⚠.
FLAG = "⚠\u00a0"


def is_flagged(confidence: str) -> bool:
    """True when a figure is not well established (M or L in its grade): the page marks it."""
    return confidence != "H"


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from. The year is text in each language ("2015、2020" / "2015, 2020", "近期" /
    "recent"); empty when the reference gives none."""

    year_zh: str
    year_en: str
    source_zh: str
    source_en: str
    confidence: str

    def source(self, lang: str) -> str:
        return pick(lang, self.source_zh, self.source_en)

    def year(self, lang: str) -> str:
        return pick(lang, self.year_zh, self.year_en)

    @property
    def flagged(self) -> bool:
        return is_flagged(self.confidence)


@dataclass(frozen=True)
class PeerTier:
    code: str
    zh: str
    en: str
    provenance: Provenance
    minimum: float | None = None  # 元, lower bound inclusive; None when not public
    maximum: float | None = None  # 元, upper bound when quoted (informational)
    approximate: bool = False  # quoted as "about" (≈)
    by_points: bool = False  # graded by points, not by an AUM threshold (工商银行 星级)
    inferred: bool = False  # not published: name and bound follow from another figure (中信 白钻以上)

    def label(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class PastThreshold:
    amount: float
    zh: str
    en: str
    provenance: Provenance

    def label(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class PrivateBanking:
    amount: float  # 元, lower bound inclusive
    basis_zh: str
    basis_en: str
    provenance: Provenance
    history: tuple[PastThreshold, ...] = ()

    def basis(self, lang: str) -> str:
        return pick(lang, self.basis_zh, self.basis_en)


@dataclass(frozen=True)
class PeerBank:
    id: str
    zh: str
    en: str
    confidence: str
    note_zh: str
    note_en: str
    private_banking: PrivateBanking
    tiers: tuple[PeerTier, ...]
    below_note_zh: str = ""  # a remark on the preset's filled-in base tier (工商银行: star levels are by points)
    below_note_en: str = ""

    def name(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)

    def note(self, lang: str) -> str:
        return pick(lang, self.note_zh, self.note_en)

    def below_note(self, lang: str) -> str:
        return pick(lang, self.below_note_zh, self.below_note_en)


@dataclass(frozen=True)
class Anchor:
    amount: float
    zh: str
    en: str
    detail_zh: str
    detail_en: str
    provenance: Provenance

    def text(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)

    def detail(self, lang: str) -> str:
        return pick(lang, self.detail_zh, self.detail_en)


@dataclass(frozen=True)
class PublicFigure:
    """A public figure quoted on a page as a sentence, with its provenance (e.g. product holding and churn)."""

    zh: str
    en: str
    provenance: Provenance

    def text(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class MarketBand:
    amount: float
    banks_zh: str
    banks_en: str

    def banks(self, lang: str) -> str:
        return pick(lang, self.banks_zh, self.banks_en)


class PeerDataError(ValueError):
    """The data file breaks one of its own rules (a worded year without both languages, an unknown grade)."""


def _years(table: Mapping[str, Any]) -> tuple[str, str]:
    """A figure's year in zh and en: ``year_zh``/``year_en`` when worded, else ``year`` (digits, or a list)."""
    if "year_zh" in table or "year_en" in table:
        if not (str(table.get("year_zh", "")).strip() and str(table.get("year_en", "")).strip()):
            raise PeerDataError(f"a worded year needs both year_zh and year_en: {dict(table)!r}")
        return str(table["year_zh"]), str(table["year_en"])
    raw = table.get("year", "")
    years = [str(y) for y in raw] if isinstance(raw, list) else ([str(raw)] if str(raw) else [])
    for year in years:
        if not set(year) <= _YEAR_CHARACTERS:
            raise PeerDataError(f"year {year!r} is worded: write it as year_zh and year_en")
    return "、".join(years), ", ".join(years)


def provenance_of(table: Mapping[str, Any]) -> Provenance:
    confidence = str(table["confidence"])
    if confidence not in CONFIDENCE_LEVELS:
        raise PeerDataError(f"unknown confidence {confidence!r}; expected one of {CONFIDENCE_LEVELS}")
    year_zh, year_en = _years(table)
    return Provenance(
        year_zh=year_zh,
        year_en=year_en,
        source_zh=str(table["source_zh"]),
        source_en=str(table["source_en"]),
        confidence=confidence,
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@lru_cache(maxsize=1)
def reference() -> dict[str, Any]:
    """The raw data file (read once per process: it ships with the code, it is not user data)."""
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _load_banks() -> tuple[PeerBank, ...]:
    banks = []
    for raw in reference()["banks"]:
        pb = raw["private_banking"]
        banks.append(
            PeerBank(
                id=raw["id"],
                zh=raw["zh"],
                en=raw["en"],
                confidence=raw["confidence"],
                note_zh=raw["note_zh"],
                note_en=raw["note_en"],
                private_banking=PrivateBanking(
                    amount=float(pb["amount"]),
                    basis_zh=pb["basis_zh"],
                    basis_en=pb["basis_en"],
                    provenance=provenance_of(pb),
                    history=tuple(
                        PastThreshold(float(h["amount"]), h["zh"], h["en"], provenance_of(h))
                        for h in pb.get("history", ())
                    ),
                ),
                tiers=tuple(
                    PeerTier(
                        code=t["code"],
                        zh=t["zh"],
                        en=t["en"],
                        provenance=provenance_of(t),
                        minimum=_number(t.get("min")),
                        maximum=_number(t.get("max")),
                        approximate=bool(t.get("approximate", False)),
                        by_points=bool(t.get("by_points", False)),
                        inferred=bool(t.get("inferred", False)),
                    )
                    for t in raw.get("tiers", ())
                ),
                below_note_zh=raw.get("preset", {}).get("below_note_zh", ""),
                below_note_en=raw.get("preset", {}).get("below_note_en", ""),
            )
        )
    return tuple(banks)


PEER_BANKS: tuple[PeerBank, ...] = _load_banks()
# Read-only views: these tables are shared by every session of the server.
BANK_BY_ID: Mapping[str, PeerBank] = MappingProxyType({b.id: b for b in PEER_BANKS})
CAVEAT: Mapping[str, str] = MappingProxyType({"zh": reference()["caveat_zh"], "en": reference()["caveat_en"]})
PRESET_RULE: Mapping[str, str] = MappingProxyType(dict(reference()["preset_rule"]))

_anchor = reference()["anchor"]
ANCHOR = Anchor(
    amount=float(_anchor["amount"]),
    zh=_anchor["zh"],
    en=_anchor["en"],
    detail_zh=_anchor["detail_zh"],
    detail_en=_anchor["detail_en"],
    provenance=provenance_of(_anchor),
)
# The regulatory private-banking line (600万): a tier starting at or above it counts as private banking.
PRIVATE_BANKING_ANCHOR: float = ANCHOR.amount

_bands = reference()["market_bands"]
MARKET_BANDS_PROVENANCE = provenance_of(_bands)
MARKET_BANDS: tuple[MarketBand, ...] = tuple(
    MarketBand(float(b["amount"]), b["banks_zh"], b["banks_en"]) for b in _bands["bands"]
)


_churn = reference()["product_churn"]
PRODUCT_CHURN = PublicFigure(_churn["zh"], _churn["en"], provenance_of(_churn))


def caveat(lang: str) -> str:
    return CAVEAT["en" if lang == "en" else "zh"]


def amount_text(amount: float | None, lang: str) -> str:
    """A threshold in the way bankers say it: 5万 · 600万 · 1亿 / CNY 50k · CNY 6m · CNY 100m."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "—"
    if lang == "en":
        if amount >= 1e6:
            return f"CNY {amount / 1e6:g}m"
        if amount >= 1e3:
            return f"CNY {amount / 1e3:g}k"
        return f"CNY {amount:g}"
    if amount >= 1e8:
        return f"{amount / 1e8:g}亿"
    if amount >= 1e4:
        return f"{amount / 1e4:g}万"
    return f"{amount:g}元"


# ---- presets for the aum scheme ----------------------------------------------------------------------------


class PresetError(ValueError):
    """No such bank."""


# Where a preset tier comes from. "published": the bank publishes the tier and its lower bound;
# "private_banking": the top tier made from the bank's published private-banking threshold;
# "inferred": a tier the data marks as inferred from another published figure (中信 白钻以上, from 白钻's upper bound);
# "named_base": the bank names the tier(s) but not the bound, so the range "below the next threshold" is ours;
# "unnamed_base": the bank publishes neither name nor bound for the customers below its lowest threshold, so the
# label is ours too.
# "course": a tier of the course's own ladder kept below a two-tier bank's private-banking line (course_blend).
ORIGINS: tuple[str, ...] = ("published", "private_banking", "inferred", "named_base", "unnamed_base", "course")
FILLED_ORIGINS: frozenset[str] = frozenset({"inferred", "named_base", "unnamed_base", "course"})


@dataclass(frozen=True)
class PresetTier:
    """One tier of a bank's preset, with where its name and lower bound come from."""

    code: str
    zh: str
    en: str
    minimum: float  # 元, inclusive; 0 for the base tier
    origin: str  # one of ORIGINS
    provenance: Provenance | None  # of the bound (or of the names, for a named base); None when filled in
    approximate: bool = False
    merged: tuple[PeerTier, ...] = ()  # tiers without a public bound folded into this one
    history: tuple[PastThreshold, ...] = ()  # earlier, conflicting figures for this bound
    note_zh: str = ""
    note_en: str = ""

    def label(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)

    def note(self, lang: str) -> str:
        return pick(lang, self.note_zh, self.note_en)

    @property
    def filled(self) -> bool:
        """True when the tier's label or range is the workbook's, not the bank's."""
        return self.origin in FILLED_ORIGINS


@dataclass(frozen=True)
class PeerPreset:
    bank_id: str
    tiers: tuple[PresetTier, ...]  # low to high; the first starts at 0

    @property
    def thresholds(self) -> tuple[float, ...]:
        return tuple(t.minimum for t in self.tiers[1:])

    @property
    def filled(self) -> bool:
        return any(t.filled for t in self.tiers)

    def params(self) -> dict[str, Any]:
        """The ``aum`` scheme params (JSON types: this is what the workspace stores)."""
        return {
            "thresholds": [int(m) if float(m).is_integer() else float(m) for m in self.thresholds],
            "labels": [{"code": t.code, "zh": t.zh, "en": t.en} for t in self.tiers],
        }


def _rule(key: str, lang: str, **values: str) -> str:
    return PRESET_RULE[f"{key}_{'en' if lang == 'en' else 'zh'}"].format(**values)


@cache
def peer_preset(bank_id: str) -> PeerPreset:
    """The bank's ladder for the ``aum`` scheme, tier by tier with its origin and provenance (see the module doc)."""
    bank = BANK_BY_ID.get(bank_id)
    if bank is None:
        raise PresetError(f"unknown bank {bank_id!r}")
    pb = bank.private_banking
    # Groups of AUM tiers (points-graded tiers are not AUM tiers): a tier with a known bound starts a group; one
    # without joins the group below it.
    groups: list[tuple[float | None, list[PeerTier]]] = []
    for tier in bank.tiers:
        if tier.by_points:
            continue
        if tier.minimum is not None or not groups:
            groups.append((tier.minimum, [tier]))
        else:
            groups[-1][1].append(tier)
    bounded = [(m, g) for m, g in groups if m is not None]
    top: PresetTier | None = None
    if pb.amount not in {m for m, _ in bounded}:
        top = PresetTier(
            code=f"{bank.id}_private",
            zh=_rule("private", "zh"),
            en=_rule("private", "en"),
            minimum=pb.amount,
            origin="private_banking",
            provenance=pb.provenance,
            history=pb.history,
        )
    lowest_known = bounded[0][0] if bounded else pb.amount

    tiers: list[PresetTier] = []
    rest = bounded
    if groups and groups[0][0] is None:
        # The lowest named tiers have no public bound: they are the base, everyone below the next bound.
        names = groups[0][1]
        tiers.append(
            PresetTier(
                code=names[0].code,
                zh=_rule("named_base", "zh", names=" · ".join(t.zh for t in names),
                         bound=amount_text(lowest_known, "zh")),
                en=_rule("named_base", "en", names=" · ".join(t.en for t in names),
                         bound=amount_text(lowest_known, "en")),
                minimum=0.0,
                origin="named_base",
                provenance=names[0].provenance,
                merged=tuple(names[1:]),
            )
        )
    elif not bounded or bounded[0][0] > 0:
        # Customers below the lowest published bound belong to a tier the bank does not name.
        if bounded:
            name = bounded[0][1][0]
            zh, en = _rule("below", "zh", name=name.zh), _rule("below", "en", name=name.en)
        else:
            zh, en = _rule("below_private", "zh"), _rule("below_private", "en")
        tiers.append(
            PresetTier(
                code=f"{bank.id}_below", zh=zh, en=en, minimum=0.0, origin="unnamed_base", provenance=None,
                note_zh=bank.below_note_zh, note_en=bank.below_note_en,
            )
        )
    for minimum, group in rest:
        assert minimum is not None
        head = group[0]
        tiers.append(
            PresetTier(
                code=head.code,
                zh=" · ".join(t.zh for t in group),
                en=" · ".join(t.en for t in group),
                minimum=float(minimum),
                origin="inferred" if head.inferred else "published",
                provenance=head.provenance,
                approximate=head.approximate,
                merged=tuple(group[1:]),
                history=pb.history if minimum == pb.amount else (),
            )
        )
    if top is not None:
        # Banks whose published tiers all lie below the private-banking line get it on top.
        if tiers and tiers[-1].minimum >= top.minimum:
            raise ValueError(f"{bank.id}: a published tier starts at or above the private-banking threshold")
        tiers.append(top)
    return PeerPreset(bank.id, tuple(tiers))


PRESET_BANKS: tuple[str, ...] = tuple(b.id for b in PEER_BANKS)  # every bank is a preset
# Banks whose preset rests on the private-banking threshold alone (two tiers: below it, and private banking).
PRIVATE_ONLY_BANKS: tuple[str, ...] = tuple(
    b for b in PRESET_BANKS if {t.origin for t in peer_preset(b).tiers} <= {"private_banking", *FILLED_ORIGINS}
)


@cache
def course_blend(bank_id: str) -> PeerPreset:
    """For a bank that publishes only its private-banking line (``PRIVATE_ONLY_BANKS``): the course's lower tiers
    (大众 · 潜力 · 财富, with the course's thresholds) below that line, and the bank's private-banking tier above it.

    A two-tier ladder puts everyone below, say, 800万 in one tier, which says nothing about a manager's book; the
    course's lower steps keep the ladder useful while the private-banking line stays the bank's. The course's
    own top tier (私行 from 600万) is left out: the bank's line takes its place. The lower tiers' origin is
    "course" (filled in: neither their names nor their bounds are the bank's).
    """
    if bank_id not in PRIVATE_ONLY_BANKS:
        raise PresetError(f"{bank_id!r} publishes its own lower tiers; only two-tier presets blend with the course")
    from workbook.segmentation import SCHEMES

    course = SCHEMES["aum"].default_params()
    top = peer_preset(bank_id).tiers[-1]
    bounds = [0.0, *(float(b) for b in course["thresholds"])]
    lower = [
        PresetTier(code=str(label["code"]), zh=str(label["zh"]), en=str(label["en"]), minimum=bound,
                   origin="course", provenance=None)
        for bound, label in zip(bounds[:-1], course["labels"][:-1], strict=True)
        if bound < top.minimum
    ]
    return PeerPreset(bank_id, (*lower, top))


def aum_preset(bank_id: str) -> dict[str, Any]:
    """The bank's ladder as ``aum`` scheme params: ``{"thresholds": [元, …], "labels": [{code, zh, en}, …]}``.

    Thresholds are lower bounds, inclusive, ascending; there is one more label than thresholds (the base tier
    below the first threshold). :func:`peer_preset` says where each tier comes from.
    """
    return peer_preset(bank_id).params()


# ---- tables for the page -----------------------------------------------------------------------------------


def confidence_text(confidence: str, lang: str) -> str:
    """The grade as a word for a table cell, with a visible mark when it is not H: "高", "⚠ 中低" / "⚠ Medium–low"."""
    grade = i18n.t(f"peers.grade.{confidence}", lang)
    return f"{FLAG}{grade}" if is_flagged(confidence) else grade


def confidence_phrase(confidence: str, lang: str) -> str:
    """The grade for running text, with what it means: "高（多个来源一致）", "⚠ 中（单一来源）"."""
    phrase = i18n.t("peers.grade_phrase", lang, grade=i18n.t(f"peers.grade.{confidence}", lang),
                    meaning=i18n.t(f"peers.grade_meaning.{confidence}", lang))
    return f"{FLAG}{phrase}" if is_flagged(confidence) else phrase


def bound_text(tier: PeerTier, lang: str) -> str:
    """A tier's published range: "5万–50万", "≥约50万", "" (from zero), or why there is none."""
    about = ("about " if lang == "en" else "约") if tier.approximate else ""
    if tier.by_points:
        return i18n.t("peers.by_points", lang)
    if tier.minimum is None:
        return i18n.t("peers.bound_unknown", lang)
    if tier.maximum is not None:
        return f"{about}{amount_text(tier.minimum, lang)}–{amount_text(tier.maximum, lang)}"
    if tier.minimum == 0:
        return ""
    return f"≥{about}{amount_text(tier.minimum, lang)}"


def tier_text(tier: PeerTier, lang: str) -> str:
    """"金卡 5万–50万（2022，⚠ 中低）" / "Gold card CNY 50k–CNY 500k (2022, ⚠ Medium–low)" — a tier with its range,
    year and grade."""
    grade = confidence_text(tier.provenance.confidence, lang)
    bound = bound_text(tier, lang)
    # no space before a full-width bracket: "贵宾等（门槛未公开）", but "金卡 5万–50万"
    head = f"{tier.label(lang)}{'' if bound.startswith('（') else ' '}{bound}".strip()
    return i18n.t("peers.tier_text", lang, tier=head, year=tier.provenance.year(lang) or "—", confidence=grade)


def ladder_text(params: Mapping[str, Any], lang: str) -> str:
    """An ``aum`` ladder as one line: "金卡以下 < 5万 ≤ 金卡 < 50万 ≤ 金葵花 …"."""
    labels = [label["en" if lang == "en" else "zh"] for label in params["labels"]]
    parts = [labels[0]]
    for bound, label in zip(params["thresholds"], labels[1:], strict=True):
        parts.append(f"{amount_text(float(bound), lang)} ≤ {label}")
    return " < ".join(parts)


def thresholds_text(params: Mapping[str, Any], lang: str) -> str:
    """An ``aum`` ladder's thresholds as one list: "5万、50万、500万、1000万" / "CNY 50k, CNY 500k, …"."""
    return (", " if lang == "en" else "、").join(amount_text(float(b), lang) for b in params["thresholds"])


def market_bands_text(lang: str) -> str:
    """The 2015 private-banking entry bands as one line."""
    colon, separator = (": ", "; ") if lang == "en" else ("：", "；")
    return separator.join(f"{amount_text(b.amount, lang)}{colon}{b.banks(lang)}" for b in MARKET_BANDS)


def names_text(bank_ids: Sequence[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(BANK_BY_ID[b].name(lang) for b in bank_ids)


def overview_table(lang: str) -> pd.DataFrame:
    """One row per bank: tiers low → high (one per line, ``\n``-separated), the private-banking threshold with its
    basis, source, year, grade."""
    rows = []
    for bank in PEER_BANKS:
        pb = bank.private_banking
        threshold = amount_text(pb.amount, lang)
        if pb.history:
            earlier = ("; " if lang == "en" else "；").join(h.label(lang) for h in pb.history)
            threshold = i18n.t("peers.threshold_earlier", lang, threshold=threshold, earlier=earlier)
        rows.append(
            {
                "bank": bank.name(lang),
                "tiers": "\n".join(tier_text(t, lang) for t in bank.tiers) or i18n.t("peers.tiers_not_found", lang),
                "private_banking": threshold,
                "basis": pb.basis(lang),
                "source": pb.provenance.source(lang),
                "year": pb.provenance.year(lang) or "—",
                "confidence": confidence_text(bank.confidence, lang),
                "preset": preset_summary(bank.id, lang),
                "note": bank.note(lang),
            }
        )
    return pd.DataFrame(rows)


def preset_summary(bank_id: str, lang: str) -> str:
    """"✓ 5 层：公开 4，填补 1": the preset's size, and how many of its tiers are filled in."""
    preset = peer_preset(bank_id)
    filled = sum(t.filled for t in preset.tiers)
    key = "peers.preset_tiers_filled" if filled else "peers.preset_tiers"
    return i18n.t(key, lang, n=len(preset.tiers), published=len(preset.tiers) - filled, filled=filled)


def _bound(tier: PresetTier, lang: str) -> str:
    about = ("about " if lang == "en" else "约") if tier.approximate else ""
    return f"{about}{amount_text(tier.minimum, lang)}"


def preset_table(bank_id: str, lang: str, *, blend: bool = False) -> pd.DataFrame:
    """The preset tier by tier: its range, what is published and what is filled in, and the figure's provenance.

    Columns ``tier``, ``range``, ``origin`` (text), ``source``, ``year``, ``confidence`` (⚠ when not H, "—" for a
    filled-in tier), ``provenance`` (the last three as one cell: "2025年资料（2025，⚠ M）") and ``filled`` (bool).
    ``blend``: the :func:`course_blend` ladder instead of the bank's own.
    """
    tiers = (course_blend(bank_id) if blend else peer_preset(bank_id)).tiers
    bank = BANK_BY_ID[bank_id]
    separator = ". " if lang == "en" else "；"
    rows = []
    for index, tier in enumerate(tiers):
        upper = tiers[index + 1] if index + 1 < len(tiers) else None
        if index == 0 and upper is not None:
            span = f"< {_bound(upper, lang)}"
        elif upper is None:
            span = f"≥ {_bound(tier, lang)}" if tier.minimum > 0 else i18n.t("peers.range_all", lang)
        else:
            span = f"{_bound(tier, lang)} – {_bound(upper, lang)}"
        if tier.origin == "private_banking":
            parts = [i18n.t("peers.origin.private_banking", lang, basis=bank.private_banking.basis(lang))]
        elif tier.origin == "named_base":
            parts = [i18n.t("peers.origin.named_base", lang, bound=_bound(upper, lang) if upper else "—")]
        else:
            parts = [i18n.t(f"peers.origin.{tier.origin}", lang)]
        if tier.merged:
            names = (", " if lang == "en" else "、").join(t.label(lang) for t in tier.merged)
            parts.append(i18n.t("peers.origin.merged", lang, names=names))
        if tier.history:
            earlier = ("; " if lang == "en" else "；").join(
                f"{h.label(lang)}"
                + i18n.t("peers.provenance", lang, source="", year=h.provenance.year(lang) or "—",
                         confidence=confidence_text(h.provenance.confidence, lang))
                for h in tier.history
            )
            parts.append(i18n.t("peers.origin.conflict", lang, earlier=earlier))
        if tier.note(lang):
            parts.append(tier.note(lang))
        provenance = tier.provenance
        source = provenance.source(lang) if provenance else i18n.t("peers.filled_source", lang)
        year = (provenance.year(lang) or "—") if provenance else "—"
        grade = confidence_text(provenance.confidence, lang) if provenance else "—"
        rows.append(
            {
                "tier": tier.label(lang),
                "range": span,
                "origin": separator.join(parts),
                "source": source,
                "year": year,
                "confidence": grade,
                "provenance": i18n.t("peers.provenance", lang, source=source, year=year, confidence=grade)
                if provenance
                else source,
                "filled": tier.filled,
            }
        )
    return pd.DataFrame(rows)


def figures_table(lang: str) -> pd.DataFrame:
    """One row per published figure (each tier bound and each private-banking threshold) with its provenance."""
    rows = []
    for bank in PEER_BANKS:
        for tier in bank.tiers:
            rows.append(_figure_row(bank, tier.label(lang), bound_text(tier, lang) or "≥0", tier.provenance, lang))
        pb = bank.private_banking
        label = i18n.t("peers.private_banking", lang)
        value = f"≥{amount_text(pb.amount, lang)} · {pb.basis(lang)}"
        rows.append(_figure_row(bank, label, value, pb.provenance, lang))
        for past in pb.history:
            rows.append(_figure_row(bank, label, past.label(lang), past.provenance, lang))
    return pd.DataFrame(rows)


def _figure_row(bank: PeerBank, item: str, value: str, provenance: Provenance, lang: str) -> dict[str, Any]:
    return {
        "bank": bank.name(lang),
        "item": item,
        "value": value,
        "source": provenance.source(lang),
        "year": provenance.year(lang) or "—",
        "confidence": confidence_text(provenance.confidence, lang),
        "flagged": provenance.flagged,
    }


def private_banking_reach(book: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """How many of the book's customers each bank's private-banking threshold would admit.

    One row per distinct threshold, high to low (the regulatory 600万 is always one): ``threshold`` (元),
    ``banks`` (names, ``、``-joined), ``customers`` (aum ≥ threshold), ``customer_share``, ``aum_share``.
    A customer with no AUM recorded counts as below every threshold.
    """
    aum = pd.to_numeric(book["aum"], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    aum = np.where(np.isnan(aum), 0.0, aum)
    total_customers = len(aum)
    total_aum = float(aum.sum())
    thresholds: dict[float, list[str]] = {}
    for bank in PEER_BANKS:
        thresholds.setdefault(bank.private_banking.amount, []).append(bank.id)
    rows = []
    for threshold in sorted(set(thresholds) | {PRIVATE_BANKING_ANCHOR}, reverse=True):
        admitted = aum >= threshold
        rows.append(
            {
                "threshold": threshold,
                "banks": ("、" if lang != "en" else ", ").join(
                    BANK_BY_ID[b].name(lang) for b in thresholds.get(threshold, [])
                ),
                "customers": int(admitted.sum()),
                "customer_share": admitted.sum() / total_customers if total_customers else 0.0,
                "aum_share": float(aum[admitted].sum()) / total_aum if total_aum > 0 else 0.0,
            }
        )
    return pd.DataFrame(rows)
