"""课程导览: why the course and what it gives (课程背景, 课程收益), the day in clock times with breaks and debriefs,
the worksheet pages by part with the trainee's progress, and where to start."""

import streamlit as st

from ui import instructor
from ui.state import t, workspace
from workbook import agenda, course
from workbook import workspace as ws

st.title(t("nav.home"))
st.markdown(t("home.subtitle"))
st.caption(t("home.audience"))
instructor.notes("home")

slots = agenda.agenda()
trainee_work = workspace()

day, guide = st.columns([3, 2], gap="large")
with guide:
    # The first thing to click sits on the first screen: where to start, then the progress.
    st.subheader(t("home.start_title"))
    st.markdown(t("home.start_text"))
    st.page_link(course.page_by_id("book").file, label=t("home.start_button"), icon=":material/group:")
    st.subheader(t("home.progress"))
    done, total = ws.progress(trainee_work, (p.id for p in course.worksheet_pages()))
    st.progress(done / total if total else 0.0, text=t("home.progress_detail", done=done, total=total))
    with st.container(border=True):
        st.subheader(t("home.background_title"))
        st.markdown(t("home.background"))
    with st.container(border=True):
        st.subheader(t("home.benefits_title"))
        st.markdown(t("home.benefits"))

with day:
    st.subheader(t("home.agenda"))
    st.caption(t("home.agenda_span", span=agenda.day_span(slots), hours=agenda.teaching_minutes(slots) / 60))
    rows = [f"| {t('home.agenda_col.time')} | {t('home.agenda_col.item')} |", "|:--|:--|"]
    for slot in slots:
        label = t(f"home.slot.{slot.id}")
        # Teaching in bold, breaks and lunch in plain text, so the day's rhythm reads at a glance.
        # word joiners keep "09:00–09:15" on one line in a narrow column
        time = slot.clock.replace("–", "\u2060–\u2060")
        rows.append(f"| {time} | {'**' + label + '**' if slot.kind == 'section' else label} |")
    st.markdown("\n".join(rows))

    st.subheader(t("home.pages_title"))
    for section in course.SECTIONS:
        if section.id == "instructor":
            continue  # the instructor's board runs beside the day; trainees have nothing to do there
        # the part's span, its exercise and debrief included
        times = agenda.day_span(tuple(s for s in slots if s.section == section.id))
        with st.container(border=True):
            # sections off the agenda (收尾, 讲师) have no clock time and no minutes
            when = f" · {times} · {t('home.minutes', minutes=section.minutes)}" if section.minutes else ""
            st.markdown(f"**{t(f'section.{section.id}')}**{when}")
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
