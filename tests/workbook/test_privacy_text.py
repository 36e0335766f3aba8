"""Masking personal numbers and a known name inside free text (KYC notes, proposals): whatever surrounds them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbook.privacy import mask_text

# Text around the number: CJK and punctuation, never digits (a digit next to it would make a longer number).
around = st.text(alphabet=st.sampled_from(list("客户说请联系电话卡号，。：的 abcXY")), max_size=12)
phones = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
ids = st.from_regex(r"\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d)\d{3}[\dX]", fullmatch=True)


@given(around, phones, around)
def test_a_mobile_number_anywhere_keeps_only_its_ends(before: str, phone: str, after: str) -> None:
    masked = mask_text(before + phone + after)
    assert phone not in masked
    assert f"{phone[:3]}****{phone[-4:]}" in masked
    assert mask_text(masked) == masked


@given(around, ids, around)
def test_an_id_number_anywhere_is_masked(before: str, id_number: str, after: str) -> None:
    masked = mask_text(before + id_number + after)
    assert id_number not in masked
    assert id_number[6:14] not in masked  # the date of birth never shows
    # Glued to a Latin letter ("X110101…") it reads as a card number: masked all the same, as a card.
    if not (before[-1:].isascii() and before[-1:].isalpha()) and not (after[:1].isascii() and after[:1].isalpha()):
        assert f"{id_number[:4]}{'*' * 10}{id_number[-4:]}" in masked


@given(around, around)
def test_the_customers_name_is_masked(before: str, after: str) -> None:
    masked = mask_text(before + "欧阳娜娜" + after, ["欧阳娜娜"])
    assert "欧阳娜娜" not in masked and "欧**" in masked
