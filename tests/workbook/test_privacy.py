"""Personal data: found by header and by value pattern, masked as DESIGN §5 shows (段**, 138****1234,
1101**********1234, card first 6 + last 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook import privacy
from workbook.privacy import detect_pii, mask_frame, mask_value


@pytest.mark.parametrize(
    "value, kind, masked",
    [
        ("段小明", "name", "段**"),
        ("张三", "name", "张**"),  # always two stars: the mask does not tell the length
        ("欧阳娜娜", "name", "欧**"),
        ("李", "name", "*"),
        ("13812341234", "phone", "138****1234"),
        ("+86 138-1234-1234", "phone", "138****1234"),
        (13812341234, "phone", "138****1234"),  # typed as a number
        ("110101199003071234", "id_number", "1101**********1234"),  # 4 + 10 stars + 4 = 18
        ("11010119900307123x", "id_number", "1101**********123X"),
        ("6222021234567890", "card_no", "622202******7890"),  # 6 + 6 + 4 = 16
        ("6222 0212 3456 7890 123", "card_no", "622202*********0123"),  # 19 digits: 6 + 9 + 4
        ("12345", "card_no", "*****"),  # too short to show any part of it
    ],
)
def test_mask_value_worked_examples(value: object, kind: str, masked: str) -> None:
    assert mask_value(value, kind) == masked


def test_missing_values_are_left_alone() -> None:
    assert mask_value(None, "phone") is None
    assert mask_value("", "id_number") == "" and mask_value("  ", "name") == "  "
    assert np.isnan(mask_value(np.nan, "name"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        mask_value("x", "email")


def test_detect_by_header_aliases_and_canonical_keys() -> None:
    frame = pd.DataFrame({
        "客户姓名": ["x"], "身份证号": ["y"], "联系电话": ["z"], "银行卡号": ["w"], "name": ["v"], "职业": ["教师"],
    })
    assert detect_pii(frame) == {
        "客户姓名": "name", "身份证号": "id_number", "联系电话": "phone", "银行卡号": "card_no", "name": "name",
    }


def test_detect_by_value_pattern_under_any_header() -> None:
    frame = pd.DataFrame({
        "联系人": ["张伟", "李娜", "王芳", "刘洋", None],
        "col2": ["110101199003071234", "310104198512300021", "44030419700101123X", "", None],
        "col3": ["13812345678", "139 8765 4321", "+8615012345678", "15912345678", "18612345678"],
        "col4": ["6222021234567890", "6217001234567890123", "6228480012345678", "6222021234567891", None],
        "occupation_like": ["教师", "教师", "医生", "医生", "教师"],  # repeats: not names
        "branch": ["城东支行", "城西支行", "城东支行", "城南支行", "城东支行"],
        "note": ["vip", "ok", "new", "vip", "ok"],
        "aum": [1.0, 2.0, 3.0, 4.0, 5.0],
        "金融资产": [13812345678, 13812345679, 13812345670, 13812345671, 13812345672],  # money, never a phone
    })
    assert detect_pii(frame) == {"联系人": "name", "col2": "id_number", "col3": "phone", "col4": "card_no"}


def test_a_customer_number_column_holding_phone_numbers_is_masked() -> None:
    book = pd.DataFrame({"customer_id": pd.Series(["13812345678", "13987654321"], dtype="str"), "aum": [1.0, 2.0]})
    assert detect_pii(book) == {"customer_id": "phone"}
    assert mask_frame(book)["customer_id"].tolist() == ["138****5678", "139****4321"]


def test_mask_frame_returns_a_masked_copy_and_keeps_types() -> None:
    book = pd.DataFrame({
        "customer_id": pd.Series(["C1", "C2"], dtype="str"),
        "name": pd.Series(["张伟", None], dtype="str"),
        "phone": pd.Series(["13812345678", "13987654321"], dtype="str"),
        "id_number": pd.Series([None, "110101199003071234"], dtype="str"),
        "card_no": pd.Series(["6222021234567890", "6222021234567891"], dtype="str"),
        "aum": [1.5, 2.5],
        "occupation": pd.Series(["教师", "医生"], dtype="str"),
    })
    before = book.copy()
    masked = mask_frame(book)
    pd.testing.assert_frame_equal(book, before)  # the book itself is untouched
    assert masked["name"].iloc[0] == "张**" and pd.isna(masked["name"].iloc[1])
    assert masked["phone"].tolist() == ["138****5678", "139****4321"]
    assert pd.isna(masked["id_number"].iloc[0]) and masked["id_number"].iloc[1] == "1101**********1234"
    assert masked["card_no"].tolist() == ["622202******7890", "622202******7891"]
    assert masked["customer_id"].tolist() == ["C1", "C2"] and masked["aum"].tolist() == [1.5, 2.5]
    assert masked["occupation"].tolist() == ["教师", "医生"]
    assert dict(masked.dtypes) == dict(book.dtypes)


def test_mask_frame_with_known_kinds_skips_column_detection_but_never_cell_masking() -> None:
    frame = pd.DataFrame({"a": ["张伟", "李娜"], "b": ["13812345678", "x"], "c": ["电话13812345678", "—"]})
    masked = mask_frame(frame, {"b": "phone"})
    assert masked["a"].tolist() == ["张伟", "李娜"]  # not detected (the caller's kinds decide columns)…
    assert masked["b"].tolist() == ["138****5678", "*"]
    assert masked["c"].tolist() == ["电话138****5678", "—"]  # …but every phone number is masked where it stands


# ---- cell by cell: whatever the column, whatever the share ---------------------------------------------------


def test_id_numbers_among_customer_numbers_are_masked_one_by_one() -> None:
    # 2 of 5 customer numbers (40%) are ID numbers: the column is not an ID column, each ID is masked anyway.
    ids = ["C001", "110101199003071234", "C003", "31010419851230002X", "C005"]
    book = pd.DataFrame({"customer_id": pd.Series(ids, dtype="str"), "aum": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert detect_pii(book) == {}
    assert mask_frame(book)["customer_id"].tolist() == [
        "C001", "1101**********1234", "C003", "3101**********002X", "C005"]


@pytest.mark.parametrize("text, masked", [
    ("客户张伟，电话13812345678，身份证110101199003071234", "客户张伟，电话138****5678，身份证1101**********1234"),
    ("卡号 6222 0212 3456 7890 备用 +86 139-8765-4321", "卡号 622202******7890 备用 139****4321"),
    ("老身份证 110101900307123", "老身份证 1101*******7123"),  # a 15-digit first-generation ID
    ("订单 12345678901234567890123", "订单 12345678901234567890123"),  # 23 digits: no ID, card or phone
    ("金额 1,380,000 元", "金额 1,380,000 元"),
])
def test_numbers_inside_free_text_are_masked_where_they_stand(text: str, masked: str) -> None:
    assert privacy.mask_text(text) == masked


def test_numbers_typed_as_numbers_in_an_unknown_column_are_masked_but_money_is_not() -> None:
    frame = pd.DataFrame({"联系方式": [13812345678, 1234], "金融资产": [13812345678.0, 1.0],
                          "aum": [13812345678.0, 1.0]})
    masked = mask_frame(frame)
    assert masked["联系方式"].tolist() == ["138****5678", 1234]
    assert masked["金融资产"].tolist() == [13812345678.0, 1.0] and masked["aum"].tolist() == [13812345678.0, 1.0]


def test_masking_twice_changes_nothing() -> None:
    frame = pd.DataFrame({"phone": ["13812345678"], "note": ["电话13812345678"], "id_number": ["110101199003071234"]})
    once = mask_frame(frame)
    pd.testing.assert_frame_equal(mask_frame(once), once)


def test_a_value_that_is_not_its_kinds_shape_is_masked_whole_not_glued() -> None:
    # "13800138000 5" is not a phone number: never shown as the twelve-digit 138*****0005.
    assert mask_value("13800138000 5", "phone") == "*********** *"
    assert mask_value("E12345678", "id_number") == "*********"  # a passport number in an ID column




def test_object_columns_with_mixed_values() -> None:
    series = pd.Series(["13812345678", 13987654321, None, 2.5, np.nan], dtype=object)
    masked = privacy.mask_series(series, "phone")
    assert masked.iloc[0] == "138****5678" and masked.iloc[1] == "139****4321"
    assert masked.iloc[2] is None and masked.iloc[3] == 2.5 and np.isnan(masked.iloc[4])


# ---- property: the mask never shows the whole number ------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1)
phones = st.builds(lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"),
                   st.text(alphabet="0123456789", min_size=9, max_size=9))
ids = st.builds(
    lambda area, date, seq, check: f"{area}{date:%Y%m%d}{seq}{check}",
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.dates(min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("2025-12-31").date()),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
    st.sampled_from("0123456789X"),
)
cards = st.text(alphabet="0123456789", min_size=16, max_size=19)


@given(value=st.one_of(phones.map(lambda v: ("phone", v)), ids.map(lambda v: ("id_number", v)),
                       cards.map(lambda v: ("card_no", v))))
def test_masked_value_never_contains_the_whole_number(value: tuple[str, str]) -> None:
    kind, original = value
    masked = mask_value(original, kind)
    assert isinstance(masked, str)
    assert original not in masked and len(masked) == len(original)
    head, tail = {"phone": (3, 4), "id_number": (4, 4), "card_no": (6, 4)}[kind]
    assert masked[:head] == original[:head] and masked[-tail:] == original[-tail:]
    assert set(masked[head:-tail]) == {"*"}


@given(rows=st.lists(st.tuples(phones, ids, cards), min_size=1, max_size=20))
def test_masked_frame_shows_no_full_number_anywhere(rows: list[tuple[str, str, str]]) -> None:
    # Columns named so that only the value patterns can find them.
    frame = pd.DataFrame(rows, columns=["a", "b", "c"]).astype("str")
    shown = mask_frame(frame).to_csv(index=False)
    for phone, id_number, card in rows:
        assert phone not in shown and id_number not in shown and card not in shown


@settings(max_examples=150)
@given(
    fillers=st.lists(st.sampled_from(["C001", "VIP", "城东支行", "", "1200", "备注：老客户"]), min_size=1,
                     max_size=12),
    secrets=st.lists(st.tuples(st.one_of(phones.map(lambda v: ("phone", v)), ids.map(lambda v: ("id_number", v)),
                                         cards.map(lambda v: ("card_no", v))),
                               st.sampled_from(["{}", "电话{}", "{} 请回电", "ID: {}"])), min_size=1, max_size=3),
    column=st.sampled_from(["customer_id", "备注", "col", "occupation", "Mobile No"]),
)
def test_any_pii_number_in_any_text_column_is_masked_whatever_its_share(
    fillers: list[str], secrets: list[tuple[tuple[str, str], str]], column: str
) -> None:
    values = list(fillers) + [template.format(value) for (_, value), template in secrets]
    shown = mask_frame(pd.DataFrame({column: pd.Series(values, dtype="str"), "aum": 1.0})).to_csv(index=False)
    for (_, value), _template in secrets:
        assert value not in shown
