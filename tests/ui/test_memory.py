"""Memory given back when trainees leave (ui/memory.py) and the session memo emptied at disconnect (ui/state.py)."""

from __future__ import annotations

import platform
import threading

import pytest
from streamlit.testing.v1 import AppTest

from ui import memory, state


def test_give_back_runs_every_step_the_platform_has() -> None:
    done = memory.give_back()
    assert done["gc"] and done["arrow"]
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert done["malloc_trim"]


def test_many_leaving_together_give_back_once(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = threading.Event()
    calls: list[int] = []

    def counted() -> dict[str, bool]:
        calls.append(1)
        ran.set()
        return {}

    monkeypatch.setattr(memory, "give_back", counted)
    for _ in range(20):
        memory.session_ended(delay=0.3)
    assert ran.wait(5)
    threading.Event().wait(0.5)  # a second run would have happened by now
    assert calls == [1]


def test_a_released_session_drops_its_memo_and_gives_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    ended: list[int] = []
    monkeypatch.setattr(memory, "session_ended", lambda: ended.append(1))
    store = state._SessionMemo()
    store[("chart", 1)] = object()
    store.watched = True
    end = state._SessionEnd()
    end.memo = store
    end.release()
    assert len(store) == 0 and not store.watched and end.memo is None
    assert ended == [1]


def _memo_page() -> None:
    import streamlit as st

    from ui import state as session

    value = session.memo("probe", 1, lambda: [1, 2, 3])
    st.session_state["value"] = value
    st.session_state["watched"] = session._session_end().memo is st.session_state[session.MEMO_KEY]


def test_the_memo_is_watched_for_the_session_end() -> None:
    at = AppTest.from_function(_memo_page, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["value"] == [1, 2, 3]
    assert at.session_state["watched"]
