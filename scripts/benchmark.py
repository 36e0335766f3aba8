"""Measure the speed budgets of DESIGN §7 and issue 9 (not a test: tests never assert on time).

    python scripts/benchmark.py                 # everything (the classroom scenarios take ~40 minutes)
    python scripts/benchmark.py --only pages    # one part: domain intake export pages store clicks classroom
    python scripts/benchmark.py --only classroom --scenarios a memory     # some classroom scenarios
    python scripts/benchmark.py --only clicks --root /tmp/before --out artifacts/benchmark-before.json

Prints one line per measurement with its budget and verdict, and writes artifacts/benchmark.json, where every
entry has "ok": true or false against its budget, so one command says what is over. The classroom parts drive
real sessions over Streamlit's browser protocol (scripts/load.py) on a fresh server each; their figures depend on
what else the machine runs, so each records the load average.
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


def report(name: str, seconds: float, budget: str, *, ok: bool, **extra: Any) -> None:
    """One measurement and its verdict against ``budget`` (every figure has one: ``ok`` is required)."""
    RESULTS[name] = {"seconds": round(seconds, 4), "budget": budget, "ok": bool(ok), **extra}
    details = " ".join(f"{k}={v}" for k, v in extra.items() if not isinstance(v, dict | list))
    print(f"{'ok  ' if ok else 'OVER'} {name:<52} {seconds * 1000:>10.1f} ms   budget: {budget} {details}")


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
    report("domain: 7 schemes+profit+degrees, 100k", t_small, "≤ 3 s ÷ 12 (what the 1M ratio allows)",
           ok=t_small <= 3.0 / 12)
    report(
        "domain: 7 schemes+profit+degrees, 1M",
        t_large,
        "≤ 3 s, ≤ 1.5 GB, 1M/100k ≤ 12",
        ok=t_large <= 3.0 and t_large / t_small <= 12 and (rss is None or rss[1] <= 1536),
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
        raw, _ = timed(lambda payload=payload: CalamineWorkbook.from_filelike(io.BytesIO(payload))
                       .get_sheet_by_index(0).to_python(), repeat=2)
        seconds, _ = timed(lambda payload=payload: read_book(payload, "book.xlsx"), repeat=2)
        # A small book's read is dominated by fixed costs (the reader child process, validation set-up): it gets
        # the 50,000-row budget's allowance in absolute terms rather than 2 × its own few-ms parse.
        report(f"intake: sample book {rows:,} rows (xlsx)", seconds, "≤ 2 × raw calamine + 0.5 s",
               ok=seconds <= 2 * raw + 0.5, raw_ms=round(raw * 1000))

    wide = big_book(50_000).iloc[:, :30]
    data = io.BytesIO()
    wide.rename(columns={f.key: f.zh for f in FIELDS}).to_excel(data, index=False)
    payload = data.getvalue()
    raw, _ = timed(lambda: CalamineWorkbook.from_filelike(io.BytesIO(payload)).get_sheet_by_index(0).to_python())
    rss_before = _rss_mb()
    full, _ = timed(lambda: read_book(payload, "wide.xlsx"))
    report("intake: 50,000 × 30 xlsx read_book", full, "≤ 2 × raw calamine", ok=full <= 2 * raw,
           raw_ms=round(raw * 1000), x=round(full / raw, 2), server_rss_growth_mb=_rss_mb() - rss_before)

    # The sheet's pre-scan alone (inflate + scan), part of the read above.
    import zipfile

    from workbook import extent

    def pre_scan() -> None:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            extent.scan_sheet(archive.read("xl/worksheets/sheet1.xml"))

    scan, _ = timed(pre_scan)
    report("intake: pre-scan of that sheet (inflate + scan)", scan, "≤ raw calamine (it is part of the 2 × budget)",
           ok=scan <= raw, raw_ms=round(raw * 1000))

    # The crash file: one value in XFD1048576 (calamine alone asks for 512 GiB and aborts).
    crash = _crash_file()
    seconds, load = timed(lambda: read_book(crash, "crash.xlsx"))
    report("intake: crash file (XFD1048576) read_book", seconds, "no abort, ≤ 2 s, the 10 rows read",
           ok=seconds <= 2.0 and len(load.book) == 10, bytes=len(crash), rows=len(load.book))


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
    for label, book, limit in (("300", sample_book(300), 1.5), ("50,000", big_book(50_000), 10.0)):
        seconds, data = timed(lambda book=book: export_xlsx(book, work), repeat=3)
        report(f"export: whole workbook, {label} customers", seconds, f"≤ {limit:g} s", ok=seconds <= limit,
               mb=round(len(data) / 2**20, 1))
        seconds, _ = timed(lambda data=data: resume_from_xlsx(data), repeat=3)
        report(f"export: resume from it, {label} customers", seconds, f"≤ {limit:g} s (as the export)",
               ok=seconds <= limit)


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
            limit = 0.1 if label == "300" else 0.4
            median = statistics.median(samples)
            report(f"warm rerun {label:>4}: {entry.id}", median, f"median ≤ {limit * 1000:.0f} ms", ok=median <= limit)


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
        # Budgets: a warm click may cost 100 ms of server CPU (see CPU_BUDGET below); the check runs on every
        # click, so it gets a twentieth of that; a write, a load or a submit happens on a change only.
        report("autosave check, nothing changed (per rerun)", seconds / 100, "≤ 5 ms, no database access",
               ok=seconds / 100 <= 0.005, workspace_chars=len(saved))
        seconds, _ = timed(lambda: store.update_workspace(token, work, changed), repeat=20)
        report("autosave write (SQLite, one change)", seconds, "≤ 100 ms, only on a change", ok=seconds <= 0.1)
        seconds, _ = timed(lambda: store.load_workspace(token), repeat=20)
        report("load on a session's first run (SQLite)", seconds, "≤ 100 ms, once per session", ok=seconds <= 0.1)
        counter = iter(range(10**6))
        seconds, _ = timed(lambda: store.submit("BENCH", "第三组", "exercise1", payload, f"k{next(counter)}"),
                           repeat=20)
        report("submit exercise 1 (SQLite)", seconds, "≤ 200 ms, on a click of Submit", ok=seconds <= 0.2)


# ---- a classroom on one server (scripts/load.py) -------------------------------------------------------------

FIRST_VISIT_CPU = 0.150  # s of server CPU
WARM_CPU = 0.100
CPU_BUDGET = ("first visit ≤ 150 ms CPU, warm ≤ 100 ms CPU (60 trainees clicking every ~10 s on the one core a "
              "process uses leave ≤ 166 ms a click, arrival bursts included)")
CLASS_BUDGETS: dict[str, tuple[str, Callable[[dict[str, Any]], bool]]] = {
    "a": ("p95 ≤ 1 s, p50 ≤ 150 ms, 0 errors, arrival included",
          lambda f: f["p95_ms"] <= 1000 and f["p50_ms"] <= 150 and f["errors"] == 0),
    "b": ("p95 ≤ 2 s, 0 errors", lambda f: f["p95_ms"] <= 2000 and f["errors"] == 0),
}
KNEE_P95_MS = 2000
KNEE_AT = 120


def _load(args: list[str], root: Path | None) -> dict[str, Any]:
    from scripts import load

    return load.main([*args, *(["--root", str(root)] if root else [])])


def bench_clicks(root: Path | None = None) -> None:
    """Server CPU per click for every page, first visit and warm, one click at a time (issue 9, item 1)."""
    figures = _load(["--scenario", "pages"], root)
    load = figures["load_average"]
    for page, stats in figures["pages"].items():
        first, warm = stats["first_cpu_ms"] / 1000, stats["warm_cpu_ms"] / 1000
        # cold: the process's very first visit to the page (imports, the sample book's shared results); deploy/
        # opens every page once before trainees come, so no trainee pays it. Kept beside the verdict, not in it.
        report(f"server CPU per click: {page} first visit", first, f"≤ {FIRST_VISIT_CPU * 1000:.0f} ms CPU",
               ok=first <= FIRST_VISIT_CPU and not stats["errors"], wall_ms=stats["first_wall_ms"],
               cold_cpu_ms=stats.get("cold_cpu_ms"), load_average=load)
        report(f"server CPU per click: {page} warm", warm, f"≤ {WARM_CPU * 1000:.0f} ms CPU",
               ok=warm <= WARM_CPU and not stats["errors"], wall_ms=stats["warm_wall_ms"], load_average=load)


def _class_entry(name: str, figures: dict[str, Any], budget: str, ok: bool) -> None:
    kept = {k: v for k, v in figures.items() if k not in ("clicks_detail", "p95_ms")}
    report(name, figures.get("p95_ms", 0) / 1000, budget, ok=ok, **kept)


def bench_classroom(scenarios: list[str], root: Path | None = None, quick: bool = False) -> None:
    """Issue 9 (a) (b) (c) and issue 7's memory after sessions end, each on a fresh server."""
    short = ["--duration", "60", "--settle", "30"] if quick else []
    if "a" in scenarios:
        figures = _load(["--scenario", "a", *short], root)
        budget, check = CLASS_BUDGETS["a"]
        _class_entry("classroom a: 60 trainees, 5 min", figures, budget, check(figures))
    if "b" in scenarios:
        figures = _load(["--scenario", "b", *short], root)
        budget, check = CLASS_BUDGETS["b"]
        _class_entry("classroom b: 60 trainees, 20 upload 2,000 customers", figures, budget, check(figures))
    if "c" in scenarios:
        ramp = ["--ramp-step", "20", "--settle", "0"] if quick else ["--settle", "30"]
        figures = _load(["--scenario", "c", *ramp], root)
        steps = figures.get("steps", [])
        over = [s for s in steps if s.get("p95_ms", 0) > KNEE_P95_MS or s["errors"]]
        knee = over[0]["trainees"] if over else None
        at_budget = next((s for s in steps if s["trainees"] == KNEE_AT), None)
        ok = at_budget is not None and at_budget.get("p95_ms", 10**9) <= KNEE_P95_MS and at_budget["errors"] == 0
        _class_entry("classroom c: rising to 150 trainees", figures,
                     f"p95 ≤ 2 s at {KNEE_AT} trainees (knee: first level over 2 s or with errors)", ok)
        RESULTS["classroom c: rising to 150 trainees"]["knee_trainees"] = knee
        print(f"     knee: {knee or 'not reached'}")
    if "c-proxy" in scenarios:
        # The same ramp through deploy/ (nginx, sticky by client), once with 1 app process and once with 2, so the
        # scaling compares like with like (both warmed up by the launcher, both behind the proxy).
        ramp = ["--ramp-step", "20", "--settle", "0"] if quick else ["--settle", "0"]
        by_processes = {n: _load(["--scenario", "c", "--deploy", str(n), *ramp], None) for n in (1, 2)}
        levels = {n: {s["trainees"]: s for s in figures.get("steps", [])} for n, figures in by_processes.items()}
        scaling = []
        for level in sorted(levels[2]):
            one, two = levels[1].get(level, {}), levels[2][level]
            scaling.append({"trainees": level, "p95_ms_1": one.get("p95_ms"), "p95_ms_2": two.get("p95_ms"),
                            "p50_ms_1": one.get("p50_ms"), "p50_ms_2": two.get("p50_ms"),
                            "errors_1": one.get("errors"), "errors_2": two.get("errors")})

        def knee(n: int) -> int | None:
            return next((lv for lv, st in sorted(levels[n].items())
                         if st.get("p95_ms", 0) > KNEE_P95_MS or st["errors"]), None)

        for n, figures in by_processes.items():
            at_budget = levels[n].get(KNEE_AT, {})
            ok = bool(at_budget) and at_budget.get("p95_ms", 10**9) <= KNEE_P95_MS and at_budget["errors"] == 0
            name = f"classroom c through the proxy: {n} app process{'es' if n > 1 else ''}"
            _class_entry(name, figures, f"p95 ≤ 2 s at {KNEE_AT} trainees (knee: first level over 2 s or with "
                         "errors)", ok)
            RESULTS[name]["knee_trainees"] = knee(n)
            print(f"     knee with {n}: {knee(n) or 'not reached'}")
        RESULTS["classroom c through the proxy: 2 app processes"]["scaling_vs_1"] = scaling
        for row in scaling:
            print(f"     {row['trainees']:>4} trainees  p95 {row['p95_ms_1']} ms (1) -> {row['p95_ms_2']} ms (2)")
    if "memory" in scenarios:
        settle = ["--settle", "30"] if quick else []
        figures = _load(["--scenario", "memory", *settle], root)
        grown = figures["rss_end_mb"] - figures["rss_start_mb"]
        left = (figures["rss_after_settle_mb"] or figures["rss_after_close_mb"] or 0) - figures["rss_start_mb"]
        _class_entry("memory: 60 sessions on the 20,000-customer demo, then closed", figures,
                     "half of what the sessions added is given back after they end (and 0 errors)",
                     left <= 0.5 * grown and figures["errors"] == 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["domain", "intake", "export", "pages", "store", "clicks", "classroom"])
    parser.add_argument("--pages", nargs="*", help="page ids for the warm-rerun part (default: all)")
    parser.add_argument("--scenarios", nargs="*", default=["a", "b", "c", "c-proxy", "memory"],
                        help="classroom scenarios (default: a b c c-proxy memory; c-proxy runs c through deploy/ "
                             "with 1 and with 2 app processes)")
    parser.add_argument("--quick", action="store_true", help="shorter classroom scenarios (a first look)")
    parser.add_argument("--root", type=Path, help="measure the clicks and classroom parts on another checkout")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "benchmark.json")
    args = parser.parse_args()
    # The page runs autosave like a trainee's session: into a throwaway database unless one is configured.
    os.environ.setdefault("WORKBOOK_DB_URL", f"sqlite:///{tempfile.mkdtemp(prefix='workbook-bench-')}/bench.sqlite")
    parts = {"domain": bench_domain, "intake": bench_intake, "export": bench_export,
             "pages": lambda: bench_pages(args.pages), "store": bench_store,
             "clicks": lambda: bench_clicks(args.root),
             "classroom": lambda: bench_classroom(args.scenarios, args.root, args.quick)}
    for name, function in parts.items():
        if args.only in (None, name):
            function()
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    # One part measured again updates its lines and keeps the others' last figures.
    previous = json.loads(out.read_text(encoding="utf-8")) if args.only and out.exists() else {}
    out.write_text(json.dumps({**previous, **RESULTS}, ensure_ascii=False, indent=2), encoding="utf-8")
    over = [name for name, entry in RESULTS.items() if not entry["ok"]]
    print(f"written {out}: {len(RESULTS) - len(over)} ok, {len(over)} over budget" + (": " if over else ""))
    for name in over:
        print(f"  OVER {name}")


if __name__ == "__main__":
    main()
