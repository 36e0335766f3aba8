"""Measure the speed budgets of DESIGN §7 (not a test: tests never assert on time).

    python scripts/benchmark.py                 # everything
    python scripts/benchmark.py --only pages    # one part: domain | intake | pages

Prints one line per measurement with its budget, and writes artifacts/benchmark.json.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS: dict[str, Any] = {}


def timed(function: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs (seconds) and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def report(name: str, seconds: float, budget: str, **extra: Any) -> None:
    RESULTS[name] = {"seconds": round(seconds, 4), "budget": budget, **extra}
    details = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"{name:<48} {seconds * 1000:>10.1f} ms   budget: {budget} {details}")


def big_book(rows: int) -> pd.DataFrame:
    """A branch-size sample book repeated to ``rows`` customers (ids made unique)."""
    from workbook import sample_book

    base = sample_book(20_000, seed=11)
    copies = -(-rows // len(base))
    frame = pd.concat([base] * copies, ignore_index=True).iloc[:rows].copy()
    frame["customer_id"] = [f"B{i:07d}" for i in range(rows)]
    return frame


def domain_pass(book: pd.DataFrame) -> None:
    """All seven schemes + profitability + four degrees (+ throughput once it exists)."""
    from workbook import SCHEMES, profitability, segment
    from workbook import degrees, segmentation

    profitability(book)
    for scheme_id in SCHEMES:
        segment(book, scheme_id)
    degrees.four_degrees(book, segmentation.segment_detail(book, "aum"))


def bench_domain() -> None:
    small, large = big_book(100_000), big_book(1_000_000)
    t_small, _ = timed(lambda: domain_pass(small))
    tracemalloc.start()
    t_large, _ = timed(lambda: domain_pass(large), repeat=2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("domain: 7 schemes+profit+degrees, 100k", t_small, "—")
    report(
        "domain: 7 schemes+profit+degrees, 1M",
        t_large,
        "≤ 3 s, ≤ 1.5 GB, 1M/100k ≤ 12",
        ratio=round(t_large / t_small, 1),
        traced_peak_mb=round(peak / 2**20),
    )


def bench_intake() -> None:
    from python_calamine import CalamineWorkbook

    from workbook import read_book, sample_book
    from workbook.schema import FIELDS

    for rows in (300, 20_000):
        book = sample_book(rows)
        data = io.BytesIO()
        book.rename(columns={f.key: f.zh for f in FIELDS}).to_excel(data, index=False)
        seconds, _ = timed(lambda payload=data.getvalue(): read_book(payload, "book.xlsx"), repeat=2)
        report(f"intake: sample book {rows:,} rows (xlsx)", seconds, "—")

    wide = big_book(50_000).iloc[:, :30]
    data = io.BytesIO()
    wide.rename(columns={f.key: f.zh for f in FIELDS}).to_excel(data, index=False)
    payload = data.getvalue()
    raw, _ = timed(lambda: CalamineWorkbook.from_filelike(io.BytesIO(payload)).get_sheet_by_index(0).to_python())
    full, _ = timed(lambda: read_book(payload, "wide.xlsx"))
    report("intake: 50,000 × 30 xlsx read_book", full, "≤ 2 × raw calamine", raw_ms=round(raw * 1000), x=round(full / raw, 2))


def bench_pages() -> None:
    from streamlit.testing.v1 import AppTest

    from ui.state import ActiveBook
    from workbook import course

    books = {
        "300": None,  # the default sample book
        "50k": ActiveBook(frame=big_book(50_000), source="upload", label="bench.xlsx", token="bench-50k"),
    }
    for label, book in books.items():
        for entry in course.PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            if book is not None:
                at.session_state["active_book"] = book
            at.run()
            at.switch_page(entry.file).run()
            at.run()  # first warm run fills the session memo
            samples = []
            for _ in range(7):
                start = time.perf_counter()
                at.run()
                samples.append(time.perf_counter() - start)
            budget = "median ≤ 100 ms" if label == "300" else "median ≤ 400 ms"
            report(f"warm rerun {label:>4}: {entry.id}", statistics.median(samples), budget)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["domain", "intake", "pages"])
    args = parser.parse_args()
    parts = {"domain": bench_domain, "intake": bench_intake, "pages": bench_pages}
    for name, function in parts.items():
        if args.only in (None, name):
            function()
    out = ROOT / "artifacts" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(RESULTS, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
