"""deploy/: two app processes behind Debian's nginx, sharing only the database (PostgreSQL, as compose.yaml runs
it). Trainees spread over both processes and each tab stays on its own (an upload names its session, so it fails
on any other process); a real browser works through the proxy (the websocket's Origin and Host pass through); and
a trainee whose process dies and is restarted gets their typed answer back from the database through ``?t=``."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from deploy.classroom import AppProcess, Classroom, free_port, nginx_config, shared_pin_env, wait_healthy
from scripts.load import Plan, Tab, cpu_seconds, run_async, run_plans, upload_books
from tests.conftest import fresh_postgres_database
from workbook import settings
from workbook.access import PIN_SETTING

pytestmark = pytest.mark.e2e

NOTE = "s1_1_note"  # 1.1's free-text answer, kept in the workspace


@pytest.fixture(scope="module")
def classroom(postgres_admin_url: str) -> Iterator[Classroom]:
    with (fresh_postgres_database(postgres_admin_url) as database,
          Classroom(processes=2, address="127.0.0.1", port=free_port(), warm=False,
                    env={"WORKBOOK_DB_URL": database}) as room):
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
    measured = run_async(run_plans(classroom.url, classroom.pids, plans, 3, settle=0, name="deploy"))
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


def test_a_trainee_whose_process_restarts_resumes_from_the_database(classroom: Classroom) -> None:
    answer = "先把季度目标拆到每周的三次面谈。"
    before = {pid: cpu_seconds([pid]) for pid in classroom.pids}

    def kill_the_holder() -> AppProcess:
        """Kill the process that served the tab (the one that worked), restart it as the launcher does."""
        worked = {pid: cpu_seconds([pid]) - start for pid, start in before.items()}
        holder = next(app for app in classroom.apps if app.process is not None
                      and app.process.pid == max(worked, key=worked.__getitem__))
        assert holder.process is not None
        holder.process.kill()  # the process dies with the trainee's session in it
        holder.process.wait()
        assert classroom.supervise_once() == [holder.port]
        wait_healthy(holder.url, holder.process, timeout=90)
        return holder

    async def work_then_lose_the_process() -> tuple[Tab, str, AppProcess]:
        tab = Tab(classroom.url, 1)
        await tab.open("s1_1")
        (note,) = tab.find(NOTE)
        change = tab.change(note, random.Random(1))
        assert change is not None
        change.string_value = answer
        await tab.rerun(changes=[change])  # app.py's autosave writes the workspace after this run
        for _ in range(6):  # a few more clicks, so the process that holds the tab shows in its CPU time
            await tab.rerun()
        assert not tab.exceptions, tab.exceptions
        assert tab.resume_token
        address = tab.query_string
        holder = await asyncio.to_thread(kill_the_holder)
        # The trainee opens their link again (a reload: the page holds no widget values of its own any more),
        # ?t= included, with the browser's cookies, so the proxy sends them to the restarted process, which has
        # never seen this session: only the database has the answer.
        again = Tab(classroom.url, 1)
        again.cookies = dict(tab.cookies)
        await again.open("s1_1", query_string=address)
        await again.close()
        return again, address, holder

    back, address, holder = run_async(work_then_lose_the_process())
    assert not back.exceptions, back.exceptions
    assert back.value(NOTE) == answer
    assert back.resume_token and back.resume_token in address
    assert holder.restarts == 1


def test_a_process_that_exits_is_restarted(classroom: Classroom) -> None:
    victim = classroom.apps[0]
    assert victim.process is not None
    restarts = victim.restarts
    victim.process.kill()
    victim.process.wait()
    assert classroom.supervise_once() == [victim.port]
    wait_healthy(victim.url, victim.process, timeout=90)
    assert victim.restarts == restarts + 1


def test_the_launcher_gives_every_process_one_pin_unless_one_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PIN_SETTING, raising=False)
    monkeypatch.setattr(settings, "secrets_files", lambda: ())
    made = shared_pin_env({"WORKBOOK_DB_URL": "sqlite:///x"})
    assert made["WORKBOOK_DB_URL"] == "sqlite:///x"
    assert len(made[PIN_SETTING]) == 6 and made[PIN_SETTING].isdigit()
    assert shared_pin_env({PIN_SETTING: "4711"}) == {PIN_SETTING: "4711"}  # given to the launcher: kept
    monkeypatch.setenv(PIN_SETTING, "2468")
    assert shared_pin_env({}) == {}  # configured for the processes already: they read it themselves


def test_the_instructor_pin_opens_the_board_on_every_process(classroom: Classroom) -> None:
    pins = {app.env.get(PIN_SETTING) for app in classroom.apps}
    assert len(pins) == 1  # the launcher's own, or none when the environment configures it
    pin = pins.pop() or settings.setting(PIN_SETTING)
    assert pin

    async def sign_in(url: str) -> Tab:
        tab = Tab(url, 1)
        await tab.open("board")
        (box,) = tab.find("instructor_pin")
        typed = tab.change(box, random.Random(4))
        assert typed is not None
        typed.string_value = pin
        await tab.rerun(changes=[typed, tab.click_button(form_submit=True)])
        await tab.close()
        return tab

    for app in classroom.apps:  # straight to each process, past the proxy
        tab = run_async(sign_in(app.url))
        assert not tab.exceptions, tab.exceptions
        assert not tab.find("instructor_pin"), f"the PIN was refused on {app.url}: {tab.alerts}"
