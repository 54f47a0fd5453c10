"""`regie db backup` through a read-only database URL (opsfix 3): ``sqlite:///…?mode=ro`` and the
SQLite file-URI form ``sqlite:///file:…?mode=ro&uri=true`` are backed up (a backup only reads),
the database left as it was (no record of the backup written into it: one warning line says
so); `regie db restore`, which writes, refuses such a URL in one line naming the way that works."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}
FORMS = [
    "sqlite:///{db}?mode=ro",
    "sqlite:///file:{db}?mode=ro&uri=true",
    "sqlite:///file:{db}?immutable=1&uri=true",
]


def _events(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db, db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("form", FORMS)
def test_a_read_only_url_is_backed_up_and_the_database_left_alone(
    regie_home: Path, tmp_path: Path, form: str
) -> None:
    assert regie("sync", env=ENV).code == 0
    database = regie_home / "regie.db"
    before, digest = _events(database), _digest(database)
    env = {**ENV, "REGIE_DATABASE_URL": form.format(db=database)}
    copy = tmp_path / "copy.db"

    result = regie("db", "backup", str(copy), env=env)

    assert result.code == 0, result
    [out] = result.out.splitlines()
    assert out.startswith(f"{database} → {copy}:") and out.endswith("checked")
    [warning] = result.err.splitlines()
    assert warning == (
        "warning: the backup is not recorded in the database (regie.db.backed_up): "
        "REGIE_DATABASE_URL opens it read-only (mode=ro)"
    )
    assert _events(copy) == before == _events(database)
    assert _digest(database) == digest
    with closing(sqlite3.connect(copy)) as db, db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("form", FORMS[:2])
def test_a_restore_through_a_read_only_url_is_refused_in_one_line(
    regie_home: Path, tmp_path: Path, form: str
) -> None:
    assert regie("sync", env=ENV).code == 0
    copy = tmp_path / "copy.db"
    assert regie("db", "backup", str(copy), env=ENV).code == 0
    database = regie_home / "regie.db"
    digest = _digest(database)
    env = {**ENV, "REGIE_DATABASE_URL": form.format(db=database)}
    for yes in ((), ("--yes",)):
        result = regie("db", "restore", str(copy), *yes, env=env)
        assert result.code == 2, result
        [line] = result.err.splitlines()
        assert "opens the database read-only" in line and "without mode=ro" in line
    assert _digest(database) == digest
