"""The finish flow both group exercises share (3.5 练习一, 4.4 练习二): the group's name and members, the completeness
box, the finish button that stays blocked with the list of what is missing, the "finished at … / changed since"
line, and the raw payload in an expander labelled technical. Presentation only: the check and the payload come
from ``workbook.exercises``.

Texts are catalogue keys under a page's prefix (``<texts>.check_title``, ``.incomplete``, ``.complete``,
``.finish``, ``.blocked``, ``.finished``, ``.changed_since``, ``.payload_raw_title``, ``.payload_raw_help``); the
group fields use ``s3_5.group_*`` / ``s3_5.members_*`` on both pages (they ask the same thing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from ui import charts
from ui.state import module_values, save_values, t, workspace
from ui.tier_views import plain_markdown
from workbook import exercises
from workbook import workspace as ws


def _keep(page: str, widget: str, field: str) -> None:
    save_values(page, **{field: st.session_state[widget]})


def _init(widget: str, value: object) -> None:
    # Widgets start from the workspace so entries survive leaving the page and coming back.
    if widget not in st.session_state:
        st.session_state[widget] = value


def group_fields(page: str, group: str, members: str) -> tuple[str, list[str]]:
    """The group name and members inputs (kept in the page's workspace module as ``group`` and ``members``),
    starting from ``group`` / ``members``. Returns the name and the member list as typed."""
    st.subheader(t("s3_5.group_title"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        key = f"{page}_group"
        _init(key, group)
        st.text_input(t("s3_5.group_label"), key=key, on_change=_keep, args=(page, key, "group"),
                      placeholder=t("s3_5.group_placeholder"))
    with right:
        key = f"{page}_members"
        _init(key, members)
        st.text_area(t("s3_5.members_label"), key=key, on_change=_keep, args=(page, key, "members"), height=100,
                     help=t("s3_5.members_help"))
    return str(st.session_state[f"{page}_group"]), exercises.split_members(str(st.session_state[f"{page}_members"]))


def summary_heading(shown: Any, language: str, *lines: str) -> None:
    """The top of "what is submitted": group, members and book of a payload summary (``exercises``' summaries
    share these fields), then any further ``lines`` of Markdown, one per line."""
    empty = t("s3_5.summary_empty")
    members = (t("s3_5.summary_members", count=len(shown.members),
                 members=t("s3_5.members_separator").join(plain_markdown(m) for m in shown.members))
               if shown.members else t("s3_5.summary_members_none", empty=empty))
    book = t("s3_5.summary_book", source=t(f"s3_5.book_source.{shown.book_source or 'upload'}"),
             customers=f"{shown.book_customers:,}", aum=charts.money(shown.book_aum, language))
    group = t("s3_5.summary_group", group=plain_markdown(shown.group) if shown.group else empty)
    st.markdown("  \n".join([group, members, book, *lines]))


def _problem_list(problems: Sequence[exercises.Problem], language: str) -> str:
    return "\n".join(f"- {p.text(language)}" for p in problems)


def completeness(problems: Sequence[exercises.Problem], language: str, texts: str) -> None:
    """The completeness box: what is still missing inside a warning, or that the exercise is complete."""
    st.subheader(t(f"{texts}.check_title"))
    if problems:
        st.warning(t(f"{texts}.incomplete", count=len(problems)) + "\n\n" + _problem_list(problems, language),
                   icon=":material/pending_actions:")
    else:
        st.success(t(f"{texts}.complete"), icon=":material/task_alt:")


def finish(page: str, payload: Mapping[str, Any], problems: Sequence[exercises.Problem], language: str,
           texts: str) -> None:
    """The finish button (blocked with the list of what is missing), then the finished / changed-since line and
    the raw payload. Finishing keeps the payload and its time in the page's workspace module and marks it done."""
    if st.button(t(f"{texts}.finish"), key=f"{page}_finish", type="primary", icon=":material/send:"):
        if problems:
            st.error(t(f"{texts}.blocked") + "\n\n" + _problem_list(problems, language), icon=":material/block:")
        else:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            save_values(page, submission=dict(payload), submitted_at=stamp)
            ws.mark_done(workspace(), page, True)
    saved = module_values(page, {"submission": None, "submitted_at": None})
    if saved.get("submission"):
        # the stored ISO stamp (2026-12-01T14:34:41+00:00) read as a date and a time (2026-12-01 14:34)
        try:
            finished_at = datetime.fromisoformat(str(saved["submitted_at"])).strftime("%Y-%m-%d %H:%M")
        except ValueError:  # a workspace saved by hand or by another tool: show what it says
            finished_at = str(saved["submitted_at"])
        if saved["submission"] == payload:
            st.success(t(f"{texts}.finished", time=finished_at), icon=":material/verified:")
        else:
            st.info(t(f"{texts}.changed_since", time=finished_at), icon=":material/edit_note:")
    # The payload itself, for whoever wires it to the instructor board: field names and codes are the system's.
    with st.expander(t(f"{texts}.payload_raw_title"), icon=":material/data_object:"):
        st.caption(t(f"{texts}.payload_raw_help"))
        st.json(dict(payload), expanded=False)
