"""The classroom load tool (scripts/load.py) against a real server: simulated trainees complete their work over
Streamlit's browser protocol without errors, and an upload goes the browser's way. Completion and correctness
only: its timings belong to scripts/benchmark.py, never to a test."""

from __future__ import annotations

import random
import re

from scripts import load
from scripts.serve import running_server


def test_smoke_three_trainees_two_pages_complete_without_errors() -> None:
    figures = load.main(["--scenario", "smoke"])
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["trainees"] == 3
    # each trainee: arrives, then opens 1.2 and 3.2 and changes one widget on each
    assert figures["by_kind"]["arrive"]["n"] == 3
    assert figures["by_kind"]["open"]["n"] == 6
    assert figures["by_kind"]["widget"]["n"] == 6
    assert set(figures["by_page"]) == {"home", "s1_2", "s3_2"}
    assert figures["cpu_ms_per_click"] > 0 and figures["rss_end_mb"] > 0


def test_a_trainee_uploads_a_book_and_works_on_it() -> None:
    async def visit(url: str) -> load.Tab:
        tab = load.Tab(url, 1)
        await tab.open("book")
        await tab.upload(load.upload_books(1, rows=120)[0], "我的名册.xlsx", "book_upload")
        await tab.rerun(changes=[tab.click_button(form_submit=True)])
        uploaded_alerts = list(tab.alerts)
        await tab.rerun(page="s3_2")
        (scheme,) = tab.find("s3_2_scheme")
        change = tab.change(scheme, random.Random(1))
        assert change is not None
        await tab.rerun(changes=[change])
        tab.alerts = uploaded_alerts
        await tab.close()
        return tab

    with running_server() as server:
        tab = load.run_async(visit(server.url))
    assert not tab.exceptions
    # The alerts arrive as the markdown the browser renders: the file name escaped as text (plain_markdown).
    shown = [re.sub(r"\\(.)", r"\1", alert) for alert in tab.alerts]
    assert any("我的名册.xlsx" in alert and "120" in alert for alert in shown), shown


def test_the_browsers_clock_reruns_the_sidebar_timer_fragment_alone() -> None:
    # Every page's sidebar holds the exercise timer as a fragment on a clock (ui/instructor.py): the server asks
    # the browser to rerun it every few seconds, and a simulated trainee does so while thinking.
    async def visit(url: str) -> tuple[load.Tab, dict[str, float], bool]:
        tab = load.Tab(url, 1)
        await tab.open("s1_2")
        clocks = dict(tab.auto_reruns)
        (fragment,) = clocks
        await tab.rerun(fragment=fragment)
        alone = tab.fragment_run
        await tab.close()
        return tab, clocks, alone

    with running_server() as server:
        tab, clocks, alone = load.run_async(visit(server.url))
    assert not tab.exceptions, tab.exceptions
    assert list(clocks.values()) == [15.0]  # TIMER_REFRESH_S
    assert alone
