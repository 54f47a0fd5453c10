"""`regie db backup FILE` and the restore of docs/operations.md, as an installer runs them."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}


def latest(day: str) -> dict[str, str]:
    result = regie("status", "--as-of", day, "--format", "json", env=ENV)
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    return {r["id"]: r["latest_update"]["status"] for r in rows if r["latest_update"]}


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db, db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_a_backup_is_the_database_as_committed_and_restores(
    regie_home: Path, tmp_path: Path
) -> None:
    assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
    assert (
        regie("update", "1.1.1", "--status", "at_risk", "--as-of", "2025-06-02", env=ENV).code == 0
    )
    copy = tmp_path / "regie-backup.db"
    result = regie("db", "backup", str(copy), env=ENV)
    assert result.code == 0, result.err
    assert f"→ {copy}:" in result.out and "checked" in result.out
    database = regie_home / "regie.db"
    assert counts(copy) == counts(database)  # every committed row, the WAL's included
    assert not Path(f"{copy}-wal").exists()
    with closing(sqlite3.connect(copy)) as db, db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not list(tmp_path.glob("*.partial"))

    # Later work, then the restore as docs/operations.md lists it.
    assert regie("update", "1.2", "--status", "done", "--as-of", "2025-06-03", env=ENV).code == 0
    assert latest("2025-06-03") == {"1.1.1": "at_risk", "1.2": "done"}
    database.write_bytes(copy.read_bytes())
    for extra in ("regie.db-wal", "regie.db-shm"):
        (regie_home / extra).unlink(missing_ok=True)
    result = regie("cycle", "--full", "--as-of", "2025-06-03", env=ENV)
    assert result.code == 0, result.err
    assert latest("2025-06-03") == {"1.1.1": "at_risk"}


def test_a_backup_while_a_writer_commits_is_whole(regie_home: Path, tmp_path: Path) -> None:
    """SQLite's online backup restarts when the source changes: the copy is one commit's."""
    assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
    database = regie_home / "regie.db"
    with closing(sqlite3.connect(database)) as db, db:
        db.execute("CREATE TABLE probe (n INTEGER NOT NULL)")
        # Larger than one step of a copy in steps (4096 pages): such a copy restarted at every
        # commit of the writer below and never finished.
        db.execute("CREATE TABLE filler (b BLOB NOT NULL)")
        db.executemany("INSERT INTO filler VALUES (?)", ((os.urandom(65536),) for _ in range(400)))
    stop = threading.Event()

    def write() -> None:
        with closing(sqlite3.connect(database, timeout=30)) as db, db:
            n = 0
            while not stop.is_set():
                n += 1
                db.execute("INSERT INTO probe (n) VALUES (?)", (n,))
                db.commit()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = regie("db", "backup", str(tmp_path / "copy.db"), env=ENV)
    finally:
        stop.set()
        writer.join()
    assert result.code == 0, result.err
    with closing(sqlite3.connect(tmp_path / "copy.db")) as db, db:
        rows = [r[0] for r in db.execute("SELECT n FROM probe ORDER BY n")]
    assert rows == list(range(1, len(rows) + 1))  # a prefix of the commits, no gaps


@pytest.mark.fresh_home  # "no database yet" first
def test_bad_targets_are_one_line_and_leave_nothing(regie_home: Path, tmp_path: Path) -> None:
    result = regie("db", "backup", str(tmp_path / "x.db"), env=ENV)
    # Nothing to copy: bad input (exit 2), not a database that did not answer (3: retry).
    assert result.code == 2
    assert "no database yet" in result.err
    assert regie("sync", env=ENV).code == 0
    existing = tmp_path / "there.db"
    existing.write_text("keep me", encoding="utf-8")
    result = regie("db", "backup", str(existing), env=ENV)
    assert result.code == 2
    assert result.err.strip() == f"{existing}: already exists (a backup never overwrites a file)"
    assert existing.read_text(encoding="utf-8") == "keep me"
    result = regie("db", "backup", str(tmp_path / "nope" / "x.db"), env=ENV)
    assert result.code == 2
    assert result.err.strip() == f"{tmp_path / 'nope'}: no such directory"
    result = regie("db", "backup", str(regie_home / "regie.db"), env=ENV)
    assert result.code == 2
    result = regie("db", "backup", str(regie_home / "regie.db-wal"), env=ENV)
    assert result.code == 2
    assert result.err.strip().endswith("that is the database or one of its own files")
    result = regie("db", "backup", str(tmp_path), env=ENV)
    assert result.err.strip() == f"{tmp_path}: is a directory (name the backup file)"
    mistyped = {**ENV, "REGIE_DATABASE_URL": f"sqlite:///{tmp_path / 'typo' / 'regie.db'}"}
    result = regie("db", "backup", str(tmp_path / "y.db"), env=mistyped)
    assert result.code == 2
    assert result.err.strip() == f"REGIE_DATABASE_URL: directory {tmp_path / 'typo'} does not exist"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "there.db"]


@pytest.mark.postgres
def test_postgresql_is_backed_up_with_its_own_tools(
    regie_home: Path, tmp_path: Path, postgres_url: str
) -> None:
    result = regie(
        "db", "backup", str(tmp_path / "x.db"), env={**ENV, "REGIE_DATABASE_URL": postgres_url}
    )
    assert result.code == 2
    assert "pg_dump" in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


def test_a_file_made_under_the_name_during_the_copy_is_kept(
    regie_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two backups to one name at once: the later one refuses, it does not overwrite."""
    from regie import backup as module
    from regie.bootstrap import bootstrap
    from regie.errors import InvalidInput

    assert regie("sync", env=ENV).code == 0
    target = tmp_path / "b.db"
    copy = module._copy

    def copy_while_another_finishes(source: Path, partial: Path) -> int:
        target.write_text("the other backup", encoding="utf-8")
        return copy(source, partial)

    monkeypatch.setattr(module, "_copy", copy_while_another_finishes)
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    with pytest.raises(InvalidInput, match="already exists"):
        module.backup(bootstrap(), target)
    assert target.read_text(encoding="utf-8") == "the other backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db", "home"]
