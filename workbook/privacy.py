"""Personal data (PII) in a customer book: finding it and masking it for display (DESIGN §5).

Four kinds are personal: a customer's name, ID number (证件号码), mobile number and card number. A column
holds one of them when its header says so (the schema's PII fields and their aliases) or when most of its
values look like one (an 18-digit PRC ID, an 11-digit mobile, a 16–19 digit card number, a column of 2–4
character Chinese names with common surnames, or of "Given Family" Latin names). And whatever the column, and
however few of its values do, every single value that looks like an ID, mobile or card number is masked where
it stands, inside free text too ("电话13812345678" → "电话138****5678"): a customer-number column where 40% of
the numbers are ID numbers shows none of them. Every screen, export and submission shows them masked:

    name 段**        phone 138****1234        id 1101**********1234        card 622202******1234

Masking keeps the length of numbers (the trainee can still tell a card from a phone) and only a name's first
character; it is one-way. The book itself keeps the raw values in the trainee's session memory, so that the
trainee's own export can be unmasked if they choose; nothing here stores anything.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from workbook import schema

PII_KINDS: tuple[str, ...] = ("name", "id_number", "phone", "card_no")

# A column is taken for a PII kind when at least this share of its non-empty sampled values match the pattern.
MATCH_SHARE = 0.6
# Values looked at per column when detecting by pattern (detection runs on every masked display).
SAMPLE_SIZE = 500

# Characters kept visible at the start and the end of each kind (DESIGN §5). A value too short to hide at
# least MIN_HIDDEN characters between them is masked whole: a short value shown half would show most of it.
_KEEP: dict[str, tuple[int, int]] = {"phone": (3, 4), "id_number": (4, 4), "card_no": (6, 4)}
MIN_HIDDEN = 4
NAME_STARS = "**"  # a fixed count, so the mask does not tell the length of the name either

# Plain strings (not compiled patterns) so that pandas hands them to Arrow's vectorised regex engine.
_SEPARATORS = r"[\s\-]+"
_TYPED_SEPARATORS = r"[\s\-()+]+"
_ALREADY_MASKED = r"[\dXx]*\*{4,}[\dXx]*"
# What a value of each kind is once its separators are gone: then its ends are shown, else it is masked whole.
_SHAPES: dict[str, str] = {
    "id_number": r"\d{17}[\dX]|\d{15}",
    "phone": r"1[3-9]\d{9}|0\d{9,11}",  # mobiles, and landlines with their area code
    "card_no": r"\d{16,19}",
}
_ID_PATTERN = re.compile(r"^\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]$")
_PHONE_PATTERN = re.compile(r"^(?:\+?86|0086)?1[3-9]\d{9}$")
_CARD_PATTERN = re.compile(r"^\d{16,19}$")
_NAME_PATTERN = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff·]{1,3}$")
_LATIN_NAME_PATTERN = re.compile(r"^[A-Z][a-z]+(?:[ .'-]+[A-Z][a-z]*){1,3}\.?$")
_LATIN_NAME_DISTINCT_SHARE = 0.5

# The same numbers where they stand inside any text: digits not glued to other digits, with the spaces and
# hyphens people type inside them. A letter beside them does not protect them ("13812345678X" is still a phone).
# Longest kinds first, so that an ID is not read as a card.
_IN_TEXT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("id_number", re.compile(
        r"(?<!\d)\d{6}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[\dXx]"
        r"(?!\d)")),
    # First-generation 15-digit ID cards (yymmdd): still on many old bank records.
    ("id_number", re.compile(r"(?<!\d)\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![\dXx])")),
    ("card_no", re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)")),
    ("phone", re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")),
)
# A cheap first look: only text with a run of 11 digits (separators aside) can hold any of them.
_MAYBE_NUMBER = r"\d(?:[ -]?\d){10}"

# The hundred commonest Chinese surnames (about 85 % of the population). A column of 2–4 character values is
# taken for names only when most values start with one of them: occupations and places do not.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁"
    "冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏"
    "宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝欧阳司马上官诸葛东方皇甫"
)
NAME_SURNAME_SHARE = 0.5
# Names rarely repeat; a column whose values repeat a lot (occupations, branches) is not a name column.
NAME_MIN_DISTINCT_SHARE = 0.5


def _header_kind(column: object) -> str | None:
    """The PII kind a header names: a canonical PII key itself, or an alias of one."""
    key = str(column) if str(column) in schema.PII_KEYS else schema.match_header(column)
    return key if key in schema.PII_KEYS else None


def _text_sample(series: pd.Series) -> pd.Series:
    """Up to SAMPLE_SIZE non-empty values as stripped text (integers written without a decimal point)."""
    values = series.dropna()
    if values.empty:
        return pd.Series([], dtype="str")
    values = values.iloc[:SAMPLE_SIZE]
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("int64").astype("str")
    if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
        return pd.Series([], dtype="str")
    text = values.map(_as_text, na_action="ignore").dropna().astype("str").str.strip()
    return text[text != ""]


def _as_text(value: object) -> str | None:
    """Text of a value that may be personal: strings, and whole numbers (a phone typed as a number)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return None


def value_kind(values: pd.Series) -> str | None:
    """The PII kind most of these text values have (see MATCH_SHARE), or None."""
    if values.empty:
        return None
    compact = values.str.replace(_SEPARATORS, "", regex=True)
    shares = {
        "id_number": compact.str.match(_ID_PATTERN).mean(),
        "phone": compact.str.match(_PHONE_PATTERN).mean(),
    }
    is_card = compact.str.match(_CARD_PATTERN) & ~compact.str.match(_ID_PATTERN)
    shares["card_no"] = is_card.mean()
    kind, share = max(shares.items(), key=lambda item: item[1])
    if share >= MATCH_SHARE:
        return kind
    is_name = values.str.match(_NAME_PATTERN)
    if is_name.mean() >= MATCH_SHARE:
        names = values[is_name]
        surname_share = names.str[0].isin(COMMON_SURNAMES).mean()
        distinct_share = names.nunique() / len(names)
        if surname_share >= NAME_SURNAME_SHARE and (len(names) < 10 or distinct_share >= NAME_MIN_DISTINCT_SHARE):
            return "name"
    is_latin = values.str.match(_LATIN_NAME_PATTERN)
    if is_latin.mean() >= MATCH_SHARE:
        names = values[is_latin]
        if len(names) < 10 or names.nunique() / len(names) >= _LATIN_NAME_DISTINCT_SHARE:
            return "name"
    return None


def detect_pii(frame: pd.DataFrame) -> dict[str, str]:
    """Columns of ``frame`` that hold personal data → their kind (one of PII_KINDS).

    By header first (a canonical PII key or any alias of one), then by the values of text and integer columns
    whose header is not a known non-personal field of a numeric kind (an AUM column is never a phone column).
    """
    found: dict[str, str] = {}
    for column in frame.columns:
        kind = _header_kind(column)
        if kind is None:
            known = str(column) if str(column) in schema.FIELD_BY_KEY else schema.match_header(column)
            if known is not None and schema.FIELD_BY_KEY[known].kind is not schema.Kind.TEXT:
                continue
            kind = value_kind(_text_sample(frame[column]))
        if kind is not None:
            found[column] = kind
    return found


# ---- masking ------------------------------------------------------------------------------------------------


def mask_value(value: object, kind: str) -> object:
    """One value masked as ``kind``. NaN/None stay as they are; integers are masked as their digits."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return value
    masked = mask_series(pd.Series([value], dtype=object), kind)
    return masked.iloc[0]


def mask_series(series: pd.Series, kind: str) -> pd.Series:
    """A copy of ``series`` with every text (or integer) value masked as ``kind``; missing values untouched.

    Vectorised with pandas string methods: a 300,000-cell book masks in a fraction of a second.
    """
    if kind not in PII_KINDS:
        raise ValueError(f"unknown PII kind {kind!r}")
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        text = series
    elif series.dtype == object or pd.api.types.is_numeric_dtype(series.dtype):
        text = series.map(_as_text, na_action="ignore")
    else:
        return series.copy()  # dates and the like: nothing a person could be identified by
    text = text.astype("str")
    # Empty cells stay empty: a star there would suggest a value that is not there.
    present = text.notna() & text.str.strip().ne("").fillna(False).astype(bool)
    if not present.any():
        return series.copy()
    values = text[present].str.strip()
    if kind == "name":
        masked = values.str[:1] + NAME_STARS
        masked = masked.where(values.str.len() > 1, "*")
    else:
        # The separators people type inside these numbers go; a value that is then not the kind's shape
        # ("13800138000 5": twelve digits) is masked whole, character for character, never glued into a
        # number it is not.
        compact = values.str.replace(_TYPED_SEPARATORS, "", regex=True)
        if kind == "id_number":
            compact = compact.str.upper()
        elif kind == "phone":
            for code in ("86", "0086"):  # +86 138…: the country code is not part of the number
                prefixed = compact.str.startswith(code) & compact.str.len().eq(11 + len(code))
                compact = compact.where(~prefixed, compact.str[len(code):])
        head, tail = _KEEP[kind]
        lengths = compact.str.len()
        hidden = (lengths - head - tail).clip(lower=0)
        fits = compact.str.fullmatch(_SHAPES[kind]).fillna(False).astype(bool) & (hidden >= MIN_HIDDEN)
        shown = compact.str[:head] + _stars(hidden) + compact.str[-tail:]
        masked = shown.where(fits, values.str.replace(r"[0-9A-Za-z]", "*", regex=True))
        # Masking twice changes nothing: a value already masked (138****5678) stays as it is.
        already = values.str.fullmatch(_ALREADY_MASKED).fillna(False).astype(bool)
        masked = masked.where(~already, values)
    out = series.astype(object).copy()
    out[present] = masked.astype(object)
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return out.astype(series.dtype)
    return out


def _stars(counts: pd.Series) -> pd.Series:
    """A run of ``*`` per count. Lengths repeat (every phone has 11 digits), so map the few distinct ones."""
    runs = {int(n): "*" * int(n) for n in counts.unique()}
    return counts.map(runs).astype("str")


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with every ID, mobile or card number in it masked where it stands (the rest unchanged), and each of
    ``names`` (the customer's name as the book has it) by its mask (段** for 段小红).

    A name typed without the book knowing it cannot be told from other words, so callers say on the page which
    kinds are masked. Applying it twice changes nothing more.
    """
    text = str(text)
    if _has_long_number(text):
        for kind, pattern in _IN_TEXT:
            text = pattern.sub(functools.partial(_masked_match, kind), text)
    for name in sorted({str(n).strip() for n in names if n is not None and len(str(n).strip()) >= 2},
                       key=len, reverse=True):
        text = text.replace(name, str(mask_value(name, "name")))
    return text
    for kind, pattern in _IN_TEXT:
        text = pattern.sub(functools.partial(_masked_match, kind), text)
    return text


def _masked_match(kind: str, match: re.Match[str]) -> str:
    return str(mask_value(match.group(0), kind))


def _has_long_number(text: str) -> bool:
    return re.search(_MAYBE_NUMBER, text) is not None


def mask_cells(series: pd.Series) -> pd.Series:
    """A copy of ``series`` in which every value that holds an ID, mobile or card number is masked, cell by
    cell, whatever the rest of the column holds. Numbers typed as numbers (an 11-digit integer) count too;
    money and other measures never reach here (see :func:`mask_frame`)."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.copy()
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        text = series
    elif series.dtype == object or pd.api.types.is_integer_dtype(series.dtype):
        text = series.map(_as_text, na_action="ignore")
    else:
        return series.copy()  # floats with fractions, dates: no one is identified by them
    text = text.astype("str")
    # Vectorised first look; only the few cells with an 11-digit run meet the per-cell substitution.
    candidates = text.str.contains(_MAYBE_NUMBER, regex=True).fillna(False).astype(bool)
    if not candidates.any():
        return series.copy()
    masked = text[candidates].map(mask_text)
    changed = masked.ne(text[candidates])
    if not changed.any():
        return series.copy()
    out = series.astype(object).copy()
    out[masked.index[changed.to_numpy()]] = masked[changed].astype(object)
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        return out.astype(series.dtype)
    return out


def mask_words(series: pd.Series) -> pd.Series:
    """A copy of ``series`` in which every cell holding words (letters or Chinese characters) shows only its
    first character: for a column nobody has named yet, which may hold names, addresses or notes. Numbers stay
    (an ID, phone or card number among them masked as always)."""
    out = mask_cells(series)
    text = out.astype("str")
    words = text.str.contains(r"[A-Za-z\u3400-\u9fff]", regex=True).fillna(False).astype(bool)
    if not words.any():
        return out
    out = out.astype(object).copy()
    out[words] = text[words].str.strip().str[:1] + NAME_STARS
    return out.astype(series.dtype) if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object else out


def _numeric_field(column: object) -> bool:
    """A column whose header (or canonical key) is a known measure: money, counts, dates… never personal."""
    key = str(column) if str(column) in schema.FIELD_BY_KEY else schema.match_header(column)
    return key is not None and schema.FIELD_BY_KEY[key].kind is not schema.Kind.TEXT


def mask_frame(frame: pd.DataFrame, kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` fit to show, whoever calls it and however few rows it has.

    Columns known as personal (canonical PII keys, their aliases, columns detected by their values, or
    ``kinds``: column → kind, when the caller knows from a larger sample) are masked whole, as their kind.
    Every other column is masked cell by cell: any value holding an ID, mobile or card number is masked where
    it stands, whatever its share of the column. Known measures (AUM, balances, counts, dates) are left as
    they are: an AUM of 13,812,345,678 元 is money, not a phone.
    """
    found = dict(detect_pii(frame)) if kinds is None else dict(kinds)
    if kinds is not None:
        for column in frame.columns:  # headers and canonical keys are personal whatever the caller passed
            kind = _header_kind(column)
            if kind is not None:
                found.setdefault(column, kind)
    out = frame.copy()
    for column in out.columns:
        kind = found.get(column)
        if kind is not None:
            out[column] = mask_series(out[column], kind)
        elif not _numeric_field(column):
            out[column] = mask_cells(out[column])
    return out


# ---- free text ----------------------------------------------------------------------------------------------
