"""Saved work in a real browser: an answer typed with no sign-in survives a refresh and a server restart (the
address carries the resume token), and two trainees who upload different files with the same name each see only
their own."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from scripts.serve import free_port, running_app
from workbook.store import open_store

pytestmark = pytest.mark.e2e

NOTE_LABEL = "今天最想解决的一个问题（选填）"
ANSWER = "客户拿了礼品就走，怎么留住？"


@pytest.fixture
def classroom_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of this test's own, for the servers it starts (they inherit the environment)."""
    url = f"sqlite:///{(tmp_path / 'classroom' / 'workbook.sqlite').as_posix()}"
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    return url


def _token(page: Page) -> str:
    return parse_qs(urlparse(page.url).query)["t"][0]


def _wait_until_saved(url: str, token: str, page: Page) -> None:
    """Autosave runs at the end of the rerun the answer caused; wait for the database to hold it."""
    store = open_store(url)
    for _ in range(120):
        saved = store.load_workspace(token)
        if saved is not None and saved["modules"].get("s1_1", {}).get("note") == ANSWER:
            return
        page.wait_for_timeout(250)
    raise AssertionError("the typed answer never reached the database")


def test_a_typed_answer_survives_a_refresh_and_a_server_restart(page: Page, classroom_database: str) -> None:
    port = free_port()
    with running_app(port=port) as app_url:
        page.goto(app_url)
        expect(page.get_by_role("heading", name="课程导览")).to_be_visible()
        page.get_by_test_id("stSidebarNav").get_by_text("1.1 难题自测").click()
        expect(page.get_by_role("heading", name="1.1 难题自测")).to_be_visible()
        note = page.get_by_label(NOTE_LABEL)
        note.fill(ANSWER)
        note.press("Control+Enter")
        token = _token(page)  # put in the address on the first visit, kept through sidebar navigation
        _wait_until_saved(classroom_database, token, page)
        address = page.url

        page.reload()
        expect(page.get_by_role("heading", name="1.1 难题自测")).to_be_visible()
        expect(page.get_by_label(NOTE_LABEL)).to_have_value(ANSWER)
        assert _token(page) == token

    with running_app(port=port):  # the server restarted: nothing of the old process remains
        page.goto(address)
        expect(page.get_by_role("heading", name="1.1 难题自测")).to_be_visible()
        expect(page.get_by_label(NOTE_LABEL)).to_have_value(ANSWER)
        assert _token(page) == token


def _book_csv(ids: list[str]) -> bytes:
    rows = "".join(f"{customer},{120_000 + n * 10_000}\n" for n, customer in enumerate(ids))
    return ("客户编号,金融资产\n" + rows).encode("utf-8")


def _upload(page: Page, app_url: str, folder: Path, data: bytes) -> None:
    page.goto(f"{app_url}/book")
    expect(page.get_by_role("heading", name="我的客户名册")).to_be_visible()
    folder.mkdir()
    upload = folder / "客户名单.csv"  # the same name for both trainees
    upload.write_bytes(data)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    page.get_by_role("button", name="载入名册").click()
    expect(page.get_by_role("heading", name="校验报告")).to_be_visible()


def test_two_trainees_uploading_files_with_the_same_name_each_see_their_own(
    browser: Browser, app_url: str, tmp_path: Path
) -> None:
    first_ids, second_ids = ["A001", "A002", "A003"], ["B101", "B102", "B103", "B104", "B105"]
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN") for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        for page in (first, second):
            page.set_default_timeout(60_000)
        _upload(first, app_url, tmp_path / "first", _book_csv(first_ids))
        _upload(second, app_url, tmp_path / "second", _book_csv(second_ids))
        # The first trainee moves on and comes back after the second upload: still their own book.
        nav = first.get_by_test_id("stSidebarNav")
        nav.get_by_text("1.4 客户资产负债审视").click()
        expect(first.get_by_role("heading", name="1.4 客户资产负债审视")).to_be_visible()
        nav.get_by_text("我的客户名册").click()
        expect(first.get_by_role("heading", name="我的客户名册")).to_be_visible()
        for page, own in ((first, first_ids), (second, second_ids)):
            expect(page.get_by_test_id("stSidebar")).to_contain_text(f"客户名单.csv（{len(own)} 位客户）")
            kept = page.get_by_test_id("stMetric").filter(has_text="客户数")
            expect(kept.first).to_contain_text(str(len(own)))
    finally:
        for context in contexts:
            context.close()
