"""Classroom load over Streamlit's own browser protocol: simulated trainees, no browser, no agent API.

    python scripts/load.py                       # scenario a: 60 trainees, 5 minutes
    python scripts/load.py --scenario b          # 60 trainees, 20 of them upload their own 2,000-customer book
    python scripts/load.py --scenario c          # rising to 150 trainees, to find the knee
    python scripts/load.py --scenario memory     # 60 sessions on the 20,000-customer demo, then they close
    python scripts/load.py --scenario pages      # server CPU per click for every page, first visit and warm
    python scripts/load.py --scenario smoke      # 3 trainees, 2 pages (what the test suite runs)
    python scripts/load.py --url http://HOST:PORT --pid 1234 --pid 1235   # an already running deployment

Each simulated trainee is what a browser tab is to the server: it opens the page over
``ws://HOST/_stcore/stream`` (subprotocol ``streamlit``), sends ``BackMsg.rerun_script`` with the page and the
widget states a browser would send, and reads ``ForwardMsg``s up to ``script_finished``. A click is timed from
sending to that last message, so the figures are the server's answer time (no rendering). Widgets are found by
their keys in the element ids of the page the server sent (``$$ID-<hash>-<key>``) and changed as the frontend
encodes them (``WidgetState``: double arrays for sliders, option labels for select boxes, JSON edits for data
editors ...). An upload goes the browser's way too: ``file_urls_request`` over the socket, an HTTP ``PUT`` to
``/_stcore/upload_file/<session>/<file>`` with the XSRF cookie and header, then the uploader's widget state.

Server CPU comes from ``/proc/<pid>/stat`` (all threads, those that ended included), memory from
``/proc/<pid>/status`` (VmRSS). Without ``--url`` the tool starts its own server (``scripts/serve.py``) for each
scenario, so every scenario begins from a fresh process. Figures go to stdout and, with ``--json``, to a file.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Coroutine, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

FINISHED_SUCCESSFULLY = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT_RUN_SUCCESSFULLY = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
CLICK_TIMEOUT = 120.0  # seconds a click may take before it counts as an error
XSRF_COOKIE = "_streamlit_xsrf"

# What a trainee does on each page, in the order the worksheet asks for it: widget keys (a key ending in "_"
# matches every key it starts). Pages not listed (and later pages of the course) get the generic driver: any
# widget on the page whose kind it knows how to change.
PAGE_WORK: dict[str, tuple[str, ...]] = {
    "s1_1": ("s1_1_rate_", "s1_1_note"),
    "s1_2": ("s1_2_lesson_pct", "s1_2_target_month", "s1_2_repurchase"),
    "s1_3": ("s1_3_editor_", "s1_3_elevate_pct", "s1_3_action_"),
    "s1_4": ("s1_4_annual_cost", "s1_4_log_axes", "s1_4_my_assets"),
    "s3_1": ("s3_1_preset", "s3_1_month_"),
    "s3_2": ("s3_2_scheme", "s3_2_param_", "s3_2_cross_b"),
    "s3_3": ("s3_3_scheme", "s3_3_tiers"),
    "s3_4": ("s3_4_numbers_", "s3_4_scheme", "s3_4_matrix_"),
    "s3_5": ("s3_5_group", "s3_5_schemes", "s3_5_services_", "s3_5_reflection"),
}
# Keys a generic driver never touches: they reset work, switch the language or the book, or submit.
GENERIC_SKIP = ("sidebar_language", "done_", "_reset", "_clear", "_finish", "book_use_", "book_upload", "_apply",
                "instructor_", "board_")
# Pages no trainee opens: the instructor's board (behind a PIN; a simulated trainee typing into the PIN box would
# only spend the class's sign-in attempts).
INSTRUCTOR_PAGES = ("board",)


# ---- the server process ----------------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to the end on an event loop of its own. A caller may already run a loop in its thread
    (Playwright's sync API does, for the whole browser test session), where ``asyncio.run`` refuses: then the
    loop runs in a worker thread and this waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()  # fields from the 3rd (state) on


def _descendants(pids: Iterable[int]) -> list[int]:
    """Live processes below ``pids`` (the intake's reader worker and its children, workbook/sandbox.py)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parents[int(entry)] = int(_stat(int(entry))[1])
    found, frontier = [], set(pids)
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = set(children)
    return found


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU of the server processes so far (every thread, ended ones included) and of the processes
    they started: the live ones' own CPU and what they collected from children that ended (an upload is read in
    a child of the reader worker, which is a child of the server)."""
    pids = list(pids)
    total = 0.0
    for pid in pids:
        fields = _stat(pid)
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14 and 15)
    for pid in _descendants(pids):
        with contextlib.suppress(OSError):
            fields = _stat(pid)
            total += sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS  # + cutime, cstime
    return total


def rss_mb(pids: Iterable[int]) -> float:
    total_kb = 0
    for pid in pids:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            total_kb += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    return total_kb / 1024


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---- one browser tab -------------------------------------------------------------------------------------------

@dataclass
class Click:
    """One interaction as the server saw it: from sending the request to ``script_finished``."""

    trainee: int
    page: str
    kind: str  # arrive | open | widget | upload
    what: str
    started: float
    seconds: float
    error: str = ""


@dataclass
class Widget:
    kind: str  # the Element oneof name: slider, selectbox, dataframe ...
    proto: Any
    fragment: str = ""  # the st.fragment it was drawn in: a change reruns only that fragment


class ClickError(RuntimeError):
    pass


class Tab:
    """A browser tab: one websocket, one Streamlit session, the widget states a browser would keep."""

    def __init__(self, url: str, trainee: int) -> None:
        self.http_url = url.rstrip("/")
        self.ws_url = self.http_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.trainee = trainee
        self.socket: ClientConnection | None = None
        self.session_id = ""
        self.xsrf = ""
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> page script hash
        self.page_order: list[str] = []
        self.page = ""
        self.widgets: dict[str, Widget] = {}  # widget id -> element, as last drawn
        self.sent: dict[str, WidgetState] = {}  # widget id -> the value this tab holds for it
        self.exceptions: list[str] = []
        self.alerts: list[str] = []  # the success / info / warning boxes of the last run
        self.query_string = ""  # what the address bar holds after "?" (the app keeps the resume token there)
        self.file_urls: dict[str, Any] = {}
        # The browser's message cache: big elements it already holds are sent again only as a reference (the
        # server still builds and hashes them). hash -> (message, the run it was last seen in).
        self.message_cache: dict[str, tuple[ForwardMsg, int]] = {}
        self.runs = 0
        self.socket_runs = 0  # requests sent over the current socket
        self.fragment_run = False  # the last run was one fragment's, not the page's
        # Fragments the page asked the browser to rerun on a clock (st.fragment(run_every=...)): id -> seconds.
        self.auto_reruns: dict[str, float] = {}

    # -- connection -----------------------------------------------------------------------------------------

    async def open(self, page: str, query_string: str = "") -> float:
        """What a browser does on opening a link (``/<page>?<query_string>``): health check (it sets the XSRF
        cookie), socket, first run."""
        started = time.perf_counter()
        self.query_string = query_string
        self.cookies |= await asyncio.to_thread(self._health_cookies)
        self.xsrf = self.cookies.get(XSRF_COOKIE, "")
        # The browser sends its cookies with the websocket handshake: behind deploy/'s proxy they keep the tab on
        # its process.
        cookie_header = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.socket_runs = 0
        self.socket = await connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
                                    ping_interval=None,
                                    additional_headers={"Cookie": cookie_header} if cookie_header else None)
        await self.rerun(page=page)
        return time.perf_counter() - started

    def _health_cookies(self) -> dict[str, str]:
        import urllib.request

        # A browser sends the cookies it holds (behind deploy/'s proxy, the one that picks its process).
        request = urllib.request.Request(f"{self.http_url}/_stcore/health")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=60) as response:
            headers = response.headers.get_all("Set-Cookie") or []
        cookies = {}
        for header in headers:
            name, _, value = header.split(";", 1)[0].strip().partition("=")
            if name:
                cookies[name] = value
        return cookies

    @property
    def resume_token(self) -> str:
        """The ``?t=`` the app put in the address bar (a trainee's link back to their work)."""
        from urllib.parse import parse_qs

        return (parse_qs(self.query_string).get("t") or [""])[0]

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    # -- script runs ----------------------------------------------------------------------------------------

    async def rerun(self, page: str | None = None, changes: Sequence[WidgetState] = (), fragment: str = "") -> None:
        """Ask for a run (a page switch when ``page`` is given; one fragment's run when ``fragment`` is, as the
        browser's clock asks for it) and read the answer up to the script's end."""
        assert self.socket is not None
        message = BackMsg()
        state = message.rerun_script
        if page is not None:
            self.page = page
            state.page_name = page
            if page in self.pages:
                state.page_script_hash = self.pages[page]
        else:
            state.page_name = self.page
            state.page_script_hash = self.pages.get(self.page, "")
        # The address bar's query: a browser keeps it across reruns of a page; sidebar navigation drops it (the
        # app puts the resume token back, see ui/saving.py).
        if page is not None and self.socket_runs > 0:
            self.query_string = ""
        state.query_string = self.query_string
        state.cached_message_hashes.extend(self.message_cache)
        triggers = []
        for change in changes:
            if change.WhichOneof("value") in ("trigger_value", "string_trigger_value", "json_trigger_value"):
                triggers.append(change)  # a click is sent once, never kept
            else:
                self.sent[change.id] = change
        held = [s for wid, s in self.sent.items() if page is None and wid in self.widgets]
        state.widget_states.widgets.extend([*held, *triggers])
        # As the frontend does: a widget drawn inside a fragment asks for a run of that fragment only.
        fragments = {self.widgets[c.id].fragment for c in changes if c.id in self.widgets}
        if page is None and len(fragments) == 1 and "" not in fragments:
            state.fragment_id = fragments.pop()
        if page is None and fragment:
            state.fragment_id = fragment
        if not state.fragment_id:
            self.auto_reruns = {}  # as the frontend does: a full run registers its clocks again
        await self.socket.send(message.SerializeToString())
        self.socket_runs += 1
        await self._read_until_finished()

    async def _read_until_finished(self) -> None:
        assert self.socket is not None
        self.exceptions = []
        self.alerts = []
        self.runs += 1
        drawn: dict[str, Widget] = {}
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), timeout=CLICK_TIMEOUT)
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "ref_hash":
                cached = self.message_cache.get(message.ref_hash)
                if cached is None:
                    self.exceptions.append(f"reference to a message never received: {message.ref_hash}")
                    continue
                message, kind = cached[0], "delta"
            if message.metadata.cacheable and message.hash:
                self.message_cache[message.hash] = (message, self.runs)
            if kind == "delta":
                self._read_delta(message, drawn)
            elif kind == "auto_rerun":
                self.auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval
            elif kind == "page_info_changed":
                self.query_string = message.page_info_changed.query_string
            elif kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in message.navigation.app_pages}
                self.page_order = [p.url_pathname for p in message.navigation.app_pages if not p.is_hidden]
            elif kind == "page_not_found":
                self.exceptions.append(f"page not found: {message.page_not_found.page_name}")
            elif kind == "file_urls_response":
                self.file_urls[message.file_urls_response.response_id] = message.file_urls_response
            elif kind == "script_finished":
                if message.script_finished == FINISHED_EARLY_FOR_RERUN:
                    drawn, self.alerts = {}, []
                    continue  # st.rerun() or a newer request: the next run follows on its own
                self.fragment_run = message.script_finished == FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                if self.fragment_run:
                    self.widgets.update(drawn)  # the rest of the page stays as it was
                    return
                # As the frontend does (global.maxCachedMessageAge = 2): forget what two runs did not use.
                self.message_cache = {h: m for h, m in self.message_cache.items() if m[1] >= self.runs - 1}
                self.widgets = drawn
                # A browser forgets the values of widgets the page no longer draws.
                self.sent = {wid: s for wid, s in self.sent.items() if wid in drawn}
                return

    def _read_delta(self, message: ForwardMsg, drawn: dict[str, Widget]) -> None:
        delta = message.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
            return
        if kind == "alert":
            self.alerts.append(element.alert.body)
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "") if kind != "exception" else ""
        if widget_id:
            drawn[widget_id] = Widget(kind, proto, delta.fragment_id)

    # -- widgets --------------------------------------------------------------------------------------------

    def value(self, key: str) -> Any:
        """The value the server drew for the text, number or select widget with user key ``key``: the one the app
        set, else the widget's default (not what this tab typed since: a browser keeps that itself)."""
        (widget_id,) = self.find(key)
        proto = self.widgets[widget_id].proto
        return proto.value if proto.set_value else proto.default

    def find(self, key: str) -> list[str]:
        """Widget ids of the current page whose user key is ``key`` (or starts with it when it ends in ``_``)."""
        found = []
        for widget_id in self.widgets:
            user_key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else ""
            if user_key == key or (key.endswith("_") and user_key.startswith(key)):
                found.append(widget_id)
        return found

    async def upload(self, data: bytes, name: str, uploader_key: str) -> None:
        """The file uploader's way: ask for an upload URL, PUT the file with the XSRF token, set the widget."""
        assert self.socket is not None
        (uploader_id,) = self.find(uploader_key)
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.session_id = self.session_id
        request.file_urls_request.file_names.append(name)
        await self.socket.send(request.SerializeToString())
        while request.file_urls_request.request_id not in self.file_urls:
            raw = await asyncio.wait_for(self.socket.recv(), timeout=CLICK_TIMEOUT)
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") == "file_urls_response":
                self.file_urls[message.file_urls_response.response_id] = message.file_urls_response
        response = self.file_urls.pop(request.file_urls_request.request_id)
        if response.error_msg:
            raise ClickError(f"upload refused: {response.error_msg}")
        urls = response.file_urls[0]
        await asyncio.to_thread(self._put, urls.upload_url, data, name)
        state = WidgetState(id=uploader_id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(data)
        info.file_urls.CopyFrom(urls)
        await self.rerun(changes=[state])

    def _put(self, upload_url: str, data: bytes, name: str) -> None:
        import requests

        target = upload_url if upload_url.startswith("http") else f"{self.http_url}{upload_url}"
        answer = requests.put(
            target,
            files={"file": (name, data, "application/octet-stream")},
            headers={"X-Xsrftoken": self.xsrf},
            cookies=self.cookies,
            timeout=CLICK_TIMEOUT,
        )
        if answer.status_code >= 300:
            raise ClickError(f"upload PUT answered {answer.status_code}: {answer.text[:200]}")

    def click_button(self, key: str | None = None, *, form_submit: bool = False) -> WidgetState:
        for widget_id, widget in self.widgets.items():
            if widget.kind != "button":
                continue
            if (form_submit and widget.proto.is_form_submitter) or (key and widget_id.endswith(f"-{key}")):
                return WidgetState(id=widget_id, trigger_value=True)
        raise ClickError(f"no button {key or 'form submit'} on page {self.page or 'home'}")

    def change(self, widget_id: str, rng: random.Random) -> WidgetState | None:
        """A plausible new value for one widget, encoded as the frontend sends it (None: not drivable)."""
        widget = self.widgets[widget_id]
        proto, kind = widget.proto, widget.kind
        held = self.sent.get(widget_id)
        state = WidgetState(id=widget_id)
        if kind == "slider":
            current = list(held.double_array_value.data) if held else list(proto.value or proto.default)
            steps = max(1, round((proto.max - proto.min) / (proto.step or 1)))
            new = proto.min + rng.randrange(steps + 1) * (proto.step or 1)
            if current and abs(new - current[0]) < 1e-9:
                new = proto.min if current[0] != proto.min else proto.max
            state.double_array_value.data.extend([new] * max(1, len(current)))
        elif kind == "number_input":
            current = held.double_value if held else (proto.value if proto.set_value else proto.default)
            new = current + (proto.step or 1) * rng.choice((1, 2, 3))
            if proto.has_max and new > proto.max:
                new = max(proto.min if proto.has_min else 0.0, current - (proto.step or 1))
            state.double_value = new
        elif kind in ("selectbox", "radio"):
            options = list(proto.options)
            current = held.string_value if held else (proto.raw_value if proto.set_value else
                                                      (options[proto.default] if options else ""))
            others = [o for o in options if o != current]
            if not others:
                return None
            state.string_value = rng.choice(others)
        elif kind == "multiselect":
            options = list(proto.options)
            current = list(held.string_array_value.data) if held else (
                list(proto.raw_values) if proto.set_value else [options[i] for i in proto.default])
            if not options:
                return None
            pick = rng.choice(options)
            new = [o for o in current if o != pick] if pick in current and len(current) > 1 else [*current, pick]
            state.string_array_value.data.extend(dict.fromkeys(new))
        elif kind == "checkbox":
            current = held.bool_value if held else (proto.value if proto.set_value else proto.default)
            state.bool_value = not current
        elif kind == "button_group":
            options = [o.content for o in proto.options]
            if not options:
                return None
            state.string_array_value.data.append(rng.choice(options))
        elif kind in ("text_area", "text_input"):
            state.string_value = f"学员{self.trainee}的想法 {rng.randrange(1000)}"
        elif kind == "dataframe" and proto.editing_mode:  # a data editor
            edit = _editor_edit(proto, rng)
            if edit is None:
                return None
            previous = json.loads(held.string_value) if held else {"edited_rows": {}, "added_rows": [],
                                                                      "deleted_rows": []}
            row, column, value = edit
            previous["edited_rows"].setdefault(str(row), {})[column] = value
            state.string_value = json.dumps(previous, ensure_ascii=False)
        else:
            return None
        return state

    def drivable(self) -> list[str]:
        return [wid for wid in self.widgets if self._drivable(wid)]

    def _drivable(self, widget_id: str) -> bool:
        widget = self.widgets[widget_id]
        if any(part in widget_id for part in GENERIC_SKIP) or getattr(widget.proto, "disabled", False):
            return False
        if getattr(widget.proto, "form_id", ""):
            return False  # inside a form: nothing happens before its submit button
        if widget.kind == "dataframe":
            return bool(widget.proto.editing_mode)
        return widget.kind in ("slider", "number_input", "selectbox", "radio", "multiselect", "checkbox",
                               "button_group", "text_area", "text_input")


def _editor_edit(proto: Any, rng: random.Random) -> tuple[int, str, Any] | None:
    """(row, column, new value) for one editable numeric cell of a data editor (or a text cell)."""
    import pyarrow as pa

    try:
        table = pa.ipc.open_stream(proto.arrow_data.data).read_all()
    except (pa.ArrowInvalid, OSError):
        return None
    config = json.loads(proto.columns or "{}")
    disabled = {name for name, spec in config.items() if isinstance(spec, dict) and spec.get("disabled")}
    columns = [f for f in table.schema if not f.name.startswith("__") and f.name not in disabled
               and f.name not in ("label",)]
    if table.num_rows == 0 or not columns:
        return None
    numeric = [f for f in columns if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
    row = rng.randrange(min(table.num_rows, 4))
    if numeric:
        column = numeric[0].name
        current = table.column(column)[row].as_py() or 0
        return row, column, round(float(current) * rng.choice((0.8, 1.1, 1.25)) + 1, 2)
    column = columns[0].name
    return row, column, f"{table.column(column)[row].as_py() or ''} 加强"


# ---- trainees ---------------------------------------------------------------------------------------------------

@dataclass
class Plan:
    """What one trainee does: where they arrive, whether they bring a book, how long they think."""

    trainee: int
    arrive_at: float  # seconds after the start
    first_page: str
    start_index: int
    upload: bytes | None = None
    demo: bool = False
    pages: tuple[str, ...] | None = None  # None: the whole course in order, from start_index
    actions_per_page: tuple[int, int] = (1, 3)
    think: float = 10.0
    stop_at: float = 300.0  # seconds after the start
    visit_once: bool = False  # walk the pages once, then stop


@dataclass
class Outcome:
    clicks: list[Click] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)


async def trainee(url: str, plan: Plan, outcome: Outcome, origin: float, rng: random.Random,
                  keep_open: bool = False) -> None:
    await asyncio.sleep(max(0.0, origin + plan.arrive_at - time.perf_counter()))
    tab = Tab(url, plan.trainee)
    outcome.tabs.append(tab)

    async def timed(kind: str, what: str, action: Callable[[], Any]) -> bool:
        started = time.perf_counter()
        error = ""
        try:
            await action()
        except (ClickError, TimeoutError, OSError, ValueError) as err:
            error = f"{type(err).__name__}: {err}"[:300]
        except Exception as err:  # a closed socket and the like: the trainee's click failed
            error = f"{type(err).__name__}: {err}"[:300]
        if not error and tab.exceptions:
            error = "exception on page: " + " | ".join(tab.exceptions)
        outcome.clicks.append(Click(plan.trainee, tab.page or "home", kind, what, started - origin,
                                    time.perf_counter() - started, error))
        return not error

    if not await timed("arrive", plan.first_page or "home", lambda: tab.open(plan.first_page)):
        return
    stop = origin + plan.stop_at

    due: dict[str, float] = {}  # fragment id -> when the browser's clock next reruns it

    async def think() -> bool:
        """The trainee reads; meanwhile the browser reruns the fragments that run on a clock (the sidebar's
        exercise timer, the board's live view), as a real tab does."""
        until = time.perf_counter() + plan.think * rng.uniform(0.5, 1.5)
        while True:
            now = time.perf_counter()
            for fragment, interval in tab.auto_reruns.items():
                due.setdefault(fragment, now + interval)
            for fragment in [f for f in due if f not in tab.auto_reruns]:
                del due[fragment]
            fragment, at = min(due.items(), key=lambda item: item[1], default=("", until))
            if at >= until or at >= stop:
                await asyncio.sleep(max(0.0, until - now))
                return time.perf_counter() < stop
            await asyncio.sleep(max(0.0, at - now))
            due[fragment] = at + tab.auto_reruns.get(fragment, 0.0)
            await timed("auto", "fragment", lambda fragment=fragment: tab.rerun(fragment=fragment))

    if plan.upload is not None and await think():
        await timed("open", "book", lambda: tab.rerun(page="book"))
        name = f"trainee{plan.trainee}.xlsx"
        if await think() and await timed("upload", "file", lambda: tab.upload(plan.upload, name, "book_upload")):
            await think()
            await timed("upload", "load mapped", lambda: tab.rerun(changes=[tab.click_button(form_submit=True)]))
    if plan.demo:
        await timed("open", "book", lambda: tab.rerun(page="book"))
        await timed("widget", "book_use_branch", lambda: tab.rerun(changes=[tab.click_button("book_use_branch")]))

    order = list(plan.pages) if plan.pages is not None else [p for p in tab.page_order if p not in INSTRUCTOR_PAGES]
    for visited in range(1, 10_000):
        if not order or (not plan.visit_once and not await think()):
            break
        page = order[(plan.start_index + visited - 1) % len(order)]
        await timed("open", page or "home", lambda page=page: tab.rerun(page=page))
        done: set[str] = set()
        for _ in range(rng.randint(*plan.actions_per_page)):
            if not plan.visit_once and not await think():
                break
            target = _next_widget(tab, page, done, rng)
            if target is None:
                break
            done.add(target)
            change = tab.change(target, rng)
            if change is None:
                continue
            await timed("widget", _user_key(target), lambda change=change: tab.rerun(changes=[change]))
        if plan.visit_once and visited >= len(order):
            break
    if not keep_open:
        await tab.close()


def _user_key(widget_id: str) -> str:
    return widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else widget_id


def _next_widget(tab: Tab, page: str, done: set[str], rng: random.Random) -> str | None:
    for key in PAGE_WORK.get(page, ()):
        for widget_id in tab.find(key):
            if widget_id not in done and tab._drivable(widget_id):
                return widget_id
    left = [wid for wid in tab.drivable() if wid not in done]
    return rng.choice(left) if left else None


# ---- scenarios ---------------------------------------------------------------------------------------------------

def upload_books(count: int, rows: int = 2_000) -> list[bytes]:
    """Each uploader's own book: the sample generator with another seed, as an xlsx with Chinese headers."""
    from workbook import sample_book
    from workbook.schema import FIELDS

    books = []
    for seed in range(count):
        buffer = io.BytesIO()
        frame = sample_book(rows, seed=100 + seed).rename(columns={f.key: f.zh for f in FIELDS})
        frame.to_excel(buffer, index=False)
        books.append(buffer.getvalue())
    return books


def class_plans(trainees: int, *, arrival: float, duration: float, think: float, rng: random.Random,
                uploads: Sequence[bytes] = (), first: int = 0, start_at: float = 0.0,
                deep_links: Sequence[str] = ("", "book", "s1_1", "s1_2", "s3_2")) -> list[Plan]:
    plans = []
    for i in range(trainees):
        plans.append(Plan(
            trainee=first + i,
            arrive_at=start_at + rng.uniform(0, arrival),
            first_page=rng.choice(deep_links),  # the instructor's link, or the home page
            start_index=rng.randrange(4),
            upload=uploads[i] if i < len(uploads) else None,
            think=think,
            stop_at=duration,
        ))
    return plans


@dataclass
class Measured:
    name: str
    trainees: int
    clicks: list[Click]
    cpu_seconds: float
    rss_start_mb: float
    rss_peak_mb: float
    rss_end_mb: float
    rss_closed_mb: float | None
    rss_settled_mb: float | None
    load_before: list[float]
    load_after: list[float]
    wall_seconds: float
    windows: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        # A trainee's own clicks; the fragment reruns a browser's clock asks for are counted apart (by_kind
        # "auto"), though their errors count.
        ok = [c for c in self.clicks if c.kind != "auto"]
        errors = [c for c in self.clicks if c.error]
        result: dict[str, Any] = {
            "trainees": self.trainees,
            "clicks": len(ok),
            **latency(c.seconds for c in ok),
            "errors": len(errors),
            "error_examples": sorted({f"{c.page}/{c.what}: {c.error}" for c in errors})[:8],
            "cpu_ms_per_click": round(1000 * self.cpu_seconds / max(1, len(ok)), 1),
            "server_cpu_share": round(self.cpu_seconds / max(self.wall_seconds, 1e-9), 2),
            "rss_start_mb": round(self.rss_start_mb),
            "rss_peak_mb": round(self.rss_peak_mb),
            "rss_end_mb": round(self.rss_end_mb),
            "rss_per_session_mb": round((self.rss_end_mb - self.rss_start_mb) / max(1, self.trainees), 1),
            "rss_after_close_mb": None if self.rss_closed_mb is None else round(self.rss_closed_mb),
            "rss_after_settle_mb": None if self.rss_settled_mb is None else round(self.rss_settled_mb),
            "load_average_before": self.load_before,
            "load_average_after": self.load_after,
            "by_kind": {k: latency(c.seconds for c in self.clicks if c.kind == k)
                        for k in sorted({c.kind for c in self.clicks})},
            "by_page": {p: latency(c.seconds for c in ok if c.page == p)
                        for p in sorted({c.page for c in self.clicks})},
        }
        if self.windows:
            result["steps"] = self.windows
        return result


def latency(values: Iterable[float]) -> dict[str, Any]:
    data = sorted(values)
    if not data:
        return {"n": 0}
    return {
        "n": len(data),
        "p50_ms": round(1000 * statistics.median(data)),
        "p95_ms": round(1000 * data[min(len(data) - 1, int(0.95 * len(data)))]),
        "max_ms": round(1000 * data[-1]),
    }


@contextlib.contextmanager
def server_for(args: argparse.Namespace) -> Iterator[tuple[str, list[int]]]:
    if args.url:
        yield args.url, list(args.pid or [])
        return
    if args.deploy:
        # deploy/'s classroom: N app processes of this checkout behind nginx, each warmed up, as a centre runs it
        from deploy.classroom import Classroom, free_port

        with Classroom(args.deploy, address="127.0.0.1", port=free_port(),
                       extra_args=tuple(args.server_arg or ())) as room:
            yield room.url, room.pids
        return
    from scripts.serve import running_server

    root = Path(args.root).resolve() if args.root else ROOT
    log = Path(args.server_log) if args.server_log else None
    with running_server(root=root, extra_args=tuple(args.server_arg or ()), log_path=log) as server:
        yield server.url, [server.pid]


async def run_plans(url: str, pids: list[int], plans: list[Plan], seed: int, *, settle: float,
                    name: str, windows: Sequence[tuple[str, float, float, int]] = (),
                    close_after: bool = True) -> Measured:
    """Run the trainees, sample the server meanwhile, then close every tab and watch memory come back."""
    rng = random.Random(seed)
    outcome = Outcome()
    load_before = load_average()
    rss_start = rss_mb(pids) if pids else 0.0
    cpu_start = cpu_seconds(pids) if pids else 0.0
    peak = rss_start
    origin = time.perf_counter()
    tasks = [asyncio.create_task(trainee(url, p, outcome, origin, random.Random(rng.random()),
                                         keep_open=True)) for p in plans]

    async def sample() -> None:
        nonlocal peak
        while True:
            if pids:
                peak = max(peak, rss_mb(pids))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - origin
    cpu = (cpu_seconds(pids) - cpu_start) if pids else 0.0
    rss_end = rss_mb(pids) if pids else 0.0
    peak = max(peak, rss_end)
    load_after = load_average()
    closed = settled = None
    if close_after:
        for tab in outcome.tabs:
            await tab.close()
        await asyncio.sleep(10)  # past the app's give-back a few seconds after tabs close (ui/memory.py)
        closed = rss_mb(pids) if pids else None
        if settle > 0:
            await asyncio.sleep(settle)
            # Streamlit drops a closed session after server.disconnectedSessionTTL, when its session store is
            # next written: one more short visit (as the next trainee arriving would) does that.
            late = Tab(url, -1)
            with contextlib.suppress(Exception):
                await late.open("")
                await late.close()
            await asyncio.sleep(10)  # the app gives memory back a few seconds after a tab closes (ui/memory.py)
            settled = rss_mb(pids) if pids else None
    sampler.cancel()
    measured = Measured(name, len(plans), outcome.clicks, cpu, rss_start, peak, rss_end, closed, settled,
                        load_before, load_after, wall)
    for label, start, end, active in windows:
        in_window = [c for c in outcome.clicks if start <= c.started < end]
        measured.windows.append({"step": label, "trainees": active,
                                 **latency(c.seconds for c in in_window if c.kind != "auto"),
                                 "errors": sum(1 for c in in_window if c.error)})
    return measured


def scenario_class(args: argparse.Namespace, url: str, pids: list[int], *, uploads: int) -> Measured:
    rng = random.Random(args.seed)
    books = upload_books(uploads) if uploads else []
    plans = class_plans(args.trainees, arrival=args.arrival, duration=args.duration, think=args.think, rng=rng,
                        uploads=books)
    name = "b" if uploads else "a"
    return run_async(run_plans(url, pids, plans, args.seed, settle=args.settle, name=name))


def scenario_ramp(args: argparse.Namespace, url: str, pids: list[int]) -> Measured:
    """Batches of trainees join every ``step`` seconds (each batch within the arrival window) up to the top."""
    rng = random.Random(args.seed)
    levels = list(range(args.ramp_from, args.ramp_to + 1, args.ramp_by))
    step = args.ramp_step
    total = step * len(levels)
    plans: list[Plan] = []
    previous = 0
    windows = []
    for index, level in enumerate(levels):
        start = index * step
        plans += class_plans(level - previous, arrival=args.arrival, duration=total, think=args.think, rng=rng,
                             first=previous, start_at=start)
        windows.append((f"{level} trainees", start, start + step, level))
        previous = level
    return run_async(run_plans(url, pids, plans, args.seed, settle=args.settle, name="c", windows=windows))


def scenario_memory(args: argparse.Namespace, url: str, pids: list[int]) -> Measured:
    """Sixty sessions switch to the 20,000-customer demo and open every page once; then they all close."""
    rng = random.Random(args.seed)

    async def run() -> Measured:
        # One visit first so imports and shared results are loaded: the figure below is what sessions add.
        warm = Outcome()
        await trainee(url, Plan(-1, 0.0, "", 0, demo=True, visit_once=True, actions_per_page=(0, 0), think=0),
                      warm, time.perf_counter(), rng)
        plans = [Plan(i, rng.uniform(0, args.arrival), "", 0, demo=True, visit_once=True,
                      actions_per_page=(1, 1), think=0.5) for i in range(args.trainees)]
        return await run_plans(url, pids, plans, args.seed, settle=args.settle, name="memory")

    return run_async(run())


def scenario_pages(args: argparse.Namespace, url: str, pids: list[int]) -> dict[str, Any]:
    """Server CPU per click for every page, one click at a time on a quiet server: the process's very first visit
    (``cold``: imports, and for the sample book the results every session then shares), a session's first visit
    to the page (a fresh tab each time, landing elsewhere first), and warm (the same page rerun with nothing
    changed). One more tab stays connected throughout, as the rest of a class would: with no session left,
    Streamlit empties its cache of compiled page scripts, which a classroom never sees."""
    visits, warm_reruns = max(2, args.page_visits), args.warm_reruns

    async def click_cpu(action: Callable[[], Any]) -> tuple[float, float]:
        before, started = cpu_seconds(pids), time.perf_counter()
        await action()
        return cpu_seconds(pids) - before, time.perf_counter() - started

    async def run() -> dict[str, Any]:
        anchor = Tab(url, 0)
        await anchor.open("")
        order = list(anchor.page_order)
        results: dict[str, Any] = {}
        for page in order:
            firsts: list[tuple[float, float]] = []
            warm: list[tuple[float, float]] = []
            errors: list[str] = []
            for visit in range(visits):
                tab = Tab(url, visit + 1)
                await tab.open("" if page else "book")  # land elsewhere, then open the page as a click
                firsts.append(await click_cpu(lambda tab=tab, page=page: tab.rerun(page=page)))
                errors += tab.exceptions
                if visit == 1:
                    for _ in range(warm_reruns):
                        warm.append(await click_cpu(tab.rerun))
                        errors += tab.exceptions
                await tab.close()
            cold, later = firsts[0], firsts[1:]
            results[page or "home"] = {
                "cold_cpu_ms": round(1000 * cold[0], 1),
                "cold_wall_ms": round(1000 * cold[1], 1),
                "first_cpu_ms": round(1000 * statistics.fmean(c for c, _ in later), 1),
                "first_wall_ms": round(1000 * statistics.median(w for _, w in later), 1),
                "warm_cpu_ms": round(1000 * statistics.fmean(c for c, _ in warm), 1),
                "warm_wall_ms": round(1000 * statistics.median(w for _, w in warm), 1),
                "errors": sorted(set(errors)),
            }
        await anchor.close()
        return results

    return run_async(run())


def print_measured(measured: Measured) -> dict[str, Any]:
    summary = measured.summary()
    print(f"\n== scenario {measured.name}: {summary['trainees']} trainees, {summary['clicks']} clicks, "
          f"{summary['errors']} errors   (load average before {summary['load_average_before']}, "
          f"after {summary['load_average_after']})")
    print(f"   all clicks      p50 {summary.get('p50_ms')} ms   p95 {summary.get('p95_ms')} ms   "
          f"max {summary.get('max_ms')} ms")
    for label, group in (("kind", summary["by_kind"]), ("page", summary["by_page"])):
        for key, stats in group.items():
            print(f"   {label} {key:<10} n={stats['n']:<5} p50 {stats.get('p50_ms')} ms   p95 {stats.get('p95_ms')} ms"
                  f"   max {stats.get('max_ms')} ms")
    for window in summary.get("steps", []):
        print(f"   step {window['step']:<14} n={window.get('n')}  p50 {window.get('p50_ms')} ms   "
              f"p95 {window.get('p95_ms')} ms   max {window.get('max_ms')} ms   errors {window['errors']}")
    print(f"   server CPU {summary['cpu_ms_per_click']} ms per click ({summary['server_cpu_share']} cores busy);"
          f" RSS start {summary['rss_start_mb']} MB, peak {summary['rss_peak_mb']} MB, end {summary['rss_end_mb']}"
          f" MB ({summary['rss_per_session_mb']} MB per session), after close {summary['rss_after_close_mb']} MB,"
          f" after settling {summary['rss_after_settle_mb']} MB")
    for example in summary["error_examples"]:
        print(f"   error: {example}")
    return summary


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=["a", "b", "c", "memory", "pages", "smoke"], default="a")
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--pid", type=int, action="append", help="server process ids for CPU and memory")
    parser.add_argument("--root", help="project checkout to serve (default: this one)")
    parser.add_argument("--deploy", type=int, metavar="N",
                        help="serve through deploy/: N app processes behind nginx (default: one plain server)")
    parser.add_argument("--server-arg", action="append", help="extra streamlit argument, e.g. --server-arg=...")
    parser.add_argument("--server-log", help="keep the started server's output in this file")
    parser.add_argument("--trainees", type=int, default=60)
    parser.add_argument("--uploads", type=int, default=20, help="scenario b: trainees who upload their own book")
    parser.add_argument("--arrival", type=float, default=10.0, help="seconds within which trainees arrive")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of work")
    parser.add_argument("--think", type=float, default=10.0, help="mean think time between clicks (s)")
    parser.add_argument("--settle", type=float, default=135.0,
                        help="seconds to wait after the tabs close before the last memory reading "
                             "(Streamlit keeps a closed session 120 s for a reconnect)")
    parser.add_argument("--ramp-from", type=int, default=30)
    parser.add_argument("--ramp-to", type=int, default=150)
    parser.add_argument("--ramp-by", type=int, default=30)
    parser.add_argument("--ramp-step", type=float, default=60.0, help="seconds at each level")
    parser.add_argument("--page-visits", type=int, default=5)
    parser.add_argument("--warm-reruns", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    with server_for(args) as (url, pids):
        if args.scenario == "pages":
            figures: dict[str, Any] = {"pages": scenario_pages(args, url, pids), "load_average": load_average()}
            for page, stats in figures["pages"].items():
                print(f"   {page:<8} cold {stats['cold_cpu_ms']:>6} ms CPU   first visit {stats['first_cpu_ms']:>6} ms "
                      f"CPU ({stats['first_wall_ms']} ms)   warm {stats['warm_cpu_ms']:>6} ms CPU "
                      f"({stats['warm_wall_ms']} ms)  {stats['errors'] or ''}")
        else:
            if args.scenario == "smoke":
                rng = random.Random(args.seed)
                plans = [Plan(i, rng.uniform(0, 1), "", 0, pages=("s1_2", "s3_2"), visit_once=True,
                              actions_per_page=(1, 1), think=0.1) for i in range(3)]
                measured = run_async(run_plans(url, pids, plans, args.seed, settle=0, name="smoke"))
            elif args.scenario in ("a", "b"):
                measured = scenario_class(args, url, pids, uploads=args.uploads if args.scenario == "b" else 0)
            elif args.scenario == "c":
                measured = scenario_ramp(args, url, pids)
            else:
                measured = scenario_memory(args, url, pids)
            figures = print_measured(measured)
            figures["clicks_detail"] = [asdict(c) for c in measured.clicks] if args.json else None
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return figures


if __name__ == "__main__":
    main()
