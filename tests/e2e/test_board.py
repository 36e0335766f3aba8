"""The instructor's board in a real browser: a trainee submits exercise 1 and the board (open, signed in) shows it
within 10 s without a click; the exercise timer counts down on a trainee's page in the browser; projector mode at
1024×768 (screenshots written to artifacts/screenshots/ to look at); and a trainee without the PIN reaches no
board data, whatever the address says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from scripts.layout_probe import probe
from scripts.serve import free_port, running_app
from tests.fixtures.classroom import exercise1, the_class
from workbook import access, exercises
from workbook import workspace as ws
from workbook.samples import sample_book
from workbook.segmentation import segment_detail
from workbook.store import open_store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
PIN = "357913"
CODE = "E2E1205"
GROUP = "第九组"
TOKEN = "e2e-board-trainee-token-0001"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server of this module's own: its own database and a configured PIN (the environment it starts with)."""
    folder = tmp_path_factory.mktemp("board-e2e")
    url = f"sqlite:///{(folder / 'workbook.sqlite').as_posix()}"
    saved = {name: os.environ.get(name) for name in ("WORKBOOK_DB_URL", access.PIN_SETTING)}
    os.environ["WORKBOOK_DB_URL"], os.environ[access.PIN_SETTING] = url, PIN
    try:
        with running_app() as app_url:
            yield app_url, url
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _tab(browser: Browser, width: int = 1400, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def _sign_in(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/board")
    page.get_by_label("讲师 PIN").fill(PIN)
    page.get_by_role("button", name="进入看板").click()
    expect(page.get_by_text("练习计时")).to_be_visible()


def _exercise1_workspace() -> ws.Workspace:
    """A trainee's finished exercise 1 on the sample book: three segmentations, a line of their own on every tier,
    a reflection, and who they are — all that is left is to press submit."""
    book = sample_book(n=300, seed=7)
    schemes = ["aum", "relationship", "behaviour"]
    services = {s: {tier.code: f"{GROUP}自己的服务：{tier.zh}每月一次面谈"
                    for tier in segment_detail(book, s).tier_list} for s in schemes}
    work = ws.new_workspace()
    ws.set_trainee(work, name="周九", group=GROUP, workshop=CODE)
    ws.set_values(work, "s3_5", group=GROUP, members="周九\n吴十", schemes=schemes, services=services,
                  reflection="资产分层看清了集中度，行为分层找到了可以线上服务的客户。")
    return work


def test_a_trainee_submits_exercise1_and_the_board_shows_it_within_10_s(browser: Browser,
                                                                        classroom: tuple[str, str]) -> None:
    app_url, url = classroom
    store = open_store(url)
    store.create_workshop(CODE)
    store.save_workspace(TOKEN, _exercise1_workspace())
    board = _tab(browser)
    trainee = _tab(browser)
    try:
        _sign_in(board, app_url)
        # the roster and the one-submission view both say it
        expect(board.get_by_text("还没有小组提交").first).to_be_visible()
        trainee.goto(f"{app_url}/s3_5?t={TOKEN}")
        expect(trainee.get_by_role("heading", name="3.5 练习一：分层与服务")).to_be_visible()
        trainee.get_by_role("button", name="提交练习一").click()
        expect(trainee.get_by_text(re.compile("已提交并保存在课堂数据库中"))).to_be_visible()
        # the board refreshes itself (a fragment every 5 s in the instructor's session): no click on the board
        roster = board.get_by_test_id("stTable").first
        expect(roster).to_contain_text(GROUP, timeout=10_000)
        expect(roster).to_contain_text("周九")
        assert len(store.history(CODE, "exercise1")) == 1
    finally:
        board.context.close()
        trainee.context.close()


def _seconds(text: str) -> int:
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + int(seconds)


def test_the_timer_counts_down_on_a_trainees_page(browser: Browser, classroom: tuple[str, str]) -> None:
    app_url, url = classroom
    open_store(url).create_workshop(CODE)
    board = _tab(browser)
    trainee = _tab(browser)
    try:
        _sign_in(board, app_url)
        board.get_by_role("button", name="开始计时").click()  # the day's first activity: the 1.1 poll, 5 minutes
        expect(board.locator(".wb-countdown")).to_be_visible()
        trainee.goto(f"{app_url}/s1_2")
        face = trainee.get_by_test_id("stSidebar").locator(".wb-countdown .wb-clock")
        expect(face).to_have_text(re.compile(r"^\s*0[45]:\d\d\s*$"))
        first = _seconds(face.inner_text())
        trainee.wait_for_timeout(3_000)  # the browser counts: the page sent the time left once
        later = _seconds(face.inner_text())
        assert 0 < first - later <= 5 and later > 4 * 60
        expect(trainee.get_by_test_id("stSidebar")).to_contain_text("1.1 难题自测")
        board.get_by_role("button", name="停止计时").click()
    finally:
        board.context.close()
        trainee.context.close()


def test_projector_mode_at_1024x768(browser: Browser, classroom: tuple[str, str]) -> None:
    app_url, url = classroom
    store = open_store(url)
    for s in the_class():
        store.submit(CODE, s.group, s.exercise, s.payload, f"proj-{s.client_key}", submitted_by=s.submitted_by)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = _tab(browser, 1024, 768)
    try:
        _sign_in(page, app_url)
        page.get_by_test_id("stSidebar").get_by_text("投影模式").click()
        page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '19px'")
        expect(page.get_by_test_id("stToolbar")).to_be_hidden()
        page.wait_for_timeout(1_500)
        page.screenshot(path=str(SHOTS / "projector-board-zh-1024.png"))
        page.get_by_test_id("stButtonGroup").get_by_text("两组对比", exact=True).click()
        expect(page.get_by_text("心得对比")).to_be_visible()
        page.get_by_text("心得对比").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "projector-compare-zh-1024.png"))
        for heading, name in (("1.2 核心业绩公式", "s1_2"), ("3.2 多维分层工作台", "s3_2")):
            # through the navigation (a reload would be a new session: the role lives in this one only)
            page.get_by_test_id("stSidebarNav").get_by_text(heading).click()
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
            # remembered for the instructor's session: still on after moving page
            page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '19px'")
            page.wait_for_timeout(2_000)
            page.screenshot(path=str(SHOTS / f"projector-{name}-zh-1024.png"))
            # nothing wider than the screen: the main column does not scroll sideways
            overflow = page.evaluate("""() => { const main = document.querySelector('[data-testid="stMain"]');
                return main.scrollWidth - main.clientWidth; }""")
            assert overflow <= 1
            # at the projector's larger type nothing is cut to "…", the menu's section headers included
            findings = probe(page).findings()
            assert not findings, f"{name} in projector mode:\n" + "\n".join(findings)
        notes = page.get_by_text("讲师提示（仅讲师可见；投影前请收起）")
        expect(notes).to_be_visible()
    finally:
        page.context.close()


LONG_RUN = "http://example.com/" + "x" * 160  # pasted into a service line: no space, no break point


def test_long_unbroken_text_stays_inside_the_compare_view_at_1024(browser: Browser,
                                                                  classroom: tuple[str, str]) -> None:
    """A group that pastes a long link into a service line and its reflection: the compare tables and reflections
    wrap it inside their column; nothing pushes the page wider than the projector's screen."""
    app_url, url = classroom
    store = open_store(url)
    store.create_workshop(CODE)
    for number, group in enumerate(("第一组", "第十组", GROUP)):  # every group that may be compared by default
        payload = exercise1(group, ["赵六"], [("aum", None)], {"aum": {"mass": LONG_RUN, "private": LONG_RUN}},
                            reflection=LONG_RUN)
        store.submit(CODE, group, exercises.EXERCISE_ID, payload, f"long-run-{number}", submitted_by="赵六")
    page = _tab(browser, 1024, 768)
    try:
        _sign_in(page, app_url)
        page.get_by_test_id("stButtonGroup").get_by_text("两组对比", exact=True).click()
        expect(page.get_by_text("心得对比")).to_be_visible()
        expect(page.get_by_text("心得对比")).to_be_visible()
        expect(page.get_by_test_id("stMain")).to_contain_text("example.com/xxxx")
        page.wait_for_timeout(1_000)
        widths = page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const tables = [...document.querySelectorAll('[data-testid="stTable"] table')]
                .map(t => t.scrollWidth - t.parentElement.clientWidth);
            const texts = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p')]
                .filter(p => p.textContent.includes('xxxxxxxxxx')).map(p => p.scrollWidth - p.clientWidth);
            return {main: main.scrollWidth - main.clientWidth, tables, texts}; }""")
        assert widths["main"] <= 1, widths
        assert widths["tables"] and max(widths["tables"]) <= 1, widths
        assert widths["texts"] and max(widths["texts"]) <= 1, widths
    finally:
        page.context.close()


def test_a_trainee_without_the_pin_reaches_no_board_data(browser: Browser, classroom: tuple[str, str]) -> None:
    app_url, url = classroom
    store = open_store(url)
    for s in the_class():
        store.submit(CODE, s.group, s.exercise, s.payload, f"nopin-{s.client_key}", submitted_by=s.submitted_by)
    page = _tab(browser)
    try:
        for address in ("/board", "/board?role=instructor&pin=" + PIN, "/board?t=" + TOKEN):
            page.goto(app_url + address)
            expect(page.get_by_label("讲师 PIN")).to_be_visible()
            page.wait_for_timeout(1_000)
            shown = page.get_by_test_id("stMain").inner_text()
            for secret in (CODE, "第一组", "第十组", "季度电话", "王五"):
                assert secret not in shown, (address, secret)
        page.get_by_label("讲师 PIN").fill("000000")
        page.get_by_role("button", name="进入看板").click()
        expect(page.get_by_text(re.compile("PIN 不正确"))).to_be_visible()
        assert "第一组" not in page.get_by_test_id("stMain").inner_text()
    finally:
        page.context.close()


def test_without_a_configured_pin_the_server_logs_a_random_one_that_opens_the_board(
    browser: Browser, tmp_path: Path
) -> None:
    """Unset: the server makes up a PIN and prints it in its own terminal once; that PIN opens the board."""
    port = free_port()
    log = tmp_path / "server.log"
    environment = {k: v for k, v in os.environ.items() if k != access.PIN_SETTING}
    environment["WORKBOOK_DB_URL"] = f"sqlite:///{(tmp_path / 'workbook.sqlite').as_posix()}"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port)],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=environment,
        )
    page = _tab(browser)
    try:
        app_url = f"http://127.0.0.1:{port}"
        _wait_healthy(app_url, server)
        page.goto(f"{app_url}/board")
        expect(page.get_by_label("讲师 PIN")).to_be_visible()
        found = re.findall(rf"{access.PIN_SETTING} is not set: the instructor PIN for this server run is (\d+)",
                           log.read_text(encoding="utf-8", errors="replace"))
        assert len(found) == 1 and len(found[0]) == access.RANDOM_PIN_DIGITS
        assert found[0] not in page.get_by_test_id("stMain").inner_text()  # shown nowhere on the page
        page.get_by_label("讲师 PIN").fill(found[0])
        page.get_by_role("button", name="进入看板").click()
        expect(page.get_by_text("还没有课堂代码")).to_be_visible()  # signed in: the board of an empty classroom
        page.goto(f"{app_url}/s1_1")  # another session of the same process: the same PIN, not logged again
        expect(page.get_by_role("heading", name="1.1 难题自测")).to_be_visible()
        assert log.read_text(encoding="utf-8", errors="replace").count("instructor PIN for this server run") == 1
    finally:
        page.context.close()
        server.terminate()
        server.wait(timeout=10)


def _wait_healthy(app_url: str, server: subprocess.Popen) -> None:
    for _ in range(200):
        assert server.poll() is None, "streamlit exited early"
        try:
            with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("streamlit did not become healthy")
