"""A data editor that keeps the rows it started from.

Streamlit keeps a data editor's edits relative to the data it was first given, so that data must stay the same
for as long as the editor lives, even when the trainee's saved rows (the workspace) change with every edit. The
starting rows are therefore kept in the session beside a version number that names the editor: they are taken
afresh from the workspace when the editor is new (the first visit, or back from another page, when Streamlit has
dropped its state) or the language changed (the labels differ, so a new editor under a new key), and
:func:`restart_editor` starts it again from the workspace (a reset button).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def _keys(name: str) -> tuple[str, str]:
    return f"{name}_version", f"{name}_base"


def editor_start(name: str, lang: str, rows: Callable[[], Any]) -> tuple[str, Any]:
    """The widget key of the editor ``name`` and the rows it starts from (``rows()`` when it starts afresh)."""
    version_key, base_key = _keys(name)
    version = st.session_state.get(version_key, 0)
    key = f"{name}_{version}"
    base = st.session_state.get(base_key)
    if base is None or base["lang"] != lang or key not in st.session_state:
        if base is not None and base["lang"] != lang:
            version += 1
            st.session_state[version_key] = version
            key = f"{name}_{version}"
        base = {"lang": lang, "rows": rows()}
        st.session_state[base_key] = base
    return key, base["rows"]


def restart_editor(name: str) -> None:
    """Start the editor ``name`` again from the workspace on the next run (a new key, so no edits carry over)."""
    version_key, base_key = _keys(name)
    st.session_state[version_key] = st.session_state.get(version_key, 0) + 1
    st.session_state.pop(base_key, None)
