"""Reading an uploaded file in a child process, so that no file can take the server down.

Every trainee of a class shares one server process. A reader that aborts (calamine's failed allocation aborts
the process, with no exception to catch), runs out of memory or spins for minutes would end every session on
the server. So uploaded bytes are parsed only in a short-lived child process with an address-space limit and a
CPU-time limit, and the server waits with a wall-clock limit; a child that dies or overruns becomes a
:class:`SandboxError` (intake turns it into a clear Chinese message), and the server carries on.

The children come from one *reader worker*: a small single-threaded Python process, started on the first
upload with the intake modules already imported, that listens on a Unix socket in a private directory and forks
a copy of itself for each read (about 10–20 ms, against 0.5 s or more to start a fresh Python that imports
pandas). Forking the server itself would copy a multi-threaded process, which is unsafe; the worker is started
as ``python -m workbook.sandbox`` so that it never depends on how the server was launched. The result (a book of
a few MB) comes back pickled over the socket; the parse's transient memory (calamine's grid, millions of Python
cells) dies with the child instead of fragmenting the server's heap, so it is given back as soon as the read
ends. The worker exits when the server does (its stdin, a pipe from the server, closes).

Where the platform has no fork or no Unix sockets (Windows), reading runs in-process: the sheet pre-scan
(``workbook.extent``) then is the guard against the far-cell abort.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# Address space a child may add to what it starts with. A 50,000 × 30 list peaks at ~350 MB resident and
# ~1.2 GB of address space (Arrow's allocator reserves ahead); the largest sheet intake accepts is 4 × that.
MEMORY_LIMIT_BYTES = 4 * 2**30
CPU_LIMIT_SECONDS = 120
WALL_LIMIT_SECONDS = 180  # a busy 2-core classroom server shares its CPU with the child
START_LIMIT_SECONDS = 60  # the worker imports pandas once
PRELOAD = ("workbook.intake",)  # imported once in the worker, so each child starts ready
WARM_UP = "workbook.intake:warm_up"  # then run once: lazy imports and the text catalogue, loaded before forking
_ROOT = Path(__file__).resolve().parent.parent  # the directory holding the workbook package

_lock = threading.Lock()
_worker: _Worker | None = None


class SandboxError(Exception):
    """The child ended without a result: ``reason`` is "crashed" (killed, aborted, out of memory, or the
    worker could not start) or "timeout"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def available() -> bool:
    """Whether reads run isolated on this platform."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and sys.platform != "win32"


def run(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a child process under the limits, its result returned (or its exception raised
    again here). ``function`` must be a module-level function; its arguments and result must pickle."""
    if not available():
        return function(*args)
    connection, pid = _connect()
    try:
        connection.send((function, args))
        if not connection.poll(WALL_LIMIT_SECONDS):
            _stop(pid)  # still computing; a child that has answered or died is never signalled (pids recycle)
            raise SandboxError("timeout", f"{WALL_LIMIT_SECONDS} s")
        try:
            outcome, value = connection.recv()
        except (EOFError, OSError, pickle.UnpicklingError) as err:
            raise SandboxError("crashed", f"pid {pid}") from err
    finally:
        connection.close()
    if outcome == "error":
        raise value
    return value


# ---- the server side ----------------------------------------------------------------------------------------


class _Worker:
    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="workbook-reader-")  # mode 0700: this user's processes only
        self.address = os.path.join(self.directory, "socket")
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, (str(_ROOT), environment.get("PYTHONPATH"))))
        # One thread per library: the worker forks, and idle thread pools are memory for nothing.
        environment.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workbook.sandbox", self.address],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment, cwd=str(_ROOT),
        )
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], START_LIMIT_SECONDS)
        line = self.process.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.close()
            raise SandboxError("crashed", "the reader worker did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the worker's signal to exit
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


def _connect() -> tuple[Connection, int]:
    """A connection to a fresh child, and the child's pid."""
    global _worker
    for attempt in range(2):
        with _lock:
            if _worker is None or not _worker.alive():
                if _worker is not None:
                    _worker.close()
                _worker = _Worker()
                atexit.register(_worker.close)
            address = _worker.address
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            client.connect(address)
            connection = Connection(client.detach())
            return connection, int(connection.recv())
        except (OSError, EOFError) as err:
            client.close()
            if attempt:
                raise SandboxError("crashed", "no reader worker") from err
            with _lock:
                if _worker is not None:
                    _worker.close()
                    _worker = None
    raise SandboxError("crashed", "no reader worker")  # not reached: the loop returns or raises


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


# ---- the worker and its children --------------------------------------------------------------------------


def serve(address: str) -> None:
    """The reader worker: preload, listen, fork one child per connection; exit when stdin closes."""
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    module_name, function_name = WARM_UP.split(":")
    getattr(importlib.import_module(module_name), function_name)()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    lifeline = sys.stdin.fileno()
    while True:
        readable, _, _ = select.select([listener, lifeline], [], [])
        if lifeline in readable and not os.read(lifeline, 1024):
            break  # the server is gone
        if listener not in readable:
            continue
        connection, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            os.close(lifeline)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _child(Connection(connection.detach()))
            os._exit(0)
        connection.close()
    listener.close()
    os.unlink(address)


def _child(connection: Connection) -> None:
    code = 0
    try:
        connection.send(os.getpid())
        function, args = connection.recv()
        _limit_resources()
        # The child lives for one read: the cyclic collector would only walk its millions of parsed cells.
        gc.disable()
        try:
            result: tuple[str, Any] = ("ok", function(*args))
        except BaseException as err:  # every failure goes back to the server as it was
            result = ("error", err)
        try:
            connection.send(result)
        except Exception:  # an exception that does not pickle: send its text instead
            connection.send(("error", RuntimeError(f"{type(result[1]).__name__}: {result[1]}"[:2000])))
    except BaseException:
        code = 1
    finally:
        connection.close()
        os._exit(code)


def _limit_resources() -> None:
    import resource

    limits = ((resource.RLIMIT_AS, _address_space() + MEMORY_LIMIT_BYTES), (resource.RLIMIT_CPU, CPU_LIMIT_SECONDS))
    for kind, soft in limits:
        try:
            _, hard = resource.getrlimit(kind)
            resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        except (ValueError, OSError):
            continue  # e.g. RLIMIT_AS unsupported (macOS): the other limits still hold


def _address_space() -> int:
    """The child's address space now, in bytes (Linux: /proc; elsewhere a generous guess)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 2 * 2**30


if __name__ == "__main__":
    serve(sys.argv[1])
