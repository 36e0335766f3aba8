"""Entry point: page config, the sidebar and the navigation. Routing only; pages do the work."""

from __future__ import annotations

import streamlit as st

from ui import sidebar
from ui.state import lang, t, watch_session_end
from workbook import course

st.set_page_config(page_title="客户分层经营训练手册", page_icon=":material/stacked_bar_chart:", layout="wide")
watch_session_end()  # memory given back when this tab closes (ui/memory.py)

current_language = lang()
navigation: dict[str, list[st.Page]] = {}
for section in course.SECTIONS:
    pages = [
        st.Page(entry.file, title=t(entry.title_key), icon=entry.icon, url_path=entry.id, default=entry.default)
        for entry in course.pages_in(section.id)
    ]
    if pages:
        navigation[t(f"section.{section.id}")] = pages

page = st.navigation(navigation)
sidebar.render()
page.run()
