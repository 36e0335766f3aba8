"""课程导览: the day's agenda by section, the trainee's progress and where to start."""

import streamlit as st

from ui.state import t, workspace
from workbook import course
from workbook import workspace as ws

st.title(t("nav.home"))
st.markdown(t("home.subtitle"))
st.caption(t("home.audience"))

agenda, guide = st.columns([3, 2], gap="large")
with agenda:
    st.subheader(t("home.agenda"))
    st.caption(t("home.total", hours=course.total_minutes() / 60))
    trainee_work = workspace()
    for section in course.SECTIONS:
        with st.container(border=True):
            minutes = f" · {t('home.minutes', minutes=section.minutes)}" if section.minutes else ""
            st.markdown(f"**{t(f'section.{section.id}')}**{minutes}")
            st.caption(t(f"home.section.{section.id}"))
            entries = course.pages_in(section.id)
            if not entries:
                st.caption(t("home.not_in_app"))
            for entry in entries:
                if entry.id == "home":
                    continue
                if ws.is_done(trainee_work, entry.id):
                    status = t("home.status_done")
                elif ws.is_started(trainee_work, entry.id):
                    status = t("home.status_started")
                else:
                    status = t("home.status_new")
                st.page_link(entry.file, label=f"{t(entry.title_key)} · {status}", icon=entry.icon)

with guide:
    st.subheader(t("home.progress"))
    done, total = ws.progress(workspace(), (p.id for p in course.worksheet_pages()))
    st.progress(done / total if total else 0.0, text=t("home.progress_detail", done=done, total=total))
    st.subheader(t("home.start_title"))
    st.markdown(t("home.start_text"))
    st.page_link(course.page_by_id("book").file, label=t("home.start_button"), icon=":material/group:")
