"""The sidebar below the navigation: language, the active book badge, the trainee's progress, then the instructor's
switches (with the role) and the exercise countdown (when one runs)."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui import instructor
from ui.state import active_book, lang, missing_upload, set_lang, t, workspace
from ui.tier_views import plain_markdown
from workbook import course
from workbook import workspace as ws

_LANGUAGE_WIDGET = "sidebar_language"


def _on_language_change() -> None:
    set_lang(st.session_state[_LANGUAGE_WIDGET])


def render() -> DeltaGenerator:
    """The sidebar's language switch and book badge; returns the slot :func:`show_progress` fills after the page
    has run."""
    current = lang()
    # Keep the choice in the URL: sidebar navigation drops query params, so restore it on every run.
    if st.query_params.get("lang") != current:
        st.query_params["lang"] = current
    with st.sidebar:
        st.session_state[_LANGUAGE_WIDGET] = current
        st.radio(
            t("sidebar.language"),
            options=["zh", "en"],
            horizontal=True,
            format_func=lambda code: "中文" if code == "zh" else "English",
            key=_LANGUAGE_WIDGET,
            on_change=_on_language_change,
        )
        book = active_book()
        if book.is_sample:
            st.caption(t("sidebar.book_sample", n=f"{len(book.frame):,}"))
        else:
            st.caption(t("sidebar.book_upload", name=plain_markdown(book.label), n=f"{len(book.frame):,}"))
        upload = missing_upload()
        if upload is not None:
            # Uploads are never stored: after a refresh or a restart the trainee brings the file again.
            st.warning(t("saving.upload_again", name=plain_markdown(upload["name"]), n=f"{upload['customers']:,}"),
                       icon=":material/upload_file:")
            st.page_link(course.page_by_id("book").file, label=t("saving.upload_again_link"),
                         icon=":material/upload:")
        slot = st.empty()
    instructor.chrome()
    return slot


def show_progress(slot: DeltaGenerator) -> None:
    """The trainee's progress, in the slot :func:`render` kept: filled at the end of the run, after the page
    changed what is done."""
    done, total = ws.progress(workspace(), (p.id for p in course.worksheet_pages()))
    slot.progress(done / total if total else 0.0, text=t("sidebar.progress", done=done, total=total))
