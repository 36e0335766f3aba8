"""The synthetic demo book (workbook.samples) and the shipped files in sample_data/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbook import sample_book
from workbook.profit import profitability, whale_curve, whale_summary
from workbook.samples import (
    DTYPE_BY_KIND,
    REFERENCE_DATE,
    bank_export,
    id_check_char,
    luhn_valid,
)
from workbook.schema import CANONICAL_KEYS, FIELDS, PURCHASE_INTENTS, RISK_LEVELS, Kind, match_header

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return sample_book()


def test_deterministic(book: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(book, sample_book(300, 7))
    assert not sample_book(300, 8)["aum"].equals(book["aum"])


def test_schema_complete_and_typed(book: pd.DataFrame) -> None:
    assert list(book.columns) == list(CANONICAL_KEYS)
    assert len(book) == 300
    for field in FIELDS:
        column = book[field.key]
        assert column.notna().all(), field.key
        assert str(column.dtype) == DTYPE_BY_KIND[field.kind], field.key
        if field.minimum is not None and field.kind is not Kind.DATE:
            assert (column >= field.minimum).all(), field.key
        if field.maximum is not None:
            assert (column <= field.maximum).all(), field.key
    assert book["customer_id"].tolist()[:3] == ["C000001", "C000002", "C000003"]
    assert book["customer_id"].is_unique
    assert set(book["risk_level"]) <= set(RISK_LEVELS)
    assert set(book["purchase_intent"]) == set(PURCHASE_INTENTS)
    assert set(book["gender"]) == {"男", "女"}
    assert set(book["marital"]) <= {"已婚", "未婚", "离异", "丧偶"}
    assert "无" in set(book["life_event"])
    assert len(set(book["life_event"])) >= 6


def test_aum_heavy_tailed(book: pd.DataFrame) -> None:
    aum = np.sort(book["aum"].to_numpy())[::-1]
    # the top 5% (15 of 300) hold at least 40% of all AUM
    assert aum[:15].sum() / aum.sum() >= 0.40
    assert (aum >= 6_000_000).sum() >= 3  # a few private-banking clients
    assert (aum < 500_000).mean() > 0.5  # most customers below 50万
    assert (aum < 50_000).sum() >= 30  # some below 5万


def test_balances_add_up(book: pd.DataFrame) -> None:
    parts = book[["deposit_balance", "wealth_balance", "fund_balance", "insurance_balance"]].sum(axis=1)
    assert np.allclose(parts, book["aum"], atol=0.01)
    assert (book["loan_balance"] > 0).any()
    assert (book["product_count"] >= 1).all()
    # fee income rises with AUM: the richest decile earns far more than the poorest
    decile = pd.qcut(book["aum"], 10, labels=False)
    fee = book.groupby(decile)["fee_income_12m"].median()
    assert fee.iloc[-1] > 20 * fee.iloc[0]
    new = book["aum_12m_ago"] == 0
    assert (book.loc[new, "tenure_years"] < 1).all()
    assert np.corrcoef(book["aum"], book["aum_12m_ago"])[0, 1] > 0.9


def test_whale_curve_has_the_classic_shape(book: pd.DataFrame) -> None:
    result = profitability(book)
    summary = whale_summary(whale_curve(result["net"]))
    assert summary.total_net > 0
    assert 1.5 <= summary.peak_share <= 3.0
    assert 1.5 <= summary.top20_share <= 3.0
    kinds = result["kind"].value_counts()
    assert kinds["liability"] >= 60
    assert kinds["potential"] >= 10
    # the liabilities are mostly small customers, served beyond what they pay for
    small = book["aum"] < 500_000
    assert (result.loc[small, "kind"] == "liability").mean() > 0.4


def test_id_numbers_valid_and_match_age(book: pd.DataFrame) -> None:
    for id_number, age, gender in zip(book["id_number"], book["age"], book["gender"], strict=True):
        assert len(id_number) == 18
        assert id_number[:17].isdigit()
        assert id_check_char(id_number[:17]) == id_number[17]
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        on_reference = REFERENCE_DATE.year - born.year - ((REFERENCE_DATE.month, REFERENCE_DATE.day)
                                                          < (born.month, born.day))
        assert on_reference == age
        assert (int(id_number[16]) % 2 == 1) == (gender == "男")
    # a known check character: GB 11643's example 11010519491231002 → X
    assert id_check_char("11010519491231002") == "X"


def test_phones_and_cards(book: pd.DataFrame) -> None:
    assert book["phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert book["card_no"].str.fullmatch(r"62\d{14,17}").all()
    assert all(luhn_valid(card) for card in book["card_no"])
    assert luhn_valid("4539578763621486") and not luhn_valid("4539578763621487")
    assert book["name"].str.len().between(2, 4).all()


def test_ages_dates_and_behaviour_plausible(book: pd.DataFrame) -> None:
    assert book["age"].between(22, 80).all()
    assert (book["tenure_years"] <= book["age"] - 18).all()
    assert (book["invest_years"] <= book["age"] - 20).all()
    reference = pd.Timestamp(REFERENCE_DATE)
    for key in ("last_txn_date", "last_contact_date"):
        assert (book[key] <= reference).all()
        assert (book[key] >= reference - pd.Timedelta(days=1000)).all()
    young, old = book["age"] < 40, book["age"] >= 65
    assert book.loc[young, "app_logins_30d"].mean() > 3 * book.loc[old, "app_logins_30d"].mean()
    assert book.loc[young, "digital_share"].mean() > book.loc[old, "digital_share"].mean()
    assert (book.loc[book["age"] >= 60, "occupation"] == "退休人员").mean() > 0.5
    assert book.loc[book["marital"] == "未婚", "children"].eq(0).all()
    retire = book["life_event"] == "退休"
    assert book.loc[retire, "age"].between(54, 64).all()
    nps = (book["satisfaction"] >= 9).mean() - (book["satisfaction"] <= 6).mean()
    assert -0.2 < nps < 0.6


def test_sizes() -> None:
    big = sample_book(20_000)
    assert len(big) == 20_000
    assert big["customer_id"].is_unique
    assert big["customer_id"].iloc[-1] == "C020000"
    summary = whale_summary(whale_curve(profitability(big)["net"]))
    assert 1.3 <= summary.peak_share <= 3.0
    for n in (1, 2, 5):
        small = sample_book(n)
        assert len(small) == n
        assert small.notna().all().all()
    with pytest.raises(ValueError):
        sample_book(0)
    with pytest.raises(ValueError):
        sample_book(-3)


def test_export_headers_map_back(book: pd.DataFrame) -> None:
    export = bank_export(book)
    assert "金融资产" in export.columns
    assert [match_header(header) for header in export.columns] == list(CANONICAL_KEYS)


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """A shipped file's frame back in the canonical schema (headers by alias, dtypes by kind)."""
    frame = frame.rename(columns={header: match_header(header) for header in frame.columns})
    out = {}
    for field in FIELDS:
        column = frame[field.key]
        if field.kind is Kind.DATE:
            column = pd.to_datetime(column)
        out[field.key] = column.astype(DTYPE_BY_KIND[field.kind])
    return pd.DataFrame(out)


def test_shipped_files_match_the_generator(book: pd.DataFrame) -> None:
    text = {f.zh: str for f in FIELDS if f.kind is Kind.TEXT}
    xlsx = _canonical(pd.read_excel(SAMPLE_DIR / "sample_book_300.xlsx", dtype=text, engine="openpyxl"))
    csv = _canonical(pd.read_csv(SAMPLE_DIR / "sample_book_300.csv", encoding="gbk", dtype=text))
    for shipped in (xlsx, csv):
        pd.testing.assert_frame_equal(shipped, book, check_exact=False, rtol=0, atol=0.005)
    assert (SAMPLE_DIR / "README.md").read_text(encoding="utf-8").count("python scripts/make_sample_data.py") >= 1


def test_intake_reads_the_shipped_files_as_the_sample(book: pd.DataFrame) -> None:
    from workbook import read_book

    # 无 in 近期人生事件 means "no event" and is kept as text, so the round trip is exact.
    for name in ("sample_book_300.xlsx", "sample_book_300.csv"):
        load = read_book((SAMPLE_DIR / name).read_bytes(), name)
        assert load.report.issues == ()
        pd.testing.assert_frame_equal(load.book, book, check_exact=False, rtol=0, atol=0.005)
