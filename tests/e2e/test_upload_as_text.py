"""What only a browser can show: an uploaded file whose name, headers and cells are Markdown (an image, links,
bold, LaTeX, colour) is shown literally, and the page fetches nothing from outside the app's own server."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from tests.workbook.intake_files import csv_bytes

pytestmark = pytest.mark.e2e

IMAGE_HEADER = "![x](http://example.com/a.png)"
BOLD_HEADER = "**bold** [link](http://x)"
FILE_NAME = "**名单**[点我](http:example.com) $x^2$.csv"
ROWS = [["客户号", "金融资产", IMAGE_HEADER, BOLD_HEADER],
        ["C1", 150_000, "![y](http://example.com/b.png)", ":red[红色]"],
        ["C2", "<img src=http://example.com/c.png>", "x", "y"]]


def test_markdown_in_an_upload_shows_as_typed_and_nothing_is_fetched(page: Page, app_url: str,
                                                                     tmp_path: Path) -> None:
    app_host = urlsplit(app_url).netloc
    outside: list[str] = []

    def record(request: Request) -> None:
        if urlsplit(request.url).scheme in ("http", "https", "ws", "wss") and urlsplit(request.url).netloc != app_host:
            outside.append(request.url)

    page.goto(f"{app_url}/book")
    expect(page.get_by_role("heading", name="我的客户名册")).to_be_visible()
    # Recorded from the upload on: what the uploaded text makes the browser fetch. (The app's own favicon, a
    # Material icon Streamlit loads from fonts.gstatic.com when the page opens, is not the upload's doing.)
    page.on("request", record)
    upload = tmp_path / FILE_NAME
    upload.write_bytes(csv_bytes(ROWS))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))

    # The mapping step: the headers are the dropdowns' labels, as typed (no image, no link, no bold).
    main = page.get_by_test_id("stMain")
    for typed in (IMAGE_HEADER, BOLD_HEADER, FILE_NAME):
        expect(main.get_by_text(_as_shown(typed)).first).to_be_visible(timeout=60_000)
    assert main.locator("img[src*='example.com']").count() == 0
    assert main.locator("a[href='http://x'], a[href*='example.com']").count() == 0
    assert main.locator("strong", has_text="bold").count() == 0

    page.get_by_role("button", name="载入名册").click()
    expect(page.get_by_role("heading", name="校验报告")).to_be_visible(timeout=60_000)
    # The report and the sidebar name the file as typed; the issue table quotes the bad cell as typed.
    expect(page.get_by_test_id("stSidebar").get_by_text(_as_shown(FILE_NAME))).to_be_visible()
    expect(main.get_by_test_id("stTable").get_by_text(_as_shown("<img src=http://example.com/c.png>")).first) \
        .to_be_visible()
    assert page.locator("img[src*='example.com']").count() == 0
    assert page.locator("a[href*='example.com'], a[href='http://x']").count() == 0
    assert page.locator(".katex").count() == 0  # $x^2$ was not typeset as LaTeX
    page.screenshot(path=str(tmp_path / "book-markdown-upload.png"), full_page=True)
    page.wait_for_timeout(500)  # any image request would have left by now
    assert outside == []


def _as_shown(typed: str) -> re.Pattern[str]:
    """The typed text as the page shows it: literally, with perhaps an invisible word joiner in a URL."""
    return re.compile("\u2060?".join(re.escape(char) for char in typed))
