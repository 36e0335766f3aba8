"""Entry point: page config, saved work, the sidebar and the navigation. Routing only; pages do the work."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import layout, saving, sidebar
from ui.state import lang, t, watch_session_end
from workbook import course

# The tab's icon is a file of the app's own, served by this server: a Material icon as page_icon makes the browser
# fetch it from fonts.gstatic.com, which a classroom LAN may not reach.
FAVICON = Path(__file__).resolve().parent / "ui" / "assets" / "favicon.png"
st.set_page_config(page_title="客户分层经营训练手册", page_icon=str(FAVICON), layout="wide")
watch_session_end()  # memory given back when this tab closes (ui/memory.py)
layout.apply_stylesheet()  # page padding and metric labels for a 1024×768 projector
saving.resume()  # the resume token in the URL; the saved workspace is read on a session's first run only

current_language = lang()
navigation: dict[str, list[st.Page]] = {}
for section in course.SECTIONS:
    pages = [
        st.Page(entry.file, title=t(entry.title_key), icon=entry.icon, url_path=entry.id, default=entry.default)
        for entry in course.pages_in(section.id)
    ]
    if pages:
        navigation[t(f"section.{section.id}")] = pages

# Every page listed: a collapsed menu says "View 8 more" in English whatever the language.
page = st.navigation(navigation, expanded=True)
progress_slot = sidebar.render()
saving_notice = st.empty()  # the one line shown above the page while saving is paused
try:
    page.run()
finally:
    saving.autosave()  # also when the page called st.stop() or st.rerun(): what changed is saved
    # Drawn after the page, so a page marked done (or an exercise submitted) on this click counts already.
    sidebar.show_progress(progress_slot)
saving.show_status(saving_notice)
