"""Per-session state: language, the trainee's workspace, the active customer book and a session memo.

Everything here lives in ``st.session_state`` (one browser tab), never in a module global or
``st.cache_resource``: an uploaded book is one trainee's data.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

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

@st.cache_data(show_spinner=False, max_entries=4)
def _sample_frame(n: int, seed: int) -> pd.DataFrame:
    # The sample book is the same for everyone (no user data), so a global cache is right here.
    from workbook.samples import sample_book

    return sample_book(n=n, seed=seed)


def sample_active_book(n: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> ActiveBook:
    return ActiveBook(frame=_sample_frame(n, seed), source="sample", label="sample", token=f"sample-{n}-{seed}")


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

def memo(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """Compute once per session for a given key; reruns with an unchanged key reuse the value.

    ``key`` must capture every input (the book token and the parameters). Entries are per session, so one
    trainee's derived data is never served to another.
    """
    store: OrderedDict[tuple[str, Hashable], Any] = st.session_state.setdefault(MEMO_KEY, OrderedDict())
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
    """``compute(book_frame, *args)`` for the active book, memoised per session by book token and args."""
    book = active_book()
    return memo(name, (book.token, args), lambda: compute(book.frame, *args))
