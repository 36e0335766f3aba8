"""The submit flow both group exercises share (3.5 练习一, 4.4 练习二): the group's name and members, the completeness
box, the workshop code and the submitter's name, the submit button that stays blocked with the list of what is
missing, the submission to the classroom database through the store (idempotent: a double click or a repeated click
whose answer was lost changes nothing), the receipt in the classroom's time, and "changed since" with what was sent.
Presentation only: the check and the payload come from ``workbook.exercises``, the submission from
``workbook.store`` via ``ui.saving``.

What differs between the two pages is data: an :class:`Exercise` (page id, the store's exercise id, and the
catalogue prefix of the texts that name the exercise: ``<texts>.check_title``, ``.incomplete``, ``.complete``,
``.finish``, ``.blocked``, ``.submit_unavailable``, ``.changed_since``). The texts that say the same on both pages
are 3.5's: ``s3_5.group_*``, ``s3_5.members_*``, ``s3_5.submit_title``, ``s3_5.submit_help``, ``s3_5.workshop_*``,
``s3_5.name_*``, ``s3_5.receipt``, ``s3_5.sent_title``.

What the workspace keeps, in the page's module: ``submission`` (the payload as sent), ``submitted_at`` (the
database's time, ISO, UTC) and ``receipt`` (``store.receipt_record``: number, workshop, group, exercise, client key,
time, digest — the next submission's key is derived from it), and the module is marked done. The group's name is the
trainee's identity (one group for both exercises and for the instructor board), kept in the module too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui import saving
from ui.state import module_values, save_trainee, save_values, t, trainee, workspace
from ui.tier_views import plain_markdown
from workbook import exercises
from workbook import store as classroom
from workbook import workspace as ws
from workbook.money import money_text


@dataclass(frozen=True)
class Exercise:
    """One group exercise's page: ``page`` (widget keys and workspace module), ``exercise_id`` (what the classroom
    store files the submission under: ``exercises.EXERCISE_ID`` or ``exercises.EXERCISE2_ID``) and ``texts`` (the
    catalogue prefix of the texts that name the exercise)."""

    page: str
    exercise_id: str
    texts: str

    def key(self, name: str) -> str:
        return f"{self.page}_{name}"


def _init(widget: str, value: object) -> None:
    # Widgets start from the workspace so entries survive leaving the page and coming back.
    if widget not in st.session_state:
        st.session_state[widget] = value


def _keep(page: str, widget: str, field: str) -> None:
    save_values(page, **{field: st.session_state[widget]})


def _keep_group(page: str, widget: str) -> None:
    # The group is who submits: the trainee's identity (shared by both exercises and shown on 我的成果), and the
    # page's module keeps it with the rest of the worksheet (the Excel export reads it there).
    save_trainee(group=st.session_state[widget])
    save_values(page, group=st.session_state[widget])


def _keep_identity(widget: str, field: str) -> None:
    save_trainee(**{field: st.session_state[widget]})


def group_fields(exercise: Exercise, group: str, members: str) -> tuple[str, list[str]]:
    """The group name and members inputs. The name starts from the trainee's identity, else ``group``; the
    members (kept in the page's module as ``members``) from ``members``. Returns the name and the member list."""
    st.subheader(t("s3_5.group_title"))
    left, right = st.columns([1, 2], gap="large")
    with left:
        key = exercise.key("group")
        _init(key, trainee()["group"] or group)
        st.text_input(t("s3_5.group_label"), key=key, on_change=_keep_group, args=(exercise.page, key),
                      placeholder=t("s3_5.group_placeholder"))
    with right:
        key = exercise.key("members")
        _init(key, members)
        st.text_area(t("s3_5.members_label"), key=key, on_change=_keep, args=(exercise.page, key, "members"),
                     height=100, help=t("s3_5.members_help"))
    return (str(st.session_state[exercise.key("group")]),
            exercises.split_members(str(st.session_state[exercise.key("members")])))


def summary_heading(shown: Any, language: str, *lines: str) -> None:
    """The top of "what is submitted": group, members and book of a payload summary (``exercises``' summaries
    share these fields), then any further ``lines`` of Markdown, one per line."""
    empty = t("s3_5.summary_empty")
    members = (t("s3_5.summary_members", count=len(shown.members),
                 members=t("s3_5.members_separator").join(plain_markdown(m) for m in shown.members))
               if shown.members else t("s3_5.summary_members_none", empty=empty))
    book = t("s3_5.summary_book", source=t(f"s3_5.book_source.{shown.book_source or 'upload'}"),
             customers=f"{shown.book_customers:,}", aum=money_text(shown.book_aum, language))
    group = t("s3_5.summary_group", group=plain_markdown(shown.group) if shown.group else empty)
    st.markdown("  \n".join([group, members, book, *lines]))


def _problem_list(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def completeness(problems: Sequence[exercises.Problem], language: str, texts: str) -> None:
    """The completeness box: what is still missing inside a warning, or that the exercise is complete."""
    st.subheader(t(f"{texts}.check_title"))
    if problems:
        st.warning(t(f"{texts}.incomplete", count=len(problems)) + "\n\n"
                   + _problem_list([p.text(language) for p in problems]), icon=":material/pending_actions:")
    else:
        st.success(t(f"{texts}.complete"), icon=":material/task_alt:")


def _identity_fields(exercise: Exercise) -> None:
    """The workshop code and the submitter's name, asked here where they are needed, kept with the identity."""
    identity = trainee()
    workshop_column, name_column = st.columns(2)
    with workshop_column:
        key = exercise.key("workshop")
        _init(key, identity["workshop"])
        st.text_input(t("s3_5.workshop_label"), key=key, on_change=_keep_identity, args=(key, "workshop"),
                      placeholder=t("s3_5.workshop_placeholder"), help=t("s3_5.workshop_help"),
                      max_chars=classroom.MAX_NAME_LENGTH)
    with name_column:
        key = exercise.key("name")
        _init(key, identity["name"])
        st.text_input(t("s3_5.name_label"), key=key, on_change=_keep_identity, args=(key, "name"),
                      placeholder=t("s3_5.name_placeholder"), max_chars=classroom.MAX_NAME_LENGTH)


def _send(exercise: Exercise, group: str, payload: Mapping[str, Any], problems: Sequence[exercises.Problem],
          language: str, sent_values: Mapping[str, Any] | None) -> None:
    """Submit ``payload`` through the store, or say why not; on success keep the payload and its receipt."""
    workshop_code = classroom.workshop_code(st.session_state[exercise.key("workshop")])
    submitter = str(st.session_state[exercise.key("name")]).strip()
    missing = [p.text(language) for p in problems]
    if not workshop_code:
        missing.append(t("s3_5.workshop_missing"))
    if not submitter:
        missing.append(t("s3_5.name_missing"))
    if missing:
        st.error(t(f"{exercise.texts}.blocked") + "\n\n" + _problem_list(missing), icon=":material/block:")
        return
    last = module_values(exercise.page).get("receipt")
    key = classroom.submission_key(saving.token(), workshop_code, group, exercise.exercise_id, payload,
                                   last if isinstance(last, Mapping) else None)
    try:
        receipt = saving.with_store(
            lambda store: store.submit(workshop_code, group, exercise.exercise_id, payload, key,
                                       submitted_by=submitter)
        )
    except classroom.StoreUnavailable:
        st.error(t(f"{exercise.texts}.submit_unavailable"), icon=":material/cloud_off:")
        return
    except classroom.SubmissionError as err:
        st.error(err.text(language), icon=":material/block:")
        return
    save_values(exercise.page, submission=dict(payload), submitted_at=receipt.time.isoformat(timespec="seconds"),
                receipt=classroom.receipt_record(receipt, payload), **dict(sent_values or {}))
    save_trainee(group=group)  # the group that submitted is the trainee's (a name carried over was never typed)
    ws.mark_done(workspace(), exercise.page, True)


def submit(exercise: Exercise, group: str, payload: Mapping[str, Any], problems: Sequence[exercises.Problem],
           language: str, show_summary: Callable[[Any], None],
           sent_values: Mapping[str, Any] | None = None) -> None:
    """The submit section: identity fields, the submit button (blocked with the list of what is missing, the
    workshop code and the name included), then the receipt — or, when the worksheet changed after submitting, the
    time it was sent and, in an expander, what was sent (``show_summary`` draws a payload). ``sent_values``: more
    of the page's module to keep with a successful submission (3.5: the service lines as sent)."""
    st.subheader(t("s3_5.submit_title"))
    st.caption(t("s3_5.submit_help"))
    _identity_fields(exercise)
    if st.button(t(f"{exercise.texts}.finish"), key=exercise.key("submit"), type="primary", icon=":material/send:"):
        _send(exercise, group, payload, problems, language, sent_values)
    saved = module_values(exercise.page, {"submission": None, "receipt": None})
    record = saved.get("receipt")
    if not saved.get("submission") or not isinstance(record, Mapping):
        return
    when = saving.receipt_time(record.get("time"), language)
    if saved["submission"] == payload:
        st.success(
            t("s3_5.receipt", workshop=plain_markdown(str(record.get("workshop", ""))),
              group=plain_markdown(str(record.get("group", ""))), number=record.get("number", ""), time=when),
            icon=":material/verified:",
        )
    else:
        st.info(t(f"{exercise.texts}.changed_since", time=when), icon=":material/edit_note:")
        with st.expander(t("s3_5.sent_title", time=when), icon=":material/history:"):
            show_summary(saved["submission"])
