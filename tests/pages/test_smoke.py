"""Every registered page renders in Chinese and in English with the sample book: no exception, no missing
catalogue key, and no text of the other language leaking into the page chrome."""

from __future__ import annotations

import re

import pytest

from tests.pages.apptest import MISSING_PREFIX, all_text, open_app
from workbook import course

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("entry", course.PAGES, ids=lambda entry: entry.id)
def test_page_renders(entry: course.PageEntry, lang: str) -> None:
    at = open_app(lang, entry.file)
    assert not at.exception, [e.value for e in at.exception]
    text = all_text(at)
    assert MISSING_PREFIX not in text, f"missing catalogue key on {entry.id}: " + text[text.index(MISSING_PREFIX):][:80]
    titles = [title.value for title in at.title]
    assert titles, f"{entry.id} has no title"
    if lang == "en":
        assert not CJK.search(titles[0]), titles[0]
    else:
        assert CJK.search(titles[0]), titles[0]


def test_english_from_url_and_switch_back() -> None:
    at = open_app("en")
    assert at.session_state["lang"] == "en"
    at.sidebar.radio[0].set_value("zh").run()
    assert at.session_state["lang"] == "zh"
    assert at.query_params["lang"] == ["zh"] or at.query_params["lang"] == "zh"
