"""Readable where the class looks: every page, in Chinese and in English, on a 1024×768 projector with the sidebar
open. No metric, label, tab or button cut to "…"; every chart keeps a readable drawing area, its titles, legend
and labels whole and apart; the first control a trainee can use sits on the first screen once the lecture is
folded (as it is from the second visit on).

One server, one browser, one pass per language: each page is opened once, measured as it first shows, with its
lecture folded, and then with every expander open and every tab selected (scripts/layout_probe.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page

from scripts.layout_probe import PageLayout, open_expanders, probe, probe_every_tab, settle
from workbook import course

pytestmark = pytest.mark.e2e

PROJECTOR = (1024, 768)
LANGS = ("zh", "en")


@dataclass
class Measured:
    folded: PageLayout  # the page as a returning trainee sees it: lecture folded
    everything: list[PageLayout] = field(default_factory=list)  # every expander open, each tab in turn
    menu_links: int = 0  # page links in the sidebar menu


def _fold_lecture(page: Page) -> None:
    """Fold the lecture (the page's first expander) the way a second visit shows it: a click, no rerun."""
    lecture = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details').first
    if lecture.count() and lecture.get_attribute("open") is not None:
        lecture.locator("summary").click()
        page.wait_for_timeout(300)


@pytest.fixture(scope="module")
def measured(browser: Browser, app_url: str) -> Iterator[dict[tuple[str, str], Measured]]:
    found: dict[tuple[str, str], Measured] = {}
    width, height = PROJECTOR
    for lang in LANGS:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(60_000)
        for entry in course.PAGES:
            page.goto(f"{app_url}/{'' if entry.default else entry.id}?lang={lang}")
            settle(page)
            _fold_lecture(page)
            folded = probe(page)
            menu_links = page.get_by_test_id("stSidebarNavLink").count()
            open_expanders(page)
            found[(entry.id, lang)] = Measured(folded=folded, everything=probe_every_tab(page),
                                               menu_links=menu_links)
        context.close()
    yield found


CASES = [pytest.param(entry.id, lang, id=f"{entry.id}-{lang}") for entry in course.PAGES for lang in LANGS]


@pytest.mark.parametrize(("page_id", "lang"), CASES)
def test_no_text_is_cut_and_no_chart_is_cramped(measured: dict[tuple[str, str], Measured], page_id: str,
                                                lang: str) -> None:
    layouts = measured[(page_id, lang)].everything
    findings = sorted({finding for layout in layouts for finding in layout.findings()})
    assert not findings, f"{page_id} ({lang}) at {PROJECTOR[0]}×{PROJECTOR[1]}:\n" + "\n".join(findings)


@pytest.mark.parametrize(("page_id", "lang"), CASES)
def test_the_first_control_is_on_the_first_screen(measured: dict[tuple[str, str], Measured], page_id: str,
                                                  lang: str) -> None:
    folded = measured[(page_id, lang)].folded
    assert folded.first_control is not None, f"{page_id} ({lang}) has no control"
    assert folded.control_on_first_screen, (
        f"{page_id} ({lang}): the first control ({folded.first_control['kind']} "
        f"{folded.first_control['text']!r}) ends at {folded.first_control['bottom']} px, "
        f"below the {folded.viewport_height} px screen"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_sidebar_menu_lists_every_page(measured: dict[tuple[str, str], Measured], lang: str) -> None:
    # A collapsed menu hides pages behind "View 8 more", in English whatever the language.
    assert measured[("home", lang)].menu_links == len(course.PAGES)


def test_the_probe_sees_a_cut_metric_and_a_cramped_chart(browser: Browser, app_url: str) -> None:
    """The measurement itself: a metric squeezed into a narrow box is reported as cut, and a chart below the
    minimum as cramped (here the minimum is raised above the chart's real size)."""
    context = browser.new_context(viewport={"width": PROJECTOR[0], "height": PROJECTOR[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/s1_2?lang=en")
    settle(page)
    page.evaluate(
        """() => {
            const metric = document.querySelector('[data-testid="stMetricValue"] .stMarkdownEllipsis');
            metric.style.width = '30px';
        }"""
    )
    layout = probe(page, min_plot_width=5000)
    context.close()
    assert any(item["where"] == "stMetricValue" for item in layout.cut), layout.cut
    assert any("drawing area" in problem for problem in layout.plot_problems), layout.plots
