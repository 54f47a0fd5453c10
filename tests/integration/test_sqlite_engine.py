"""The application's SQLite engine: WAL, and synchronous FULL (an fsync per commit) unless
REGIE_SQLITE_SYNCHRONOUS asks for NORMAL; a bad value is one line."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie.bootstrap import App
from regie.config import load_settings
from regie.errors import DatabaseNotReady, InvalidInput
from regie.services import db_upgrade
from store import make_engine
from store.db import sqlite_shortfall
from store.dialect import sqlite_rows

NORMAL, FULL = 1, 2  # PRAGMA synchronous values


def pragmas(url: str, **kwargs: str) -> tuple[str, int]:
    engine = make_engine(url, **kwargs)
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    finally:
        engine.dispose()
    return str(mode), int(synchronous or 0)


def test_file_databases_use_wal_with_an_fsync_per_commit(tmp_path: Path) -> None:
    assert pragmas(f"sqlite:///{tmp_path}/a.db") == ("wal", FULL)


def test_normal_is_an_opt_in_without_an_fsync_per_commit(tmp_path: Path) -> None:
    assert pragmas(f"sqlite:///{tmp_path}/a.db", synchronous="normal") == ("wal", NORMAL)


def test_the_setting_is_read_and_checked(tmp_path: Path) -> None:
    assert load_settings({"REGIE_HOME": str(tmp_path)}).sqlite_synchronous == "full"
    env = {"REGIE_HOME": str(tmp_path), "REGIE_SQLITE_SYNCHRONOUS": "NORMAL"}
    assert load_settings(env).sqlite_synchronous == "normal"
    with pytest.raises(InvalidInput) as caught:
        load_settings({"REGIE_HOME": str(tmp_path), "REGIE_SQLITE_SYNCHRONOUS": "off"})
    assert caught.value.lines == ["REGIE_SQLITE_SYNCHRONOUS: 'off' is not 'normal' or 'full'"]


def test_this_sqlite_library_can_run_regie() -> None:
    assert sqlite_shortfall() is None


@pytest.mark.parametrize(
    "use", [App.ensure_schema, lambda app: db_upgrade(app, "head")], ids=["first-use", "db-upgrade"]
)
def test_an_old_sqlite_library_is_one_line_before_the_database_is_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use: Callable[[App], object]
) -> None:
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.34.1")
    app = App(load_settings({"REGIE_HOME": str(tmp_path)}))
    with pytest.raises(DatabaseNotReady) as caught:
        use(app)
    assert caught.value.lines == [f"database {app.safe_url}: SQLite 3.34.1 is too old: "
                                  "Regie needs SQLite 3.35.0 or newer"]  # fmt: skip
    assert not list(tmp_path.rglob("*.db"))


class _WithoutJson:
    """A SQLite build without its JSON functions (none can be made here): json_each fails as
    it does there."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if "json_each" in sql:
            raise sqlite3.OperationalError("no such table: json_each")
        return self._connection.execute(sql, *args)

    def close(self) -> None:
        self._connection.close()


def test_a_sqlite_library_without_json_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: _WithoutJson(real_connect(*a, **k)))
    problem = sqlite_shortfall()
    assert problem is not None and "lacks its JSON functions (json_each)" in problem
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    app = App(load_settings({"REGIE_HOME": str(tmp_path)}))
    app.ensure_schema()  # the real library: the database is made and migrated
    assert list(tmp_path.rglob("*.db"))


def _counter_table(tmp_path: Path) -> sa.Engine:
    engine = make_engine(f"sqlite:///{tmp_path}/rows.db")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO t VALUES (1), (2), (3)")
    return engine


def test_driver_reads_run_in_the_connections_transaction(tmp_path: Path) -> None:
    """A read straight from the driver on a plain connection begins its transaction, as a
    SQLAlchemy statement would: later reads on it see the same snapshot (WAL), not a write
    committed in between."""
    engine = _counter_table(tmp_path)
    try:
        with engine.connect() as reading:
            rows = [r for chunk in sqlite_rows(reading, "SELECT x FROM t", {}, 2) for r in chunk]
            assert rows == [(1,), (2,), (3,)]
            assert reading.in_transaction()
            with engine.begin() as writing:
                writing.exec_driver_sql("INSERT INTO t VALUES (4)")
            assert reading.exec_driver_sql("SELECT count(*) FROM t").scalar() == 3
        with engine.connect() as later:
            assert later.exec_driver_sql("SELECT count(*) FROM t").scalar() == 4
    finally:
        engine.dispose()


def test_a_driver_error_is_sqlalchemys_so_it_is_one_line(tmp_path: Path) -> None:
    """The CLI and the web app turn SQLAlchemy's database errors into one line; a driver read
    raises those too, not sqlite3's own."""
    engine = _counter_table(tmp_path)
    try:
        with engine.connect() as reading:
            with pytest.raises(sa.exc.OperationalError, match="no such table: missing"):
                list(sqlite_rows(reading, "SELECT x FROM missing", {}, 10))
            with pytest.raises(sa.exc.OperationalError, match="no such column: y"):
                list(sqlite_rows(reading, "SELECT y FROM t", (), 10))
    finally:
        engine.dispose()
