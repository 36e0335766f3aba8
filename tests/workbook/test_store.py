"""The classroom database (workbook.store): the facade's promises, on the SQLite file and on a real PostgreSQL.

Submits are idempotent on their client key, every accepted submit is kept, a group's current submission is its
latest; workspaces come back exactly as saved; a busy or missing database is reported as StoreUnavailable after
bounded retries, and nothing acknowledged is ever lost (also when the writer is killed mid-flight).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.workbook.test_workspace import json_values
from workbook import store as store_module
from workbook import workspace as ws
from workbook.store import StoreUnavailable, SubmissionError, open_store

ROOT = Path(__file__).resolve().parents[2]
TRAINEES = 60
ROUNDS = 20


def _token(n: int) -> str:
    return f"trainee-token-{n:06d}-padding"


# ---- submissions --------------------------------------------------------------------------------------------


def test_a_replayed_client_key_changes_nothing_and_returns_the_first_receipt(database_url: str) -> None:
    store = open_store(database_url)
    first = store.submit("BJ1205", "第三组", "exercise1", {"round": 1}, "key-1", submitted_by="张三")
    again = store.submit("BJ1205", "第三组", "exercise1", {"round": 99}, "key-1")
    assert not first.replayed and again.replayed
    assert (again.number, again.time, again.group) == (first.number, first.time, first.group)
    assert first.time.tzinfo is not None and first.time.utcoffset().total_seconds() == 0
    [only] = store.history("BJ1205")
    assert only.payload == {"round": 1} and only.client_key == "key-1" and only.submitted_by == "张三"
    assert store.receipt("key-1") == again and store.receipt("never-sent") is None


def test_resubmitting_updates_the_current_submission_and_keeps_the_history(database_url: str) -> None:
    store = open_store(database_url)
    store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "a1")
    store.submit("BJ1205", "第二组", "exercise1", {"v": 1}, "b1")
    store.submit("BJ1205", "第一组", "exercise1", {"v": 2}, "a2")
    store.submit("BJ1205", "第一组", "exercise2", {"v": 1}, "a3")  # another exercise: its own current one
    store.submit("SH0101", "第一组", "exercise1", {"v": 9}, "c1")  # another workshop: not this class
    current = store.submissions("BJ1205")
    assert [(s.exercise, s.group, s.payload) for s in current] == [
        ("exercise1", "第一组", {"v": 2}),
        ("exercise1", "第二组", {"v": 1}),
        ("exercise2", "第一组", {"v": 1}),
    ]
    assert [s.client_key for s in store.history("BJ1205")] == ["a1", "b1", "a2", "a3"]
    assert [s.client_key for s in store.history("BJ1205", "exercise1")] == ["a1", "b1", "a2"]
    assert [s.payload for s in store.submissions("BJ1205", "exercise2")] == [{"v": 1}]


def test_codes_and_group_names_are_matched_as_people_type_them(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    store.submit(" bj 1205", "第三组 ", "exercise1", {"v": 1}, "k1")
    store.submit("ＢＪ１２０５", "第三组", "exercise1", {"v": 2}, "k2")  # full-width letters and digits
    [current] = store.submissions("BJ1205")
    assert (current.workshop, current.group, current.payload) == ("BJ1205", "第三组", {"v": 2})
    assert store.workshop_status("bj1205") == "open" and store.workshop_status("NONE") is None


@pytest.mark.parametrize(
    "workshop, group, code", [("", "第三组", "workshop_missing"), ("BJ1205", "  ", "group_missing")]
)
def test_a_submission_without_workshop_or_group_is_refused_with_a_message(
    sqlite_url: str, workshop: str, group: str, code: str
) -> None:
    store = open_store(sqlite_url)
    with pytest.raises(SubmissionError) as caught:
        store.submit(workshop, group, "exercise1", {}, "k")
    assert caught.value.code == code and "⟦" not in caught.value.text("en")
    assert store.history("BJ1205") == []


def test_sixty_groups_submitting_at_once_then_replaying_everything_at_once(database_url: str) -> None:
    # 60 threads (one per group, as 60 trainees' clicks on one server) × 20 submits with distinct client keys,
    # then every submit replayed at the same moment: nothing is lost, nothing is doubled.
    store = open_store(database_url)
    start = threading.Barrier(TRAINEES)

    def group_submits(group: int) -> list[str]:
        start.wait()
        receipts = [
            store.submit("BJ1205", f"第{group}组", "exercise1", {"group": group, "round": r}, f"g{group}-r{r}")
            for r in range(ROUNDS)
        ]
        return [receipt.client_key for receipt in receipts if not receipt.replayed]

    with ThreadPoolExecutor(TRAINEES) as pool:
        accepted = [key for keys in pool.map(group_submits, range(TRAINEES)) for key in keys]
    assert len(accepted) == TRAINEES * ROUNDS

    start.reset()
    with ThreadPoolExecutor(TRAINEES) as pool:
        replayed_fresh = [key for keys in pool.map(group_submits, range(TRAINEES)) for key in keys]
    assert replayed_fresh == []  # every replay answered with its first receipt

    history = store.history("BJ1205")
    current = store.submissions("BJ1205")
    assert len(history) == TRAINEES * ROUNDS == 1_200
    assert len({s.client_key for s in history}) == 1_200
    assert len(current) == TRAINEES
    assert {s.group: s.payload["round"] for s in current} == {f"第{g}组": ROUNDS - 1 for g in range(TRAINEES)}
    assert all(s.payload["group"] == int(s.group[1:-1]) for s in current)


# ---- workspaces ---------------------------------------------------------------------------------------------


def test_sixty_trainees_autosaving_twenty_times_each_load_their_last(database_url: str) -> None:
    store = open_store(database_url)
    start = threading.Barrier(TRAINEES)

    def trainee(n: int) -> None:
        work = ws.new_workspace()
        work["trainee"]["name"] = f"学员{n}"
        start.wait()
        for step in range(ROUNDS):
            ws.set_values(work, "s1_2", target=n * 1_000 + step, note=f"第{step}次")
            store.save_workspace(_token(n), work)

    with ThreadPoolExecutor(TRAINEES) as pool:
        list(pool.map(trainee, range(TRAINEES)))
    for n in range(TRAINEES):
        loaded = store.load_workspace(_token(n))
        assert loaded is not None and loaded["trainee"]["name"] == f"学员{n}"
        assert loaded["modules"]["s1_2"] == {"target": n * 1_000 + ROUNDS - 1, "note": f"第{ROUNDS - 1}次"}


workspaces = st.builds(
    lambda modules, trainee: _workspace(modules, trainee),
    st.dictionaries(
        st.sampled_from(["book", "s1_1", "s1_2", "s3_2", "s3_5"]),
        st.dictionaries(st.text(min_size=1, max_size=10), json_values, min_size=1, max_size=4),
        max_size=4,
    ),
    st.fixed_dictionaries({"name": st.text(max_size=12), "group": st.text(max_size=12),
                           "workshop": st.text(max_size=8)}),
)


def _workspace(modules: dict, trainee: dict) -> ws.Workspace:
    work = ws.new_workspace()
    work["trainee"].update(trainee)
    for module_id, values in modules.items():
        ws.set_values(work, module_id, **values)
    return work


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(original=workspaces)
def test_workspace_round_trip_through_the_store(database_url: str, original: ws.Workspace) -> None:
    store = _store_for(database_url)
    token = secrets.token_urlsafe(16)  # a new trainee per example
    store.save_workspace(token, original)
    assert store.load_workspace(token) == original
    # the same workspace saved as "what changed since an empty one" comes back identical too
    other = secrets.token_urlsafe(16)
    assert store.update_workspace(other, ws.new_workspace(), original) == original
    assert store.load_workspace(other) == original


_STORES: dict[str, store_module.Store] = {}


def _store_for(url: str) -> store_module.Store:
    # hypothesis calls the test many times with one fixture value: open each database once
    if url not in _STORES:
        _STORES[url] = open_store(url)
    return _STORES[url]


def test_two_tabs_on_one_link_each_keep_their_own_changes(database_url: str) -> None:
    store = open_store(database_url)
    token = _token(1)
    loaded = ws.new_workspace()
    ws.set_values(loaded, "s1_1", q1=3)
    store.save_workspace(token, loaded)
    laptop, phone = ws.from_json(ws.to_json(loaded)), ws.from_json(ws.to_json(loaded))
    ws.set_values(laptop, "s1_2", target=2_000_000)
    ws.set_values(phone, "s3_5", reflection="按行为分层找到了线上客户")
    phone["trainee"]["group"] = "第三组"
    store.update_workspace(token, loaded, laptop)
    merged = store.update_workspace(token, loaded, phone)
    assert merged["modules"] == {"s1_1": {"q1": 3}, "s1_2": {"target": 2_000_000},
                                 "s3_5": {"reflection": "按行为分层找到了线上客户"}}
    assert merged["trainee"]["group"] == "第三组"
    assert store.load_workspace(token) == merged


def test_an_unknown_token_has_no_workspace_and_the_token_itself_is_not_stored(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    assert store.load_workspace(_token(7)) is None
    store.save_workspace(_token(7), ws.new_workspace())
    with store.engine.connect() as connection:
        keys = connection.execute(select(store_module.workspaces.c.token_hash)).scalars().all()
    assert keys == [store_module.token_hash(_token(7))] and _token(7) not in keys[0]


def test_resume_tokens_have_a_checked_shape() -> None:
    assert store_module.is_token("Ab-_" * 6)
    assert not store_module.is_token("short") and not store_module.is_token("段誉" * 10)
    assert not store_module.is_token(None) and not store_module.is_token("a" * 129)


# ---- durability -------------------------------------------------------------------------------------------------

WRITER = """
import sys
from workbook.store import open_store
store = open_store(sys.argv[1])
for i in range(100_000):
    receipt = store.submit("BJ1205", f"第{i % 7}组", "exercise1", {"i": i, "text": "x" * 200}, f"kill-{i}")
    print(receipt.client_key, flush=True)  # printed only after the commit returned: acknowledged
"""


def test_a_writer_killed_with_sigkill_loses_no_acknowledged_submit(database_url: str) -> None:
    open_store(database_url).close()  # schema created before the writer starts
    writer = subprocess.Popen([sys.executable, "-c", WRITER, database_url], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert writer.stdout is not None
    acknowledged = []
    for line in writer.stdout:
        acknowledged.append(line.strip())
        if len(acknowledged) >= 150:
            break
    writer.send_signal(signal.SIGKILL)
    acknowledged += [line.strip() for line in writer.stdout]  # lines printed before the kill landed
    writer.wait()
    assert writer.returncode == -signal.SIGKILL

    store = open_store(database_url)
    kept = {s.client_key for s in store.history("BJ1205")}
    assert set(acknowledged) <= kept
    assert len(kept) - len(acknowledged) in (0, 1)  # at most the one in flight, committed but not yet printed
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_busy_database_is_retried_then_reported_and_writes_once_free(sqlite_url: str, monkeypatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store_module, "BACKOFF_S", 0.01)
    store = open_store(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for longer than every retry
    try:
        with pytest.raises(StoreUnavailable):
            store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "busy-1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.history("BJ1205") == []
    assert not store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "busy-1").replayed  # the retry goes in


def test_a_database_that_cannot_be_reached_is_reported_quickly(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable):
        open_store(f"sqlite:///{blocker.as_posix()}/workbook.sqlite")  # its folder cannot exist
    with pytest.raises(StoreUnavailable):
        from scripts.serve import free_port

        open_store(f"postgresql://nobody:secret@127.0.0.1:{free_port()}/workbook")  # nothing listens there


def test_a_folder_removed_under_a_running_store_pauses_saving_until_it_is_back(tmp_path: Path) -> None:
    folder = tmp_path / "classroom"
    store = open_store(f"sqlite:///{(folder / 'workbook.sqlite').as_posix()}")
    store.save_workspace(_token(1), ws.new_workspace())
    folder.rename(tmp_path / "away")
    with pytest.raises(StoreUnavailable):
        store.save_workspace(_token(1), ws.new_workspace())
    (tmp_path / "away").rename(folder)
    work = ws.new_workspace()
    ws.set_values(work, "s1_1", note="回来了")
    store.save_workspace(_token(1), work)
    assert store.load_workspace(_token(1)) == work


# ---- schema versions --------------------------------------------------------------------------------------------

V1_DUMP = ROOT / "tests" / "fixtures" / "store" / "schema_v1.sql"


def _restore_v1(tmp_path: Path) -> str:
    path = tmp_path / "from-release-1.sqlite"
    with sqlite3.connect(path) as connection:
        connection.executescript(V1_DUMP.read_text(encoding="utf-8"))
    return f"sqlite:///{path.as_posix()}"


def test_a_database_written_by_schema_v1_opens_with_its_data(tmp_path: Path) -> None:
    store = open_store(_restore_v1(tmp_path))
    assert store.schema_version() == store_module.SCHEMA_VERSION
    loaded = store.load_workspace("release-1-token-0000000")
    assert loaded is not None and loaded["modules"]["s1_2"] == {"target": 2000000}
    assert loaded["trainee"] == {"name": "张三", "group": "第三组", "workshop": "BJ1205"}
    [current] = store.submissions("BJ1205")
    assert (current.group, current.payload, current.client_key) == ("第三组", {"round": 2}, "release-1-key-2")
    assert current.time.tzinfo == UTC and len(store.history("BJ1205")) == 2


def _add_workshop_title(connection) -> None:
    connection.exec_driver_sql("ALTER TABLE workshops ADD COLUMN title VARCHAR(200) NOT NULL DEFAULT ''")


def test_the_next_release_upgrades_a_v1_file_in_place(tmp_path: Path) -> None:
    # What the next release will do: append a migration. The v1 file upgrades through every step and keeps every row.
    url = _restore_v1(tmp_path)
    following_version = store_module.SCHEMA_VERSION + 1
    following = (*store_module.MIGRATIONS,
                 store_module.Migration(following_version, "workshop titles", _add_workshop_title))
    store = open_store(url, migrations=following)
    with store.engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version FROM schema_migrations ORDER BY version").all()
        titles = connection.exec_driver_sql("SELECT code, title FROM workshops").all()
    assert [v for (v,) in versions] == list(range(1, following_version + 1)) and titles == [("BJ1205", "")]
    assert len(store.history("BJ1205")) == 2
    store.close()
    # opening again applies nothing twice; this release then refuses the newer file instead of guessing
    assert open_store(url, migrations=following).schema_version() == following_version
    with pytest.raises(store_module.StoreError, match=f"schema version {following_version}"):
        open_store(url)


def test_a_v1_file_upgraded_to_v2_runs_the_board(tmp_path: Path) -> None:
    # Version 2 adds the workshop's timer and status-change columns: the release-1 workshop gets them empty, keeps
    # its submissions, and takes a timer, an archive and a reopen like a new one.
    store = open_store(_restore_v1(tmp_path))
    assert store.schema_version() >= 2 and store.timers() == {}
    [info] = store.workshops()
    assert (info.code, info.status, info.groups, info.submissions) == ("BJ1205", "open", 1, 2)
    timer = store.start_timer("BJ1205", "exercise1", 30)
    assert store.timers() == {"BJ1205": timer}
    store.archive_workshop("BJ1205")
    assert store.workshop_status("BJ1205") == "archived" and store.timers() == {}
    assert len(store.history("BJ1205")) == 2


def test_the_v1_fixture_is_what_release_1_writes(tmp_path: Path) -> None:
    # The fixture stands for "a file from release 1": its schema must be exactly what migration 1 creates.
    fresh = tmp_path / "fresh.sqlite"
    open_store(f"sqlite:///{fresh.as_posix()}", migrations=store_module.MIGRATIONS[:1]).close()
    restored = _restore_v1(tmp_path).removeprefix("sqlite:///")

    def schema(path: str | Path) -> list[tuple[str, str]]:
        with sqlite3.connect(path) as connection:
            return connection.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
            ).fetchall()

    assert schema(restored) == schema(fresh)


def test_the_tables_the_code_reads_are_what_the_migrations_create(tmp_path: Path) -> None:
    # The code's table definitions (the current version) and the migrations' DDL must name the same columns.
    store = open_store(f"sqlite:///{(tmp_path / 'current.sqlite').as_posix()}")
    with store.engine.connect() as connection:
        for table in store_module.metadata.sorted_tables:
            created = [row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table.name})")]
            assert created == [column.name for column in table.columns], table.name


def test_migrations_run_on_postgresql_too(postgres_url: str) -> None:
    store = open_store(postgres_url)
    assert store.schema_version() == store_module.SCHEMA_VERSION
    store.close()
    assert open_store(postgres_url).schema_version() == store_module.SCHEMA_VERSION  # a second open changes nothing


# ---- where the database is --------------------------------------------------------------------------------------


def test_the_database_url_comes_from_the_argument_the_environment_the_secrets_or_the_default(
    tmp_path: Path, monkeypatch
) -> None:
    from workbook import settings as settings_module

    monkeypatch.delenv("WORKBOOK_DB_URL", raising=False)
    secrets_file = tmp_path / "secrets.toml"
    monkeypatch.setattr(settings_module, "secrets_files", lambda: (secrets_file,))
    assert store_module.database_url() == f"sqlite:///{store_module.DEFAULT_DB_PATH.as_posix()}"
    assert store_module.DEFAULT_DB_PATH == ROOT / "data" / "workbook.sqlite"
    secrets_file.write_text('WORKBOOK_DB_URL = "postgres://u:p@db.example:5432/class"\n', encoding="utf-8")
    assert store_module.database_url() == "postgresql+psycopg://u:p@db.example:5432/class"
    monkeypatch.setenv("WORKBOOK_DB_URL", "sqlite:////srv/class.sqlite")
    assert store_module.database_url() == "sqlite:////srv/class.sqlite"
    assert store_module.database_url("postgresql://x@h/db") == "postgresql+psycopg://x@h/db"
    secrets_file.write_text("not toml = = =", encoding="utf-8")
    monkeypatch.delenv("WORKBOOK_DB_URL")
    assert store_module.database_url().startswith("sqlite:///")  # a broken secrets file: the default, logged


def test_the_default_database_is_created_on_first_use(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("WORKBOOK_DB_URL", raising=False)
    monkeypatch.setattr(store_module, "DEFAULT_DB_PATH", tmp_path / "data" / "workbook.sqlite")
    monkeypatch.setattr("workbook.settings.secrets_files", lambda: ())
    store = open_store()
    assert (tmp_path / "data" / "workbook.sqlite").is_file()
    with sqlite3.connect(tmp_path / "data" / "workbook.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    store.submit("BJ1205", "第一组", "exercise1", {}, "first")
    assert json.loads(json.dumps([s.payload for s in store.history("BJ1205")])) == [{}]


# ---- client keys for a trainee's submits ---------------------------------------------------------------------------


def test_the_same_content_again_reuses_the_key_a_change_or_an_older_version_gets_a_new_one(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    token = _token(1)
    first_key = store_module.submission_key(token, "BJ1205", "第三组", "exercise1", {"v": 1})
    assert first_key == store_module.submission_key(token, "bj1205", "第三组 ", "exercise1", {"v": 1})  # a lost answer
    first = store_module.receipt_record(store.submit("BJ1205", "第三组", "exercise1", {"v": 1}, first_key), {"v": 1})
    assert store_module.submission_key(token, "BJ1205", "第三组", "exercise1", {"v": 1}, first) == first_key
    second_key = store_module.submission_key(token, "BJ1205", "第三组", "exercise1", {"v": 2}, first)
    second = store_module.receipt_record(store.submit("BJ1205", "第三组", "exercise1", {"v": 2}, second_key), {"v": 2})
    back_key = store_module.submission_key(token, "BJ1205", "第三组", "exercise1", {"v": 1}, second)
    assert len({first_key, second_key, back_key}) == 3  # sending version 1 again after version 2 is a new submit
    store.submit("BJ1205", "第三组", "exercise1", {"v": 1}, back_key)
    assert [s.payload for s in store.submissions("BJ1205")] == [{"v": 1}]
    assert store_module.submission_key(_token(2), "BJ1205", "第三组", "exercise1", {"v": 1}) != first_key  # per trainee
    assert len(first_key) <= store_module.MAX_KEY_LENGTH


# ---- the instructor's board: workshops and the exercise timer ---------------------------------------------------


def test_workshops_are_listed_open_first_with_their_counts(database_url: str) -> None:
    store = open_store(database_url)
    assert store.create_workshop(" bj 1205 ") == "BJ1205"
    store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "k1")
    store.submit("BJ1205", "第一组", "exercise1", {"v": 2}, "k2")
    store.submit("BJ1205", "第二组", "exercise1", {"v": 1}, "k3")
    store.submit("BJ1205", "R-0123456789abcdef", "poll_s1_1", {"v": 1}, "k4")  # an anonymous poll answer
    store.create_workshop("SH0101")
    store.create_workshop("GZ0303")
    store.archive_workshop("GZ0303")
    listed = store.workshops()
    # open ones first (the newer first), then the archived one
    assert [(w.code, w.status) for w in listed] == [("SH0101", "open"), ("BJ1205", "open"), ("GZ0303", "archived")]
    bj = listed[1]
    # three names (two groups and a poll respondent); four accepted submissions, the latest at the fourth's time
    assert (bj.groups, bj.submissions) == (3, 4)
    # counted among the group exercises only: two groups
    assert store.workshops(["exercise1", "exercise2"])[1].groups == 2
    assert bj.last_submission == store.history("BJ1205")[-1].time
    assert listed[0].last_submission is None and listed[0].groups == 0


def test_an_archived_workshop_refuses_new_submissions_and_opens_again(database_url: str) -> None:
    store = open_store(database_url)
    store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "k1")
    store.archive_workshop("BJ1205")
    with pytest.raises(SubmissionError) as refused:
        store.submit("BJ1205", "第二组", "exercise1", {"v": 1}, "k2")
    assert refused.value.code == "workshop_archived" and "BJ1205" in refused.value.text("zh")
    assert store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "k1").replayed  # a replay still has its receipt
    assert len(store.history("BJ1205")) == 1
    store.create_workshop("BJ1205")
    assert store.workshop_status("BJ1205") == "open"
    store.submit("BJ1205", "第二组", "exercise1", {"v": 1}, "k2")
    assert len(store.history("BJ1205")) == 2


def test_a_reset_deletes_that_workshops_submissions_only(database_url: str) -> None:
    store = open_store(database_url)
    store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "k1")
    store.submit("BJ1205", "第二组", "poll_s1_1", {"v": 1}, "k2")
    store.submit("SH0101", "第一组", "exercise1", {"v": 1}, "k3")
    store.start_timer("BJ1205", "exercise1", 30)
    assert store.reset_workshop("BJ1205") == 2
    assert store.history("BJ1205") == [] and store.timer("BJ1205") is None
    assert store.workshop_status("BJ1205") == "open" and len(store.history("SH0101")) == 1
    # after a reset the same content from the same trainee goes in again (its key is no longer taken)
    assert not store.submit("BJ1205", "第一组", "exercise1", {"v": 1}, "k1").replayed


def test_the_timer_runs_from_now_for_its_minutes_and_a_new_one_replaces_it(database_url: str) -> None:
    store = open_store(database_url)
    timer = store.start_timer("bj1205", "exercise1", 30)
    assert timer.workshop == "BJ1205" and timer.minutes == pytest.approx(30)
    # 30 minutes = 1,800 s; ten minutes in, 1,200 s are left; after the end, none
    assert timer.remaining(timer.started_at) == pytest.approx(1800)
    assert timer.remaining(timer.started_at + timedelta(minutes=10)) == pytest.approx(1200)
    assert timer.remaining(timer.ends_at + timedelta(seconds=5)) == 0
    assert store.timer("BJ1205") == timer and timer.started_at.tzinfo is not None
    other = store.start_timer("BJ1205", "exercise2", 20)
    assert store.timers() == {"BJ1205": other}
    store.stop_timer("BJ1205")
    assert store.timers() == {}
    with pytest.raises(ValueError):
        store.start_timer("BJ1205", "exercise2", 0)
