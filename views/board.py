"""讲师看板 — the instructor's board: PIN first; then the workshop to run, the exercise timer, the live class (who
handed in what, one submission in full, two groups side by side, the schemes chosen, the 1.1 poll) and the class
workbook. Without the instructor role this page shows the PIN box and nothing else: no workshop, group or answer
is read from the database for a session that has not given the PIN."""

import streamlit as st

from ui import board_views, instructor
from ui.state import t

st.title(t("nav.board"))
if not instructor.is_instructor():
    instructor.pin_form()
    st.stop()

st.caption(t("board.intro"))

workshop = board_views.workshop_bar()
if workshop is None:
    st.stop()
board_views.timer_bar(workshop)
st.fragment(board_views.live, run_every=board_views.LIVE_REFRESH_S)(workshop)
