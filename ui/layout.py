"""Layout pieces for the sizes a class looks at (a 1024×768 projector with the sidebar open, a 720p screen, a
1366×768 laptop): the app's stylesheet and a row of headline metrics that wraps instead of cutting its numbers.

Presentation only. The browser test ``tests/e2e/test_layout.py`` measures every page at those sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

STYLESHEET = Path(__file__).with_name("projector.css")
# A metric needs about this much width for a six-character value at Streamlit's 2.25rem metric font (e.g.
# "1,234万元" or "CNY 1.5m") with its label on at most two lines.
METRIC_MIN_WIDTH = 170
GRID_GAP = 16  # px: Streamlit's "small" gap (1rem at the 16 px base font)


def apply_stylesheet() -> None:
    """The app's layout rules (narrower page padding below 1600 px, metric labels that wrap); once per run."""
    st.html(STYLESHEET)


def flow_columns(count: int, *, min_width: int, spans: Sequence[int] | None = None) -> list[DeltaGenerator]:
    """``count`` cells side by side where each column gets ``min_width`` px, on fewer columns (down to one) where
    not: Streamlit's responsive grid. ``st.columns`` keeps its count at every width and squeezes the content.

    ``spans`` lets a cell take several columns (a stage name beside three numbers); the grid then has
    ``sum(spans)`` columns, and a span shrinks when the grid wraps."""
    widths = list(spans) if spans is not None else [1] * count
    if len(widths) != count or min(widths) < 1:
        raise ValueError(f"spans {widths!r} do not fit {count} cells")
    grid = st.grid(sum(widths), min_column_width=min_width, gap="small")
    return [grid.cell(column_span=width) for width in widths]


def metric_row(count: int, *, min_width: int = METRIC_MIN_WIDTH, spans: Sequence[int] | None = None
               ) -> list[DeltaGenerator]:
    """Cells for ``count`` headline metrics: on a projector four metrics become two rows of two, never four cut
    numbers. Four equal metrics go in two pairs, so a row never holds three of them and leaves one alone."""
    if count == 4 and spans is None:
        pairs = flow_columns(2, min_width=2 * min_width + GRID_GAP)
        cells: list[DeltaGenerator] = []
        for pair in pairs:
            with pair:
                cells += flow_columns(2, min_width=min_width)
        return cells
    return flow_columns(count, min_width=min_width, spans=spans)
