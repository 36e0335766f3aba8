"""The classroom database: every trainee's saved workspace, and the exercises groups submit to the instructor.

One facade over SQLAlchemy 2 Core, the same on the embedded SQLite file and on PostgreSQL::

    store = open_store()                       # WORKBOOK_DB_URL (environment or secrets), else data/workbook.sqlite
    store.save_workspace(token, workspace)     # the whole workspace under a trainee's resume token
    store.load_workspace(token)                # -> the workspace, or None for a token never saved
    store.submit(workshop, group, exercise, payload, client_key)   # -> Receipt; a replayed key changes nothing
    store.submissions(workshop)                # each group's current submission per exercise (its latest)
    store.history(workshop)                    # every accepted submission, oldest first
    store.workshops()                          # the instructor's board: every workshop code with its counts
    store.start_timer(workshop, exercise, m)   # an exercise countdown the whole class sees; store.timers()

Why it is built this way (the facts in ENGINEERING.md, measured on this kind of machine):

- **SQLite under a threaded server.** One Streamlit process runs every trainee's clicks on threads. Each unit of
  work takes its own connection (no pool: a connection is never shared between threads, and a file replaced or
  removed underneath is noticed at once), in WAL mode (readers never wait for the writer), with a busy timeout,
  ``synchronous=FULL`` (a laptop's power cut loses no acknowledged write) and ``BEGIN IMMEDIATE`` for every write:
  a deferred ``BEGIN`` that reads and then writes lost 28 of 1,200 concurrent writes to "database is locked"
  despite the timeout. pysqlite's own transaction handling is switched off and SQLAlchemy emits BEGIN itself
  (the SQLAlchemy SQLite dialect documentation's recipe, "Using SQLAlchemy to emit BEGIN in lieu of SQLite's
  transaction control").
- **Idempotent submits.** A submission carries a client key (unique); a double click or a replay after a lost
  answer finds the key and returns the first receipt. Every accepted submission is kept (history); a group's
  current submission for an exercise is its latest.
- **Bounded retries.** A busy database is retried a few times with a growing pause; a database that cannot be
  reached raises :class:`StoreUnavailable` quickly, so the app can say "saving is paused" and try again later.
- **Schema versions.** ``schema_migrations`` records the applied versions; :data:`MIGRATIONS` are applied in
  order, each in one transaction, on every open. A released migration never changes: the next release appends
  one, so a data file written by this release opens in the next (tested with a file written by schema v1).
- **Open strings for what comes next.** ``exercise`` is a free identifier ("exercise1", "exercise2", a class
  poll …); a workshop has a status (open, archived) for the instructor's board.

A trainee's resume token is stored only as its SHA-256: a copy of the database does not hand out anyone's link.
This module never imports streamlit; the page layer decides what the trainee sees when saving pauses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from workbook import i18n
from workbook import workspace as ws
from workbook.clock import now
from workbook.settings import PROJECT_ROOT, setting

T = TypeVar("T")
LOG = logging.getLogger(__name__)

URL_SETTING = "WORKBOOK_DB_URL"
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "workbook.sqlite"
BUSY_TIMEOUT_MS = 5_000  # how long SQLite waits for another writer before "database is locked"
CONNECT_TIMEOUT_S = 3  # PostgreSQL: a server that does not answer is reported quickly, not after minutes
BUSY_ATTEMPTS = 3  # a busy database: tried this many times in all (each waits up to the busy timeout)
CONNECT_ATTEMPTS = 2  # a database that cannot be reached: tried twice, then "saving is paused"
BACKOFF_S = 0.05  # first pause between attempts; doubles each time, with jitter
MAX_KEY_LENGTH = 128
MAX_NAME_LENGTH = 100
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")
WORKSHOP_OPEN = "open"
WORKSHOP_ARCHIVED = "archived"


# ---- errors ---------------------------------------------------------------------------------------------------


class StoreError(RuntimeError):
    """The database cannot be used as it is (e.g. written by a newer release). Its text is for the operator."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or stayed busy through every retry. Nothing was written; try again later."""


class SubmissionError(i18n.LocalisedError):
    """A submission lacks what it needs (catalogue ``error.store.<code>``): the trainee can fix it."""

    catalogue_prefix = "error.store"


# ---- values ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the trainee is told after submitting: it is in the database, as number ``number``, at ``time`` (UTC).

    ``replayed`` is true when the client key had been accepted before: nothing changed, this is the first receipt.
    """

    number: int
    workshop: str
    group: str
    exercise: str
    client_key: str
    time: datetime
    replayed: bool = False


@dataclass(frozen=True)
class Submission:
    """One accepted submission: who (workshop, group, optionally the trainee who pressed submit), which exercise,
    the payload as submitted, its client key and time (UTC)."""

    number: int
    workshop: str
    group: str
    exercise: str
    payload: dict[str, Any] = field(repr=False)
    client_key: str
    time: datetime
    submitted_by: str = ""


@dataclass(frozen=True)
class Timer:
    """A workshop's exercise countdown: which exercise (``exercise1``, ``exercise2``, ``poll_s1_1`` …), when it
    started and when it ends (UTC)."""

    workshop: str
    exercise: str
    started_at: datetime
    ends_at: datetime

    def remaining(self, moment: datetime) -> float:
        """Seconds left at ``moment`` (0 once it has run out)."""
        return max(0.0, (self.ends_at - moment).total_seconds())

    @property
    def minutes(self) -> float:
        return (self.ends_at - self.started_at).total_seconds() / 60


@dataclass(frozen=True)
class WorkshopInfo:
    """A workshop code as the instructor's board lists it: status, when created, how many groups and submissions
    it holds and when the latest arrived (None before any)."""

    code: str
    status: str
    created_at: datetime
    groups: int
    submissions: int
    last_submission: datetime | None


# ---- names ----------------------------------------------------------------------------------------------------


def _clean(text: Any) -> str:
    """NFKC (full-width letters and digits become plain), whitespace runs become one space, ends trimmed."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split())


def workshop_code(text: Any) -> str:
    """A workshop code as typed ("bj 1205", "ＢＪ１２０５") in its one stored form ("BJ 1205" → "BJ1205")."""
    return _clean(text).replace(" ", "").upper()[:MAX_NAME_LENGTH]


def group_name(text: Any) -> str:
    """A group's name with stray spaces and full-width forms evened out, so "第三组 " and "第三组" are one group."""
    return _clean(text)[:MAX_NAME_LENGTH]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_token(text: Any) -> bool:
    """Whether ``text`` has the shape of a resume token (URL-safe, 16–128 characters)."""
    return isinstance(text, str) and TOKEN_PATTERN.fullmatch(text) is not None


def _payload_json(payload: Any) -> str:
    try:
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise TypeError(f"a submission payload must be plain JSON data: {err}") from err


def payload_digest(payload: Any) -> str:
    return hashlib.sha256(_payload_json(payload).encode("utf-8")).hexdigest()


def submission_key(
    resume_token: str,
    workshop: str,
    group: str,
    exercise: str,
    payload: Any,
    last: Mapping[str, Any] | None = None,
) -> str:
    """The client key for submitting ``payload`` now, from this trainee's ``last`` receipt record (see
    :func:`receipt_record`; None before the first submit).

    The same content to the same workshop and group as last time reuses the last key, so a second click changes
    nothing. Anything else gets a key derived from the content *and* the last key: deterministic, so a click
    repeated after a submit whose answer was lost (the page reran before keeping the receipt) replays the same
    key, yet sending back an earlier version after a newer one is a new submission that becomes current again."""
    code, name, exercise_id, digest = workshop_code(workshop), group_name(group), _clean(exercise), payload_digest(
        payload)
    last = last or {}
    if (last.get("digest"), last.get("workshop"), last.get("group"), last.get("exercise")) == (
        digest, code, name, exercise_id
    ) and last.get("client_key"):
        return str(last["client_key"])
    seed = json.dumps([token_hash(resume_token), code, name, exercise_id, digest, str(last.get("client_key", ""))],
                      ensure_ascii=False)
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def receipt_record(receipt: Receipt, payload: Any) -> dict[str, Any]:
    """A receipt as plain data for the workspace: what the trainee is shown later, and what the next key needs."""
    return {
        "number": receipt.number,
        "workshop": receipt.workshop,
        "group": receipt.group,
        "exercise": receipt.exercise,
        "client_key": receipt.client_key,
        "time": receipt.time.isoformat(timespec="seconds"),
        "digest": payload_digest(payload),
    }


# ---- schema ---------------------------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """A moment kept in UTC on every database: SQLite has no time zones, so it stores UTC without an offset and
    reads it back as UTC; PostgreSQL keeps ``timestamp with time zone``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a stored moment must carry its time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The tables as the code reads and writes them (the current schema version). The migrations below create them;
# they keep their own frozen copy of each version's definitions, so a later change here needs a new migration.
metadata = MetaData()
schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", UTCDateTime(), nullable=False),
)
workshops = Table(
    "workshops",
    metadata,
    Column("code", String(MAX_NAME_LENGTH), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("timer_exercise", String(64), nullable=True),
    Column("timer_started_at", UTCDateTime(), nullable=True),
    Column("timer_ends_at", UTCDateTime(), nullable=True),
    Column("status_changed_at", UTCDateTime(), nullable=True),
)
workspaces = Table(
    "workspaces",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("data", Text, nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
)
submissions_table = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_key", String(MAX_KEY_LENGTH), nullable=False, unique=True),
    Column("workshop", String(MAX_NAME_LENGTH), ForeignKey("workshops.code"), nullable=False),
    Column("group_name", String(MAX_NAME_LENGTH), nullable=False),
    Column("exercise", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    Column("submitted_by", String(MAX_NAME_LENGTH), nullable=False),
    Column("submitted_at", UTCDateTime(), nullable=False),
)


def _schema_v1(connection: Connection) -> None:
    """Version 1 (this release): workshops, workspaces by token hash, submissions with an index for 'current'."""
    v1 = MetaData()
    Table(
        "workshops",
        v1,
        Column("code", String(100), primary_key=True),
        Column("status", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "workspaces",
        v1,
        Column("token_hash", String(64), primary_key=True),
        Column("data", Text, nullable=False),
        Column("saved_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "submissions",
        v1,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_key", String(128), nullable=False, unique=True),
        Column("workshop", String(100), ForeignKey("workshops.code"), nullable=False),
        Column("group_name", String(100), nullable=False),
        Column("exercise", String(64), nullable=False),
        Column("payload", Text, nullable=False),
        Column("submitted_by", String(100), nullable=False),
        Column("submitted_at", DateTime(timezone=True), nullable=False),
        # "each group's latest per exercise" and "a workshop's history" are both range scans of this index
        Index("ix_submissions_workshop_exercise_group", "workshop", "exercise", "group_name", "id"),
    )
    v1.create_all(connection)


def _schema_v2(connection: Connection) -> None:
    """Version 2: the instructor's board. A workshop's exercise timer (which exercise, started, ends) and when its
    status last changed (archived or reopened). Columns are added, so every row of version 1 stays as it was."""
    moment = DateTime(timezone=True).compile(dialect=connection.dialect)
    label = String(64).compile(dialect=connection.dialect)
    for name, kind in (("timer_exercise", label), ("timer_started_at", moment), ("timer_ends_at", moment),
                       ("status_changed_at", moment)):
        connection.exec_driver_sql(f"ALTER TABLE workshops ADD COLUMN {name} {kind}")


@dataclass(frozen=True)
class Migration:
    """One schema step. Released steps never change; a new release appends the next version."""

    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "workshops, workspaces, submissions", _schema_v1),
    Migration(2, "workshop timers and status changes", _schema_v2),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
# PostgreSQL: one advisory lock id for "the schema is being upgraded", so two servers starting at once take turns.
_PG_MIGRATION_LOCK = 0x5742_5354  # "WBST"


# ---- engines --------------------------------------------------------------------------------------------------


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else ``WORKBOOK_DB_URL`` (environment, then secrets), else the SQLite file
    ``data/workbook.sqlite`` beside the app. ``postgresql://`` and ``postgres://`` mean psycopg 3."""
    chosen = url or setting(URL_SETTING) or f"sqlite:///{DEFAULT_DB_PATH.as_posix()}"
    if chosen.startswith("postgres://"):
        chosen = "postgresql://" + chosen[len("postgres://"):]
    if chosen.startswith("postgresql://"):
        chosen = "postgresql+psycopg://" + chosen[len("postgresql://"):]
    return chosen


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        raise StoreError("the store needs a SQLite file (an in-memory database is one per connection)")
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    # NullPool: every unit of work opens its own connection and closes it (a connection is never shared between
    # server threads); opening a SQLite file costs well under a millisecond.
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not pysqlite, emits BEGIN (see _on_begin); pysqlite would otherwise begin lazily, deferred.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writes take the write lock up front (BEGIN IMMEDIATE) so they queue on busy_timeout instead of failing
        # when a read turns into a write; reads begin deferred and, in WAL mode, never wait.
        mode = connection.get_execution_options().get("workbook_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")

    return engine


def _postgresql_engine(url: str) -> Engine:
    return create_engine(
        url,
        pool_pre_ping=True,  # after a database restart, a stale pooled connection is replaced, not reported
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "tiered-client-workbook"},
    )


def _is_connect_failure(err: BaseException) -> bool:
    if isinstance(err, DBAPIError) and err.connection_invalidated:
        return True
    text = str(getattr(err, "orig", err)).lower()
    return any(
        part in text
        for part in ("unable to open database", "connection refused", "could not connect", "connection failed",
                     "server closed the connection", "timeout expired", "no such file", "disk i/o error")
    )


# ---- the store ------------------------------------------------------------------------------------------------


class Store:
    """Saved workspaces and submissions in one database. Thread-safe: every call is its own unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        self.engine.dispose()

    # -- units of work -------------------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            if write:
                connection = connection.execution_options(workbook_write=True)
            with connection.begin():
                yield connection

    def _run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``work`` in one transaction, retrying a busy or briefly unreachable database a bounded number of
        times. Raises StoreUnavailable when every attempt failed; any other error is a bug and propagates."""
        busy_attempt = connect_attempt = 0
        while True:
            try:
                with self._transaction(write) as connection:
                    return work(connection)
            except (DBAPIError, PoolTimeoutError) as err:
                retriable = isinstance(err, (OperationalError, PoolTimeoutError)) or (
                    isinstance(err, DBAPIError) and err.connection_invalidated
                )
                if not retriable:
                    raise  # an integrity or programming error: retrying cannot help
                if isinstance(err, PoolTimeoutError) or not _is_connect_failure(err):
                    busy_attempt += 1
                    attempts, used = BUSY_ATTEMPTS, busy_attempt
                else:
                    connect_attempt += 1
                    attempts, used = CONNECT_ATTEMPTS, connect_attempt
                if used >= attempts:
                    LOG.warning("store unavailable after %d attempts: %s", used, err)
                    raise StoreUnavailable(str(getattr(err, "orig", err))) from err
                time.sleep(BACKOFF_S * (2 ** (used - 1)) * (1 + random.random()))

    def _insert(self, table: Table) -> Any:
        # ON CONFLICT (upsert, do nothing) is spelled the same in both dialects' insert constructs.
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        return dialect_insert(table)

    # -- workspaces ----------------------------------------------------------------------------------------------

    def save_workspace(self, token: str, workspace: ws.Workspace) -> None:
        """Keep the whole workspace under ``token`` (replacing what was there)."""
        data = ws.to_json(workspace)
        key = token_hash(token)

        def work(connection: Connection) -> None:
            statement = self._insert(workspaces).values(token_hash=key, data=data, saved_at=now())
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[workspaces.c.token_hash],
                    set_={"data": statement.excluded.data, "saved_at": statement.excluded.saved_at},
                )
            )

        self._run(work, write=True)

    def load_workspace(self, token: str) -> ws.Workspace | None:
        """The workspace saved under ``token`` (upgraded to the current workspace version), or None.

        Raises workspace.WorkspaceError when the saved text cannot be read (never silently replaced)."""
        key = token_hash(token)
        data = self._run(
            lambda c: c.execute(select(workspaces.c.data).where(workspaces.c.token_hash == key)).scalar_one_or_none(),
            write=False,
        )
        return None if data is None else ws.from_json(data)

    def update_workspace(self, token: str, before: ws.Workspace, after: ws.Workspace) -> ws.Workspace:
        """Apply what changed from ``before`` to ``after`` onto the saved workspace, atomically; return the result.

        Two tabs (or a laptop and a phone) on the same link each save only what they changed, value by value, so
        neither undoes the other's answers. Without a saved workspace, ``after`` is saved as it is."""
        changes = ws.changes(before, after)
        key = token_hash(token)

        def work(connection: Connection) -> ws.Workspace:
            stored = connection.execute(
                select(workspaces.c.data).where(workspaces.c.token_hash == key)
            ).scalar_one_or_none()
            merged = ws.apply_changes(ws.from_json(stored), changes) if stored is not None else after
            data = ws.to_json(merged)
            if data != stored:
                statement = self._insert(workspaces).values(token_hash=key, data=data, saved_at=now())
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[workspaces.c.token_hash],
                        set_={"data": statement.excluded.data, "saved_at": statement.excluded.saved_at},
                    )
                )
            return ws.from_json(data)

        return self._run(work, write=True)

    # -- submissions ---------------------------------------------------------------------------------------------

    def submit(
        self,
        workshop: str,
        group: str,
        exercise: str,
        payload: Mapping[str, Any],
        client_key: str,
        submitted_by: str = "",
    ) -> Receipt:
        """Accept one submission, idempotently on ``client_key``: a key seen before changes nothing and returns
        its first receipt (``replayed=True``). The group's current submission for the exercise becomes this one."""
        code, name, exercise_id = workshop_code(workshop), group_name(group), _clean(exercise)
        key = str(client_key or "").strip()
        if not code:
            raise SubmissionError("workshop_missing")
        if not name:
            raise SubmissionError("group_missing")
        if not exercise_id or not key or len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"a submission needs an exercise id and a client key of 1–{MAX_KEY_LENGTH} characters")
        data = _payload_json(payload)
        by = _clean(submitted_by)[:MAX_NAME_LENGTH]

        # A replay (double click, a retry after a lost answer) is answered by a read, without taking the write lock.
        earlier = self._run(lambda c: self._receipt_for(c, key), write=False)
        if earlier is not None:
            return _replayed(earlier)

        def work(connection: Connection) -> tuple[Receipt, bool]:
            moment = now()
            connection.execute(
                self._insert(workshops)
                .values(code=code, status=WORKSHOP_OPEN, created_at=moment)
                .on_conflict_do_nothing(index_elements=[workshops.c.code])
            )
            status = connection.execute(select(workshops.c.status).where(workshops.c.code == code)).scalar_one()
            if status == WORKSHOP_ARCHIVED:  # the instructor closed it: nothing more arrives (rolled back)
                raise SubmissionError("workshop_archived", workshop=code)
            # RETURNING says whether this statement inserted the row (rowcount is not reliable with ON CONFLICT on
            # every driver); a concurrent submit with the same key may have won the race, then its receipt is ours.
            inserted = connection.execute(
                self._insert(submissions_table)
                .values(client_key=key, workshop=code, group_name=name, exercise=exercise_id, payload=data,
                        submitted_by=by, submitted_at=moment)
                .on_conflict_do_nothing(index_elements=[submissions_table.c.client_key])
                .returning(submissions_table.c.id)
            ).scalar_one_or_none()
            receipt = self._receipt_for(connection, key)
            assert receipt is not None
            return receipt, inserted is not None

        receipt, fresh = self._run(work, write=True)
        return receipt if fresh else _replayed(receipt)

    def _receipt_for(self, connection: Connection, key: str) -> Receipt | None:
        row = connection.execute(
            select(
                submissions_table.c.id, submissions_table.c.workshop, submissions_table.c.group_name,
                submissions_table.c.exercise, submissions_table.c.submitted_at,
            ).where(submissions_table.c.client_key == key)
        ).one_or_none()
        if row is None:
            return None
        return Receipt(number=row.id, workshop=row.workshop, group=row.group_name, exercise=row.exercise,
                       client_key=key, time=row.submitted_at)

    def receipt(self, client_key: str) -> Receipt | None:
        """The receipt of an accepted client key (``replayed``), or None when the key was never accepted."""
        found = self._run(lambda c: self._receipt_for(c, str(client_key)), write=False)
        return None if found is None else _replayed(found)

    def submissions(self, workshop: str, exercise: str | None = None) -> list[Submission]:
        """The current submissions: for each group and exercise, its latest; ordered by exercise, then group."""
        code = workshop_code(workshop)
        s = submissions_table
        latest = select(func.max(s.c.id)).where(s.c.workshop == code)
        if exercise is not None:
            latest = latest.where(s.c.exercise == _clean(exercise))
        latest = latest.group_by(s.c.exercise, s.c.group_name)
        query = select(s).where(s.c.id.in_(latest.scalar_subquery())).order_by(s.c.exercise, s.c.group_name)
        return self._run(lambda c: [_submission(row) for row in c.execute(query)], write=False)

    def history(self, workshop: str, exercise: str | None = None) -> list[Submission]:
        """Every accepted submission of the workshop (optionally one exercise's), in the order accepted."""
        s = submissions_table
        query = select(s).where(s.c.workshop == workshop_code(workshop))
        if exercise is not None:
            query = query.where(s.c.exercise == _clean(exercise))
        return self._run(lambda c: [_submission(row) for row in c.execute(query.order_by(s.c.id))], write=False)

    # -- workshops -----------------------------------------------------------------------------------------------

    def workshop_status(self, workshop: str) -> str | None:
        """``open`` or ``archived``; None for a code no one has used yet."""
        code = workshop_code(workshop)
        return self._run(
            lambda c: c.execute(select(workshops.c.status).where(workshops.c.code == code)).scalar_one_or_none(),
            write=False,
        )

    def workshops(self, group_exercises: Sequence[str] | None = None) -> list[WorkshopInfo]:
        """Every workshop code: open ones first, then the most recently created first; with the number of groups
        and submissions it holds and the time of its latest submission. ``group_exercises``: count groups only
        among these exercises (a poll's respondents are not groups); None counts every name."""
        s, w = submissions_table, workshops
        named: Any = s.c.group_name
        if group_exercises is not None:
            named = case((s.c.exercise.in_([_clean(e) for e in group_exercises]), s.c.group_name), else_=None)
        counts = (
            select(s.c.workshop, func.count(func.distinct(named)).label("groups"),
                   func.count(s.c.id).label("submissions"), func.max(s.c.submitted_at).label("last"))
            .group_by(s.c.workshop)
            .subquery()
        )
        query = (
            select(w.c.code, w.c.status, w.c.created_at, counts.c.groups, counts.c.submissions, counts.c.last)
            .select_from(w.outerjoin(counts, counts.c.workshop == w.c.code))
        )

        def read(connection: Connection) -> list[WorkshopInfo]:
            rows = connection.execute(query).all()
            found = [
                WorkshopInfo(code=row.code, status=row.status, created_at=row.created_at, groups=int(row.groups or 0),
                             submissions=int(row.submissions or 0),
                             # an aggregate loses the column's type on SQLite: read the moment through it again
                             last_submission=_moment(row.last))
                for row in rows
            ]
            return sorted(found, key=lambda info: (info.status != WORKSHOP_OPEN, -info.created_at.timestamp(),
                                                   info.code))

        return self._run(read, write=False)

    def create_workshop(self, workshop: str) -> str:
        """Open a workshop under ``workshop`` (its stored form is returned); an archived one opens again."""
        code = workshop_code(workshop)
        if not code:
            raise SubmissionError("workshop_missing")

        def work(connection: Connection) -> None:
            moment = now()
            connection.execute(
                self._insert(workshops)
                .values(code=code, status=WORKSHOP_OPEN, created_at=moment)
                .on_conflict_do_nothing(index_elements=[workshops.c.code])
            )
            connection.execute(
                workshops.update().where((workshops.c.code == code) & (workshops.c.status != WORKSHOP_OPEN))
                .values(status=WORKSHOP_OPEN, status_changed_at=moment)
            )

        self._run(work, write=True)
        return code

    def archive_workshop(self, workshop: str) -> None:
        """Close a workshop: its submissions stay (to read and export), new ones are refused, its timer stops."""
        code = workshop_code(workshop)
        self._run(
            lambda c: c.execute(
                workshops.update().where(workshops.c.code == code)
                .values(status=WORKSHOP_ARCHIVED, status_changed_at=now(), timer_exercise=None,
                        timer_started_at=None, timer_ends_at=None)
            ),
            write=True,
        )

    def reset_workshop(self, workshop: str) -> int:
        """Start a workshop over (after a rehearsal): every submission of it is deleted and its timer stops; the
        code stays open. Returns how many submissions were deleted. Trainees' saved workspaces are not touched."""
        code = workshop_code(workshop)

        def work(connection: Connection) -> int:
            deleted = connection.execute(submissions_table.delete().where(submissions_table.c.workshop == code))
            connection.execute(
                workshops.update().where(workshops.c.code == code)
                .values(timer_exercise=None, timer_started_at=None, timer_ends_at=None)
            )
            return int(deleted.rowcount or 0)

        return self._run(work, write=True)

    # -- the exercise timer ----------------------------------------------------------------------------------------

    def start_timer(self, workshop: str, exercise: str, minutes: float) -> Timer:
        """Start (or restart) the workshop's countdown for ``exercise``, ``minutes`` from now; opens the workshop
        if it is new. One timer per workshop: starting another replaces it."""
        code, exercise_id = workshop_code(workshop), _clean(exercise)[:64]
        if not code:
            raise SubmissionError("workshop_missing")
        if not exercise_id or not 0 < float(minutes) <= 24 * 60:
            raise ValueError("a timer needs an exercise id and 0 < minutes ≤ 1440")
        started = now()
        ends = started + timedelta(minutes=float(minutes))

        def work(connection: Connection) -> None:
            connection.execute(
                self._insert(workshops)
                .values(code=code, status=WORKSHOP_OPEN, created_at=started)
                .on_conflict_do_nothing(index_elements=[workshops.c.code])
            )
            connection.execute(
                workshops.update().where(workshops.c.code == code)
                .values(timer_exercise=exercise_id, timer_started_at=started, timer_ends_at=ends)
            )

        self._run(work, write=True)
        return Timer(code, exercise_id, started, ends)

    def stop_timer(self, workshop: str) -> None:
        code = workshop_code(workshop)
        self._run(
            lambda c: c.execute(
                workshops.update().where(workshops.c.code == code)
                .values(timer_exercise=None, timer_started_at=None, timer_ends_at=None)
            ),
            write=True,
        )

    def timers(self) -> dict[str, Timer]:
        """The timers of every open workshop that has one (running or run out), by workshop code."""
        w = workshops
        query = select(w.c.code, w.c.timer_exercise, w.c.timer_started_at, w.c.timer_ends_at).where(
            (w.c.status == WORKSHOP_OPEN) & w.c.timer_ends_at.is_not(None)
        )
        return self._run(
            lambda c: {
                row.code: Timer(row.code, row.timer_exercise or "", row.timer_started_at, row.timer_ends_at)
                for row in c.execute(query)
            },
            write=False,
        )

    def timer(self, workshop: str) -> Timer | None:
        return self.timers().get(workshop_code(workshop))

    # -- schema --------------------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        return self._run(lambda c: _current_version(c), write=False)


def _replayed(receipt: Receipt) -> Receipt:
    return Receipt(number=receipt.number, workshop=receipt.workshop, group=receipt.group, exercise=receipt.exercise,
                   client_key=receipt.client_key, time=receipt.time, replayed=True)


def _moment(value: Any) -> datetime | None:
    """A stored moment read without its column type (an aggregate such as MAX on SQLite gives text), as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _submission(row: Any) -> Submission:
    return Submission(number=row.id, workshop=row.workshop, group=row.group_name, exercise=row.exercise,
                      payload=json.loads(row.payload), client_key=row.client_key, time=row.submitted_at,
                      submitted_by=row.submitted_by)


def _current_version(connection: Connection) -> int:
    if not connection.dialect.has_table(connection, "schema_migrations"):
        return 0
    return int(connection.execute(select(func.max(schema_migrations.c.version))).scalar() or 0)


def upgrade(store: Store, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database to the newest of ``migrations``, each step in its own transaction; return the version.

    Refuses (StoreError) a database written by a newer release rather than guess at its shape."""
    known = migrations[-1].version

    def work(connection: Connection) -> int:
        if store.dialect == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
        schema_migrations.create(connection, checkfirst=True)
        current = _current_version(connection)
        if current > known:
            raise StoreError(f"the database is at schema version {current}; this release knows up to {known}. "
                             "Update the app, or point WORKBOOK_DB_URL at another database.")
        for step in migrations:
            if step.version > current:
                step.apply(connection)
                connection.execute(
                    schema_migrations.insert().values(version=step.version, description=step.description,
                                                      applied_at=now())
                )
                LOG.info("store schema upgraded to version %d (%s)", step.version, step.description)
        return max(current, known)

    return store._run(work, write=True)


def open_store(url: str | None = None, *, migrations: tuple[Migration, ...] = MIGRATIONS) -> Store:
    """The store at ``url`` (see :func:`database_url`), created and upgraded on first use.

    Raises StoreUnavailable when the database cannot be reached, StoreError when it cannot be used."""
    chosen = database_url(url)
    backend = make_url(chosen).get_backend_name()
    if backend == "sqlite":
        try:
            engine = _sqlite_engine(chosen)
        except OSError as err:  # the data folder cannot be created (read-only disk, no permission)
            raise StoreUnavailable(str(err)) from err
        _use_wal(engine)
    elif backend == "postgresql":
        engine = _postgresql_engine(chosen)
    else:
        raise StoreError(f"unsupported database {backend!r}: use a sqlite:/// file or a postgresql:// URL")
    store = Store(engine)
    try:
        upgrade(store, migrations)
    except BaseException:
        engine.dispose()
        raise
    return store


def _use_wal(engine: Engine) -> None:
    """Switch the file to WAL once (the mode is kept in the file; it cannot change inside a transaction)."""
    try:
        raw = engine.raw_connection()
    except DBAPIError as err:
        raise StoreUnavailable(str(err.orig)) from err
    try:
        cursor = raw.cursor()
        mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        cursor.close()
    except Exception as err:  # a locked or unreadable file: the store is not usable now
        raise StoreUnavailable(str(err)) from err
    finally:
        raw.close()
    if str(mode).lower() != "wal":
        LOG.warning("SQLite kept journal mode %s (WAL unavailable on this file system)", mode)
