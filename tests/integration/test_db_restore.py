"""`regie db restore FILE` puts an SQLite backup back and records that it happened (a
``regie.db.restored`` event: who, from which file, the backup's own time, what the replaced
database held beyond it, which is kept beside it); `--record-only` records a restore made by
other means (pg_restore), on SQLite and PostgreSQL (audit finding 10)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import cli
from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN
from tests.integration.server import TEST_SECRET_KEY, running_server
from tests.integration.test_backup import latest

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
#: What a restore says to do next: docs/operations.md "Restore" step 4, not a plain `regie
#: cycle --full` that sends again what went out after the backup (walk56c 2).
NEXT = (
    "next: regie cycle --full --dry-run, then regie cycle --full --no-send; look at "
    "regie outbox --status pending, mark those known to have gone out with regie outbox "
    'mark-sent KEY… --yes, then regie send (docs/operations.md, "Restore", step 4)'
)


def _events(env: dict[str, str], name: str) -> list[dict[str, object]]:
    out = regie("events", "--format", "json", env=env)
    assert out.code == 0, out.err
    return [e for e in json.loads(out.out) if e["name"] == name]


def test_a_restore_puts_the_backup_back_and_says_so(regie_home: Path, tmp_path: Path) -> None:
    assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
    assert (
        regie("update", "1.1.1", "--status", "at_risk", "--as-of", "2025-06-02", env=ENV).code == 0
    )
    copy = tmp_path / "regie-backup.db"
    before = datetime.now(UTC)
    made = regie("--operator", "b.backup", "db", "backup", str(copy), env=ENV)
    assert made.code == 0, made.err
    (stamp,) = _events(ENV, "regie.db.backed_up")  # the database knows a backup was made
    assert stamp["payload"] == {"file": copy.name, "by": "b.backup"}
    # Later work, lost by the restore.
    assert regie("update", "1.2", "--status", "done", "--as-of", "2025-06-03", env=ENV).code == 0
    assert latest("2025-06-03") == {"1.1.1": "at_risk", "1.2": "done"}

    dry = regie("db", "restore", str(copy), env=ENV)
    assert dry.code == 0, dry.err
    assert f"backup {copy}: made " in dry.out and " by b.backup" in dry.out
    # In the office's zone (the plan's: Amsterdam), as --record-only says it (walk56c 7).
    assert re.search(r": made \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]:00 by", dry.out), dry.out
    assert "records newer than the backup (lost): status_updates 1, events 1" in dry.out
    assert dry.out.rstrip().endswith("dry run: nothing changed (add --yes to restore)")
    assert latest("2025-06-03") == {"1.1.1": "at_risk", "1.2": "done"}

    done = regie("--operator", "r.herstel", "db", "restore", str(copy), "--yes", env=ENV)
    assert done.code == 0, done.err
    assert "restored " in done.out and "recorded (regie.db.restored)" in done.out
    assert done.out.rstrip().endswith(NEXT), done.out  # docs/operations.md, step 4 (walk56c 2)
    assert latest("2025-06-03") == {"1.1.1": "at_risk"}  # the backup's records
    (restored,) = _events(ENV, "regie.db.restored")
    payload = restored["payload"]
    assert payload["by"] == "r.herstel" and payload["file"] == copy.name
    made_at = datetime.fromisoformat(str(payload["backup_made_at"]))
    assert before <= made_at <= datetime.now(UTC)
    assert payload["backup_made_by"] == "b.backup"
    assert payload["lost"] == {"status_updates": 1, "events": 1}
    # The replaced database is kept, private, whole: the lost update is in it.
    (kept,) = regie_home.glob("regie.db.replaced-*")
    assert payload["replaced_kept_as"] == kept.name
    assert kept.stat().st_mode & 0o077 == 0
    with closing(sqlite3.connect(kept)) as db, db:
        assert db.execute("SELECT count(*) FROM status_updates").fetchone()[0] == 2
    # The first cycle after it queues and sends nothing, and says why (walk58d 5); the next sends.
    result = regie("cycle", "--full", "--as-of", "2025-06-03", env=ENV)
    assert result.code == 1 and "this cycle sent nothing" in result.err, result.err
    result = regie("cycle", "--as-of", "2025-06-03", env=ENV)
    assert result.code == 0, result.err


def test_a_restore_keeps_every_replaced_database_and_names_them(
    regie_home: Path, tmp_path: Path
) -> None:
    """Every restore keeps the database it replaced, and removes none replaced before: each
    holds the records a restore reported lost (review11 4). The dry run and the restore name
    them, for the operator to remove by hand."""
    assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
    copy = tmp_path / "regie-backup.db"
    assert regie("db", "backup", str(copy), env=ENV).code == 0
    older = [regie_home / f"regie.db.replaced-2020010{d}T000000Z" for d in range(1, 5)]
    for path in older:
        path.write_bytes(b"an earlier replaced database")
    other = regie_home / "regie.db.before-0031-20200101T000000Z"  # not a restore's: stays
    other.write_bytes(b"a copy before an upgrade")
    named = "earlier replaced databases kept beside it (4;"
    dry = regie("db", "restore", str(copy), env=ENV)
    assert dry.code == 0, dry.err
    assert named in dry.out and all(p.name in dry.out for p in older)
    done = regie("db", "restore", str(copy), "--yes", env=ENV)
    assert done.code == 0, done.err
    assert named in done.out and "removed" not in done.out
    kept = sorted(p.name for p in regie_home.glob("regie.db.replaced-*"))
    assert len(kept) == 5 and kept[:4] == [p.name for p in older]
    assert all(p.read_bytes() == b"an earlier replaced database" for p in older)
    assert other.exists()


def test_bad_restores_are_one_line_and_change_nothing(regie_home: Path, tmp_path: Path) -> None:
    assert regie("sync", env=ENV).code == 0
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    for args, line in (
        ([str(tmp_path / "missing.db")], "no such file"),
        ([str(junk)], "not an SQLite database"),
        ([str(regie_home / "regie.db"), "--yes"], "that is the database or one of its own files"),
        ([str(junk), "--made-at", "2025-06-01"], "--made-at goes with --record-only"),
    ):
        refused = regie("db", "restore", *args, env=ENV)
        assert refused.code == 2 and refused.out == "", (args, refused.out)
        assert line in refused.err and len(refused.err.splitlines()) == 1, refused.err
    assert not list(regie_home.glob("regie.db.replaced-*"))


def test_a_restore_by_other_means_is_recorded(tmp_path: Path, migrated_url: str) -> None:
    env = {**ENV, "REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url}
    assert regie("sync", env=env).code == 0
    missing = regie("db", "restore", str(tmp_path / "regie-2025-06-01.dmup"), "--record-only",
                    env=env)  # fmt: skip
    assert missing.code == 2 and missing.out == "", missing.out
    assert "regie-2025-06-01.dmup: no such file" in missing.err, missing.err
    assert len(missing.err.splitlines()) == 1 and not _events(env, "regie.db.restored")
    shown = " ".join(regie("db", "restore", "--help", env=env).out.replace("│", " ").split())
    assert "in the office's time zone — REGIE_TIMEZONE, else the plan's — unless" in shown, shown
    dump = tmp_path / "regie-2025-06-01.dump"
    dump.write_bytes(b"PGDMP")  # pg_dump's custom format, restored by other means
    said = regie("--operator", "d.dba", "db", "restore", str(dump), "--record-only",
                 "--made-at", "2025-06-01T02:00Z", env=env)  # fmt: skip
    assert said.code == 0, said.err
    assert said.out.splitlines() == [
        # The office's time (Amsterdam, summer), as the SQLite restore says it (walk56c 7).
        "recorded the restore from regie-2025-06-01.dump (backup made 2025-06-01 04:00:00 "
        f"+02:00) in {said.out.split(' in ', 1)[1].splitlines()[0]}",
        NEXT,  # what to do next, as every restore says it (walk56c 7)
    ]
    (event,) = _events(env, "regie.db.restored")
    assert event["payload"] == {
        "file": "regie-2025-06-01.dump",
        "backup_made_at": "2025-06-01T02:00:00+00:00",
        "backup_made_by": None,
        "by": "d.dba",
    }
    if migrated_url.startswith("postgresql"):
        refused = regie("db", "restore", "x.dump", "--yes", env=env)
        assert refused.code == 2 and "pg_restore" in refused.err
    engine = sa.create_engine(migrated_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.text("SELECT name FROM events")).scalars().all()
    finally:
        engine.dispose()
    assert "regie.db.restored" in names


@pytest.mark.fresh_home  # the test makes the home's database at an older revision
def test_a_backup_before_an_upgrade_is_of_the_database_as_it_was(
    regie_home: Path, tmp_path: Path
) -> None:
    """Recording the backup never migrates the database first (the backup docs/operations.md
    takes before `regie db upgrade` must be of the old revision)."""
    from store import current_revision, head_revision, upgrade

    regie_home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{regie_home / 'regie.db'}"
    upgrade(url, "0018")
    copy = tmp_path / "before-upgrade.db"
    made = regie("db", "backup", str(copy), env=ENV)
    assert made.code == 0, made.err
    assert "not recorded in the database: it is at an older revision" in made.out
    assert current_revision(url) == "0018" != head_revision()
    assert current_revision(f"sqlite:///{copy}") == "0018"


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def test_a_restored_database_is_private_whatever_the_umask(
    regie_home: Path, tmp_path: Path
) -> None:
    """The restored file (and the -wal and -shm SQLite makes beside it) is 0600, as every
    database Regie makes (docs/operations.md), not 0644 under the usual umask (ops review,
    finding 3)."""
    with _umask(0o022):
        assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
        copy = tmp_path / "regie-backup.db"
        assert regie("db", "backup", str(copy), env=ENV).code == 0
        done = regie("db", "restore", str(copy), "--yes", env=ENV)
        assert done.code == 0, done.err
        database = regie_home / "regie.db"
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
        # The next command reopens it: SQLite makes its -wal and -shm with the file's mode.
        db = sqlite3.connect(database)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("SELECT count(*) FROM events").fetchone()
            sides = [p for p in (Path(f"{database}-wal"), Path(f"{database}-shm")) if p.exists()]
            assert sides
            for side in sides:
                assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
        finally:
            db.close()


def test_a_restore_refuses_while_regie_serve_runs(regie_home: Path, tmp_path: Path) -> None:
    """A server keeps the replaced database open (answers and sessions would go into a deleted
    WAL): `regie db restore --yes` refuses, in one line naming the lock file, and changes
    nothing; once the server is stopped it restores (ops review, finding 3)."""
    assert regie("cycle", "--as-of", "2025-06-02", env=ENV).code == 0
    copy = tmp_path / "regie-backup.db"
    assert regie("db", "backup", str(copy), env=ENV).code == 0
    assert regie("update", "1.2", "--status", "done", "--as-of", "2025-06-03", env=ENV).code == 0
    database = regie_home / "regie.db"
    inode = database.stat().st_ino
    with running_server(ENV):
        refused = regie("db", "restore", str(copy), "--yes", env=ENV)
        assert refused.code == 75, refused.err
        assert "regie serve is running" in refused.err and "serve.lock" in refused.err
        assert "nothing was restored" in refused.err
        assert len(refused.err.splitlines()) == 1, refused.err
        assert database.stat().st_ino == inode
        assert not list(regie_home.glob("regie.db.replaced-*"))
    assert latest("2025-06-03").get("1.2") == "done"  # the later update is still there
    done = regie("db", "restore", str(copy), "--yes", env=ENV)
    assert done.code == 0, done.err
    assert database.stat().st_ino != inode
    assert "1.2" not in latest("2025-06-03")


def test_serve_does_not_start_during_a_restore(regie_home: Path) -> None:
    from regie.backup import _no_server

    assert regie("sync", env=ENV).code == 0
    with _no_server(regie_home):
        # A process of its own: the lock is held by another process, as a restore's would be
        # (and a `serve` that failed to refuse would keep serving inside the test).
        refused = cli.regie(
            "serve", "--port", "0", env={**ENV, "REGIE_SECRET_KEY": TEST_SECRET_KEY}
        )
    assert refused.code == 75, refused.err
    assert "a restore of the database is under way" in refused.err
