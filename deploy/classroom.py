"""Serve a bigger class on more cores: N app processes behind nginx, each trainee's tab kept on its own process.

    python deploy/classroom.py                          # one process per core, on http://0.0.0.0:8501
    python deploy/classroom.py --processes 2 --port 8080 --address 127.0.0.1
    WORKBOOK_DB_URL=postgresql+psycopg://user:pass@db/workbook python deploy/classroom.py   # a shared database

One Streamlit process runs all its sessions' scripts under one interpreter lock: about one core, whatever the
machine has. This starts ``--processes`` copies of the app on loopback ports and Debian's nginx in front of them
on ``--address:--port`` (the configuration is ``deploy/nginx.conf.template``: sticky by a per-browser cookie,
websockets passed through, uploads never spooled to disk). Every process reads and writes the trainees' saved
work in the same database (``WORKBOOK_DB_URL``; the default SQLite file under ``data/`` is shared by processes on
one machine), so a trainee whose process restarts resumes from their ``?t=`` link. Each process is warmed up
(every page opened once) before the proxy takes trainees, and restarted if it exits; Ctrl+C stops them all.

The instructor's PIN is one for the whole classroom: without ``WORKBOOK_INSTRUCTOR_PIN`` (environment or secrets) each
app process would make and log a random PIN of its own, and the board would take a different PIN depending on the
process a browser lands on. The launcher then makes one random PIN, gives it to every process and prints it.

Processes are started with ``MALLOC_ARENA_MAX=2``: glibc otherwise keeps one heap per thread that ever ran a
script, which holds freed memory (measured: ~10% less resident memory for a class on the branch demo).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def shared_pin_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` with the instructor PIN every process will use: the configured one (environment, secrets or
    ``env`` itself) is left alone; else one random PIN for all (see the module's note)."""
    sys.path.insert(0, str(ROOT))
    from workbook.access import PIN_SETTING, RANDOM_PIN_DIGITS
    from workbook.settings import setting

    if env.get(PIN_SETTING, "").strip() or setting(PIN_SETTING):
        return dict(env)
    return {**env, PIN_SETTING: "".join(secrets.choice("0123456789") for _ in range(RANDOM_PIN_DIGITS))}


def nginx_path() -> str:
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), *NGINX_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("nginx not found: `apt-get install -y nginx` (Debian), or set NGINX=/path/to/nginx.")


def nginx_config(ports: list[int], listen: str, run_dir: Path) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("@UPSTREAM_SERVERS@", servers), ("@LISTEN@", listen), ("@RUN_DIR@", str(run_dir))):
        text = text.replace(name, value)
    return text


def wait_healthy(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy within {timeout:.0f} s")
        time.sleep(0.3)


def warm_up(url: str) -> None:
    """Open every page once, so imports and the sample book's shared results are ready for the first trainees."""
    sys.path.insert(0, str(ROOT))
    from scripts.load import Tab, run_async

    async def visit() -> None:
        tab = Tab(url, 0)
        await tab.open("")
        for page in tab.page_order:
            await tab.rerun(page=page)
        await tab.close()

    run_async(visit())


@dataclass
class AppProcess:
    port: int
    log: Path
    extra_args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)  # over the launcher's own environment
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            *self.extra_args,
        ]
        env = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"), **self.env}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Classroom:
    """The app processes and the proxy; ``start()`` returns once trainees can connect."""

    processes: int
    address: str = "0.0.0.0"
    port: int = 8501
    warm: bool = True
    run_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="workbook-classroom-")))
    extra_args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)  # e.g. WORKBOOK_DB_URL for every app process
    apps: list[AppProcess] = field(default_factory=list)
    proxy: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        return f"http://{host}:{self.port}"

    @property
    def pids(self) -> list[int]:
        return [app.process.pid for app in self.apps if app.process is not None]

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.env = shared_pin_env(self.env)
        self.apps = [AppProcess(free_port(), self.run_dir / f"app-{i}.log", self.extra_args, dict(self.env))
                     for i in range(self.processes)]
        for app in self.apps:
            app.start()
        for app in self.apps:
            wait_healthy(app.url, app.process)
            if self.warm:
                warm_up(app.url)
        listen = f"{self.address}:{self.port}" if ":" not in self.address else f"[{self.address}]:{self.port}"
        config = self.run_dir / "nginx.conf"
        config.write_text(nginx_config([app.port for app in self.apps], listen, self.run_dir), encoding="utf-8")
        nginx = nginx_path()
        checked = subprocess.run([nginx, "-t", "-q", "-c", str(config), "-p", str(self.run_dir)],
                                 capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
        self.proxy = subprocess.Popen([nginx, "-c", str(config), "-p", str(self.run_dir), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_healthy(self.url, self.proxy)

    def supervise_once(self) -> list[int]:
        """Restart any app process that has exited (its trainees reconnect and resume from the store)."""
        restarted = []
        for app in self.apps:
            if app.process is not None and app.process.poll() is not None:
                app.restarts += 1
                app.start()
                restarted.append(app.port)
        return restarted

    def stop(self) -> None:
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.terminate()
            self.proxy.wait(timeout=10)
        for app in self.apps:
            app.stop()

    def __enter__(self) -> Classroom:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1, help="app processes (default: cores)")
    parser.add_argument("--address", default="0.0.0.0", help="address trainees connect to (default: every one)")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--no-warm", action="store_true", help="do not open every page once before trainees come")
    parser.add_argument("--run-dir", help="where the proxy's configuration and the logs go (default: a temp dir)")
    args = parser.parse_args()

    room = Classroom(args.processes, args.address, args.port, warm=not args.no_warm,
                     **({"run_dir": Path(args.run_dir)} if args.run_dir else {}))
    stopping = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    with room:
        print(f"{args.processes} app processes behind nginx: {room.url}  (logs in {room.run_dir})", flush=True)
        made = room.env.get("WORKBOOK_INSTRUCTOR_PIN")
        if made:  # only when the launcher made it: a configured PIN is never printed
            print(f"WORKBOOK_INSTRUCTOR_PIN is not set: the instructor PIN for this run is {made}", flush=True)
        while not stopping:
            for port in room.supervise_once():
                print(f"app process on port {port} exited and was restarted", flush=True)
            time.sleep(2)


if __name__ == "__main__":
    main()
