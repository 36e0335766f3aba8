"""The canonical customer book (客户名册): its fields, their types and the header aliases that map to them.

Only ``customer_id`` and ``aum`` are required. Every module that needs another field names it and says what
it would show; no module drops customers because a field is missing.

The field list is data: intake maps source headers to these keys by the aliases below (matched after
normalising case, spaces, brackets and units), and the pages read the zh/en labels from here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

import numpy as np
import pandas as pd

from workbook import i18n


class Kind(StrEnum):
    """How a field's cells are parsed and validated."""

    TEXT = "text"  # kept as text (ids, names, categories)
    MONEY = "money"  # 元; a unit in the header (万元, 亿元) scales the column once
    NUMBER = "number"  # plain number (age, years, scores)
    COUNT = "count"  # non-negative whole number
    SHARE = "share"  # fraction 0–1; "35%" and 35 (> 1) are read as 0.35
    DATE = "date"  # ISO, 2026年3月15日, 2026/3/15 or an Excel serial


@dataclass(frozen=True)
class Field:
    key: str
    zh: str
    en: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    pii: bool = False
    required: bool = False
    # Allowed range for numbers; values outside are reported (not dropped).
    minimum: float | None = None
    maximum: float | None = None


FIELDS: tuple[Field, ...] = (
    Field(
        "customer_id",
        "客户号",
        "Customer ID",
        Kind.TEXT,
        (
            "客户号",
            "客户编号",
            "客户ID",
            "客户id",
            "客户代码",
            "CustomerId",
            "customer id",
            "cust_id",
            "client id",
            "id",
        ),
        required=True,
    ),
    Field("name", "姓名", "Name", Kind.TEXT, ("姓名", "客户姓名", "客户名称", "name", "customer name"), pii=True),
    Field(
        "id_number",
        "证件号码",
        "ID number",
        Kind.TEXT,
        ("证件号码", "身份证号", "身份证号码", "证件号", "id number", "id_no", "national id"),
        pii=True,
    ),
    Field(
        "phone",
        "手机号",
        "Mobile",
        Kind.TEXT,
        ("手机号", "手机号码", "联系电话", "电话", "手机", "phone", "mobile", "mobile phone"),
        pii=True,
    ),
    Field(
        "card_no",
        "卡号",
        "Card number",
        Kind.TEXT,
        ("卡号", "银行卡号", "账号", "card no", "card number", "account"),
        pii=True,
    ),
    Field("gender", "性别", "Gender", Kind.TEXT, ("性别", "gender", "sex")),
    Field("age", "年龄", "Age", Kind.NUMBER, ("年龄", "age"), minimum=0, maximum=120),
    Field("occupation", "职业", "Occupation", Kind.TEXT, ("职业", "行业", "occupation", "job")),
    Field(
        "aum",
        "金融资产",
        "AUM",
        Kind.MONEY,
        ("金融资产", "月日均资产", "月日均金融资产", "AUM", "总资产", "管理资产", "资产总额", "客户资产",
         "资产余额", "金融资产余额", "aum balance"),
        required=True,
        minimum=0,
    ),
    Field(
        "aum_12m_ago",
        "一年前金融资产",
        "AUM 12 months ago",
        Kind.MONEY,
        ("一年前金融资产", "上年同期金融资产", "去年金融资产", "aum 12m ago", "aum last year"),
        minimum=0,
    ),
    Field(
        "deposit_balance",
        "存款余额",
        "Deposits",
        Kind.MONEY,
        ("存款余额", "存款", "deposits", "deposit balance"),
        minimum=0,
    ),
    Field(
        "wealth_balance", "理财余额", "Wealth products", Kind.MONEY, ("理财余额", "理财", "wealth balance"), minimum=0
    ),
    Field("fund_balance", "基金余额", "Funds", Kind.MONEY, ("基金余额", "基金", "fund balance"), minimum=0),
    Field(
        "insurance_balance", "保险余额", "Insurance", Kind.MONEY, ("保险余额", "保险", "insurance balance"), minimum=0
    ),
    Field("loan_balance", "贷款余额", "Loans", Kind.MONEY, ("贷款余额", "贷款", "loan balance", "loans"), minimum=0),
    Field(
        "product_count",
        "持有产品数",
        "Products held",
        Kind.COUNT,
        ("持有产品数", "产品数", "持有产品数量", "product count", "products"),
        minimum=0,
    ),
    Field(
        "fee_income_12m",
        "近12月中间业务收入",
        "Fee income (12m)",
        Kind.MONEY,
        ("近12月中间业务收入", "中间业务收入", "中收", "近12月中收", "fee income", "fee income 12m"),
    ),
    Field(
        "tenure_years",
        "开户年限",
        "Tenure (years)",
        Kind.NUMBER,
        ("开户年限", "合作年限", "客户年限", "tenure", "tenure years"),
        minimum=0,
        maximum=100,
    ),
    Field(
        "contacts_12m",
        "近12月接触次数",
        "Contacts (12m)",
        Kind.COUNT,
        ("近12月接触次数", "接触次数", "联系次数", "contacts", "contacts 12m"),
        minimum=0,
    ),
    Field(
        "service_hours_12m",
        "服务时长(小时)",
        "Service hours (12m)",
        Kind.NUMBER,
        ("服务时长", "服务时长(小时)", "近12月服务时长", "服务小时数", "service hours"),
        minimum=0,
    ),
    Field("gift_cost_12m", "礼品费用", "Gift cost (12m)", Kind.MONEY, ("礼品费用", "礼品", "gift cost"), minimum=0),
    Field(
        "rebate_cost_12m",
        "返佣/让利",
        "Rebates (12m)",
        Kind.MONEY,
        ("返佣/让利", "返佣", "让利", "返佣让利", "rebate", "rebates", "rebate cost"),
        minimum=0,
    ),
    Field("event_cost_12m", "活动费用", "Event cost (12m)", Kind.MONEY, ("活动费用", "event cost"), minimum=0),
    Field(
        "events_12m",
        "参加活动次数",
        "Events attended (12m)",
        Kind.COUNT,
        ("参加活动次数", "活动次数", "events", "events attended"),
        minimum=0,
    ),
    Field(
        "referrals_12m", "转介绍人数", "Referrals (12m)", Kind.COUNT, ("转介绍人数", "转介绍", "referrals"), minimum=0
    ),
    Field(
        "app_logins_30d",
        "手机银行登录次数(30天)",
        "App log-ins (30d)",
        Kind.COUNT,
        ("手机银行登录次数(30天)", "手机银行登录次数", "app登录次数", "app logins", "app logins 30d"),
        minimum=0,
    ),
    Field(
        "digital_share",
        "线上交易占比",
        "Digital share",
        Kind.SHARE,
        ("线上交易占比", "线上占比", "digital share"),
        minimum=0,
        maximum=1,
    ),
    Field(
        "last_txn_date",
        "最近交易日期",
        "Last transaction",
        Kind.DATE,
        ("最近交易日期", "最后交易日期", "last transaction", "last txn date"),
    ),
    Field(
        "last_contact_date",
        "最近联系日期",
        "Last contact",
        Kind.DATE,
        ("最近联系日期", "最后联系日期", "last contact", "last contact date"),
    ),
    Field(
        "risk_level",
        "风险等级",
        "Risk level",
        Kind.TEXT,
        ("风险等级", "风险承受能力", "风险评级", "risk level", "risk"),
    ),
    Field(
        "invest_years",
        "投资经验(年)",
        "Investing experience (years)",
        Kind.NUMBER,
        ("投资经验", "投资经验(年)", "投资年限", "invest years", "investment experience"),
        minimum=0,
        maximum=100,
    ),
    Field(
        "satisfaction",
        "满意度/推荐意愿",
        "Satisfaction (0–10)",
        Kind.NUMBER,
        ("满意度", "推荐意愿", "满意度/推荐意愿", "satisfaction", "nps score"),
        minimum=0,
        maximum=10,
    ),
    Field(
        "external_assets_est",
        "他行资产估计",
        "Assets elsewhere (est.)",
        Kind.MONEY,
        ("他行资产估计", "他行资产", "external assets"),
        minimum=0,
    ),
    Field(
        "maturing_90d",
        "90天内到期金额",
        "Maturing in 90 days",
        Kind.MONEY,
        ("90天内到期金额", "到期金额", "maturing 90d"),
        minimum=0,
    ),
    Field("purchase_intent", "购买意向", "Purchase intent", Kind.TEXT, ("购买意向", "意向", "purchase intent")),
    Field("marital", "婚姻", "Marital status", Kind.TEXT, ("婚姻", "婚姻状况", "marital", "marital status")),
    Field("children", "子女数", "Children", Kind.COUNT, ("子女数", "子女", "children"), minimum=0, maximum=20),
    Field("life_event", "近期人生事件", "Recent life event", Kind.TEXT, ("近期人生事件", "人生事件", "life event")),
)

FIELD_BY_KEY: Mapping[str, Field] = MappingProxyType({f.key: f for f in FIELDS})
CANONICAL_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)
REQUIRED_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.required)
PII_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS if f.pii)

# Balances a customer holds (not costs or fees): a list kept in 万元 shows it here first, in magnitudes.
BALANCE_KEYS: frozenset[str] = frozenset({
    "aum", "aum_12m_ago", "deposit_balance", "wealth_balance", "fund_balance", "insurance_balance", "loan_balance",
    "external_assets_est", "maturing_90d",
})

# A book column beside the canonical ones, present only when some cells could not be read: per customer, the
# keys of the fields whose cell held a value intake could not read (comma-separated; NaN when none). The field's
# own column keeps its meaning (a value, or NaN), so a module can tell "unreadable" from "blank".
UNREADABLE = "unreadable_fields"

# Canonical categories for the few categorical fields the rules read.
RISK_LEVELS: tuple[str, ...] = ("C1", "C2", "C3", "C4", "C5")
PURCHASE_INTENTS: tuple[str, ...] = ("高", "中", "低")

_UNIT_PATTERN = re.compile(r"[（(]\s*(元|万元|万|亿元|亿|千元|%|小时|h|次|年|岁|个)\s*[)）]")
_STRIP_PATTERN = re.compile(r"[\s_\-·/（）()\[\]【】:：.]+")


def normalise_header(header: object) -> str:
    """Header text as compared with aliases: NFKC, lower case, no unit suffix, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    text = _UNIT_PATTERN.sub("", text)
    return _STRIP_PATTERN.sub("", text)


def header_unit(header: object) -> str | None:
    """The unit written in a header such as ``金融资产(万元)``, or None."""
    match = _UNIT_PATTERN.search(unicodedata.normalize("NFKC", str(header)))
    return match.group(1) if match else None


_aliases: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (_field.key, _field.zh, _field.en, *_field.aliases):
        _aliases.setdefault(normalise_header(_alias), _field.key)
# Read-only, like every table shared by all sessions of the server process.
ALIAS_INDEX: Mapping[str, str] = MappingProxyType(_aliases)


def match_header(header: object) -> str | None:
    """The canonical key a source header maps to by alias, or None."""
    return ALIAS_INDEX.get(normalise_header(header))


def field_label(key: str, lang: str) -> str:
    field = FIELD_BY_KEY.get(key)
    if field is None:
        return key
    return i18n.pick(lang, field.zh, field.en)


def column_numbers(book: pd.DataFrame, key: str) -> np.ndarray | None:
    """A book column as float64, NaN for blank (or unreadable) cells; None when the book lacks the column.

    The one way every domain module reads a numeric field, so a blank is treated alike everywhere; each module
    then says what a blank counts as (profit: 0; segmentation: the lowest level, warned; degrees: left out).
    A numeric column is read as it is (no text parsing for 1,000,000 rows that are numbers already).
    """
    if key not in book.columns:
        return None
    column = book[key]
    if not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        column = pd.to_numeric(column, errors="coerce")
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def column_dates(book: pd.DataFrame, key: str) -> np.ndarray | None:
    """A book column as datetime64[ns], NaT for blank (or unreadable) cells; None when the book lacks the column.

    The date twin of :func:`column_numbers`: intake stores dates as datetime64 already; a frame built otherwise
    (text dates, a time zone) is read the same way, time zone dropped."""
    if key not in book.columns:
        return None
    column = book[key]
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        column = pd.to_datetime(column, errors="coerce", format="mixed")
    if getattr(column.dt, "tz", None) is not None:
        column = column.dt.tz_localize(None)
    return column.to_numpy(dtype="datetime64[ns]")


def finite_number(value: object) -> float | None:
    """One stored or typed value as a finite float; None for a blank, a bool, text that is not a number, NaN or
    infinity (a workspace read back from storage may hold any of these)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def unreadable(book: pd.DataFrame, key: str) -> np.ndarray:
    """Per customer, whether the book's ``key`` cell held a value that could not be read (and is NaN for
    that reason, not because it was blank). All False for a book without the marker column."""
    if UNREADABLE not in book.columns:
        return np.zeros(len(book), dtype=bool)
    marks = book[UNREADABLE].astype("str").fillna("")
    return marks.str.split(",").map(lambda keys: key in keys if isinstance(keys, list) else False).to_numpy(
        dtype=bool)
