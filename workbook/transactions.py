"""Transaction logs: recognising a list with one row per purchase, and summing it to one row per customer.

A customer book has one row per customer. Bank systems (and the classic CDNOW sample, ``00001 19970101 1
11.77``: customer, date yyyymmdd, quantity, amount, whitespace separated, no header) also export *transaction
logs*: many rows per customer number, a date and an amount on each. Read as a book, all but each customer's
first row would be dropped as repeated customer numbers, and no column is an AUM. So intake recognises the
shape and offers to sum it per customer: number of transactions, total amount, total quantity, first and last
transaction date. The trainee then maps those columns like any other (the total amount can stand in for AUM
when the log is all there is, and the page says so).

Recognition looks at values, not headers (a headerless log has none): a column of customer numbers that
repeat, a column of dates, and a column of amounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook import cells
from workbook.schema import FIELD_BY_KEY

# A column whose sampled values repeat this much (share of rows whose number appeared in an earlier row) is a
# per-transaction customer column. In a customer book repeats are slips (a few %), in a log they are the norm.
REPEAT_SHARE = 0.3
MIN_ROWS = 20  # fewer sampled rows cannot tell a log from a short list with a few repeats
VALUE_SHARE = 0.9  # a date or amount column: at least this share of its non-empty sampled cells read as such
SMALL_QUANTITY = 1_000  # a quantity column's median is at most this (pieces, shares), an amount's usually not

# Names of the summed columns. Language-neutral keys (the mapping step labels them from the catalogue);
# the two that are canonical fields carry their canonical key, so they map themselves.
CUSTOMER = "customer_id"
COUNT = "txn_count"
AMOUNT = "txn_amount_total"
QUANTITY = "txn_quantity_total"
FIRST_DATE = "first_txn_date"
LAST_DATE = "last_txn_date"
SUMMARY_COLUMNS: tuple[str, ...] = (CUSTOMER, COUNT, AMOUNT, QUANTITY, FIRST_DATE, LAST_DATE)
SUGGESTED: Mapping[str, str] = {CUSTOMER: "customer_id", LAST_DATE: "last_txn_date", AMOUNT: "aum"}


@dataclass(frozen=True)
class TransactionLog:
    """Which source columns hold the customer, the date, the amount (and the quantity, when there is one)."""

    customer: str
    date: str
    amount: str
    quantity: str | None
    repeat_share: float  # in the sample


@dataclass(frozen=True)
class Summary:
    """A log summed per customer: the rows (one per customer, in order of first appearance) with their
    source row numbers (the first transaction's), and the transaction cells that could not be read."""

    rows: list[list[object]]
    first_rows: np.ndarray  # Excel row of each customer's first transaction
    transactions: int  # rows summed
    bad_amounts: np.ndarray  # Excel rows whose amount could not be read (left out of the sums)
    bad_dates: np.ndarray


def detect(sample: pd.DataFrame, suggested: Mapping[str, str]) -> TransactionLog | None:
    """The log's columns when ``sample`` (raw cells as text, one column per source column) looks like a
    transaction log, else None. A file with an AUM column is a book with repeats, not a log."""
    if len(sample) < MIN_ROWS or "aum" in suggested.values():
        return None
    filled = {column: sample[column][sample[column] != ""] for column in sample.columns}
    dates = [c for c, v in filled.items() if len(v) and _share(cells.read_date(v).flags["bad_date"], v) and
             _looks_like_dates(v)]
    numbers = {c: cells.read_number(v) for c, v in filled.items() if len(v) and c not in dates}
    numeric = [c for c, read in numbers.items() if _share(read.flags["bad_number"], filled[c])]
    customer = next((c for c, key in suggested.items() if key == "customer_id"), None)
    if customer is None:
        # Customer numbers repeat, but there are many of them: of the repeating columns without fractions, the
        # one with the most distinct values (a quantity column repeats more, over a handful of values).
        candidates = [c for c in sample.columns if c not in dates and len(filled[c])
                      and _repeat_share(filled[c]) >= REPEAT_SHARE
                      and not (c in numbers and _has_fractions(numbers[c].values))]
        customer = max(candidates, key=lambda c: (_identifier_like(filled[c]), filled[c].nunique()), default=None)
    if customer is None or not dates:
        return None
    repeats = _repeat_share(filled[customer])
    measures = [c for c in numeric if c != customer]
    if repeats < REPEAT_SHARE or not measures:
        return None
    # The amount: the last column with fractions (CDNOW's layout, and the usual place of 金额), else the
    # largest; a quantity is another column of small whole numbers.
    with_fractions = [c for c in measures if _has_fractions(numbers[c].values)]
    amount = with_fractions[-1] if with_fractions else max(measures, key=lambda c: _median(numbers[c].values))
    quantities = [c for c in measures if c != amount and _whole(numbers[c].values)
                  and _median(numbers[c].values) <= SMALL_QUANTITY]
    return TransactionLog(customer=customer, date=dates[0], amount=amount,
                          quantity=quantities[0] if quantities else None, repeat_share=round(repeats, 3))


def _share(bad: pd.Series, values: pd.Series) -> bool:
    return bool(len(values)) and float(1.0 - bad.mean()) >= VALUE_SHARE


def _looks_like_dates(values: pd.Series) -> bool:
    """Dates as a log writes them (20260315, 2026-03-15, 2026/3/15), not small numbers read as Excel serials."""
    text = values.astype("str").str.strip()
    return bool(text.str.contains(r"^\d{8}$|\d{4}[-/.年]\d{1,2}", regex=True).mean() >= VALUE_SHARE)


def _identifier_like(values: pd.Series) -> bool:
    """Customer numbers as systems write them: letters in them, leading zeros, or one fixed width of 4+."""
    text = values.astype("str").str.strip()
    lengths = text.str.len()
    return bool(text.str.contains(r"[A-Za-z]|^0\d", regex=True).mean() >= VALUE_SHARE
                or (lengths.min() >= 4 and lengths.nunique() == 1))


def _repeat_share(values: pd.Series) -> float:
    if values.empty:
        return 0.0
    return float(values.duplicated().mean())


def _has_fractions(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    return bool(len(numbers)) and bool((numbers != np.round(numbers)).any())


def _median(values: pd.Series) -> float:
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return float(numbers.median()) if len(numbers) else 0.0


def _whole(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    return bool(len(numbers)) and bool((numbers == np.round(numbers)).all())


def summarise(body: Sequence[Sequence[object]], columns: Sequence[str], log: TransactionLog,
              first_row: int) -> Summary:
    """One row per customer (columns :data:`SUMMARY_COLUMNS`) from the log's rows. ``first_row`` is the Excel
    row of ``body[0]``. Blank rows and rows without a customer number are left out."""
    position = {column: index for index, column in enumerate(columns)}

    def column(name: str | None) -> pd.Series:
        if name is None:
            return pd.Series([None] * len(body), dtype=object)
        index = position[name]
        return pd.Series([row[index] if index < len(row) else None for row in body], dtype=object)

    rows = np.arange(len(body), dtype=np.int64) + first_row
    customers = cells.read_text(column(log.customer), FIELD_BY_KEY["customer_id"].key).values
    amounts = cells.read_money(column(log.amount))
    dates = cells.read_date(column(log.date))
    quantity = cells.read_number(column(log.quantity)).values if log.quantity else None
    present = customers.notna().to_numpy()
    frame = pd.DataFrame({
        "customer": customers.to_numpy(dtype=object),
        "amount": amounts.values.to_numpy(dtype=float),
        "date": dates.values.to_numpy(),
        "quantity": (quantity.to_numpy(dtype=float) if quantity is not None else np.full(len(body), np.nan)),
        "row": rows,
    })[present]
    grouped = frame.groupby("customer", sort=False)
    summary = pd.DataFrame({
        COUNT: grouped["row"].count(),
        AMOUNT: grouped["amount"].sum(min_count=1).round(6),  # no float noise (238.17, not 238.17000000000002)
        QUANTITY: grouped["quantity"].sum(min_count=1).round(6),
        FIRST_DATE: grouped["date"].min(),
        LAST_DATE: grouped["date"].max(),
        "row": grouped["row"].first(),
    })
    summary.insert(0, CUSTOMER, summary.index.to_numpy(dtype=object))
    if log.quantity is None:
        summary = summary.drop(columns=[QUANTITY])
    out = summary.drop(columns=["row"])
    records = [[_cell(value) for value in record] for record in out.itertuples(index=False, name=None)]
    bad_amounts = rows[(amounts.flags["bad_number"].to_numpy() & present)]
    bad_dates = rows[(dates.flags["bad_date"].to_numpy() & present)]
    return Summary(rows=records, first_rows=summary["row"].to_numpy(dtype=np.int64), transactions=int(present.sum()),
                   bad_amounts=bad_amounts, bad_dates=bad_dates)


def summary_columns(log: TransactionLog) -> tuple[str, ...]:
    return tuple(c for c in SUMMARY_COLUMNS if log.quantity is not None or c != QUANTITY)


def _cell(value: object) -> object:
    """A summed value as a plain cell (what a reader would hand over): NaN and NaT become blanks."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value
