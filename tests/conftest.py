"""Shared test settings. Hypothesis runs a fixed, modest number of examples so CI time stays predictable.

Every test process saves to its own throwaway classroom database (a SQLite file in a temporary folder), never
to the developer's ``data/workbook.sqlite`` or to a database ``WORKBOOK_DB_URL`` points at; app servers the
browser tests start inherit it. The store's tests also run on a real PostgreSQL: ``WORKBOOK_TEST_PG_URL`` (an
administrator's URL, exported by ``.ci/run``) or, when unset, a throwaway cluster started from the installed
server binaries (see ``scripts/postgres_cluster.py``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "project", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("project")

# Set at import time (before any app module or server reads it), removed with the folder at exit.
_DATABASE_FOLDER = tempfile.TemporaryDirectory(prefix="workbook-test-db-")
os.environ["WORKBOOK_DB_URL"] = f"sqlite:///{Path(_DATABASE_FOLDER.name).as_posix()}/workbook.sqlite"


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL administrator URL: from .ci/run's server, else a throwaway cluster for this test run."""
    from scripts import postgres_cluster

    configured = os.environ.get(postgres_cluster.URL_VARIABLE)
    if configured:
        yield configured
        return
    if postgres_cluster.bin_dir() is None:
        pytest.fail(f"the store's tests need a real PostgreSQL: {postgres_cluster.INSTALL_HINT}, "
                    f"or set {postgres_cluster.URL_VARIABLE}", pytrace=False)
    with postgres_cluster.running_cluster() as url:
        yield url


@contextlib.contextmanager
def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the test PostgreSQL for the block (its URL), dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = f"workbook_test_{secrets.token_hex(6)}"
    conninfo = dict(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                    dbname=admin.database or "postgres")
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty database on the test PostgreSQL, dropped afterwards."""
    with fresh_postgres_database(postgres_admin_url) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'classroom' / 'workbook.sqlite').as_posix()}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on the embedded SQLite file and on a real PostgreSQL."""
    return str(request.getfixturevalue(f"{request.param}_url"))
