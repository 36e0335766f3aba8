"""The household four-account plan (家庭资产四账户) of a KYC card: the rule-of-thumb target against what the
customer holds, account by account (DESIGN §4.12).

    要花的钱 spend 10% · 保命的钱 protect 20% · 生钱的钱 grow 30% · 保本升值的钱 preserve 40%

An industry rule of thumb, widely called 「标准普尔家庭资产象限图」 in China; no S&P publication with it can be
traced, so the page presents it as a rule of thumb for the conversation with the customer, not as a standard.
The shares are editable (they must add up to 100%).

    target  = total assets × target share
    gap     = target − current        (> 0: add to this account; < 0: more than the target is there)

Σ target = total assets, so Σ gap = total assets − Σ current: what is not yet in any account (assets elsewhere
whose use is unknown) shows as a gap spread over the accounts. The product categories that fill each account
are data (``workbook/data/products.toml``; no 保本理财 since the 2018 asset-management rules).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from workbook import i18n
from workbook.kyc import ACCOUNT_CODES
from workbook.money import wan_input
from workbook.products import PRODUCTS
from workbook.products import data as _product_data

ACCOUNTS: tuple[str, ...] = ACCOUNT_CODES
PLAN_COLUMNS: tuple[str, ...] = ("target_share", "target", "current", "gap")
_SHARE_TOLERANCE = 1e-6
# Amounts within this many 元 of each other are the same (a float sum of 万元 typed on a page is not exact).
_MONEY_TOLERANCE = 0.5


class HouseholdError(i18n.LocalisedError):
    """Inputs the four-account plan cannot use (catalogue ``error.household.<code>``; ``text(lang)``)."""

    catalogue_prefix = "error.household"

    def message_values(self, lang: str) -> Mapping[str, Any]:
        values = dict(self.values)
        for key in ("held", "total"):
            if key in values:
                values[key] = wan_input(float(values[key]))
        for key in ("account", "name"):
            if values.get(key) in ACCOUNT_INFO:
                values[key] = ACCOUNT_INFO[str(values[key])].label(lang)
            elif key == "name" and values.get(key) == "total_assets":
                values[key] = i18n.t("s2_1.total_assets", lang)
        if "percent" in values:
            values["percent"] = f"{float(values['percent']):g}"
        return values


@dataclass(frozen=True)
class Account(i18n.Labelled):
    code: str
    zh: str
    en: str
    share: float  # the rule of thumb's share of total assets
    purpose: Mapping[str, str]
    products: tuple[str, ...]  # product category codes (products.toml)
    short_en: str = ""  # an English name short enough for a narrow input label ("Spend")

    def short_label(self, lang: str) -> str:
        return i18n.pick(lang, self.zh, self.short_en or self.en)


def _accounts() -> Mapping[str, Account]:
    raw = _product_data()["accounts"]
    if tuple(raw) != ACCOUNTS:
        raise ValueError(f"products.toml accounts must be {ACCOUNTS} in that order")
    accounts = {}
    for code, entry in raw.items():
        products = tuple(str(p) for p in entry["products"])
        wrong = [p for p in products if p not in PRODUCTS or PRODUCTS[p].account != code]
        if wrong:
            raise ValueError(f"account {code}: products not held in it {wrong}")
        accounts[code] = Account(code, str(entry["zh"]), str(entry["en"]), float(entry["share"]),
                                 MappingProxyType(dict(entry["purpose"])), products, str(entry.get("short_en", "")))
    if not math.isclose(sum(a.share for a in accounts.values()), 1.0, abs_tol=_SHARE_TOLERANCE):
        raise ValueError("products.toml: the default shares must add up to 1")
    return MappingProxyType(accounts)


ACCOUNT_INFO: Mapping[str, Account] = _accounts()
DEFAULT_SHARES: Mapping[str, float] = MappingProxyType({code: a.share for code, a in ACCOUNT_INFO.items()})
# Which account each balance of the customer book starts in, and what the trainee should check (products.toml).
BOOK_FIELD_ACCOUNTS: Mapping[str, str] = MappingProxyType(
    {field: str(entry["account"]) for field, entry in _product_data()["book_fields"].items()}
)
BOOK_FIELD_WHY: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {field: MappingProxyType(dict(entry["why"])) for field, entry in _product_data()["book_fields"].items()}
)


def _amount(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise HouseholdError("not_a_number", name=name, value=value) from None
    if not math.isfinite(number):
        raise HouseholdError("not_a_number", name=name, value=value)
    if number < 0:
        raise HouseholdError("negative", name=name, value=number)
    return number


def checked_shares(shares: Mapping[str, float] | None) -> dict[str, float]:
    """The four shares (0–1) in account order: the defaults when None; else all four, each ≥ 0, adding up to 1."""
    if shares is None:
        return dict(DEFAULT_SHARES)
    unknown = [k for k in shares if k not in ACCOUNTS]
    if unknown:
        raise HouseholdError("unknown_account", account=unknown[0])
    missing = [k for k in ACCOUNTS if k not in shares]
    if missing:
        raise HouseholdError("share_missing", account=missing[0])
    values = {k: _amount(shares[k], k) for k in ACCOUNTS}
    total = sum(values.values())
    if not math.isclose(total, 1.0, abs_tol=_SHARE_TOLERANCE):
        raise HouseholdError("shares_sum", percent=round(total * 100, 4))
    return values


def four_account_plan(
    total_assets: float, holdings: Mapping[str, float], shares: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """The four-account target against the customer's holdings.

    ``total_assets``: the household's financial assets (元). ``holdings``: account code → amount held (元); an
    account not given holds 0. ``shares``: account → share (0–1, adding up to 1); the rule of thumb by default.
    Returns a frame indexed by ``spend``, ``protect``, ``grow``, ``preserve`` with columns ``target_share``,
    ``target`` (元), ``current`` (元) and ``gap`` (target − current, 元). Raises ``HouseholdError`` for an
    unknown account, a negative or non-numeric amount, shares not adding up to 100%, or holdings above the total.
    """
    total = _amount(total_assets, "total_assets")
    unknown = [k for k in holdings if k not in ACCOUNTS]
    if unknown:
        raise HouseholdError("unknown_account", account=unknown[0])
    current = np.array([_amount(holdings.get(code, 0.0), code) for code in ACCOUNTS])
    if current.sum() > total + _MONEY_TOLERANCE:
        raise HouseholdError("holdings_exceed_total", held=float(current.sum()), total=total)
    share = np.array([checked_shares(shares)[code] for code in ACCOUNTS])
    target = total * share
    return pd.DataFrame(
        {"target_share": share, "target": target, "current": current, "gap": target - current},
        index=pd.Index(ACCOUNTS, name="account"),
    )


def holdings_from_row(row: Mapping[str, Any]) -> dict[str, float]:
    """A book customer's balances (元) summed into the accounts ``BOOK_FIELD_ACCOUNTS`` starts them in.

    A starting point, not a finding: the book does not say which deposits are time deposits or which policies
    are savings policies (``BOOK_FIELD_WHY`` says what to move). Blank or missing balances count as 0.
    """
    holdings = dict.fromkeys(ACCOUNTS, 0.0)
    for field, account in BOOK_FIELD_ACCOUNTS.items():
        value = row.get(field) if hasattr(row, "get") else None
        try:
            number = float(value) if value is not None else 0.0
        except (TypeError, ValueError):
            number = 0.0
        if math.isfinite(number) and number > 0:
            holdings[account] += number
    return holdings


def holdings_fields_present(columns: Any) -> tuple[str, ...]:
    """The book balance fields that feed ``holdings_from_row`` which ``columns`` has."""
    return tuple(field for field in BOOK_FIELD_ACCOUNTS if field in set(columns))


@dataclass(frozen=True)
class PlanFindings:
    """What a proposal leads with: the account furthest below its target and the one furthest above it."""

    short: str | None  # account with the largest positive gap (None: none is below target)
    short_amount: float
    excess: str | None  # account with the most above target (None: none is above)
    excess_amount: float
    unplaced: float  # total assets − Σ current: not yet in any account (元)


def plan_findings(plan: pd.DataFrame) -> PlanFindings:
    gaps = plan["gap"]
    short = gaps.idxmax() if gaps.max() > _MONEY_TOLERANCE else None
    excess = gaps.idxmin() if gaps.min() < -_MONEY_TOLERANCE else None
    return PlanFindings(
        short=str(short) if short is not None else None,
        short_amount=float(gaps.max()) if short is not None else 0.0,
        excess=str(excess) if excess is not None else None,
        excess_amount=float(-gaps.min()) if excess is not None else 0.0,
        unplaced=max(0.0, float(plan["target"].sum() - plan["current"].sum())),
    )
