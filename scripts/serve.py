"""Start the app for real on a free loopback port (for browser tests, screenshots and load checks).

    with running_app() as url:
        ...  # http://127.0.0.1:PORT

    with running_server() as server:   # the same, with the server's process id (load figures read /proc)
        ...  # server.url, server.pid

The server runs with the project's own .streamlit/config.toml; it is stopped when the block ends.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def chromium_path() -> str:
    """Debian's Chromium (installed by .ci/run: apt-get install chromium fonts-noto-cjk)."""
    configured = os.environ.get("CHROMIUM_PATH")
    for candidate in (configured, *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError(
        "Chromium not found: run `bash .ci/run` once, or `apt-get install -y chromium fonts-noto-cjk`, "
        "or set CHROMIUM_PATH."
    )


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    pid: int


@contextlib.contextmanager
def running_server(
    port: int | None = None,
    extra_args: tuple[str, ...] = (),
    root: Path = ROOT,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> Iterator[Server]:
    """Start ``app.py`` under ``root`` (another checkout can be measured the same way) and yield it once healthy.
    The server's output goes to ``log_path`` when given (kept afterwards), else to a temporary file."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        *extra_args,
    ]
    # The log goes to a file, not a pipe: under load nobody reads a pipe, and a full one would stall the server.
    with open(log_path, "w+b") if log_path else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})})
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not become healthy within 60 s")
                time.sleep(0.3)
            yield Server(url=url, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def running_app(port: int | None = None, extra_args: tuple[str, ...] = ()) -> Iterator[str]:
    with running_server(port, extra_args) as server:
        yield server.url
