"""Streamlit draws the file uploader's button ("Upload") and its limits line ("20MB per file • XLSX, …") in
English whatever the page's language, and has no setting for it. On a Chinese page this swaps the two texts
for the catalogue's, with a style rule on the uploader's own test ids (no effect on an English page)."""

from __future__ import annotations

import json

import streamlit as st

from ui.state import lang, t

_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMITS = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def localise_uploader(limits_key: str = "uploader.limits") -> None:
    """Call once on a page with a file uploader, before or after it. ``limits_key``: the catalogue's limits line
    for this page's uploader (the file types it takes)."""
    if lang() == "en":
        return
    button, limits = (json.dumps(t(key), ensure_ascii=False) for key in ("uploader.button", limits_key))
    # The original text shrinks to nothing and the translation takes its place; layout and clicks are unchanged.
    st.html(
        "<style>"
        f"{_BUTTON}, {_LIMITS} {{ font-size: 0; }}"
        f"{_BUTTON}::after {{ content: {button}; font-size: 0.875rem; }}"
        f"{_LIMITS}::after {{ content: {limits}; font-size: 0.875rem; }}"
        "</style>"
    )
