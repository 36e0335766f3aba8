"""The instructor's side of every page: the PIN sign-in, the role (this browser session only), projector mode, the
branch demo in one click, the 讲师提示 under each page's lecture, and the exercise countdown every session sees.

The role is a private object in ``st.session_state`` that only a right PIN creates (:func:`sign_in`): a flag set
by any other means — a query parameter, a widget key, ``True`` put in the session — is not the role. It is never
written to the workspace (which a resume link can bring back), so it ends with the instructor's browser tab.

The countdown is drawn by the browser: the page sends the seconds left once and a small script counts down, so a
running timer costs the server nothing per second. A trainee's session asks again only every
:data:`TIMER_REFRESH_S` seconds (a sidebar fragment), reading the class's timers from a short, process-wide cache —
the timers belong to the classroom, not to any trainee.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass
from datetime import datetime

import streamlit as st

from ui import saving
from ui.state import (
    BOOK_KEY,
    BRANCH_DEMO_SIZE,
    active_book,
    sample_active_book,
    set_active_book,
    t,
    trainee,
)
from workbook import access, agenda, classroom, clock, i18n, teaching
from workbook import course as course_map
from workbook.store import StoreUnavailable, Timer, workshop_code

ROLE_KEY = "_instructor_role"
ATTEMPTS_KEY = "_instructor_pin_attempts"
PROJECTOR_KEY = "_instructor_projector"
PROJECTOR_WIDGET = "instructor_projector"
DEMO_RESTORE_KEY = "_instructor_demo_restore"  # the book to go back to after the branch demo
WORKSHOP_KEY = "_board_workshop"  # the workshop the instructor runs on the board
PIN_FORM = "instructor_pin_form"
PIN_WIDGET = "instructor_pin"
TIMER_REFRESH_S = 15  # how often a session looks for a timer started since its last click
TIMER_CACHE_S = 5  # the class's timers are read from the database at most this often per server

# Process-wide on purpose: wrong PINs counted per client address, across every session of this server (no trainee
# data; see workbook.access). A per-session count alone would be reset by opening a new tab.
_THROTTLE = access.Throttle()

# At start: without a configured PIN, the random one is made and written to the server's log now, on the process's
# first page run (Streamlit runs no app code before that), not when someone first tries a PIN.
access.current_pin()


@dataclass(frozen=True)
class _Role:
    """The instructor role of one session, tied to the PIN that granted it (a new PIN ends it)."""

    fingerprint: str


# ---- the role -----------------------------------------------------------------------------------------------------


def is_instructor() -> bool:
    role = st.session_state.get(ROLE_KEY)
    return isinstance(role, _Role) and secrets.compare_digest(role.fingerprint, access.current_pin().fingerprint)


def _client() -> str:
    try:
        return access.client_address(st.context.ip_address, dict(st.context.headers or {}))
    except (AttributeError, RuntimeError, KeyError):  # no browser connection (a test run): one local client
        return "local"


def sign_in(typed: str) -> access.Verdict:
    """Check a typed PIN for this session (throttled per session and per client); on success the session gets the
    instructor role."""
    attempts = st.session_state.get(ATTEMPTS_KEY)
    if not isinstance(attempts, access.Attempts):
        attempts = access.Attempts()
    pin = access.current_pin()
    verdict, attempts = access.try_pin(typed, pin, attempts, _client(), _THROTTLE)
    st.session_state[ATTEMPTS_KEY] = attempts
    if verdict.granted:
        st.session_state[ROLE_KEY] = _Role(pin.fingerprint)
    return verdict


def sign_out() -> None:
    for key in (ROLE_KEY, PROJECTOR_KEY, WORKSHOP_KEY):
        st.session_state.pop(key, None)
    if DEMO_RESTORE_KEY in st.session_state:
        _end_demo()


def pin_form() -> None:
    """The only thing the board shows without the role: the PIN box. Where the PIN is, it never says."""
    st.info(t("board.pin.intro"), icon=":material/lock:")
    with st.form(PIN_FORM, clear_on_submit=True, border=True, width=420):
        typed = st.text_input(t("board.pin.label"), type="password", key=PIN_WIDGET, max_chars=64,
                              autocomplete="off")
        sent = st.form_submit_button(t("board.pin.submit"), type="primary", icon=":material/login:")
    if sent:
        verdict = sign_in(typed)
        if verdict.granted:
            st.rerun()
        elif verdict.wait > 0:
            st.error(t("board.pin.locked", seconds=int(verdict.wait + 0.999)), icon=":material/timer:")
        else:
            st.error(t("board.pin.wrong", left=verdict.left), icon=":material/block:")
    st.caption(t("board.pin.help"))


# ---- projector mode -----------------------------------------------------------------------------------------------

# Larger type on the page (Streamlit sizes its text in rem), headings in proportion, the page's full width, no
# toolbar, decoration or status chrome, and the sidebar's contents at their usual size (zoomed back): readable from
# the back of a room on a 1024×768 projector. The zoom is on the menu and the sidebar's own content, not the sidebar:
# a zoomed sidebar kept its links' unzoomed widths and cut "4.4 练习二：核心客户方向与策略" at its edge.
_PROJECTOR_CSS = """
<style>
html { font-size: 19px; }
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stAppDeployButton"], footer { display: none !important; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-top: 2.2rem; padding-left: 1.5rem;
  padding-right: 1.5rem; }
[data-testid="stSidebarNav"], [data-testid="stSidebarUserContent"] { zoom: 0.84; }
h1 { font-size: 2.1rem !important; }
h2 { font-size: 1.6rem !important; }
h3 { font-size: 1.3rem !important; }
.stCaption, [data-testid="stCaptionContainer"] { font-size: 0.9rem !important; color: #3c4650 !important; }
</style>
"""


def projector() -> bool:
    return is_instructor() and bool(st.session_state.get(PROJECTOR_KEY, False))


def _keep_projector() -> None:
    st.session_state[PROJECTOR_KEY] = bool(st.session_state.get(PROJECTOR_WIDGET, False))


# ---- the branch demo ------------------------------------------------------------------------------------------------


def demo_active() -> bool:
    return DEMO_RESTORE_KEY in st.session_state


def _start_demo() -> None:
    st.session_state[DEMO_RESTORE_KEY] = st.session_state.get(BOOK_KEY) or active_book()
    set_active_book(sample_active_book(BRANCH_DEMO_SIZE))


def _end_demo() -> None:
    previous = st.session_state.pop(DEMO_RESTORE_KEY, None)
    set_active_book(previous if previous is not None else sample_active_book())


def _toggle_demo() -> None:
    if demo_active():
        _end_demo()
    else:
        _start_demo()


# ---- the sidebar and the page chrome ------------------------------------------------------------------------------


def chrome() -> None:
    """Called on every run from the sidebar: projector CSS, the instructor's switches, and the countdown."""
    instructor = is_instructor()
    if instructor and st.session_state.get(PROJECTOR_KEY):
        st.html(_PROJECTOR_CSS)
    with st.sidebar:
        if instructor:
            with st.container(border=True):
                st.markdown(f"**{t('board.sidebar.title')}**")
                st.session_state[PROJECTOR_WIDGET] = bool(st.session_state.get(PROJECTOR_KEY, False))
                st.toggle(t("board.sidebar.projector"), key=PROJECTOR_WIDGET, on_change=_keep_projector,
                          help=t("board.sidebar.projector_help"))
                label = "board.sidebar.demo_end" if demo_active() else "board.sidebar.demo_start"
                st.button(t(label, n=f"{BRANCH_DEMO_SIZE:,}"), key="instructor_demo", on_click=_toggle_demo,
                          icon=":material/swap_horiz:", width="stretch")
                st.page_link(course_map.page_by_id("board").file, label=t("board.sidebar.open_board"),
                             icon=":material/dashboard:")
                st.button(t("board.sign_out"), key="board_sign_out", on_click=sign_out, icon=":material/logout:",
                          type="tertiary")
        st.fragment(_timer_fragment, run_every=TIMER_REFRESH_S)()


# ---- the exercise timer, as every session sees it --------------------------------------------------------------------


@st.cache_data(ttl=TIMER_CACHE_S, show_spinner=False, max_entries=1)
def _class_timers() -> dict[str, tuple[str, str, str]]:
    # Classroom data, the same for every session (which exercise runs until when), never a trainee's own: a short
    # process-wide cache keeps 60 sessions from asking the database every few seconds.
    try:
        timers = saving.with_store(lambda store: store.timers())
    except StoreUnavailable:
        return {}
    return {code: (tm.exercise, tm.started_at.isoformat(), tm.ends_at.isoformat()) for code, tm in timers.items()}


def forget_timers() -> None:
    """After the instructor starts or stops a timer: every session reads the new state at its next look."""
    _class_timers.clear()


def class_timers() -> dict[str, Timer]:
    return {code: Timer(code, exercise, datetime.fromisoformat(started), datetime.fromisoformat(ends))
            for code, (exercise, started, ends) in _class_timers().items()}


def visible_timer() -> Timer | None:
    """The countdown this session should see: the instructor's board workshop; a trainee's own workshop code; a
    trainee without a code sees the timer when exactly one workshop runs one (the usual classroom). A timer that
    ran out stays in view for ten minutes ("time's up"), then goes."""
    timers = class_timers()
    if is_instructor() and st.session_state.get(WORKSHOP_KEY):
        code = str(st.session_state[WORKSHOP_KEY])
    else:
        code = workshop_code(trainee().get("workshop", ""))
    only = next(iter(timers.values())) if len(timers) == 1 else None
    chosen = timers.get(code) if code else only
    if chosen is None or (clock.now() - chosen.ends_at).total_seconds() > classroom.TIMER_SHOWN_AFTER_END_S:
        return None
    return chosen


def activity_label(exercise: str) -> str:
    key = f"board.activity.{exercise}"
    return t(key) if i18n.has_key(key) else exercise


def countdown_html(timer: Timer, *, large: bool = False) -> str:
    """The countdown as HTML: the activity, mm:ss left (counted down by the browser from the seconds left now) and
    the clock time it ends; "time's up" when it reaches zero. Without JavaScript the end time still shows."""
    remaining = timer.remaining(clock.now())
    ends = timer.ends_at.astimezone(clock.classroom_zone()).strftime("%H:%M")
    minutes, seconds = divmod(int(remaining + 0.999), 60)
    size = "3.2rem" if large else "1.9rem"
    done = t("board.timer.done")
    state = "wb-done" if remaining <= 0 else ""
    return f"""
<div class="wb-countdown {state}" data-wb-remaining="{int(remaining * 1000)}" data-wb-done="{html.escape(done)}"
     role="timer" aria-live="off" style="border:2px solid #B5282F;border-radius:0.6rem;padding:0.4rem 0.7rem;
     background:#fff7f7;line-height:1.25;">
  <div style="font-size:0.9rem;color:#1F2933;font-weight:600;">{html.escape(activity_label(timer.exercise))}</div>
  <div class="wb-clock" style="font-size:{size};font-weight:700;color:#B5282F;font-variant-numeric:tabular-nums;">
    {done if remaining <= 0 else f"{minutes:02d}:{seconds:02d}"}</div>
  <div style="font-size:0.85rem;color:#3c4650;">{html.escape(t("board.timer.ends", time=ends))}</div>
</div>
<script>
(function () {{
  function tick() {{
    document.querySelectorAll(".wb-countdown[data-wb-remaining]").forEach(function (box) {{
      if (!box.dataset.wbDeadline) {{
        box.dataset.wbDeadline = String(performance.now() + Number(box.dataset.wbRemaining));
      }}
      var left = Math.max(0, Number(box.dataset.wbDeadline) - performance.now());
      var total = Math.ceil(left / 1000);
      var text = left <= 0 ? box.dataset.wbDone
        : String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
      var face = box.querySelector(".wb-clock");
      if (face && face.textContent !== text) {{ face.textContent = text; }}
      if (left <= 0) {{ box.classList.add("wb-done"); }}
    }});
  }}
  if (!window.__wbCountdown) {{ window.__wbCountdown = setInterval(tick, 250); }}
  tick();
}})();
</script>
"""


def _timer_fragment() -> None:
    timer = visible_timer()
    if timer is not None:
        st.html(countdown_html(timer), unsafe_allow_javascript=True)


# ---- 讲师提示 -------------------------------------------------------------------------------------------------------


def notes(page_id: str) -> None:
    """The page's teaching notes, for the instructor only (collapsed: the screen may be on the projector)."""
    if not is_instructor():
        return
    timing = teaching.page_time(page_id)
    with st.expander(t("notes.title"), expanded=False, icon=":material/co_present:"):
        if timing is not None:
            slots = {slot.id: slot for slot in agenda.agenda()}
            parts = t("notes.slot_separator").join(t(f"home.slot.{slot_id}") for slot_id in timing.slots
                                                   if slot_id in slots)
            st.markdown(t("notes.timing", clock=timing.clock, minutes=timing.minutes, slots=parts))
        for part in ("points", "ask", "listen"):
            st.markdown(f"**{t(f'notes.heading.{part}')}**")
            st.markdown(t(f"notes.{page_id}.{part}"))
