"""The tests' SQLite copy (tests/integration/migrated_template.py, review14 7): the copy is the
source as committed, whatever WAL lies beside the source or the target."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.integration.migrated_template import copy_database


def _wal_database(path: Path, *rows: str) -> sqlite3.Connection:
    """A database in WAL mode whose commits stay in its ``-wal`` while the connection is open."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE t (v TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(r,) for r in rows])
    return db


def _rows(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [v for (v,) in db.execute("SELECT v FROM t ORDER BY v")]
    finally:
        db.close()


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_commits_still_in_the_source_s_wal_are_copied(tmp_path: Path) -> None:
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    open_connection = _wal_database(source, "a", "b")
    try:
        assert Path(f"{source}-wal").stat().st_size > 0
        copy_database(_url(source), _url(target), None)
    finally:
        open_connection.close()
    assert _rows(target) == ["a", "b"]


def test_a_stale_wal_beside_the_target_is_not_replayed_onto_the_copy(tmp_path: Path) -> None:
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    _wal_database(source, "kept").close()  # closed: the file alone is the database
    # An earlier database at the target's path left its WAL behind (a process that crashed).
    earlier = tmp_path / "earlier.db"
    db = _wal_database(earlier, "stale")
    try:
        db.execute("INSERT INTO t VALUES ('stale too')")
        for suffix in ("-wal", "-shm"):
            shutil.copy(f"{earlier}{suffix}", f"{target}{suffix}")
    finally:
        db.close()
    copy_database(_url(source), _url(target), None)
    assert _rows(target) == ["kept"]
