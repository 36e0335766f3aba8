"""Streamlit widgets with the chrome Streamlit writes in English made to speak the page's language.

``st.multiselect`` puts a "Select all" option first in its list (highlighted, so one Enter picks every option: on
3.5 that selects all seven schemes at once) and says "Choose options" when empty, in English whatever the page's
language, with no setting for the wording. :func:`multiselect` leaves the bulk option out (a trainee picks what
they mean, one by one) and gives the empty field the catalogue's placeholder. The file uploader's texts are
handled in ``ui/uploader.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from ui.state import t


def multiselect(label: str, options: Sequence[Any], **kwargs: Any) -> list[Any]:
    """``st.multiselect`` without Streamlit's English "Select all" and with a placeholder in the page's language;
    every other argument as for ``st.multiselect``."""
    kwargs.setdefault("placeholder", t("multiselect.placeholder"))
    return st.multiselect(label, options, select_all=False, **kwargs)
