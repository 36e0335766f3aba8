"""Write the shipped demo book: sample_data/sample_book_300.xlsx and sample_data/sample_book_300.csv (GBK).

    python scripts/make_sample_data.py

Both files hold ``workbook.sample_book(300, seed=7)`` with the Chinese headers a bank export carries. The
generator is deterministic, so running this again reproduces the same content (a test checks the committed
files against a fresh book).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from workbook.samples import EXPORT_SHEET, bank_export, sample_book  # noqa: E402
from workbook.schema import FIELDS, Kind  # noqa: E402

OUT_DIR = ROOT / "sample_data"
N, SEED = 300, 7
STEM = f"sample_book_{N}"

# Excel number formats by kind; text cells are stored as text ("@") so ID and card numbers keep every digit.
_FORMATS = {
    Kind.TEXT: "@",
    Kind.MONEY: "#,##0.00",
    Kind.NUMBER: "0.##",
    Kind.COUNT: "0",
    Kind.SHARE: "0.00",
    Kind.DATE: "yyyy-mm-dd",
}


def write_xlsx(book: pd.DataFrame, path: Path) -> None:
    export = bank_export(book)
    kinds = [f.kind for f in FIELDS if f.key in book.columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = EXPORT_SHEET
    sheet.append(list(export.columns))
    for row in export.itertuples(index=False):
        sheet.append([value.date() if isinstance(value, pd.Timestamp) else value for value in row])
    for column, kind in enumerate(kinds, start=1):
        letter = get_column_letter(column)
        width = max(10, min(22, 2 * len(str(export.columns[column - 1])) + 2))
        if kind is Kind.TEXT and export.iloc[:, column - 1].str.len().max() > 12:
            width = 22
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = _FORMATS[kind]
    sheet.freeze_panes = "B2"
    # Fixed document and zip timestamps: regenerating unchanged content gives identical bytes (no git churn).
    stamp = datetime(2026, 11, 30)
    workbook.properties.creator = "workbook.samples"
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue(), stamp))


def _fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + iso, content)
            target.writestr(fixed, content)
    return out.getvalue()


def write_csv(book: pd.DataFrame, path: Path) -> None:
    # GBK with CRLF, as a Chinese bank system's CSV export usually is; "%.12g" keeps 2 decimals up to 1e10 元
    # and writes whole numbers without ".0".
    bank_export(book).to_csv(path, index=False, encoding="gbk", lineterminator="\r\n", float_format="%.12g",
                             date_format="%Y-%m-%d")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: sample_data/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    book = sample_book(N, SEED)
    write_xlsx(book, args.out / f"{STEM}.xlsx")
    write_csv(book, args.out / f"{STEM}.csv")
    print(f"wrote {args.out / STEM}.xlsx and .csv ({len(book)} customers, seed {SEED})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
