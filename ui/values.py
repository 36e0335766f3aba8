"""Category values of a customer book in the page's language: the sample book (and most Chinese exports) write
性别 as 男/女, 购买意向 as 高/中/低 and so on; an English page shows them as Male/Female, High/Medium/Low.

The names live in the catalogue (``workbook/text/values.toml``, keys ``value.<field>.<value>``); a value the
catalogue does not know is shown unchanged, so a trainee's own codes are never hidden or altered.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from workbook import i18n

# The canonical fields whose values are words rather than numbers, codes or PII.
TRANSLATED_FIELDS: tuple[str, ...] = ("gender", "occupation", "marital", "life_event", "purchase_intent")


def value_label(field: str, value: object, lang: str) -> object:
    """One cell's display text; unknown values (and missing ones) come back unchanged."""
    if not isinstance(value, str):
        return value
    key = f"value.{field}.{value.strip()}"
    return i18n.t(key, lang) if i18n.has_key(key) else value


def translate_frame(frame: pd.DataFrame, lang: str, fields: Iterable[str] = TRANSLATED_FIELDS) -> pd.DataFrame:
    """A copy of ``frame`` (columns named by canonical keys) with its word-valued columns in ``lang``."""
    present = [field for field in fields if field in frame.columns]
    if not present:
        return frame
    shown = frame.copy()
    for field in present:
        column = frame[field]
        # Map the distinct values once (a 20,000-row book has a handful of them), then look the column up.
        lookup = {value: value_label(field, value, lang) for value in column.dropna().unique()}
        shown[field] = column.map(lookup).where(column.notna(), column)
    return shown
