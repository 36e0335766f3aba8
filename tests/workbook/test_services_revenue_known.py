"""Whether a book carries any revenue field (3.4 tells 'unknown' apart from 'zero')."""

from __future__ import annotations

import pandas as pd

from workbook import services
from workbook.samples import sample_book


def test_an_id_and_aum_book_has_no_revenue_fields() -> None:
    book = pd.DataFrame({"customer_id": ["a", "b"], "aum": [1.0, 2.0]})
    assert services.missing_revenue_inputs(book) == ("fee_income_12m", "deposit_balance", "loan_balance")
    assert not services.revenue_known(book)


def test_one_revenue_field_is_enough() -> None:
    book = pd.DataFrame({"customer_id": ["a"], "aum": [1.0], "deposit_balance": [0.0]})
    assert services.missing_revenue_inputs(book) == ("fee_income_12m", "loan_balance")
    assert services.revenue_known(book)  # a zero balance is a known zero


def test_the_sample_book_has_them_all() -> None:
    assert services.missing_revenue_inputs(sample_book(n=50)) == ()
    assert services.revenue_known(sample_book(n=50))
