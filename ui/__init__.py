"""Shared Streamlit pieces: session state, sidebar, page frame, charts, cards. Pages use these; workbook/ never does."""
