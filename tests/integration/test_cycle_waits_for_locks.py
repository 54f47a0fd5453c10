"""A cycle that meets another connection's write lock waits for it, up to the lock timeout, and
then fails in one line (exit 3): SQLite through the real command, PostgreSQL through its
``lock_timeout`` (REGIE_DB_LOCK_TIMEOUT)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli_in_process import regie
from tests.integration.migrated_template import migrated_home


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    # No Prefect server, whatever the developer's shell says: the cycle runs in-process.
    home = migrated_home(tmp_path / "home")
    return {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "PREFECT_API_URL": ""}


@contextmanager
def sqlite_writer(path: Path, seconds: float) -> Iterator[None]:
    """Another process's write transaction on ``path``, held ``seconds`` from when the block
    starts or until it ends, whichever comes first, then rolled back; the block's end waits
    for that. (Not sat out after the block: a cycle that gave up left the core idle 5 s.)"""
    held, ended = threading.Event(), threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE programmes SET id = id")  # a real pending write
            held.set()
            ended.wait(seconds)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    try:
        yield
    finally:
        ended.set()
        thread.join()


def test_a_sqlite_cycle_waits_for_another_writer_then_runs(home: dict[str, str]) -> None:
    first = regie("cycle", "--as-of", "2015-10-01", env=home)
    assert first.code == 0, first.err
    database = Path(home["REGIE_HOME"]) / "regie.db"
    assert database.exists()
    with sqlite_writer(database, 2.5):
        started = time.monotonic()
        second = regie("cycle", "--as-of", "2015-10-02", env=home)
        took = time.monotonic() - started
    assert second.code == 0, second.err
    assert took >= 1.5  # it waited for the lock (started after the writer had it)
    assert "database is locked" not in second.err


def test_a_sqlite_cycle_gives_up_after_the_lock_timeout_in_one_line(
    home: dict[str, str],
) -> None:
    first = regie("cycle", "--as-of", "2015-10-01", env=home)
    assert first.code == 0, first.err
    database = Path(home["REGIE_HOME"]) / "regie.db"
    env = {**home, "REGIE_DB_LOCK_TIMEOUT": "1"}
    with sqlite_writer(database, 6):
        started = time.monotonic()
        stuck = regie("cycle", "--as-of", "2015-10-02", env=env)
        took = time.monotonic() - started
    assert stuck.code == 3, (stuck.out, stuck.err)
    [line] = stuck.err.strip().splitlines()
    assert line.startswith("database error: database is locked: another connection"), line
    assert "REGIE_DB_LOCK_TIMEOUT" in line
    assert took < 6
    again = regie("cycle", "--as-of", "2015-10-02", env=home)  # nothing was kept: it runs now
    assert again.code == 0, again.err


@pytest.mark.postgres
def test_a_postgres_cycle_blocked_by_a_table_lock_fails_within_the_lock_timeout(
    home: dict[str, str], postgres_url: str
) -> None:
    from store import upgrade

    upgrade(postgres_url)
    env = {**home, "REGIE_DATABASE_URL": postgres_url, "REGIE_DB_LOCK_TIMEOUT": "2"}
    first = regie("cycle", "--as-of", "2015-10-01", env=env)
    assert first.code == 0, first.err
    other = sa.create_engine(postgres_url)
    try:
        with other.connect() as holder:  # an administrator's forgotten psql session
            holder.exec_driver_sql("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            stuck = regie("cycle", "--as-of", "2015-10-02", env=env)
            took = time.monotonic() - started
            holder.rollback()
    finally:
        other.dispose()
    assert stuck.code == 3, (stuck.out, stuck.err)
    [line] = stuck.err.strip().splitlines()
    assert "lock timeout" in line and "REGIE_DB_LOCK_TIMEOUT" in line, line
    assert took < 30  # 2 s of waiting, plus the command's start and its assessment
    again = regie("cycle", "--as-of", "2015-10-02", env=env)  # the cycle lock was released
    assert again.code == 0, again.err


@pytest.mark.postgres
def test_postgres_connections_have_a_lock_timeout(postgres_url: str) -> None:
    from store.db import make_engine

    for timeout, shown in ((None, "30s"), (2.5, "2500ms")):
        engine = make_engine(postgres_url, lock_timeout=timeout)
        try:
            with engine.connect() as connection:
                assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == shown
                connection.rollback()
                assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == shown
        finally:
            engine.dispose()


@pytest.mark.parametrize(
    ("value", "seconds"), [("", None), ("2", 2.0), (" 0.5 ", 0.5), ("86400", 86400.0)]
)
def test_regie_db_lock_timeout_is_read_in_seconds(value: str, seconds: float | None) -> None:
    from regie.config import load_settings

    env = {"REGIE_HOME": "/tmp/regie-home", "REGIE_DB_LOCK_TIMEOUT": value}
    assert load_settings(env).db_lock_timeout == seconds


@pytest.mark.parametrize("value", ["0", "-1", "ten", "nan", "inf", "86401"])
def test_a_bad_regie_db_lock_timeout_is_one_line(value: str) -> None:
    from regie.config import load_settings
    from regie.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        load_settings({"REGIE_HOME": "/tmp/regie-home", "REGIE_DB_LOCK_TIMEOUT": value})
    [line] = caught.value.lines
    assert line.startswith("REGIE_DB_LOCK_TIMEOUT: "), line


def test_a_send_that_leaves_a_message_out_waits_for_another_writer(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The send's check before a message goes out reads first; when it must then record the
    message as not needed, it waits for another writer instead of failing the message at once
    ('database is locked' after a read: store.dialect.take_write_lock)."""
    from datetime import date

    import regie.recheck
    from regie.cycle import deadline_check, send_reminders
    from regie.history import record_update
    from tests.integration.test_cycle import make_app, rows

    app = make_app(tmp_path, sqlite_url)
    deadline_check(app, date(2015, 10, 1))
    record_update(
        app, "2.2.1", "cancelled", as_of=date(2015, 10, 2), forecast=None, completed_on=None,
        comment=None, author=None,
    )  # fmt: skip
    database = Path(sa.make_url(sqlite_url).database or "")
    original = regie.recheck.recheck
    writers: list[threading.Thread] = []

    def recheck_then_another_writes(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        if not writers and result.left_out:  # once, right after the first read
            held = threading.Event()

            def hold() -> None:
                connection = sqlite3.connect(database, isolation_level=None)
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("UPDATE programmes SET id = id")
                held.set()
                time.sleep(1.5)
                connection.execute("ROLLBACK")
                connection.close()

            writers.append(threading.Thread(target=hold))
            writers[0].start()
            assert held.wait(10)
        return result

    monkeypatch.setattr(regie.recheck, "recheck", recheck_then_another_writes)
    report = send_reminders(app)
    for writer in writers:
        writer.join()
    assert writers, "no message had anything left out: the scenario did not happen"
    rivm = "reminder:mvi-2015-2020:rivm-voorbeeld:2015-10-01:digest"  # only 2.2.1 in it
    status = {str(k): s for k, s in rows(app, "SELECT key, status FROM outbox")}
    assert status[rivm] == "suppressed", report
    assert not report.failed
