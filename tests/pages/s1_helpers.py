"""Shared pieces of the section-一 page tests: tiny hand-made books and small readers of what a page shows."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui.state import ActiveBook


def book(frame: pd.DataFrame, token: str) -> ActiveBook:
    return ActiveBook(frame=frame, source="upload", label="t.xlsx", token=token)


def id_aum_book() -> ActiveBook:
    """The minimal book: only the two required columns."""
    return book(pd.DataFrame({"customer_id": ["A1", "A2"], "aum": [50_000.0, 2_000_000.0]}), "id-aum")


def markdown_text(at: AppTest) -> str:
    return "\n".join(str(element.value) for element in (*at.markdown, *at.caption, *at.info, *at.warning,
                                                        *at.success, *at.error))


def plotly_figures(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures on the page, as their JSON specs."""
    figures = []
    for element in at.get("plotly_chart"):
        figures.append(json.loads(element.proto.spec))
    return figures


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def go_away_and_back(at: AppTest, page: str, other: str = "views/home.py") -> AppTest:
    """Leave the page (its widgets are dropped) and come back: durable inputs must come from the workspace."""
    at.switch_page(other).run()
    at.switch_page(page).run()
    return at
