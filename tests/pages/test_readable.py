"""Readable where the class looks, the parts a browser is not needed for: the lecture open on a page's first
visit and folded on later ones (so the worksheet starts on a projector's first screen), and the rules for numbers
in tables (a unit in every money header, counts as whole numbers). The browser measures the rest (tests/e2e/test_layout.py)."""

from __future__ import annotations

import pytest

from tests.pages.apptest import open_app
from workbook import workspace as ws

S1_3 = "views/s1_3_bottleneck.py"
S1_2 = "views/s1_2_performance_formula.py"


def _lecture_open(at) -> bool:
    return bool(at.main.expander[0].proto.expanded)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_lecture_is_open_on_the_first_visit_and_folded_on_the_next(lang: str) -> None:
    at = open_app(lang, S1_3)
    assert not at.exception
    assert _lecture_open(at)
    # A click on the worksheet during that visit must not fold the text being read.
    at.slider(key="s1_3_elevate_pct").set_value(20.0).run()
    assert _lecture_open(at)
    assert ws.is_seen(at.session_state["workspace"], "s1_3")
    at.switch_page(S1_2).run()
    assert _lecture_open(at)  # 1.2's first visit
    at.switch_page(S1_3).run()
    assert not _lecture_open(at)  # back on 1.3: folded, the table is on the first screen


def test_a_saved_workspace_folds_the_lecture_of_pages_already_read() -> None:
    work = ws.new_workspace()
    ws.mark_seen(work, "s1_3")
    at = open_app("zh", S1_3, workspace=work)
    assert not _lecture_open(at)
