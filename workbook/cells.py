"""Cell values as bank staff type them, read into the book's types (ENGINEERING "Numbers in Chinese sheets").

A column arrives as a pandas Series of raw cells: Python str/int/float/bool/date objects from a workbook, or
text from a CSV. :func:`read_column` turns it into the field's type and says which cells could not be read,
so that intake reports each one with its row instead of leaving a silent NaN (``errors="coerce"`` alone turns
``1,234``, ``１２３``, ``1.2万`` and ``(1,000)`` into NaN).

Everything is vectorised per column: the common case (plain numbers) goes through one C-level conversion and
only the cells that need it meet the regular expressions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from workbook import schema
from workbook.schema import Field, Kind

# Cells that mean "no value" in a bank export (after NFKC and lower-casing).
MISSING_TOKENS = frozenset({"", "-", "--", "---", "—", "——", "/", "n/a", "na", "null", "nan", "#n/a"})
# In a number or date column these mean "none" as well; in a text column they are a value (近期人生事件: 无).
NUMBER_MISSING_TOKENS = MISSING_TOKENS | {"无", "空", "none"}

# Multipliers written after a number, and the header units that scale a whole money column once.
SUFFIX_FACTORS: Mapping[str, float] = MappingProxyType(
    {"万亿": 1e12, "千万": 1e7, "百万": 1e6, "亿": 1e8, "万": 1e4, "千": 1e3, "w": 1e4}
)
HEADER_MONEY_FACTORS: Mapping[str, float] = MappingProxyType(
    {"元": 1.0, "千元": 1e3, "万元": 1e4, "万": 1e4, "亿元": 1e8, "亿": 1e8}
)

# A number as typed: optional accounting brackets, sign, thousands groups, decimals, exponent, a 万/亿 suffix,
# 元 and %. Commas are accepted only as proper thousands groups, so a European "1,5" is reported, not read as 15.
# A plain string (not a compiled pattern) so that pandas hands it to Arrow's regex engine.
NUMBER_PATTERN = (
    r"^(?P<open>\()?(?P<sign>[+-])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?:e(?P<exp>[+-]?\d+))?"
    r"(?P<mult>万亿|千万|百万|亿|万|千|w)?(?P<yuan>元)?(?P<pct>%)?(?P<close>\))?$"
)
_CURRENCY_MARKS = r"^(?:¥|rmb|cny)|(?:人民币)"
# Whitespace inside a number: between two digits, or between a digit and the grouping or decimal mark.
_SPACED_DIGITS = r"[\d.,]\s+[\d.,]"
DATE_PATTERN = (
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ t]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?$"
)
ISO_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
COMPACT_DATE_PATTERN = r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$"
# Excel stores dates as days since 1899-12-30 (the 1900 leap-year bug makes this the right origin after
# 1900-02-28). Serials and dates outside 1900–2100 are reported: they are typing slips, not customers' dates.
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
FIRST_DATE = pd.Timestamp("1900-01-01")
LAST_DATE = pd.Timestamp("2100-12-31")
DATE_DTYPE: Final = "datetime64[ns]"
# Below this a number in a date column is a year (2026) or a slip, not an Excel serial (10000 = 1927-05-18).
FIRST_SERIAL = 10_000
LAST_SERIAL = (LAST_DATE - EXCEL_EPOCH).days + 1  # 2101-01-01: later serials are slips (and overflow ns)

# Identifier fields: a number of 16+ digits cannot survive Excel's 15 significant digits.
IDENTIFIER_KEYS = frozenset({"customer_id", "id_number", "card_no", "phone"})
EXACT_DIGITS_LIMIT = 1e15
SCIENTIFIC_PATTERN = r"^[+-]?\d+(?:\.\d+)?e[+-]?\d+$"

# Categories the segmentation rules read, as bank exports write them.
RISK_KEYWORDS_BANK: tuple[tuple[str, str], ...] = (
    # 商业银行理财 ladder: 谨慎/保守 C1 · 稳健 C2 · 平衡 C3 · 进取 C4 · 激进 C5
    ("保守", "C1"), ("谨慎", "C1"), ("稳健", "C2"), ("平衡", "C3"), ("进取", "C4"), ("积极", "C4"), ("激进", "C5"),
    # The five tolerance words of a 风险承受能力 questionnaire, longest first: 中低风险 is not 低风险.
    ("中低风险", "C2"), ("中高风险", "C4"), ("低风险", "C1"), ("中风险", "C3"), ("高风险", "C5"),
    ("conservative", "C1"), ("cautious", "C1"), ("moderate", "C3"), ("balanced", "C3"), ("aggressive", "C5"),
)
# The fund-industry ladder (保守 · 稳健 · 平衡 · 成长 · 进取) puts 进取 at C5; a column that uses 成长 uses it.
RISK_KEYWORDS_FUND: tuple[tuple[str, str], ...] = (("成长", "C4"), ("进取", "C5"))
# C1–C5 (and A1–A5, which some banks print on the customer's assessment) are customer grades; R1–R5 grade
# products (理财产品风险等级). A column of R grades is a different thing, so it is not read as C unless the
# trainee says so in the mapping step.
_RISK_CODE = re.compile(r"(?:^|[^a-z])[ca]\s*([1-5])(?:$|[^0-9])")
_PRODUCT_RISK_CODE = re.compile(r"(?:^|[^a-z])r\s*([1-5])(?:$|[^0-9])")
_RISK_DIGIT = re.compile(r"^([1-5])(?:级)?$")
INTENT_WORDS: Mapping[str, str] = MappingProxyType({
    "高": "高", "较高": "高", "强": "高", "high": "高", "h": "高", "strong": "高",
    "中": "中", "一般": "中", "中等": "中", "medium": "中", "mid": "中", "m": "中", "moderate": "中",
    "低": "低", "较低": "低", "弱": "低", "low": "低", "l": "低", "weak": "低",
})

_NUMERIC_TYPES = (int, float, np.integer, np.floating)
# Characters NFKC changes that bank sheets contain: punctuation and symbols (−, ①), the ideographic space,
# CJK compatibility forms and full-width ASCII. (A class of literal characters works in both re and Arrow.)
_COMPATIBILITY_CHARACTERS = "[\u2000-\u2bff\u3000\u3200-\u33ff\ufe30-\ufe6f\uff00-\uffef]"
_TEMPORAL_TYPES = (dt.datetime, dt.date, pd.Timestamp, np.datetime64)


@dataclass(frozen=True)
class Column:
    """One source column read as a field: typed values and the cells to report, by issue kind."""

    values: pd.Series
    blank: pd.Series  # bool: the cell was empty (or "-", "无" …): nothing to read, nothing to report
    flags: dict[str, pd.Series] = field(default_factory=dict)  # issue kind -> bool mask on the same index
    factor: float | None = None  # the unit factor applied to the whole column (header unit or percent scale)


@dataclass(frozen=True)
class _Cells:
    """A raw column split by what its cells are."""

    blank: pd.Series
    number: pd.Series  # int/float cells (not bool)
    text: pd.Series  # non-blank text cells, NFKC-normalised, stripped, lower-cased (index = those cells)
    temporal: pd.Series  # date/datetime cells
    other: pd.Series  # anything else: bool, time of day, errors


def _split(raw: pd.Series, *, lower: bool = True, keep_words: bool = False) -> _Cells:
    """Classify the cells. ``keep_words``: a text column, where 无 / none are values, not blanks."""
    index = raw.index
    false = pd.Series(False, index=index)
    is_null = raw.isna()
    if raw.dtype != object:
        # A CSV column: text (Arrow strings) all through.
        groups = None
        is_number = is_temporal = false
        is_text = ~is_null
    else:
        # Most workbook columns hold one type of cell plus "" for blanks: pandas' C-level type inference
        # classifies those at once; only a truly mixed column pays for a type() per cell.
        is_null |= raw.eq("")
        present = raw[~is_null]
        group = _INFERRED_GROUPS.get(pd.api.types.infer_dtype(present.to_numpy(), skipna=True))
        if group is not None:
            groups = None
            is_number = ~is_null if group == "number" else false
            is_text = ~is_null if group == "text" else false
            is_temporal = ~is_null if group == "temporal" else false
        else:
            types = present.map(type)
            groups = types.map({kind: _type_group(kind) for kind in types.unique()}).reindex(index)
            is_number = groups.eq("number")
            is_text = groups.eq("text")
            is_temporal = groups.eq("temporal")
    text = _normalise_text(raw[is_text], lower=lower)
    tokens = MISSING_TOKENS if keep_words else NUMBER_MISSING_TOKENS
    empty = text.str.lower().isin(tokens) if lower is False else text.isin(tokens)
    blank = is_null.copy()
    if empty.any():
        blank[empty[empty].index] = True
        text = text[~empty]
    other = ~(is_number | is_text | is_temporal | is_null)
    return _Cells(blank=blank, number=is_number, text=text, temporal=is_temporal, other=other)


_INFERRED_GROUPS = {
    "floating": "number",
    "integer": "number",
    "mixed-integer-float": "number",
    "decimal": "number",
    "string": "text",
    "date": "temporal",
    "datetime": "temporal",
    "datetime64": "temporal",
    "empty": "null",
}


def _type_group(kind: type) -> str:
    if issubclass(kind, bool):
        return "other"
    if issubclass(kind, _NUMERIC_TYPES):
        return "number"
    if issubclass(kind, str):
        return "text"
    if issubclass(kind, _TEMPORAL_TYPES):
        return "temporal"
    return "other"


def _normalise_text(text: pd.Series, *, lower: bool) -> pd.Series:
    """NFKC (full-width digits and brackets to ASCII), spaces trimmed, optionally lower-cased.

    NFKC runs in Python per cell, so it runs only on cells holding a character it would change in practice:
    full-width forms (１２３, （）, ，), the ideographic space, circled and compatibility characters.
    """
    text = text.astype("str")
    if text.empty:
        return text
    wide = text.str.contains(_COMPATIBILITY_CHARACTERS, regex=True).fillna(False).astype(bool)
    if wide.any():
        text = text.copy()
        text[wide] = text[wide].str.normalize("NFKC").str.replace("\u2212", "-", regex=False)
    text = text.str.strip()
    return text.str.lower() if lower else text


# ---- numbers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Numbers:
    values: pd.Series  # float64
    blank: pd.Series
    bad: pd.Series  # bool: non-blank cells that are not a number here
    own_unit: pd.Series  # bool: cells that carry their own 万/亿/元/% (exempt from the header's unit)
    percent: pd.Series  # bool: cells written with %


def _numbers(raw: pd.Series, *, allow_percent: bool, allow_yuan: bool) -> _Numbers:
    cells = _split(raw)
    index = raw.index
    values = pd.Series(np.nan, index=index, dtype="float64")
    bad = pd.Series(False, index=index)
    own_unit = pd.Series(False, index=index)
    percent = pd.Series(False, index=index)
    if cells.number.any():
        numbers = pd.to_numeric(raw[cells.number], errors="coerce").astype("float64")
        values[numbers.index] = numbers
        bad[numbers.index[~np.isfinite(numbers.to_numpy())]] = True
    bad |= cells.temporal | cells.other
    text = cells.text
    if not text.empty:
        quick = pd.to_numeric(text, errors="coerce").astype("float64")
        finite = np.isfinite(quick.to_numpy())
        values[quick.index[finite]] = quick[finite]
        rest = text[~finite]
        if not rest.empty:
            _parse_number_text(rest, values, bad, own_unit, percent, allow_percent, allow_yuan)
    return _Numbers(values=values, blank=cells.blank, bad=bad, own_unit=own_unit, percent=percent)


def _parse_number_text(
    text: pd.Series,
    values: pd.Series,
    bad: pd.Series,
    own_unit: pd.Series,
    percent: pd.Series,
    allow_percent: bool,
    allow_yuan: bool,
) -> None:
    """The slow path for text that is not a plain number: fills ``values`` etc. in place for these cells.

    Spaces around a number are dropped (``¥ 1,200``, ``1.2 万``, ``- 300``), but never between its digits:
    ``100 200`` is two numbers typed into one cell (or a slip), not 100,200, and ``13800138000 5`` is not a
    twelve-digit number. Such a cell is reported; only comma grouping (``1,234,567``) is read as thousands.
    """
    spaced = text.str.contains(_SPACED_DIGITS, regex=True).fillna(False).astype(bool).to_numpy()
    compact = text.str.replace(r"\s+", "", regex=True).str.replace(_CURRENCY_MARKS, "", regex=True)
    parts = compact.str.extract(NUMBER_PATTERN)
    matched = parts["num"].notna()
    brackets = parts["open"].notna() == parts["close"].notna()
    ok = matched & brackets & ~spaced
    ok &= allow_percent | parts["pct"].isna()
    ok &= allow_yuan | parts["yuan"].isna()
    good = parts[ok]
    if not good.empty:
        number = pd.to_numeric(good["num"].str.replace(",", "", regex=False), errors="coerce").astype("float64")
        exponent = pd.to_numeric(good["exp"], errors="coerce").fillna(0).astype("float64")
        multiplier = good["mult"].map(SUFFIX_FACTORS).astype("float64").fillna(1.0)
        negative = good["open"].notna() | good["sign"].eq("-").fillna(False).astype(bool)
        with np.errstate(over="ignore", invalid="ignore"):
            result = number * np.power(10.0, exponent) * multiplier
        is_percent = good["pct"].notna()
        result = result.where(~is_percent, result / 100.0)
        result = result.where(~negative, -result)
        finite = np.isfinite(result.to_numpy())
        values[result.index[finite]] = result[finite]
        bad[result.index[~finite]] = True
        marked = good["mult"].notna() | good["yuan"].notna() | is_percent
        own_unit[marked.index[marked.to_numpy()]] = True
        percent[is_percent.index[is_percent.to_numpy()]] = True
    bad[ok.index[~ok.to_numpy()]] = True


def header_factor(header: str, kind: Kind) -> float | None:
    """The factor a unit in the header applies to every plain number of a column, or None."""
    unit = schema.header_unit(header)
    if unit is None:
        return None
    if kind is Kind.MONEY:
        return HEADER_MONEY_FACTORS.get(unit)
    if kind is Kind.SHARE and unit == "%":
        return 0.01
    return None


def read_money(raw: pd.Series, header: str = "", unit: float | None = None) -> Column:
    """Money in 元. A unit in the header (``资产(万元)``) scales the column once; ``unit`` is the factor the
    trainee confirmed for a header without one (10,000 for a list kept in 万元)."""
    parsed = _numbers(raw, allow_percent=False, allow_yuan=True)
    factor = header_factor(header, Kind.MONEY)
    if factor is None and unit is not None:
        factor = unit
    values = parsed.values
    if factor is not None and factor != 1.0:
        # Scaled once: a cell that states its own unit (1.2万, 3亿元) is already in 元.
        plain = ~parsed.own_unit
        values = values.where(~plain, values * factor)
    return Column(values, parsed.blank, {"bad_number": parsed.bad}, factor if factor != 1.0 else None)


def read_number(raw: pd.Series, header: str = "") -> Column:
    parsed = _numbers(raw, allow_percent=False, allow_yuan=False)
    return Column(parsed.values, parsed.blank, {"bad_number": parsed.bad})


def read_count(raw: pd.Series, header: str = "") -> Column:
    """Whole numbers (Int64). A fractional count is kept (the column becomes float) and reported."""
    parsed = _numbers(raw, allow_percent=False, allow_yuan=False)
    values = parsed.values
    fractional = values.notna() & (values != np.round(values))
    if fractional.any():
        return Column(values, parsed.blank, {"bad_number": parsed.bad, "not_whole": fractional})
    return Column(values.round().astype("Int64"), parsed.blank, {"bad_number": parsed.bad})


def read_share(raw: pd.Series, header: str = "") -> Column:
    """Fractions 0–1: ``35%`` and ``35`` are 0.35, ``0.35`` stays.

    A column is in percent as a whole when its header says ``(%)``, or when it has plain values above 1 and
    no fractions below 1 (then its 1 means 1 %, and the factor is reported). A column mixing ``0.35`` and
    ``35`` is read cell by cell: values above 1 are percent, values up to 1 are fractions.
    """
    parsed = _numbers(raw, allow_percent=True, allow_yuan=False)
    values = parsed.values
    plain = values.notna() & ~parsed.percent
    factor = header_factor(header, Kind.SHARE)
    if factor is None:
        plain_values = values[plain]
        above_one = (plain_values > 1).any()
        fractions = ((plain_values > 0) & (plain_values < 1)).any()
        if above_one and not fractions:
            factor = 0.01
        elif above_one:
            scaled = plain & (values > 1)
            return Column(values.where(~scaled, values / 100.0), parsed.blank, {"bad_number": parsed.bad})
    if factor is not None:
        # Divide rather than multiply by 0.01: 35 / 100 is exactly the double nearest 0.35, 35 * 0.01 is not.
        values = values.where(~plain, values / round(1 / factor))
    return Column(values, parsed.blank, {"bad_number": parsed.bad}, factor)


# ---- dates ----------------------------------------------------------------------------------------------------


def read_date(raw: pd.Series, header: str = "") -> Column:
    """ISO dates, 2026/3/15, 2026.3.15, 2026年3月15日, 20260315, Excel serials and real date cells."""
    cells = _split(raw)
    index = raw.index
    values = pd.Series(pd.NaT, index=index, dtype=DATE_DTYPE)
    bad = cells.other.copy()
    if cells.temporal.any():
        stamps = pd.to_datetime(raw[cells.temporal], errors="coerce")
        values[stamps.index] = stamps.astype(DATE_DTYPE)
    if cells.number.any():
        serials = pd.to_numeric(raw[cells.number], errors="coerce").astype("float64")
        values, bad = _from_serials(serials, values, bad)
    text = cells.text
    if not text.empty:
        quick = pd.to_numeric(text, errors="coerce").astype("float64")
        numeric = quick.notna()
        if numeric.any():
            values, bad = _from_serials(quick[numeric], values, bad)
        words = text[~numeric]
        if not words.empty:
            # ISO text (what systems and pandas write) converts in C; only the rest meets the regex below.
            iso = words.astype("str").str.fullmatch(ISO_DATE_PATTERN).fillna(False).astype(bool)
            if iso.any():
                stamps = pd.to_datetime(words[iso].str.replace("t", " "), format="ISO8601", errors="coerce")
                values[stamps.index] = stamps.astype(DATE_DTYPE)
                words = words[~iso]
        if not words.empty:
            dashed = (
                words.str.replace(r"\s+", " ", regex=True)
                .str.replace(r"[年/.]", "-", regex=True)
                .str.replace(r"月", "-", regex=False)
                .str.replace(r"[日号]", "", regex=True)
                .str.strip()
            )
            parts = dashed.str.extract(DATE_PATTERN)
            matched = parts["year"].notna()
            stamps = _assemble(parts[matched])
            values[stamps.index] = stamps
            bad[matched.index[~matched.to_numpy()]] = True
    in_range = values.isna() | ((values >= FIRST_DATE) & (values <= LAST_DATE))
    bad |= ~in_range
    values = values.where(in_range)
    present = ~cells.blank
    bad |= present & values.isna()
    return Column(values.astype(DATE_DTYPE), cells.blank, {"bad_date": bad})


def _from_serials(serials: pd.Series, values: pd.Series, bad: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Excel serial day numbers, or 8-digit yyyymmdd numbers (20260315), into dates."""
    compact = (serials >= 19000101) & (serials <= 21001231) & (serials == np.floor(serials))
    if compact.any():
        parts = serials[compact].astype("int64").astype("str").str.extract(COMPACT_DATE_PATTERN)
        stamps = _assemble(parts)
        values[stamps.index] = stamps
    serial = serials[~compact]
    usable = serial.notna() & np.isfinite(serial) & (serial >= FIRST_SERIAL) & (serial < LAST_SERIAL)
    if usable.any():
        days = serial[usable]
        stamps = EXCEL_EPOCH + pd.to_timedelta(np.round(days.to_numpy() * 86400.0), unit="s")
        values[days.index] = pd.Series(stamps, index=days.index).astype(DATE_DTYPE)
    bad[serial.index[~usable.to_numpy()]] = True
    return values, bad


def _assemble(parts: pd.DataFrame) -> pd.Series:
    """Dates from year/month/day(/hour/minute/second) text columns; impossible dates (2月30日) become NaT."""
    if parts.empty:
        return pd.Series([], dtype=DATE_DTYPE)
    frame = pd.DataFrame(
        {
            unit: pd.to_numeric(parts[unit], errors="coerce") if unit in parts else 0
            for unit in ("year", "month", "day", "hour", "minute", "second")
        },
        index=parts.index,
    ).fillna(0)
    frame = frame[frame["year"].between(FIRST_DATE.year, LAST_DATE.year)]
    if frame.empty:
        return pd.Series(pd.NaT, index=parts.index, dtype=DATE_DTYPE)
    stamps = pd.to_datetime(frame, errors="coerce").astype(DATE_DTYPE)
    return stamps.reindex(parts.index)


# ---- text -----------------------------------------------------------------------------------------------------


def read_text(raw: pd.Series, key: str) -> Column:
    """Text as typed (NFKC, trimmed). Numbers become their digits; for identifiers a number of 16+ digits, or
    one in scientific notation (1.10101E+17), has lost digits in Excel and is reported as ``precision_lost``."""
    cells = _split(raw, lower=False, keep_words=True)
    index = raw.index
    values = pd.Series(np.nan, index=index, dtype=object)
    lost = pd.Series(False, index=index)
    if not cells.text.empty:
        values[cells.text.index] = cells.text.astype(object)
    if cells.number.any():
        numbers = raw[cells.number]
        values[numbers.index] = numbers.map(_number_text)
        if key in IDENTIFIER_KEYS:
            big = pd.to_numeric(numbers, errors="coerce").abs() >= EXACT_DIGITS_LIMIT
            lost[big[big].index] = True
    if cells.temporal.any():
        values[cells.temporal] = raw[cells.temporal].map(_date_text)
    if cells.other.any():
        values[cells.other] = raw[cells.other].map(str)
    if key in IDENTIFIER_KEYS and not cells.text.empty:
        scientific = cells.text.str.lower().str.fullmatch(SCIENTIFIC_PATTERN).fillna(False).astype(bool)
        lost[scientific[scientific].index] = True
    if key == "id_number" and not cells.text.empty:
        # The check digit of a PRC ID is written X; a lower-case x is the same number.
        values[cells.text.index] = cells.text.str.replace(r"^(\d{17})x$", r"\1X", regex=True).astype(object)
    return Column(values.astype("str"), cells.blank, {"precision_lost": lost})


def display_text(value: object) -> str:
    """A raw cell as the trainee would read it: numbers without a trailing .0, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, (float, np.floating)) and not np.isfinite(value):
            return "" if np.isnan(value) else str(value)
        return _number_text(value)
    if isinstance(value, (dt.date, dt.time)):
        return _date_text(value)
    return str(value)


def _number_text(value: object) -> str:
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    number = float(value)  # type: ignore[arg-type]
    if np.isfinite(number) and number.is_integer():
        return str(int(number))
    return repr(number) if isinstance(value, float) else str(value)


def _date_text(value: object) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def read_risk_level(raw: pd.Series, header: str = "", *, product_grades_as_customer: bool = False) -> Column:
    """Risk levels normalised to C1–C5 from C1–C5, A1–A5, 1–5, the ladder's words (保守型 … 激进型) and the
    tolerance words (低风险 … 高风险). R1–R5 (product grades) are read as C1–C5 only when
    ``product_grades_as_customer``; otherwise they are flagged ``product_grade`` and left empty."""
    read = read_text(raw, "risk_level")
    distinct = [str(value) for value in read.values.dropna().unique()]
    keywords = RISK_KEYWORDS_BANK
    if any("成长" in value for value in distinct):
        keywords = (*RISK_KEYWORDS_FUND, *keywords)
    levels: dict[str, str | None] = {}
    product: set[str] = set()
    for value in distinct:
        level, is_product = risk_level(value, keywords)
        if is_product:
            product.add(value)
            level = level if product_grades_as_customer else None
        levels[value] = level
    column = _category(read, levels)
    if product and not product_grades_as_customer:
        graded = read.values.isin(product)
        flags = dict(column.flags)
        flags["bad_category"] = flags["bad_category"] & ~graded
        flags["product_grade"] = graded
        return Column(column.values, column.blank, flags)
    return column


def risk_level(value: str, keywords: tuple[tuple[str, str], ...] = RISK_KEYWORDS_BANK) -> tuple[str | None, bool]:
    """The C level a risk text names, and whether it is a product grade (R1–R5) rather than a customer's."""
    text = value.lower()
    match = _RISK_CODE.search(text) or _RISK_DIGIT.match(text)
    if match:
        return f"C{match.group(1)}", False
    product = _PRODUCT_RISK_CODE.search(text)
    if product:
        return f"C{product.group(1)}", True
    for word, level in keywords:  # in order: the first keyword found decides
        if word in text:
            return level, False
    return None, False


def is_product_grade(values: pd.Series) -> bool:
    """Whether most non-empty text values of a column are product risk grades (R1–R5)."""
    text = values.dropna().astype("str").str.strip().str.lower()
    text = text[text != ""]
    if text.empty:
        return False
    return bool(text.str.contains(r"(?:^|[^a-z])r\s*[1-5](?:$|[^0-9])", regex=True).mean() >= 0.5)


def read_purchase_intent(raw: pd.Series, header: str = "") -> Column:
    """Purchase intent normalised to 高/中/低 (high/medium/low, H/M/L, 强/一般/弱 …)."""
    read = read_text(raw, "purchase_intent")
    distinct = [str(value) for value in read.values.dropna().unique()]
    return _category(read, {value: INTENT_WORDS.get(value.strip().lower()) for value in distinct})


def _category(read: Column, levels: dict[str, str | None]) -> Column:
    """Categories are few: each distinct value is normalised once, then mapped onto the column."""
    text = read.values
    values = text.map(levels).astype("str")
    bad = text.notna() & values.isna()
    return Column(values, read.blank, {"bad_category": bad})


CATEGORY_READERS: Mapping[str, Callable[[pd.Series, str], Column]] = MappingProxyType(
    {"risk_level": read_risk_level, "purchase_intent": read_purchase_intent}
)


def read_column(
    raw: pd.Series, field_: Field, header: str, *, unit: float | None = None,
    product_grades_as_customer: bool = False,
) -> Column:
    """``raw`` cells read as the field ``field_`` (its kind decides how), with the cells to report.

    ``unit``: the confirmed factor of a money column whose header names no unit; ``product_grades_as_customer``:
    read a risk column's R1–R5 as C1–C5 (the trainee's decision in the mapping step)."""
    if field_.key == "risk_level":
        return read_risk_level(raw, header, product_grades_as_customer=product_grades_as_customer)
    reader = CATEGORY_READERS.get(field_.key)
    if reader is not None:
        return reader(raw, header)
    if field_.kind is Kind.TEXT:
        return read_text(raw, field_.key)
    if field_.kind is Kind.MONEY:
        return read_money(raw, header, unit)
    if field_.kind is Kind.SHARE:
        return read_share(raw, header)
    if field_.kind is Kind.COUNT:
        return read_count(raw, header)
    if field_.kind is Kind.DATE:
        return read_date(raw, header)
    return read_number(raw, header)
