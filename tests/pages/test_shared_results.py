"""Two trainees' sessions on one server: what one page does to a result derived from the sample book never shows
in the other session, and an uploaded book's results are never shared at all."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from ui import state
from workbook import sample_book


def _careless_page() -> None:
    """A page that changes everything it is handed, then shows what it now holds."""
    import streamlit as st

    from ui.state import active_book, book_memo
    from workbook.segmentation import segment_detail, tier_summary

    def summary_of(frame, scheme_id):  # a page script: no annotations needed
        return tier_summary(frame, segment_detail(frame, scheme_id))

    summary = book_memo("probe.summary", summary_of, "aum")
    st.session_state["seen_customers"] = int(summary["customers"].sum())
    st.session_state["seen_columns"] = list(summary.columns)
    st.session_state["book_aum"] = float(active_book().frame["aum"].sum())
    if st.session_state.get("vandal"):
        summary["customers"] = 0
        summary["stolen"] = "x"
        try:
            summary["aum"].array[0] = -1.0  # the shared memory itself: read-only
        except ValueError:
            st.session_state["refused"] = True
        book = active_book()
        book.frame["aum"] = 0.0
        book.frame["extra"] = 1
    st.write(summary)


def _session(vandal: bool, book: state.ActiveBook | None = None) -> AppTest:
    at = AppTest.from_function(_careless_page, default_timeout=30)
    at.session_state["vandal"] = vandal
    if book is not None:
        at.session_state[state.BOOK_KEY] = book
    return at.run()


def test_one_session_changing_a_shared_result_does_not_change_it_for_another() -> None:
    expected = sample_book(300, seed=7)
    first = _session(vandal=True)
    assert not first.exception, [e.value for e in first.exception]
    assert first.session_state["refused"]
    second = _session(vandal=False)
    assert not second.exception, [e.value for e in second.exception]
    assert second.session_state["seen_customers"] == 300
    assert "stolen" not in second.session_state["seen_columns"]
    assert second.session_state["book_aum"] == float(expected["aum"].sum())
    # and the first session's own rerun starts again from the intact shared result and book
    first.session_state["vandal"] = False
    first.run()
    assert first.session_state["seen_customers"] == 300


def test_the_sample_result_is_computed_once_for_both_sessions() -> None:
    state.SAMPLE_RESULTS.clear()
    misses = state.SAMPLE_RESULTS.misses
    _session(vandal=False)
    _session(vandal=False)
    assert state.SAMPLE_RESULTS.misses == misses + 1
    assert any(key[0] == "probe.summary" for key in state.SAMPLE_RESULTS._entries)


def test_an_uploaded_book_stays_in_its_own_session() -> None:
    frame = sample_book(40, seed=3)
    upload = state.ActiveBook(frame=frame, source="upload", label="mine.xlsx", token="upload-mine")
    state.SAMPLE_RESULTS.clear()
    at = _session(vandal=False, book=upload)
    assert at.session_state["seen_customers"] == 40
    assert not any("upload-mine" in str(key) for key in state.SAMPLE_RESULTS._entries)
    memo = at.session_state[state.MEMO_KEY]
    assert any(name == "probe.summary" for name, _ in memo)
    assert isinstance(next(iter(memo.values())), pd.DataFrame)
