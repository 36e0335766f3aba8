"""Measure the speed budgets of DESIGN §7 (not a test: tests never assert on time).

    python scripts/benchmark.py                 # everything
    python scripts/benchmark.py --only pages    # one part: domain | intake | export | pages | store

Prints one line per measurement with its budget, and writes artifacts/benchmark.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

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
    """All seven schemes + profitability + four degrees + throughput, each computed once: the profitability
    result feeds the contribution scheme, the contribution degree and the throughput per tier, as a page that
    shows them does."""
    from workbook import SCHEMES, profitability, segment, throughput_by_tier
    from workbook.degrees import four_degrees

    result = profitability(book)
    revenue = result["revenue"]
    tiers = {scheme_id: segment(book, scheme_id, revenue=revenue) for scheme_id in SCHEMES}
    four_degrees(book, tiers["aum"], revenue=revenue)
    throughput_by_tier(book, tiers["aum"], result=result)


_PEAK_RSS_CHILD = """
import sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {scripts!r})
from benchmark import big_book, domain_pass

def status(key):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith(key + ":"))

book = big_book({rows})
domain_pass(book.iloc[:1000])  # imports and first-call set-up, outside the measured pass
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # reset the peak (VmHWM) to the current RSS: building the book peaks higher
before = status("VmRSS")
domain_pass(book)
print(before, status("VmHWM"))
"""


def peak_rss_mb(rows: int) -> tuple[int, int] | None:
    """(RSS with the book loaded, peak RSS during one domain pass) in MB, measured in a fresh Linux process
    (tracemalloc misses Arrow-backed text columns). None where /proc cannot say."""
    import subprocess

    code = _PEAK_RSS_CHILD.format(root=str(ROOT), scripts=str(ROOT / "scripts"), rows=rows)
    try:
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    except (subprocess.CalledProcessError, OSError):
        return None
    before_kb, peak_kb = (int(x) for x in out.split())
    return round(before_kb / 1024), round(peak_kb / 1024)


def bench_domain() -> None:
    small, large = big_book(100_000), big_book(1_000_000)
    domain_pass(small.iloc[:1000])  # imports and catalogue loading are not part of the pass
    t_small, _ = timed(lambda: domain_pass(small), repeat=5)
    t_large, _ = timed(lambda: domain_pass(large), repeat=3)
    # Memory apart from timing: tracemalloc slows every allocation down.
    tracemalloc.start()
    domain_pass(large)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = peak_rss_mb(1_000_000)
    report("domain: 7 schemes+profit+degrees, 100k", t_small, "—")
    report(
        "domain: 7 schemes+profit+degrees, 1M",
        t_large,
        "≤ 3 s, ≤ 1.5 GB, 1M/100k ≤ 12",
        ratio=round(t_large / t_small, 1),
        traced_peak_mb=round(traced / 2**20),
        rss_book_mb=rss[0] if rss else "n/a",
        rss_peak_mb=rss[1] if rss else "n/a",
    )


def bench_intake() -> None:
    from python_calamine import CalamineWorkbook

    from workbook import read_book, sample_book
    from workbook.schema import FIELDS

    for rows in (300, 20_000):
        book = sample_book(rows)
        data = io.BytesIO()
        book.rename(columns={f.key: f.zh for f in FIELDS}).to_excel(data, index=False)
        payload = data.getvalue()
        seconds, _ = timed(lambda payload=payload: read_book(payload, "book.xlsx"), repeat=2)
        report(f"intake: sample book {rows:,} rows (xlsx)", seconds, "—")

    wide = big_book(50_000).iloc[:, :30]
    data = io.BytesIO()
    wide.rename(columns={f.key: f.zh for f in FIELDS}).to_excel(data, index=False)
    payload = data.getvalue()
    raw, _ = timed(lambda: CalamineWorkbook.from_filelike(io.BytesIO(payload)).get_sheet_by_index(0).to_python())
    rss_before = _rss_mb()
    full, _ = timed(lambda: read_book(payload, "wide.xlsx"))
    report("intake: 50,000 × 30 xlsx read_book", full, "≤ 2 × raw calamine", raw_ms=round(raw * 1000),
           x=round(full / raw, 2), server_rss_growth_mb=_rss_mb() - rss_before)

    # The sheet's pre-scan alone (inflate + scan), part of the read above.
    import zipfile

    from workbook import extent

    def pre_scan() -> None:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            extent.scan_sheet(archive.read("xl/worksheets/sheet1.xml"))

    scan, _ = timed(pre_scan)
    report("intake: pre-scan of that sheet (inflate + scan)", scan, "—")

    # The crash file: one value in XFD1048576 (calamine alone asks for 512 GiB and aborts).
    crash = _crash_file()
    seconds, load = timed(lambda: read_book(crash, "crash.xlsx"))
    report("intake: crash file (XFD1048576) read_book", seconds, "no abort", bytes=len(crash),
           rows=len(load.book))


def _rss_mb() -> int:
    """This (the server's) process's resident memory in MB, from /proc (0 where there is none)."""
    try:
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) // 1024 for line in handle if line.startswith("VmRSS:"))
    except OSError:
        return 0


def _crash_file() -> bytes:
    from tests.workbook.intake_files import raw_xlsx, sheet_xml, table_rows

    rows = table_rows([["客户号", "金融资产"], *[[f"C{i:03d}", 50_000 + i] for i in range(10)]])
    rows[1_048_576] = {"XFD1048576": 1}
    return raw_xlsx(sheet_xml(rows, dimension="A1:XFD1048576"))


def bench_export() -> None:
    """The trainee's whole workbook (every module sheet, the masked customer sheet, the carrier), and reading it
    back (resume), on a trainee workspace with entries on several pages."""
    from workbook import export_xlsx, resume_from_xlsx, sample_book
    from workbook import workspace as ws

    work = ws.new_workspace()
    ws.set_values(work, "s1_1", ratings={"effort": 4, "quality": 5})
    ws.set_values(work, "s1_4", annual_cost=420_000.0, effective_hours=1_750.0)
    ws.set_values(work, "s3_5", group="第三组", members="王芳\n李雷", schemes=["aum", "behaviour", "cognition"],
                  reflection="按行为习惯分层找到了能转线上服务的客户。")
    export_xlsx(sample_book(50), work)  # imports and catalogue loading are not part of the export
    for label, book, budget in (("300", sample_book(300), "≤ 1.5 s"), ("50,000", big_book(50_000), "≤ 10 s")):
        seconds, data = timed(lambda book=book: export_xlsx(book, work), repeat=3)
        report(f"export: whole workbook, {label} customers", seconds, budget, mb=round(len(data) / 2**20, 1))
        seconds, _ = timed(lambda data=data: resume_from_xlsx(data), repeat=3)
        report(f"export: resume from it, {label} customers", seconds, "—")


def bench_pages(only: list[str] | None = None) -> None:
    from streamlit.testing.v1 import AppTest

    from ui.state import ActiveBook
    from workbook import course

    books = {
        "300": None,  # the default sample book
        "50k": ActiveBook(frame=big_book(50_000), source="upload", label="bench.xlsx", token="bench-50k"),
    }
    for label, book in books.items():
        for entry in course.PAGES:
            if only and entry.id not in only:
                continue
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


def bench_store() -> None:
    """What saved work costs a trainee's click: the check after every rerun (serialise, compare) when nothing
    changed, and a save, a load and a submit on the embedded SQLite file (synchronous=FULL, so one fsync each)."""
    import copy
    import tempfile

    from workbook import exercises, sample_book
    from workbook import workspace as ws
    from workbook.store import open_store

    book = sample_book(300, seed=7)
    payload = exercises.exercise1_submission(
        book, group="第三组", members=["张三", "李四"], schemes=[("aum", {}), ("relationship", {}), ("behaviour", {})],
        reflection="按资产分层看清了集中度。", book_source="sample",
    )
    work = ws.new_workspace()
    for module in ("s1_1", "s1_2", "s1_3", "s1_4", "s3_2", "s3_4"):
        ws.set_values(work, module, note="答案" * 40, table=[{"row": i, "value": i * 1.5} for i in range(20)])
    ws.set_values(work, "s3_5", submission=payload, reflection="按资产分层看清了集中度。")
    saved = ws.to_json(work)
    changed = copy.deepcopy(work)
    ws.set_values(changed, "s1_1", note="改过的答案")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.sqlite")
        token = "bench-token-0000000000"
        store.save_workspace(token, work)
        seconds, _ = timed(lambda: [ws.to_json(work) == saved for _ in range(100)])
        report("autosave check, nothing changed (per rerun)", seconds / 100, "no database access",
               workspace_chars=len(saved))
        seconds, _ = timed(lambda: store.update_workspace(token, work, changed), repeat=20)
        report("autosave write (SQLite, one change)", seconds, "only on a change")
        seconds, _ = timed(lambda: store.load_workspace(token), repeat=20)
        report("load on a session's first run (SQLite)", seconds, "once per session")
        counter = iter(range(10**6))
        seconds, _ = timed(lambda: store.submit("BENCH", "第三组", "exercise1", payload, f"k{next(counter)}"),
                           repeat=20)
        report("submit exercise 1 (SQLite)", seconds, "on a click of Submit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["domain", "intake", "export", "pages", "store"])
    parser.add_argument("--pages", nargs="*", help="page ids for the warm-rerun part (default: all)")
    args = parser.parse_args()
    # The page runs autosave like a trainee's session: into a throwaway database unless one is configured.
    os.environ.setdefault("WORKBOOK_DB_URL", f"sqlite:///{tempfile.mkdtemp(prefix='workbook-bench-')}/bench.sqlite")
    parts = {"domain": bench_domain, "intake": bench_intake, "export": bench_export,
             "pages": lambda: bench_pages(args.pages), "store": bench_store}
    for name, function in parts.items():
        if args.only in (None, name):
            function()
    out = ROOT / "artifacts" / "benchmark.json"
    out.parent.mkdir(exist_ok=True)
    # One part measured again updates its lines and keeps the others' last figures.
    previous = json.loads(out.read_text(encoding="utf-8")) if args.only and out.exists() else {}
    out.write_text(json.dumps({**previous, **RESULTS}, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main()
