"""The frame every course page shares: title, 讲义 (lecture), then the worksheet, then 小结 / 下一步."""

from __future__ import annotations

import streamlit as st

from ui import instructor
from ui.state import t, workspace
from workbook import course
from workbook import workspace as ws

_OPEN_LECTURE = "_frame_open_lecture"  # the page whose lecture is shown open during this visit


def header(page_id: str) -> None:
    """Page title and the lecture text (the outline's point in a few sentences): open on the first visit, folded
    on later ones, so the worksheet starts on the first screen of a projector (one click opens it again); the 讲师提示
    below it for the instructor only."""
    st.title(t(f"nav.{page_id}"))
    with st.expander(t("frame.lecture"), expanded=_lecture_open(page_id), icon=":material/school:"):
        st.markdown(t(f"lecture.{page_id}"))
    instructor.notes(page_id)


def _lecture_open(page_id: str) -> bool:
    """Open on the page's first visit and for every rerun of that visit (a click on the worksheet must not fold
    the text being read); folded once the trainee comes back. "Seen" is kept in the workspace, so it is saved."""
    work = workspace()
    if st.session_state.get(_OPEN_LECTURE) == page_id:
        return True
    if ws.is_seen(work, page_id):
        st.session_state[_OPEN_LECTURE] = None
        return False
    ws.mark_seen(work, page_id)
    st.session_state[_OPEN_LECTURE] = page_id
    return True


def footer(page_id: str) -> None:
    """Summary, the trainee's 'done' mark (kept in the workspace) and a link to the next page."""
    st.divider()
    st.subheader(t("frame.summary"))
    st.markdown(t(f"summary.{page_id}"))
    entry = course.page_by_id(page_id)
    if entry.worksheet:
        key = f"done_{page_id}"
        st.session_state[key] = ws.is_done(workspace(), page_id)
        st.checkbox(t("frame.mark_done"), key=key, on_change=_toggle_done, args=(page_id, key))
    following = _next_page(page_id)
    if following is not None:
        label = t("frame.next", title=t(following.title_key))
        st.page_link(following.file, label=label, icon=":material/arrow_forward:")


def _toggle_done(page_id: str, key: str) -> None:
    ws.mark_done(workspace(), page_id, bool(st.session_state[key]))


def _next_page(page_id: str) -> course.PageEntry | None:
    ids = [p.id for p in course.PAGES]
    index = ids.index(page_id)
    return course.PAGES[index + 1] if index + 1 < len(ids) else None
