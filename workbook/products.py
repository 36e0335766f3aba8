"""Product categories (产品类别) a 理财经理 proposes, and which of the four household accounts each one fills.

Data: ``workbook/data/products.toml`` (read once; the tables below are read-only). The need rules (``kyc``) name
product categories by code, and the four-account plan (``households``) lists the categories of each account.
There is no 保本理财 among them: since the 2018 asset-management rules (资管新规) bank wealth products no longer
promise principal; deposits, savings treasury bonds and savings insurance keep principal now.

Kinds: ``product`` (money held in one of the accounts), ``credit`` (a loan: not an asset, so no account) and
``service`` (a value-added service such as a medical fast track: what the outline's 浦发 case offered).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbook import i18n

DATA_FILE = Path(__file__).parent / "data" / "products.toml"
KINDS: tuple[str, ...] = ("product", "credit", "service")


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class ProductCategory(i18n.Labelled):
    code: str
    zh: str
    en: str
    kind: str  # one of KINDS
    account: str | None  # the four-account bucket it fills; None for credit and services


def _category(code: str, raw: Mapping[str, Any]) -> ProductCategory:
    kind = str(raw["kind"])
    if kind not in KINDS:
        raise ValueError(f"product {code!r}: unknown kind {kind!r}")
    account = raw.get("account")
    if kind == "product" and not account:
        raise ValueError(f"product {code!r} is held in no account")
    return ProductCategory(code, str(raw["zh"]), str(raw["en"]), kind, str(account) if account else None)


PRODUCTS: Mapping[str, ProductCategory] = MappingProxyType(
    {code: _category(code, raw) for code, raw in data()["products"].items()}
)


def product_label(code: str, lang: str) -> str:
    """A category's name in ``lang``; an unknown code is shown as it is."""
    product = PRODUCTS.get(code)
    return product.label(lang) if product is not None else code
