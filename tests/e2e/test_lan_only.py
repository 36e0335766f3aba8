"""A classroom LAN may have no internet: opening the app and moving between pages asks nothing of any host but
the app's own server (the tab's icon included, which a Material page_icon would fetch from fonts.gstatic.com)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e


def test_nothing_is_fetched_from_outside_the_app_server(page: Page, app_url: str) -> None:
    app_host = urlsplit(app_url).netloc
    outside: list[str] = []

    def refuse_outside(route: Route) -> None:
        url = route.request.url
        if url.startswith("data:") or urlsplit(url).netloc == app_host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", refuse_outside)
    page.goto(f"{app_url}/s1_2")
    expect(page.get_by_role("heading", name="1.2 核心业绩公式")).to_be_visible()
    page.get_by_test_id("stSidebarNav").get_by_text("3.2 多维分层工作台").click()
    expect(page.get_by_role("heading", name="3.2 多维分层工作台")).to_be_visible()

    icon = page.locator("link[rel='shortcut icon'], link[rel='icon']").first
    expect(icon).to_have_attribute("href", re.compile(r"\S"))  # set once the page config has arrived
    href = icon.get_attribute("href") or ""
    assert "gstatic" not in href and "material" not in href, href
    answer = page.request.get(urljoin(page.url, href))
    assert answer.ok and answer.headers["content-type"] == "image/png"
    assert outside == []
