"""同业分层 — the ten banks' published customer tiers as data, and the presets they give the ``aum`` scheme.

The figures live in ``workbook/data/peer_banks.toml`` (transcribed from the project's reference, each with its
source, year and confidence). Nothing here is an official rulebook: every screen that shows them carries
:data:`CAVEAT` and flags figures whose confidence is not H.

Presets. A bank becomes a preset for the ``aum`` scheme only when at least two of its tiers have a known AUM
lower bound (``preset_rule.min_known_bounds``), so that the preset splits a book into three or more tiers:
招商 (金卡 5万 · 金葵花 50万 · 钻石 500万 · 私行 1000万), 交通 (沃德 ≈50万 · 私行 600万), 邮储 (VIP ≈10万 ·
富嘉 ≈50万 · 鼎福 600万), 中信 (私行白钻 600万 · 1000万) and 兴业 (品尊 600万 · 领尊 3000万 · 顶尊 1亿).
工商 grades by star points (see :mod:`workbook.gradient`), 中国银行's tiers have no public thresholds, and
农业、建设、浦发 publish only a private-banking threshold: they appear in the tables and in
:func:`private_banking_reach`, not as presets.

How a preset handles an unknown lower bound: a tier without one merges with the tier below it (their names
are joined, e.g. 交通 "普通 · 交银理财"); when the lowest tier's bound is unknown it becomes the base tier
("… 及以下"); customers below the lowest known bound form a base tier named after it (招商 "金卡以下").
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n

DATA_FILE = Path(__file__).parent / "data" / "peer_banks.toml"

# Confidence grades, most to least certain. Anything but H is flagged on screen.
CONFIDENCE_LEVELS: tuple[str, ...] = ("H", "M-H", "M", "M-L", "L-M", "L")


def is_flagged(confidence: str) -> bool:
    """True when a figure is not well established (M or L in its grade): the page marks it."""
    return confidence != "H"


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from."""

    year: str
    source_zh: str
    source_en: str
    confidence: str

    def source(self, lang: str) -> str:
        return _pick(lang, self.source_zh, self.source_en)

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

    def label(self, lang: str) -> str:
        return _pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class PastThreshold:
    amount: float
    zh: str
    en: str
    provenance: Provenance

    def label(self, lang: str) -> str:
        return _pick(lang, self.zh, self.en)


@dataclass(frozen=True)
class PrivateBanking:
    amount: float  # 元, lower bound inclusive
    basis_zh: str
    basis_en: str
    provenance: Provenance
    history: tuple[PastThreshold, ...] = ()

    def basis(self, lang: str) -> str:
        return _pick(lang, self.basis_zh, self.basis_en)


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

    def name(self, lang: str) -> str:
        return _pick(lang, self.zh, self.en)

    def note(self, lang: str) -> str:
        return _pick(lang, self.note_zh, self.note_en)

    @property
    def known_bounds(self) -> tuple[float, ...]:
        """The tiers' known AUM lower bounds above zero, low to high."""
        return tuple(sorted(t.minimum for t in self.tiers if t.minimum is not None and t.minimum > 0))


@dataclass(frozen=True)
class Anchor:
    amount: float
    zh: str
    en: str
    detail_zh: str
    detail_en: str
    provenance: Provenance

    def text(self, lang: str) -> str:
        return _pick(lang, self.zh, self.en)

    def detail(self, lang: str) -> str:
        return _pick(lang, self.detail_zh, self.detail_en)


@dataclass(frozen=True)
class MarketBand:
    amount: float
    banks_zh: str
    banks_en: str

    def banks(self, lang: str) -> str:
        return _pick(lang, self.banks_zh, self.banks_en)


def _provenance(table: Mapping[str, Any]) -> Provenance:
    return Provenance(
        year=str(table.get("year", "")),
        source_zh=str(table["source_zh"]),
        source_en=str(table["source_en"]),
        confidence=str(table["confidence"]),
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
                    provenance=_provenance(pb),
                    history=tuple(
                        PastThreshold(float(h["amount"]), h["zh"], h["en"], _provenance(h))
                        for h in pb.get("history", ())
                    ),
                ),
                tiers=tuple(
                    PeerTier(
                        code=t["code"],
                        zh=t["zh"],
                        en=t["en"],
                        provenance=_provenance(t),
                        minimum=_number(t.get("min")),
                        maximum=_number(t.get("max")),
                        approximate=bool(t.get("approximate", False)),
                        by_points=bool(t.get("by_points", False)),
                    )
                    for t in raw.get("tiers", ())
                ),
            )
        )
    return tuple(banks)


PEER_BANKS: tuple[PeerBank, ...] = _load_banks()
BANK_BY_ID: Mapping[str, PeerBank] = {b.id: b for b in PEER_BANKS}
CAVEAT: Mapping[str, str] = {"zh": reference()["caveat_zh"], "en": reference()["caveat_en"]}
MIN_KNOWN_BOUNDS: int = int(reference()["preset_rule"]["min_known_bounds"])

_anchor = reference()["anchor"]
ANCHOR = Anchor(
    amount=float(_anchor["amount"]),
    zh=_anchor["zh"],
    en=_anchor["en"],
    detail_zh=_anchor["detail_zh"],
    detail_en=_anchor["detail_en"],
    provenance=_provenance(_anchor),
)
# The regulatory private-banking line (600万): a tier starting at or above it counts as private banking.
PRIVATE_BANKING_ANCHOR: float = ANCHOR.amount

_bands = reference()["market_bands"]
MARKET_BANDS_PROVENANCE = _provenance(_bands)
MARKET_BANDS: tuple[MarketBand, ...] = tuple(
    MarketBand(float(b["amount"]), b["banks_zh"], b["banks_en"]) for b in _bands["bands"]
)


def caveat(lang: str) -> str:
    return CAVEAT["en" if lang == "en" else "zh"]


# ---- presets for the aum scheme ----------------------------------------------------------------------------


def has_preset(bank_id: str) -> bool:
    return len(BANK_BY_ID[bank_id].known_bounds) >= MIN_KNOWN_BOUNDS


PRESET_BANKS: tuple[str, ...] = tuple(b.id for b in PEER_BANKS if has_preset(b.id))


class PresetError(ValueError):
    """The bank has no asset-ladder preset (its tiers lack public AUM thresholds)."""


def aum_preset(bank_id: str) -> dict[str, Any]:
    """The bank's ladder as ``aum`` scheme params: ``{"thresholds": [元, …], "labels": [{code, zh, en}, …]}``.

    Thresholds are lower bounds, inclusive, ascending; there is one more label than thresholds (the base tier
    below the first threshold). Unknown bounds are handled as the module docstring says.
    """
    bank = BANK_BY_ID.get(bank_id)
    if bank is None:
        raise PresetError(f"unknown bank {bank_id!r}")
    if not has_preset(bank_id):
        raise PresetError(f"{bank.zh} has fewer than {MIN_KNOWN_BOUNDS} public AUM thresholds; no preset")
    # Groups of tiers: a tier with a known bound starts a group; one without joins the group below it.
    groups: list[tuple[float | None, list[PeerTier]]] = []
    for tier in bank.tiers:
        if tier.minimum is not None or not groups:
            groups.append((tier.minimum, [tier]))
        else:
            groups[-1][1].append(tier)

    labels: list[dict[str, str]] = []
    thresholds: list[float | int] = []
    first_min, first_tiers = groups[0]
    if first_min is None:
        # The lowest named tier has no public bound: it is the base, with everyone below the next bound.
        below = groups[1][0]
        labels.append(
            {
                "code": first_tiers[0].code,
                "zh": " · ".join(t.zh for t in first_tiers) + f"（{amount_text(below, 'zh')}以下）",
                "en": " · ".join(t.en for t in first_tiers) + f" (below {amount_text(below, 'en')})",
            }
        )
        rest = groups[1:]
    elif first_min > 0:
        # Customers below the lowest published bound belong to a tier the bank does not name.
        name = first_tiers[0]
        labels.append(
            {"code": f"{bank.id}_below", "zh": f"{name.zh}以下（未列名）", "en": f"Below {name.en} (unnamed)"}
        )
        rest = groups
    else:
        labels.append(_group_label(first_tiers))
        rest = groups[1:]
    for minimum, tiers in rest:
        assert minimum is not None  # only the first group can lack a bound
        thresholds.append(int(minimum) if float(minimum).is_integer() else float(minimum))
        labels.append(_group_label(tiers))
    return {"thresholds": thresholds, "labels": labels}


def _group_label(tiers: list[PeerTier]) -> dict[str, str]:
    return {
        "code": tiers[0].code,
        "zh": " · ".join(t.zh for t in tiers),
        "en": " · ".join(t.en for t in tiers),
    }


# ---- tables for the page -----------------------------------------------------------------------------------


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


def confidence_text(confidence: str, lang: str) -> str:
    """The grade, with a visible mark when it is not H."""
    grade = confidence.replace("-", "–")
    return f"⚠ {grade}" if is_flagged(confidence) else grade


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
    """"金卡 5万–50万 (2022, ⚠ M–L)" — a tier with its range, year and grade."""
    grade = confidence_text(tier.provenance.confidence, lang)
    head = f"{tier.label(lang)} {bound_text(tier, lang)}".strip()
    return f"{head} ({tier.provenance.year}, {grade})"


def ladder_text(params: Mapping[str, Any], lang: str) -> str:
    """An ``aum`` ladder as one line: "金卡以下 < 5万 ≤ 金卡 < 50万 ≤ 金葵花 …"."""
    labels = [label["en" if lang == "en" else "zh"] for label in params["labels"]]
    parts = [labels[0]]
    for bound, label in zip(params["thresholds"], labels[1:], strict=True):
        parts.append(f"{amount_text(float(bound), lang)} ≤ {label}")
    return " < ".join(parts)


def market_bands_text(lang: str) -> str:
    """The 2015 private-banking entry bands as one line."""
    colon, separator = (": ", "; ") if lang == "en" else ("：", "；")
    return separator.join(f"{amount_text(b.amount, lang)}{colon}{b.banks(lang)}" for b in MARKET_BANDS)


def names_text(bank_ids: Sequence[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(BANK_BY_ID[b].name(lang) for b in bank_ids)


def overview_table(lang: str) -> pd.DataFrame:
    """One row per bank: tiers low → high, the private-banking threshold with its basis, source, year, grade."""
    rows = []
    for bank in PEER_BANKS:
        pb = bank.private_banking
        threshold = amount_text(pb.amount, lang)
        if pb.history:
            earlier = "; ".join(h.label(lang) for h in pb.history)
            threshold = f"{threshold} ({i18n.t('peers.earlier', lang)}: {earlier})"
        rows.append(
            {
                "bank": bank.name(lang),
                "tiers": " · ".join(tier_text(t, lang) for t in bank.tiers) or i18n.t("peers.tiers_not_found", lang),
                "private_banking": threshold,
                "basis": pb.basis(lang),
                "source": pb.provenance.source(lang),
                "year": pb.provenance.year,
                "confidence": confidence_text(bank.confidence, lang),
                "preset": i18n.t("peers.preset_yes" if bank.id in PRESET_BANKS else "peers.preset_no", lang),
                "note": bank.note(lang),
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
        "year": provenance.year or "—",
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
