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
    # the top 5% (15 of 300) hold more than half of all AUM
    assert aum[:15].sum() / aum.sum() >= 0.50
    # 招行 2021: 金葵花及以上 (≥ 50万) held 82% of its AUM. In one manager's book those customers are about a fifth
    # of the book (a 理财经理 is given the better customers), and they hold a similar share.
    rich = aum >= 500_000
    assert 0.15 <= rich.mean() <= 0.25
    assert 0.80 <= aum[rich].sum() / aum.sum() <= 0.92
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
    assert 0.03 <= new.mean() <= 0.09  # accounts opened within the year
    assert (book.loc[new, "tenure_years"] < 1).all()
    assert np.corrcoef(book["aum"], book["aum_12m_ago"])[0, 1] > 0.9


@pytest.fixture(scope="module")
def branch() -> pd.DataFrame:
    return sample_book(20_000)


@pytest.fixture(scope="module", params=["manager", "branch"])
def any_book(request: pytest.FixtureRequest, book: pd.DataFrame, branch: pd.DataFrame) -> pd.DataFrame:
    """The 300-customer book and the 20,000-customer book: the planted patterns must hold on both."""
    return book if request.param == "manager" else branch


def test_whale_curve_has_the_classic_shape(any_book: pd.DataFrame) -> None:
    result = profitability(any_book)
    summary = whale_summary(whale_curve(result["net"]))
    assert summary.total_net > 0
    # Kaplan: the most profitable 20% earn 150–300% of the total profit
    assert 1.5 <= summary.top20_share <= 3.0
    assert 1.5 <= summary.peak_share <= 3.0
    kinds = result["kind"].value_counts(normalize=True)
    assert 0.35 <= kinds["liability"] <= 0.65
    assert kinds["potential"] >= 0.03
    # the liabilities are mostly small customers, served beyond what they pay for
    small = any_book["aum"] < 500_000
    assert (result.loc[small, "kind"] == "liability").mean() > 0.5


def test_costs_are_plausible_and_concessions_compliant(any_book: pd.DataFrame) -> None:
    result = profitability(any_book)
    revenue = result["revenue"].sum()
    # hours: a manager's year, somewhat over the 1,800 effective hours (the course's "working hard on the wrong
    # customers"), per 300 customers
    hours_per_300 = any_book["service_hours_12m"].sum() / len(any_book) * 300
    assert 1_800 <= hours_per_300 <= 2_400
    # gifts, events and concessions: about a fifth of the revenue, not half of it
    perks = any_book[["gift_cost_12m", "event_cost_12m", "rebate_cost_12m"]].to_numpy().sum()
    assert perks / revenue <= 0.25
    # 让利 only as fee waivers (at most 30% of the customer's own fees) and points (at most 800元 a year)
    rebates = any_book["rebate_cost_12m"]
    assert rebates.sum() / revenue <= 0.03
    assert (rebates <= 0.30 * any_book["fee_income_12m"] + 800 + 5).all()


def test_contact_is_uneven_and_dated(any_book: pd.DataFrame) -> None:
    days = (pd.Timestamp(REFERENCE_DATE) - any_book["last_contact_date"]).dt.days
    contacts = any_book["contacts_12m"]
    # about a third of the book reached in the last month; some not at all this year
    assert 0.25 <= (days <= 30).mean() <= 0.40
    assert 0.08 <= (contacts == 0).mean() <= 0.20
    # the date follows the count: nobody reached this year was last contacted a year or more ago
    assert ((contacts == 0) == (days >= 365)).all()
    # the unreached are mostly small customers
    assert any_book.loc[contacts == 0, "aum"].median() < any_book["aum"].median()


def test_referrals_and_life_events_at_plausible_rates(any_book: pd.DataFrame) -> None:
    referrers = any_book["referrals_12m"] >= 1
    assert 0.04 <= referrers.mean() <= 0.10  # one customer in ten to twenty-five refers someone a year
    assert any_book["referrals_12m"].sum() / len(any_book) <= 0.12
    events = any_book["life_event"] != "无"
    assert 0.08 <= events.mean() <= 0.20
    assert (any_book["life_event"] == "继承").mean() <= 0.01  # inheritance is rare


def _retention(book: pd.DataFrame, mask: pd.Series) -> float:
    """Σ aum ÷ Σ aum_12m_ago over the customers of ``mask`` who had a base a year ago."""
    based = mask & (book["aum_12m_ago"] > 0)
    return float(book.loc[based, "aum"].sum() / book.loc[based, "aum_12m_ago"].sum())


def _nps(book: pd.DataFrame, mask: pd.Series) -> float:
    score = book.loc[mask, "satisfaction"]
    return float(((score >= 9).mean() - (score <= 6).mean()) * 100)


def test_gifts_do_not_buy_loyalty(any_book: pd.DataFrame) -> None:
    # 送礼仍流失: customers whose AUM fell by a fifth or more are given far more gifts and events than the stable
    # ones, and rate their manager almost as well: satisfied, and leaving anyway.
    book = any_book
    based = book["aum_12m_ago"] > 0
    ratio = book["aum"] / book["aum_12m_ago"].where(based)
    declining = based & (book["tenure_years"] >= 1) & (ratio < 0.8)
    stable = based & (book["tenure_years"] >= 3) & ratio.between(0.8, 1.2, inclusive="left")
    perks = book["gift_cost_12m"] + book["event_cost_12m"]
    assert perks[declining].mean() >= 2 * perks[stable].mean()
    assert book.loc[declining, "satisfaction"].mean() >= book.loc[stable, "satisfaction"].mean() - 1.0
    # and the non-private customers given the most (top 10% of gifts and events) kept less than the book did
    private = book["aum"] >= 6_000_000
    most = ~private & (perks >= perks[~private & based].quantile(0.9))
    assert _retention(book, most) < _retention(book, based) - 0.03


def test_rate_shoppers_score_low(any_book: pd.DataFrame) -> None:
    book = any_book
    # 比价客户: a third of their assets maturing within 90 days, more held at other banks, one or two products
    shoppers = ((book["maturing_90d"] >= 0.3 * book["aum"]) & (book["external_assets_est"] >= book["aum"])
                & (book["product_count"] <= 2) & (book["aum"] >= 50_000))
    assert shoppers.sum() >= 0.03 * len(book)
    assert _nps(book, shoppers) <= _nps(book, book["aum"] >= 0) - 50


def test_private_clients_are_less_sticky_than_affluent_ones(any_book: pd.DataFrame) -> None:
    book = any_book
    private = book["aum"] >= 6_000_000
    affluent = book["aum"].between(500_000, 6_000_000, inclusive="left")
    assert (book.loc[private, "product_count"] >= 3).mean() < (book.loc[affluent, "product_count"] >= 3).mean()
    outside = book["external_assets_est"] / book["aum"]
    assert book.loc[private, "external_assets_est"].sum() / book.loc[private, "aum"].sum() > 1.5
    assert outside[private].median() > outside[affluent].median()


def test_some_affluent_customers_are_under_served(any_book: pd.DataFrame) -> None:
    book = any_book
    affluent = book["aum"].between(500_000, 6_000_000, inclusive="left")
    hours = book["service_hours_12m"]
    # large assets elsewhere, and at most half the hours the tier usually gets
    neglected = affluent & (book["external_assets_est"] >= 1.5 * book["aum"]) & (hours <= hours[affluent].median() / 2)
    assert neglected.sum() >= 0.10 * affluent.sum()


def test_the_customers_who_refer_keep_their_assets(any_book: pd.DataFrame) -> None:
    book = any_book
    based = book["aum_12m_ago"] > 0
    assert _retention(book, book["referrals_12m"] >= 1) > _retention(book, based) + 0.03


def test_personas_are_planted_in_their_tier(book: pd.DataFrame, branch: pd.DataFrame) -> None:
    from workbook.personas import PERSONAS, persona_customers

    # at fixed rows: C000008 is the first persona in the 300 book
    assert persona_customers(book)["gifts_still_leaving"] == "C000008"
    for frame in (book, branch):
        found = persona_customers(frame)
        assert set(found) == {p.id for p in PERSONAS}
        assert len(set(found.values())) == len(PERSONAS)
        for persona in PERSONAS:
            row = frame.loc[frame["customer_id"] == found[persona.id]].iloc[0]
            for key, value in persona.fields.items():
                if key.endswith("_days"):
                    date_key = {"last_txn_days": "last_txn_date", "last_contact_days": "last_contact_date"}[key]
                    assert (pd.Timestamp(REFERENCE_DATE) - row[date_key]).days == value
                elif isinstance(value, str):
                    assert row[key] == value, (persona.id, key)
                else:
                    assert float(row[key]) == pytest.approx(float(value)), (persona.id, key)
            id_number = row["id_number"]
            assert id_check_char(id_number[:17]) == id_number[17]
            assert (int(id_number[16]) % 2 == 1) == (row["gender"] == "男")
    # a persona replaces a customer of its own tier: the tier counts are the generator's fixed shares
    tiers = pd.cut(book["aum"], [0, 50_000, 500_000, 6_000_000, np.inf], right=False).value_counts(sort=False)
    assert tiers.tolist() == [90, 144, 59, 7]
    assert persona_customers(sample_book(99)) == {}


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
    assert 0.0 < nps < 0.4


def test_sizes() -> None:
    big = sample_book(20_000)
    assert len(big) == 20_000
    assert big["customer_id"].is_unique
    assert big["customer_id"].iloc[-1] == "C020000"
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


def test_regenerating_the_shipped_files_gives_the_same_bytes(tmp_path: Path) -> None:
    from scripts.make_sample_data import main

    assert main(["--out", str(tmp_path)]) == 0
    for name in ("sample_book_300.xlsx", "sample_book_300.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name
