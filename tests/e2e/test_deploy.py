"""deploy/: two app processes behind Debian's nginx. Trainees spread over both processes, each tab stays on its
own (an upload names its session, so it fails on any other process), and a real browser works through the proxy
(the websocket's Origin and Host pass through)."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from deploy.classroom import Classroom, free_port, nginx_config
from scripts.load import Plan, cpu_seconds, run_plans, upload_books

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def classroom() -> Iterator[Classroom]:
    with Classroom(processes=2, address="127.0.0.1", port=free_port(), warm=False) as room:
        yield room


def test_the_proxy_configuration_is_sticky_and_keeps_uploads_off_disk(tmp_path: Path) -> None:
    config = nginx_config([8601, 8602], "127.0.0.1:8501", tmp_path)
    assert "hash $workbook_client consistent;" in config
    assert "server 127.0.0.1:8601" in config and "server 127.0.0.1:8602" in config
    assert "proxy_request_buffering off;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config


def test_trainees_spread_over_both_processes_and_stay_on_theirs(classroom: Classroom) -> None:
    rng = random.Random(3)
    books = upload_books(2, rows=200)
    plans = [
        Plan(i, rng.uniform(0, 2), "", 0, pages=("s1_2", "s3_2"), visit_once=True, actions_per_page=(1, 1),
             think=0.1, upload=books[i] if i < len(books) else None, stop_at=120)
        for i in range(16)
    ]
    before = [cpu_seconds([pid]) for pid in classroom.pids]
    measured = asyncio.run(run_plans(classroom.url, classroom.pids, plans, 3, settle=0, name="deploy"))
    summary = measured.summary()
    assert summary["errors"] == 0, summary["error_examples"]
    kinds = summary["by_kind"]
    assert kinds["upload"]["n"] == 4  # two trainees: the file, then the mapped book — both on their own process
    assert kinds["widget"]["n"] >= 16 and kinds["open"]["n"] >= 32
    worked = [cpu_seconds([pid]) - start for pid, start in zip(classroom.pids, before, strict=True)]
    assert all(seconds > 0.2 for seconds in worked), worked  # both processes served sessions


def test_a_browser_works_through_the_proxy(classroom: Classroom, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        tab.goto(f"{classroom.url}/s3_2")
        expect(tab.get_by_role("heading", name="3.2 多维分层工作台")).to_be_visible()
        tab.get_by_test_id("stSidebarNav").get_by_text("1.2 核心业绩公式").click()
        expect(tab.get_by_role("heading", name="1.2 核心业绩公式")).to_be_visible()
        assert any(cookie["name"] == "workbook_client" for cookie in context.cookies())
    finally:
        context.close()


def test_a_process_that_exits_is_restarted(classroom: Classroom) -> None:
    victim = classroom.apps[0]
    assert victim.process is not None
    victim.process.kill()
    victim.process.wait()
    assert classroom.supervise_once() == [victim.port]
    deadline = time.monotonic() + 90
    from deploy.classroom import wait_healthy

    wait_healthy(victim.url, victim.process, timeout=max(1.0, deadline - time.monotonic()))
    assert victim.restarts == 1
