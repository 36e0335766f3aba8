"""Intake invariants under hypothesis: only BookError ever escapes, whatever the bytes; a canonical book written
to CSV or xlsx reads back equal; no cell becomes a silent NaN."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.workbook.intake_files import csv_bytes, xlsx_bytes, zip_bytes
from workbook import BookError, cells, read_book
from workbook.intake import TOTAL_ROW_WORDS, BookLoad, preview_source
from workbook.schema import FIELDS, Kind

SIGNATURES = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
              b"sep=;\n", "客户号,金融资产\n".encode(), "客户号,金融资产\n".encode("gbk")]


def _only_book_error(data: bytes, filename: str = "fuzz.xlsx") -> None:
    for call in (lambda: read_book(data, filename), lambda: preview_source(data, filename)):
        try:
            result = call()
        except BookError as error:
            assert str(error) and error.filename == filename
            # "unreadable" is intake's backstop for an exception nobody anticipated: reaching it is a bug.
            assert error.code != "unreadable", repr(error.__cause__)
        else:
            assert result is not None
            if isinstance(result, BookLoad):
                assert len(result.book) == result.report.rows_kept
                assert "customer_id" in result.book.columns and "aum" in result.book.columns


@given(prefix=st.sampled_from(SIGNATURES), body=st.binary(max_size=2048))
@example(prefix=b"PK\x03\x04", body=b"\x00" * 40)
@example(prefix=b"", body="客户号;金融资产\n\"C1;1".encode())
def test_arbitrary_bytes_raise_only_book_error(prefix: bytes, body: bytes) -> None:
    _only_book_error(prefix + body)


@lru_cache(maxsize=1)
def _valid_files() -> dict[str, bytes]:
    rows = [
        ["客户名册 2026"],
        ["客户号", "姓名", "手机号", "金融资产(万元)", "最近交易日期", "风险等级", "持有产品数"],
        ["C1", "张伟", "13812345678", "12.5", "2026-03-15", "R2", 3],
        ["C2", "李娜", "13987654321", "3万", "2026年1月5日", "C4", "2"],
        ["C2", "王芳", "", "(1,000)", "46096", "稳健型", ""],
    ]
    return {"xlsx": xlsx_bytes(rows), "csv": csv_bytes(rows, ";", "gbk"), "utf16": csv_bytes(rows, "\t", "utf-16")}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["xlsx", "csv", "utf16"]),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255), st.sampled_from("xid")),
                   min_size=1, max_size=8),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_byte_mutations_of_valid_files_raise_only_book_error(
    kind: str, edits: list[tuple[float, int, str]], cut: float | None
) -> None:
    data = bytearray(_valid_files()[kind])
    for where, byte, action in edits:
        position = int(where * len(data))
        if action == "x":
            data[position] = byte
        elif action == "i":
            data.insert(position, byte)
        elif len(data) > 1:
            del data[position]
    if cut is not None:
        data = data[: int(cut * len(data))]
    _only_book_error(bytes(data), f"mutated.{kind}")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    member=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml",
                            "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
    start=st.floats(0, 1, exclude_max=True),
    length=st.integers(0, 60),
    insert=st.text(alphabet='<>/="\'&;#x0123456789abcrtvis ', max_size=30),
)
def test_xml_mutations_inside_a_valid_workbook_raise_only_book_error(
    member: str, start: float, length: int, insert: str
) -> None:
    # The zip stays valid, so the damage reaches the XML parser rather than the zip reader.
    archive = zipfile.ZipFile(io.BytesIO(_valid_files()["xlsx"]))
    members = {name: archive.read(name) for name in archive.namelist()}
    if member not in members:
        return
    content = members[member]
    position = int(start * len(content))
    members[member] = content[:position] + insert.encode() + content[position + length:]
    _only_book_error(zip_bytes(members), "damaged.xlsx")


# ---- round trip -----------------------------------------------------------------------------------------------

TEXT_ALPHABET = "张王李赵陈刘杨黄周吴伟娜芳敏静强磊军洋勇艳杰涛明超秀霞平刚桂英华abcXYZ0123456789_-·"
TEXT_KEYS = {"gender", "occupation", "marital", "life_event", "name", "id_number", "phone", "card_no"}


def _plain_text() -> st.SearchStrategy[str]:
    # Values intake keeps as typed: no edge spaces, not a blank token, not a total-line word.
    return st.text(alphabet=TEXT_ALPHABET, min_size=1, max_size=8).filter(
        lambda s: s == s.strip() and s.lower() not in cells.MISSING_TOKENS and s.lower() not in TOTAL_ROW_WORDS
        and not s.startswith("-") and not s.startswith("·")
    )


@st.composite
def canonical_books(draw: st.DrawFn) -> pd.DataFrame:
    count = draw(st.integers(1, 12))
    optional = [f for f in FIELDS if f.key not in ("customer_id", "aum")]
    chosen = {f.key for f in draw(st.lists(st.sampled_from(optional), unique=True, max_size=12))}
    ids = draw(st.lists(_plain_text(), min_size=count, max_size=count, unique=True))
    frame: dict[str, pd.Series] = {}
    for field in FIELDS:
        if field.key not in chosen | {"customer_id", "aum"}:
            continue
        if field.key == "customer_id":
            frame[field.key] = pd.Series(ids, dtype="str")
            continue
        maybe = st.one_of(st.none(), st.just(1)).map(lambda v: v is None)  # True = leave this cell empty
        blanks = draw(st.lists(maybe, min_size=count, max_size=count))
        if field.kind is Kind.TEXT:
            pool = {"risk_level": st.sampled_from(["C1", "C2", "C3", "C4", "C5"]),
                    "purchase_intent": st.sampled_from(["高", "中", "低"])}.get(field.key, _plain_text())
            values = [None if blank else draw(pool) for blank in blanks]
            frame[field.key] = pd.Series(values, dtype="str")
        elif field.kind is Kind.DATE:
            stamps = st.datetimes(pd.Timestamp("1990-01-01").to_pydatetime(), pd.Timestamp("2030-12-31")
                                  .to_pydatetime()).map(lambda d: pd.Timestamp(d).floor("s"))
            frame[field.key] = pd.Series([pd.NaT if b else draw(stamps) for b in blanks], dtype="datetime64[ns]")
        elif field.kind is Kind.COUNT:
            frame[field.key] = pd.Series([None if b else draw(st.integers(0, 500)) for b in blanks], dtype="Int64")
        else:
            low, high = {Kind.SHARE: (0.0, 1.0), Kind.NUMBER: (0.0, 120.0)}.get(field.kind, (-1e12, 1e12))
            numbers = st.floats(low, high, allow_nan=False, allow_subnormal=False)
            frame[field.key] = pd.Series([np.nan if b else draw(numbers) for b in blanks], dtype="float64")
    return pd.DataFrame(frame)


def _with_zh_headers(book: pd.DataFrame) -> pd.DataFrame:
    labels = {f.key: f.zh for f in FIELDS}
    return book.rename(columns=labels)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(book=canonical_books(), encoding=st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_canonical_book_round_trips_through_csv(book: pd.DataFrame, encoding: str, delimiter: str) -> None:
    text = _with_zh_headers(book).to_csv(index=False, sep=delimiter, lineterminator="\r\n")
    load = read_book(text.encode(encoding), "roundtrip.csv")
    pd.testing.assert_frame_equal(load.book, book, check_exact=False, rtol=1e-12, atol=0)
    assert load.report.rows_kept == len(book)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(book=canonical_books())
def test_canonical_book_round_trips_through_xlsx(book: pd.DataFrame) -> None:
    buffer = io.BytesIO()
    _with_zh_headers(book).to_excel(buffer, index=False, engine="openpyxl")
    load = read_book(buffer.getvalue(), "roundtrip.xlsx")
    pd.testing.assert_frame_equal(load.book, book, check_exact=False, rtol=1e-12, atol=0)


# ---- never a silent NaN -----------------------------------------------------------------------------------------

NUMBERISH = st.text(alphabet="0123456789,.-+()%万亿元千eE¥ abc（）", max_size=10)
DATEISH = st.text(alphabet="0123456789-/.年月日 T:", max_size=16)


@given(aum=st.lists(NUMBERISH, min_size=1, max_size=10), dates=st.lists(DATEISH, min_size=10, max_size=10))
def test_every_empty_value_is_a_blank_cell_or_a_reported_one(aum: list[str], dates: list[str]) -> None:
    rows = [["客户号", "金融资产", "最近交易日期"]]
    rows += [[f"C{i}", value, dates[i]] for i, value in enumerate(aum)]
    load = read_book(csv_bytes(rows), "x.csv")
    reported = {(issue.row, issue.column) for issue in load.report.issues}
    for position, (value, date) in enumerate(zip(load.book["aum"], load.book["last_txn_date"], strict=True)):
        row = position + 2  # header is row 1; ids are unique so every row is kept
        typed_aum, typed_date = aum[position].strip(), dates[position].strip()
        if np.isnan(value):
            assert typed_aum.lower() in cells.NUMBER_MISSING_TOKENS or (row, "金融资产") in reported, typed_aum
        if pd.isna(date):
            assert typed_date.lower() in cells.NUMBER_MISSING_TOKENS or (row, "最近交易日期") in reported, typed_date
        else:
            assert (row, "最近交易日期") not in reported
