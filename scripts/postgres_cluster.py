"""A throwaway PostgreSQL server on loopback, for the store's tests on a real PostgreSQL.

Debian's ``postgresql`` package puts ``initdb`` and ``pg_ctl`` in ``/usr/lib/postgresql/<major>/bin`` (not on the
PATH). ``initdb`` refuses to run as root, so under root the cluster belongs to the ``postgres`` system user (created
by the package) and every server command runs through ``runuser``. The cluster lives in a temporary folder, listens
on 127.0.0.1 on a free port with password authentication, and is removed when stopped.

In Python (the pytest fixture)::

    with running_cluster() as admin_url:   # postgresql+psycopg://workbook:...@127.0.0.1:PORT/postgres
        ...

From a shell (``.ci/run``)::

    eval "$(python -m scripts.postgres_cluster start)"     # exports WORKBOOK_TEST_PG_URL and WORKBOOK_TEST_PG_DIR
    python -m scripts.postgres_cluster stop "$WORKBOOK_TEST_PG_DIR"
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.serve import free_port

URL_VARIABLE = "WORKBOOK_TEST_PG_URL"
DIR_VARIABLE = "WORKBOOK_TEST_PG_DIR"
ADMIN_USER = "workbook"
SERVICE_USER = "postgres"  # the system user Debian's package creates; owns the cluster when we run as root
INSTALL_HINT = "install PostgreSQL (Debian: apt-get install -y postgresql) or set PG_BIN to its bin folder"


class ClusterError(RuntimeError):
    pass


def bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else the PATH."""
    configured = os.environ.get("PG_BIN")
    candidates = [Path(configured)] if configured else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _major(p.parent.name),
                         reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _major(name: str) -> int:
    return int(name) if name.isdigit() else 0


def _as_service_user() -> list[str]:
    """Command prefix: nothing for an ordinary user; ``runuser -u postgres --`` for root (initdb refuses root)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser") is None:
        raise ClusterError("running as root needs `runuser` (util-linux) to start PostgreSQL as another user")
    return ["runuser", "-u", SERVICE_USER, "--"]


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int
    password: str

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{ADMIN_USER}:{self.password}@127.0.0.1:{self.port}/postgres"


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"{what} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")


def start() -> Cluster:
    """Create and start a cluster; the caller stops it with :func:`stop`."""
    binaries = bin_dir()
    if binaries is None:
        raise ClusterError(f"PostgreSQL server binaries not found: {INSTALL_HINT}")
    prefix = _as_service_user()
    folder = Path(tempfile.mkdtemp(prefix="workbook-pg-"))
    password = secrets.token_urlsafe(16)
    cluster = Cluster(folder=folder, port=free_port(), password=password)
    try:
        (folder / "password").write_text(password, encoding="utf-8")
        if prefix:
            import pwd

            account = pwd.getpwnam(SERVICE_USER)
            for path in (folder, folder / "password"):
                os.chown(path, account.pw_uid, account.pw_gid)
        folder.chmod(0o700)
        _run([*prefix, str(binaries / "initdb"), "-D", str(cluster.data), "-U", ADMIN_USER,
              f"--pwfile={folder / 'password'}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"],
             "initdb")
        options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {folder} -c max_connections=200"
        _run([*prefix, str(binaries / "pg_ctl"), "-D", str(cluster.data), "-l", str(folder / "server.log"),
              "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cluster


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (fast shutdown) and remove it."""
    binaries = bin_dir()
    data = folder / "data"
    if binaries is not None and (data / "postmaster.pid").exists():
        with contextlib.suppress(ClusterError):
            _run([*_as_service_user(), str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                 "pg_ctl stop")
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def running_cluster() -> Iterator[str]:
    """A started cluster for the block; yields the administrator's URL (database ``postgres``)."""
    cluster = start()
    try:
        yield cluster.url
    finally:
        stop(cluster.folder)


def main(argv: list[str]) -> int:
    if argv[:1] == ["start"]:
        cluster = start()
        print(f"export {URL_VARIABLE}={shlex.quote(cluster.url)}")
        print(f"export {DIR_VARIABLE}={shlex.quote(str(cluster.folder))}")
        return 0
    if argv[:1] == ["stop"] and len(argv) == 2:
        stop(Path(argv[1]))
        return 0
    print("usage: python -m scripts.postgres_cluster start | stop FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
