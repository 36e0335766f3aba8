"""The first session after a server start opens a deep link, as a trainee following the instructor's link does.

Streamlit treats a folder named ``pages/`` beside ``app.py`` as a legacy multipage app until ``st.navigation`` has
run once, so that first session used to get a "Page not found" dialog and the page files' raw names in the
sidebar. The page scripts live in ``views/`` for that reason; this test starts its own, untouched server.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from scripts.serve import running_app
from workbook import course

pytestmark = pytest.mark.e2e


def test_the_very_first_session_opens_a_deep_link(browser: Browser) -> None:
    with running_app() as url:  # a fresh server: no session has run the app yet
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        try:
            tab.goto(f"{url}/s1_2")
            expect(tab.get_by_role("heading", name="1.2 核心业绩公式")).to_be_visible()
            expect(tab.get_by_text("Page not found")).to_have_count(0)
            expect(tab.get_by_role("dialog")).to_have_count(0)
            nav = tab.get_by_test_id("stSidebarNav")
            expect(nav).to_contain_text("1.2 核心业绩公式")
            # the course's titles, never a script's file name ("s1_2_performance_formula", "s1 2 performance formula")
            for entry in course.PAGES:
                stem = Path(entry.file).stem
                expect(nav).not_to_contain_text(re.compile(f"{stem}|{stem.replace('_', ' ')}", re.IGNORECASE))
            assert urlsplit(tab.url).path == "/s1_2"  # still on the linked page (the app adds ?lang=zh)
        finally:
            context.close()


def test_a_second_deep_link_in_a_new_tab_opens_its_own_page(browser: Browser) -> None:
    with running_app() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        try:
            for path, title in (("s3_2", "3.2 多维分层工作台"), ("book", "我的客户名册")):
                tab = context.new_page()
                tab.set_default_timeout(60_000)
                tab.goto(f"{url}/{path}")
                expect(tab.get_by_role("heading", name=title)).to_be_visible()
                expect(tab.get_by_text("Page not found")).to_have_count(0)
                tab.close()
        finally:
            context.close()
