"""AppTest helpers shared by the page tests: open the app in a language, go to a page, read its text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from workbook.i18n import MISSING_MARK

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
MISSING_PREFIX = MISSING_MARK.split("{")[0]


def open_app(lang: str = "zh", page: str | None = None, book: Any = None, **state: Any) -> AppTest:
    """Run the app in ``lang``, optionally with an ActiveBook and other session state seeded, then go to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if book is not None:
        at.session_state["active_book"] = book
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def all_text(at: AppTest) -> str:
    """Every string the page rendered (markdown, labels, captions, metrics, options …) as one text."""
    parts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in _nodes(root):
            proto = getattr(node, "proto", None)
            if proto is not None and hasattr(proto, "ListFields"):
                parts.append(text_format.MessageToString(proto, as_utf8=True))
    return "\n".join(parts)


def dataframes(at: AppTest) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe]


def metric_values(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}
