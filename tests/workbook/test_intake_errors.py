"""Intake failure paths: every one is a BookError whose Chinese message names the file (and row/column where
it applies) and tells the trainee what to do. Limits are monkeypatched down where a real-size file would only
make the test slow; the guard code is the same."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from tests.workbook.intake_files import csv_bytes, raw_xlsx, sheet_xml, with_declared_size, xlsx_bytes, zip_bytes
from workbook import BookError, read_book, sources
from workbook.intake import preview_source

CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD = [["客户号", "金融资产"], ["C1", 100], ["C2", 200]]


def _fails(data: bytes, filename: str = "上传.xlsx", mapping: dict[str, str] | None = None, *,
           whole_file: bool = True) -> BookError:
    """The BookError read_book raises. ``whole_file``: the file itself is unusable, so the mapping step's
    preview refuses it too (errors about rows or mapping only show when reading the whole book)."""
    with pytest.raises(BookError) as failure:
        read_book(data, filename, mapping)
    error = failure.value
    assert isinstance(error, ValueError)
    message = str(error)
    assert filename in message and CJK.search(message), message
    assert error.text("en") != message and filename in error.text("en")
    if whole_file:
        with pytest.raises(BookError) as refused:
            preview_source(data, filename)
        assert refused.value.code == error.code
    return error


def test_legacy_xls_or_encrypted_workbook() -> None:
    # Every OLE2 compound file starts with these 8 bytes: Excel 97-2003 .xls and password-protected .xlsx.
    data = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
    error = _fails(data, "旧表.xls")
    assert error.code == "legacy_or_encrypted"
    assert ".xls" in str(error) and "密码" in str(error) and ".xlsx" in str(error)


def test_zip_bomb_with_a_huge_declared_member_is_refused_before_parsing() -> None:
    workbook = xlsx_bytes(GOOD)
    bomb = with_declared_size(workbook, "xl/worksheets/sheet1.xml", 4_000_000_000)  # claims 4 GB
    error = _fails(bomb, "bomb.xlsx")
    assert error.code == "zip_bomb" and "压缩比" in str(error)


def test_zip_bomb_with_a_real_highly_compressed_member_is_refused() -> None:
    # 64 MB of one repeated row unpacks from about 100 KB: a ratio far above 100:1.
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD)))
    members = {name: workbook.read(name) for name in workbook.namelist()}
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData>" + row * (64 * 2**20 // len(row)) + b"</sheetData>"
    bomb = zip_bytes(members)
    assert len(bomb) < 1_000_000
    error = _fails(bomb, "bomb.xlsx")
    assert error.code == "zip_bomb"


def test_member_that_unpacks_beyond_its_declared_size_is_refused() -> None:
    # The headers under-declare: the guard sees a small file, the reader stops at the declared size.
    workbook = zipfile.ZipFile(io.BytesIO(xlsx_bytes(GOOD)))
    members = {name: workbook.read(name) for name in workbook.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", b"<row r='9'/>" * 20_000 + b"</sheetData>")
    lying = with_declared_size(zip_bytes(members), "xl/worksheets/sheet1.xml", len(sheet))
    assert _fails(lying, "lying.xlsx").code == "bad_workbook"


def test_over_twenty_megabytes() -> None:
    data = b"a" * (20 * 1024 * 1024 + 1)
    error = _fails(data, "大文件.csv")
    assert error.code == "too_large" and "20 MB" in str(error)


def _long_list(data_rows: int, kind: str) -> bytes:
    """A real-size list (the limits apply in the reading child process, so they are not patched down here)."""
    if kind == "csv":
        return ("客户号,金融资产\n" + "".join(f"C{i},{i}\n" for i in range(data_rows))).encode()
    rows = {1: {"A1": "客户号", "B1": "金融资产"}}
    rows.update({r: {f"A{r}": f"C{r}", f"B{r}": r} for r in range(2, data_rows + 2)})
    return raw_xlsx(sheet_xml(rows))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_rows(kind: str) -> None:
    limit = sources.MAX_DATA_ROWS
    error = _fails(_long_list(limit + 1, kind), f"多.{kind}", whole_file=False)
    assert error.code == "too_many_rows" and f"{limit}" in str(error)
    assert read_book(_long_list(limit, kind), f"x.{kind}").report.rows_kept == limit


def test_a_sheet_far_over_the_row_limit_is_refused_before_it_is_read() -> None:
    # The pre-scan measures the sheet from its XML: the mapping step refuses it without parsing it.
    error = _fails(_long_list(sources.MAX_DATA_ROWS + 100, "xlsx"), "多.xlsx")
    assert error.code == "too_many_rows"


def test_empty_and_blank_files() -> None:
    assert _fails(b"", "空.csv").code == "empty"
    assert _fails(b"  \r\n\r\n", "空.csv").code == "empty"
    assert _fails(xlsx_bytes([]), "空.xlsx").code == "no_data"


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_a_table"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "not_a_table"),
        (zip_bytes({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "office_document"),
        (zip_bytes({"readme.txt": b"hello"}), "zip_archive"),
        (zip_bytes({"xl/workbook.bin": b"\x00", "[Content_Types].xml": b"<Types/>"}), "xlsb"),
        (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "ods"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x01\x02abc\x03\x04\x05\x06def\x07\x08" * 50, "binary"),  # control characters, no NUL
    ],
    ids=["pdf", "png", "docx", "zip", "xlsb", "ods", "binary", "controls"],
)
def test_files_that_are_not_tables(data: bytes, code: str) -> None:
    assert _fails(data, "文件.xlsx").code == code


def test_damaged_workbook() -> None:
    workbook = xlsx_bytes(GOOD)
    assert _fails(workbook[: len(workbook) // 2], "坏.xlsx").code == "bad_workbook"
    broken = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not-a-workbook"})
    assert _fails(broken, "坏.xlsx").code == "bad_workbook"


def test_text_in_an_unknown_encoding() -> None:
    # Neither valid UTF-8 nor valid GB18030 (0x80 and 0xFF are never lead bytes there).
    data = "客户号,金融资产\r\nC1,1\r\n".encode() + b"\x80\xff\x80\xff"
    error = _fails(data, "乱码.csv")
    assert error.code == "encoding" and "UTF-8" in str(error) and "GBK" in str(error)


def test_no_aum_column_names_the_columns_found_and_the_aliases_expected() -> None:
    error = _fails(csv_bytes([["客户号", "姓名", "存款"], ["C1", "张伟", 1]]), "名册.csv", whole_file=False)
    message = str(error)
    assert error.code == "no_aum" and error.row == 1
    assert "找到的列：客户号、姓名、存款" in message
    assert "金融资产、月日均资产" in message and "AUM" in message


def test_header_without_rows() -> None:
    error = _fails(xlsx_bytes([["客户名册"], ["客户号", "金融资产"]]), "空名册.xlsx", whole_file=False)
    assert error.code == "no_rows" and error.row == 2 and "第 2 行" in str(error)


def test_csv_with_a_runaway_quote() -> None:
    data = ('客户号,金融资产\r\nC1,"' + "x" * 200_000 + "\r\n").encode()
    error = _fails(data, "引号.csv")
    assert error.code == "csv_error" and "第" in str(error)


def test_a_stale_mapping_names_the_column_and_the_header_row() -> None:
    error = _fails(csv_bytes(GOOD), "名册.csv", {"旧列": "aum"}, whole_file=False)
    assert error.code == "mapping_unknown_column" and error.column == "旧列" and error.row == 1
    assert "旧列" in str(error)


def test_any_filename_is_safe_in_messages() -> None:
    with pytest.raises(BookError) as failure:
        read_book(b"", "C:\\Users\\张伟\\Desktop\\客户.csv")
    assert "客户.csv" in str(failure.value) and "Desktop" not in str(failure.value)
    with pytest.raises(BookError):
        read_book(b"\x00\x01", None)  # type: ignore[arg-type]
    with pytest.raises(BookError):
        read_book("not bytes", "x.csv")  # type: ignore[arg-type]
