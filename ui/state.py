"""Per-session state: language, the trainee's workspace, the active customer book and a session memo.

Everything here lives in ``st.session_state`` (one browser tab), never in a module global or
``st.cache_resource``: an uploaded book is one trainee's data. The one exception is what comes from the sample
books, which are the same for everyone and hold no personal data: their frames and the results derived from them
are shared by the whole server process (``ui.shared``), each session getting its own copy.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from ui import memory, shared
from workbook import i18n
from workbook import workspace as ws

T = TypeVar("T")

LANG_KEY = "lang"
WORKSPACE_KEY = "workspace"
BOOK_KEY = "active_book"
MEMO_KEY = "_session_memo"
MEMO_CAPACITY = 64

SAMPLE_SIZE = 300
SAMPLE_SEED = 7
BRANCH_DEMO_SIZE = 20_000
# The sample books a saved choice may bring back (a hand-edited workspace cannot ask for a million customers).
SAMPLE_SIZES: tuple[int, ...] = (SAMPLE_SIZE, BRANCH_DEMO_SIZE)
BOOK_MODULE = "book"  # the book page's module in the workspace keeps which book the trainee works on


@dataclass(frozen=True)
class ActiveBook:
    """The book every page works on. ``token`` identifies its content (for the session memo)."""

    frame: pd.DataFrame = field(repr=False)
    source: str  # "sample" or "upload"
    label: str  # file name, or "sample"
    token: str
    report: Any = None  # intake report of an upload, None for the sample

    @property
    def is_sample(self) -> bool:
        return self.source == "sample"


# ---- language -------------------------------------------------------------------------------------------

def lang() -> str:
    """The current UI language. First visit: from ``?lang=`` in the URL, else Chinese."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = i18n.normalise_language(st.query_params.get("lang"))
    return str(st.session_state[LANG_KEY])


def set_lang(value: str) -> None:
    st.session_state[LANG_KEY] = i18n.normalise_language(value)
    st.query_params["lang"] = st.session_state[LANG_KEY]


def t(key: str, /, **values: Any) -> str:
    return i18n.t(key, lang(), **values)


# ---- workspace ------------------------------------------------------------------------------------------

def workspace() -> ws.Workspace:
    if WORKSPACE_KEY not in st.session_state:
        st.session_state[WORKSPACE_KEY] = ws.new_workspace()
    return st.session_state[WORKSPACE_KEY]


def module_values(module_id: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    return ws.module_values(workspace(), module_id, defaults)


def save_values(module_id: str, **values: Any) -> None:
    ws.set_values(workspace(), module_id, **values)


def trainee() -> dict[str, str]:
    """Who the trainee is (name, group, workshop code): asked where it is needed, kept in the workspace."""
    return ws.trainee(workspace())


def save_trainee(**fields: str) -> None:
    ws.set_trainee(workspace(), **fields)


# ---- the customer book ----------------------------------------------------------------------------------

def _build_sample(n: int, seed: int) -> pd.DataFrame:
    from workbook.samples import sample_book

    return sample_book(n=n, seed=seed)


# The sample books are the same for everyone (no user data): one read-only frame per process, and results
# derived from them computed once per process (see ui/shared.py for why no session can change what another reads).
_SAMPLE_FRAMES = shared.SampleFrames(_build_sample)
SAMPLE_RESULTS = shared.SharedResults()


def sample_active_book(n: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> ActiveBook:
    frame, token = _SAMPLE_FRAMES.get(n, seed)
    return ActiveBook(frame=frame, source="sample", label="sample", token=token)


def active_book() -> ActiveBook:
    """The trainee's current book: the sample they chose (300 customers unless they chose the branch demo), or
    the book they uploaded in this session."""
    book = st.session_state.get(BOOK_KEY)
    # Duck-typed rather than isinstance: a code reload during development creates a new ActiveBook class, and
    # the trainee's uploaded book must not silently turn back into the sample.
    if book is None or not all(hasattr(book, name) for name in ("frame", "source", "label", "token")):
        book = sample_active_book(_chosen_sample_size())
        st.session_state[BOOK_KEY] = book
    return book


def set_active_book(book: ActiveBook) -> None:
    st.session_state[BOOK_KEY] = book
    st.session_state.pop(MEMO_KEY, None)
    # The choice is saved with the work; an upload by its name and size only (the book itself stays in memory).
    choice: dict[str, Any] = {"source": book.source, "customers": len(book.frame)}
    if not book.is_sample:
        choice["name"] = book.label
    save_values(BOOK_MODULE, choice=choice)


def _book_choice() -> dict[str, Any]:
    choice = ws.module_values(workspace(), BOOK_MODULE).get("choice")
    return choice if isinstance(choice, dict) else {}


def _chosen_sample_size() -> int:
    choice = _book_choice()
    size = choice.get("customers")
    if choice.get("source") == "sample" and isinstance(size, int) and size in SAMPLE_SIZES:
        return size
    return SAMPLE_SIZE


def missing_upload() -> dict[str, Any] | None:
    """The uploaded book the saved work was done on, when this session does not hold it (after a refresh or a
    restart: uploads are never stored). ``{"name", "customers"}``, or None."""
    choice = _book_choice()
    if choice.get("source") != "upload" or not active_book().is_sample:
        return None
    customers = choice.get("customers")
    return {"name": str(choice.get("name") or ""), "customers": customers if isinstance(customers, int) else 0}


# ---- session memo ---------------------------------------------------------------------------------------

class _SessionMemo(OrderedDict[tuple[str, Hashable], Any]):
    """The session memo. Emptied when the browser tab disconnects (``_SessionEnd``): its results can be computed
    again, while the rest of the session's state waits for a reconnect."""

    watched = False


class _SessionEnd:
    """A session-scoped resource: Streamlit releases it when the session's tab disconnects."""

    def __init__(self) -> None:
        self.memo: _SessionMemo | None = None

    def release(self) -> None:
        if self.memo is not None:
            self.memo.clear()
            self.memo.watched = False  # a reconnected session watches it again on its next memo()
            self.memo = None
        memory.session_ended()


def _release_session(end: _SessionEnd) -> None:
    end.release()


@st.cache_resource(scope="session", show_spinner=False, on_release=_release_session)
def _session_end() -> _SessionEnd:
    return _SessionEnd()


def watch_session_end() -> None:
    """Called on every run (app.py): when this tab disconnects, its memo is dropped and memory given back —
    also the memory of sessions that closed earlier and expired meanwhile (Streamlit drops those only when
    another session disconnects)."""
    _memo_store()


def _memo_store() -> _SessionMemo:
    store = st.session_state.get(MEMO_KEY)
    if not isinstance(store, _SessionMemo):
        store = _SessionMemo()
        st.session_state[MEMO_KEY] = store
    if not store.watched:
        _session_end().memo = store
        store.watched = True
    return store


def memo(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """Compute once per session for a given key; reruns with an unchanged key reuse the value.

    ``key`` must capture every input (the book token and the parameters). Entries are per session, so one
    trainee's derived data is never served to another; they are dropped when the tab disconnects.
    """
    store = _memo_store()
    full_key = (name, key)
    if full_key in store:
        store.move_to_end(full_key)
        return store[full_key]
    value = compute()
    store[full_key] = value
    while len(store) > MEMO_CAPACITY:
        store.popitem(last=False)
    return value


def book_memo(name: str, compute: Callable[..., T], *args: Hashable) -> T:
    """``compute(book_frame, *args)`` for the active book, keyed by the book's content token, ``name`` and
    ``args``: for a sample book computed once per server process and shared (each caller gets its own copy), for
    an uploaded book memoised in this session only.

    ``args`` must capture every input ``compute`` reads besides the frame (parameters, language). A result that
    depends on the trainee's own text (names, notes) belongs in ``memo``: it is nobody else's to share.
    """
    book = active_book()
    if book.is_sample:
        return SAMPLE_RESULTS.get((name, book.token, args), lambda: compute(book.frame, *args))
    return memo(name, (book.token, args), lambda: compute(book.frame, *args))
