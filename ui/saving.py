"""Saved work for every session: the resume token in the URL, loading once, and autosave after each run.

From the first visit a session has an unguessable token (``secrets.token_urlsafe``, never the trainee's name)
that rides in the URL as ``?t=``; a refresh, a new tab with the same address or a restarted server reads the
workspace back from the classroom database with it. Per click the cost stays small: the database is read once
per session (its first run) and written only when the workspace's JSON differs from what was last saved.

When the database cannot be reached the pages keep working on the session's copy, one line says saving is
paused, a quiet timer in the sidebar retries, and nothing typed is dropped: it is saved when the database is
back. The store object (a connection factory, no user data) is shared by the process; after a failure no session
tries again for ``RETRY_SECONDS``, so a dead database does not cost every trainee's click a connect timeout.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui import state
from workbook import clock
from workbook import workspace as ws
from workbook.store import Store, StoreError, StoreUnavailable, database_url, is_token, open_store

T = TypeVar("T")
LOG = logging.getLogger(__name__)

TOKEN_PARAM = "t"
TOKEN_KEY = "resume_token"
SNAPSHOT_KEY = "_saved_workspace_json"  # the workspace as the database has it (last load or save)
STATUS_KEY = "_saving_status"
REFRESH_KEY = "_saving_refresh"  # a late load replaced the workspace: widgets re-read it on the next run
RETRY_SECONDS = 10.0
TOKEN_BYTES = 16  # 128 bits: 22 URL-safe characters

OK = "ok"
PAUSED = "paused"  # the last save failed; the session's copy is ahead of the database
LOAD_PENDING = "load_pending"  # the saved workspace could not be read yet; nothing is saved over it meanwhile

# Session keys that survive a reset of the pages' widget state (everything else is a widget or page scratch).
_KEPT_KEYS = {state.LANG_KEY, state.WORKSPACE_KEY, state.BOOK_KEY, state.MEMO_KEY, TOKEN_KEY, SNAPSHOT_KEY,
              STATUS_KEY, REFRESH_KEY}

_lock = threading.Lock()
_store: Store | None = None
_store_url: str | None = None
_unavailable_until = 0.0


# ---- the process's store ----------------------------------------------------------------------------------------


def _open() -> Store:
    global _store, _store_url
    url = database_url()
    with _lock:
        if _store is not None and _store_url == url:
            return _store
        try:
            opened = open_store(url)
        except StoreUnavailable:
            raise
        except StoreError as err:  # e.g. a database from a newer release: the operator must act; log it loudly
            LOG.error("the classroom database cannot be used: %s", err)
            raise StoreUnavailable(str(err)) from err
        if _store is not None:
            _store.close()
        _store, _store_url = opened, url
        return opened


def with_store(work: Callable[[Store], T]) -> T:
    """``work(store)``; raises StoreUnavailable at once while a recent failure's pause lasts."""
    global _unavailable_until
    if time.monotonic() < _unavailable_until:
        raise StoreUnavailable("saving paused after a recent failure")
    try:
        return work(_open())
    except StoreUnavailable:
        _unavailable_until = time.monotonic() + RETRY_SECONDS
        raise


# ---- resume -----------------------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token() -> str:
    return str(st.session_state[TOKEN_KEY])


def resume() -> None:
    """Call first on every run: the session's token (from the URL on the first run, else a new one), the saved
    workspace loaded once, and the token put back in the URL (sidebar navigation drops query parameters)."""
    session = st.session_state
    if TOKEN_KEY not in session:
        given = st.query_params.get(TOKEN_PARAM)
        if is_token(given):
            session[TOKEN_KEY] = given
            _load()
        else:
            session[TOKEN_KEY] = new_token()
            session.setdefault(state.WORKSPACE_KEY, ws.new_workspace())
            session[SNAPSHOT_KEY] = ws.to_json(ws.new_workspace())  # nothing to save until something changes
            session[STATUS_KEY] = OK
    if st.query_params.get(TOKEN_PARAM) != session[TOKEN_KEY]:
        st.query_params[TOKEN_PARAM] = session[TOKEN_KEY]


def _load() -> None:
    """Read the saved workspace; what this session already holds (typed while the database was away, or seeded)
    is laid over it, value by value."""
    session = st.session_state
    try:
        saved = with_store(lambda store: store.load_workspace(token()))
    except StoreUnavailable:
        session.setdefault(state.WORKSPACE_KEY, ws.new_workspace())
        session[STATUS_KEY] = LOAD_PENDING
        return
    except ws.WorkspaceError as err:
        # Unreadable saved work is never overwritten: this session continues under a new token.
        LOG.error("saved workspace unreadable (%s); starting a new one", err.code)
        session[TOKEN_KEY] = new_token()
        saved = None
    base = saved if saved is not None else ws.new_workspace()
    local = session.get(state.WORKSPACE_KEY)
    late = session.get(STATUS_KEY) == LOAD_PENDING
    session[state.WORKSPACE_KEY] = ws.apply_changes(base, ws.changes(ws.new_workspace(), local)) if local else base
    session[SNAPSHOT_KEY] = ws.to_json(base)
    session[STATUS_KEY] = OK
    if late:
        # The pages drew widgets from the empty workspace: drop them so they are drawn again from the loaded one,
        # and let the book follow the saved choice (the sample it fell back to was only a stand-in).
        _reset_page_state(keep_book=not getattr(session.get(state.BOOK_KEY), "is_sample", True))
        session[REFRESH_KEY] = True


def _reset_page_state(keep_book: bool) -> None:
    session = st.session_state
    for key in [k for k in session if k not in _KEPT_KEYS]:
        del session[key]
    if not keep_book:
        session.pop(state.BOOK_KEY, None)
        session.pop(state.MEMO_KEY, None)


def replace_workspace(work: ws.Workspace) -> None:
    """Put ``work`` (e.g. resumed from an exported workbook) in place of the session's workspace, under the same
    token: widgets drawn from the old one are dropped so every page draws again from ``work``, and autosave stores
    it after this run. A book the trainee uploaded in this session stays (their data, never stored) and becomes the
    saved choice; otherwise the book follows the choice saved in ``work`` (a sample size, or the upload to bring
    back)."""
    session = st.session_state
    book = session.get(state.BOOK_KEY)
    keep_upload = book is not None and not getattr(book, "is_sample", True)
    _reset_page_state(keep_book=keep_upload)
    session[state.WORKSPACE_KEY] = work
    if book is not None and keep_upload:
        state.set_active_book(book)


# ---- autosave ---------------------------------------------------------------------------------------------------


def autosave() -> None:
    """Save the workspace if it changed since the last save (call after the page ran, also when it stopped early).

    Draws nothing: it may run while Streamlit unwinds a stopped or rerun script."""
    session = st.session_state
    work = session.get(state.WORKSPACE_KEY)
    if work is None or TOKEN_KEY not in session:
        return
    if session.get(STATUS_KEY) == LOAD_PENDING:
        _load()
        if session.get(STATUS_KEY) == LOAD_PENDING:
            return
        work = session[state.WORKSPACE_KEY]
    try:
        text = ws.to_json(work)
    except (TypeError, ValueError):  # a page put something that is not JSON in the workspace: a bug, logged
        LOG.exception("workspace is not JSON; not saved")
        return
    snapshot = session.get(SNAPSHOT_KEY)
    if text == snapshot:
        session[STATUS_KEY] = OK
        return
    before = ws.from_json(snapshot) if snapshot else ws.new_workspace()
    try:
        merged = with_store(lambda store: store.update_workspace(token(), before, work))
    except StoreUnavailable:
        session[STATUS_KEY] = PAUSED
        return
    merged_text = ws.to_json(merged)
    if merged_text != text:
        session[state.WORKSPACE_KEY] = merged  # another tab on the same link saved answers of its own meanwhile
    session[SNAPSHOT_KEY] = merged_text
    session[STATUS_KEY] = OK


def status() -> str:
    return str(st.session_state.get(STATUS_KEY, OK))


def show_status(slot: Any) -> None:
    """After the page: the one line while saving is paused, and a quiet retry in the sidebar until it works."""
    if st.session_state.pop(REFRESH_KEY, False):
        st.rerun()  # the saved work arrived late: draw the page again from it
    current = status()
    if current == OK:
        return
    slot.warning(state.t(f"saving.{current}"), icon=":material/cloud_off:")
    with st.sidebar:
        st.fragment(_retry, run_every=RETRY_SECONDS)()


def _retry() -> None:
    autosave()
    if status() == OK:
        st.rerun(scope="app")


def receipt_time(stored: Any, lang: str) -> str:
    """A receipt's stored UTC time in the classroom's time, kept on one line (a hyphen of the date is where a
    browser would otherwise break "2026-12-06 00:24" in a narrow box)."""
    text = clock.local_time_text(str(stored or ""), lang)
    return text.replace("-", "\u2011").replace(" ", "\u00a0", 1)


# ---- start fresh ------------------------------------------------------------------------------------------------


def start_fresh() -> None:
    """A new, empty workbook under a new token (the old one stays saved under the old address)."""
    language = state.lang()
    st.session_state.clear()
    st.session_state[state.LANG_KEY] = language
    st.session_state[TOKEN_KEY] = new_token()
    st.session_state[state.WORKSPACE_KEY] = ws.new_workspace()
    st.session_state[SNAPSHOT_KEY] = ws.to_json(ws.new_workspace())
    st.session_state[STATUS_KEY] = OK
    st.query_params[TOKEN_PARAM] = st.session_state[TOKEN_KEY]
