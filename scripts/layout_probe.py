"""What a projector shows of a page, measured in a real browser: cut text, cramped charts, colliding chart
labels, and how far down the first control sits.

Used by the browser test (tests/e2e/test_layout.py) and by ``scripts/screenshots.py --check``. One function,
:func:`probe`, runs one script in the page and returns plain findings; the caller decides what fails.

Why these measurements:
- Streamlit cuts a metric's value and label, a select's value and a tab's name to "…" when the column is too
  narrow (``text-overflow: ellipsis``); a cut element is one whose content is wider than its box.
- Plotly keeps a figure's height and squeezes its drawing area when margins, a legend or long labels need
  room: ``_fullLayout._size`` is that area (for a radar, ``polar._subplot.radius``).
- Titles, axis titles, legends and annotations are SVG text: two of them overlap when their boxes intersect,
  a legend covers data when it sits inside the drawing area, a label is cut when it leaves the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page

# The smallest drawing area still readable from the back of a classroom on a 1024×768 projector.
MIN_PLOT_WIDTH = 260
MIN_PLOT_HEIGHT = 180
MIN_RADAR_RADIUS = 90
# Interactive elements by Streamlit test id (the first of them must show on the first screen).
CONTROL_TEST_IDS = (
    "stButton", "stDownloadButton", "stFormSubmitButton", "stTextInput", "stNumberInput", "stTextArea",
    "stSelectbox", "stMultiSelect", "stSlider", "stSelectSlider", "stRadio", "stCheckbox", "stDateInput",
    "stFileUploader", "stSegmentedControl", "stButtonGroup", "stPills", "stPopover", "stDataFrame",
    "stDataEditor", "stToggle", "stPageLink",
)

_PROBE_JS = r"""
([minW, minH, minR, controlIds]) => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const app = document.querySelector('[data-testid="stApp"]') || document.body;
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const textOf = (el) => (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80);
  // The widget or block a cut text belongs to (the markdown wrappers inside it say nothing).
  const where = (el) => {
    let block = el.closest('[data-testid]');
    while (block && /^stMarkdown/.test(block.getAttribute('data-testid')) && block.parentElement) {
      block = block.parentElement.closest('[data-testid]');
    }
    return block ? block.getAttribute('data-testid') : el.tagName;
  };
  const cut = [];
  const seen = new Set();
  for (const el of app.querySelectorAll('*')) {
    if (!shown(el) || el.closest('[data-testid="stSkipToContent"]')) continue;  // hidden until focused, by design
    const cs = getComputedStyle(el);
    const clipsX = cs.textOverflow === 'ellipsis' || (cs.overflowX === 'hidden' && cs.whiteSpace === 'nowrap');
    if (!clipsX) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const text = textOf(el);
      if (!text || seen.has(text)) continue;
      seen.add(text);
      cut.push({text, where: where(el), box: el.clientWidth, needs: el.scrollWidth});
    }
  }
  const boxOf = (el) => {
    const r = el.getBoundingClientRect();
    return {l: r.left, t: r.top, r: r.right, b: r.bottom};
  };
  const meets = (a, b) => a.l < b.r - 1 && b.l < a.r - 1 && a.t < b.b - 1 && b.t < a.b - 1;
  const plots = [];
  for (const gd of main.querySelectorAll('.js-plotly-plot')) {
    if (!shown(gd) || !gd._fullLayout) continue;
    const layout = gd._fullLayout;
    const size = layout._size || {};
    const title = ((layout.title && layout.title.text) || '').replace(/<[^>]+>/g, '').slice(0, 60);
    const svg = gd.querySelector('.main-svg');
    const frame = boxOf(svg);
    const area = {l: frame.l + size.l, t: frame.t + size.t, r: frame.l + size.l + size.w, b: frame.t + size.t + size.h};
    const problems = [];
    const polar = Object.keys(layout).filter((k) => /^polar\d*$/.test(k)).map((k) => layout[k]);
    if (polar.length) {
      for (const p of polar) {
        const radius = p._subplot ? p._subplot.radius : 0;
        if (radius < minR) problems.push(`radar radius ${Math.round(radius)} px < ${minR}`);
      }
    } else if (layout.xaxis || layout.yaxis) {
      if (size.w < minW) problems.push(`drawing area ${Math.round(size.w)} px wide < ${minW}`);
      if (size.h < minH) problems.push(`drawing area ${Math.round(size.h)} px high < ${minH}`);
    }
    // Labels that must stay whole and apart: title, axis titles, legend, annotations.
    const labels = [];
    const add = (sel, kind) => gd.querySelectorAll(sel).forEach((el) => {
      if (!shown(el)) return;
      labels.push({kind, text: textOf(el) || kind, box: boxOf(el)});
    });
    add('.gtitle', 'title');
    add('.g-xtitle text, .g-x2title text', 'x-axis title');
    add('.g-ytitle text, .g-y2title text', 'y-axis title');
    add('.legend .bg', 'legend');
    add('.annotation-text-g', 'annotation');
    for (let i = 0; i < labels.length; i++) {
      const a = labels[i];
      if (a.box.l < frame.l - 2 || a.box.r > frame.r + 2 || a.box.t < frame.t - 2 || a.box.b > frame.b + 2) {
        problems.push(`${a.kind} "${a.text}" leaves the figure`);
      }
      if (a.kind === 'legend' && !polar.length && meets(a.box, area)) problems.push('legend covers the drawing area');
      for (let j = i + 1; j < labels.length; j++) {
        const b = labels[j];
        if (meets(a.box, b.box)) problems.push(`${a.kind} "${a.text}" overlaps ${b.kind} "${b.text}"`);
      }
    }
    // Tick and category labels (radar spokes included) must stay inside the figure.
    gd.querySelectorAll('.xtick text, .ytick text, .angularaxistick text').forEach((el) => {
      if (!shown(el)) return;
      const box = boxOf(el);
      if (box.l < frame.l - 2 || box.r > frame.r + 2) problems.push(`tick label "${textOf(el)}" leaves the figure`);
    });
    plots.push({title, width: Math.round(size.w || 0), height: Math.round(size.h || 0), problems});
  }
  // The first control a trainee can use, measured from the top of the page (the page scrolls in stMain).
  const mainTop = main.getBoundingClientRect().top - main.scrollTop;
  let firstControl = null;
  const selector = controlIds.map((id) => `[data-testid="${id}"]`).join(',');
  for (const el of main.querySelectorAll(selector)) {
    if (!shown(el)) continue;
    // Within reach when its first 80 px show: an input whole, a table's header and first rows.
    const box = el.getBoundingClientRect();
    const bottom = Math.min(box.bottom, box.top + 80) - mainTop;
    if (firstControl === null || bottom < firstControl.bottom) {
      firstControl = {kind: el.getAttribute('data-testid'), text: textOf(el).slice(0, 40), bottom: Math.round(bottom)};
    }
  }
  const horizontalScroll = main.scrollWidth > main.clientWidth + 1;
  // Tables whose columns run past their box (the grid scrolls sideways; the columns on the right are hidden).
  const wideTables = [];
  for (const grid of main.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')) {
    if (!shown(grid)) continue;
    if (grid.scrollWidth > grid.clientWidth + 2) {
      const headers = [...grid.closest('[data-testid="stDataFrame"]').querySelectorAll('[role="columnheader"]')]
        .map((h) => textOf(h)).filter(Boolean).slice(0, 12);
      wideTables.push({shown: grid.clientWidth, needs: grid.scrollWidth, headers});
    }
  }
  return {cut, plots, firstControl, horizontalScroll, wideTables, viewportHeight: window.innerHeight};
}
"""


@dataclass(frozen=True)
class PageLayout:
    """What one page shows at one viewport, as plain findings."""

    cut: list[dict[str, Any]] = field(default_factory=list)  # text cut to "…": text, where, box, needs
    plots: list[dict[str, Any]] = field(default_factory=list)  # title, width, height, problems
    first_control: dict[str, Any] | None = None  # kind, text, bottom: where its first 80 px end (from the top)
    horizontal_scroll: bool = False
    wide_tables: list[dict[str, Any]] = field(default_factory=list)  # shown, needs (px), headers
    viewport_height: int = 0

    @property
    def plot_problems(self) -> list[str]:
        return [f"{plot['title'] or 'chart'}: {problem}" for plot in self.plots for problem in plot["problems"]]

    @property
    def control_on_first_screen(self) -> bool:
        return self.first_control is not None and self.first_control["bottom"] <= self.viewport_height

    def findings(self) -> list[str]:
        """Every problem in words (empty when the page reads well)."""
        found = [f"cut: {item['text']!r} in {item['where']} ({item['box']} of {item['needs']} px)"
                 for item in self.cut]
        found += [f"chart {problem}" for problem in self.plot_problems]
        if self.horizontal_scroll:
            found.append("the page scrolls sideways")
        return found

    def table_notes(self) -> list[str]:
        """Tables that hide columns behind a sideways scroll (a note: some wide tables are fine when the columns a
        trainee reads first are on the left)."""
        return [f"table shows {table['shown']} of {table['needs']} px: {', '.join(table['headers'])}"
                for table in self.wide_tables]


def settle(page: Page, quiet_ms: int = 700, timeout_ms: int = 60_000) -> None:
    """Wait until the page has finished drawing: no fixed sleep, the page tells us.

    Streamlit marks its app root with ``data-test-script-state`` (``running`` while a script runs); elements
    left from the previous run carry ``data-stale``; a Plotly figure has ``_fullLayout`` once drawn. A page may
    run twice on its first load (the resume token enters the address), with a gap where nothing runs, so the
    page must also have stopped changing (no element added or removed) for ``quiet_ms``."""
    page.wait_for_selector("h1", timeout=timeout_ms)
    page.evaluate(
        """() => {
            window.__layoutLastChange = performance.now();
            if (window.__layoutObserver) return;
            window.__layoutObserver = new MutationObserver(() => { window.__layoutLastChange = performance.now(); });
            window.__layoutObserver.observe(document.body, {childList: true, subtree: true, characterData: true});
        }"""
    )
    page.wait_for_function(
        """(quiet) => {
            const app = document.querySelector('[data-testid="stApp"]');
            const state = app ? app.getAttribute('data-test-script-state') : 'initial';
            const busy = state !== 'notRunning'
                || document.querySelector('[data-stale="true"]') !== null
                || [...document.querySelectorAll('.js-plotly-plot')].some((gd) => !gd._fullLayout);
            return !busy && performance.now() - window.__layoutLastChange >= quiet;
        }""",
        arg=quiet_ms,
        polling=100,
        timeout=timeout_ms,
    )


def open_expanders(page: Page) -> None:
    """Open every closed expander in the page body (client-side only: no rerun), so its content is measured."""
    page.evaluate(
        """() => document.querySelectorAll('[data-testid="stMain"] details:not([open]) > summary')
                .forEach((summary) => summary.click())"""
    )
    page.wait_for_timeout(300)


def probe(page: Page, *, min_plot_width: int = MIN_PLOT_WIDTH, min_plot_height: int = MIN_PLOT_HEIGHT,
          min_radar_radius: int = MIN_RADAR_RADIUS) -> PageLayout:
    """Measure the page as it is shown now (closed expanders and other tabs are not measured)."""
    raw = page.evaluate(_PROBE_JS, [min_plot_width, min_plot_height, min_radar_radius, list(CONTROL_TEST_IDS)])
    return PageLayout(cut=raw["cut"], plots=raw["plots"], first_control=raw["firstControl"],
                      horizontal_scroll=raw["horizontalScroll"], wide_tables=raw["wideTables"],
                      viewport_height=raw["viewportHeight"])


def probe_every_tab(page: Page) -> list[PageLayout]:
    """The page as shown, then with each further tab selected (tabs switch in the browser, without a rerun)."""
    layouts = [probe(page)]
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        if tab.get_attribute("aria-selected") == "true" or not tab.is_visible():
            continue
        tab.click()
        page.wait_for_timeout(400)
        layouts.append(probe(page))
    return layouts
