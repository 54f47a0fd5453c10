"""`regie db backup` of a database that refuses writes: the copy is made all the same (that is
when one wants it), and one line on stderr says its making is not recorded in the database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tests.cli_in_process import regie
from tests.integration.answer_app import ANSWERS_PLAN

ENV = {"REGIE_PLAN": str(ANSWERS_PLAN)}


def _refuse_writes(engine: Any, _record: Any) -> None:
    """Every new SQLite connection refuses writes (as a file this user may only read does;
    the test runs as root, for whom a chmod refuses nothing)."""
    engine.execute("PRAGMA query_only = ON")


def _events(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db, db:
        return int(
            db.execute("SELECT count(*) FROM events WHERE name = 'regie.db.backed_up'").fetchone()[
                0
            ]
        )


def test_a_read_only_database_is_backed_up_with_one_warning_line(
    regie_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regie.cli.app import app

    assert regie("sync", env=ENV).code == 0
    monkeypatch.setenv("REGIE_PLAN", str(ANSWERS_PLAN))
    database = regie_home / "regie.db"
    before = _events(database)
    sa.event.listen(sa.engine.Engine, "connect", _refuse_writes)
    try:
        copy = tmp_path / "copy.db"
        result = CliRunner().invoke(app, ["db", "backup", str(copy)])
    finally:
        sa.event.remove(sa.engine.Engine, "connect", _refuse_writes)
    assert result.exit_code == 0, (result.output, result.exception)
    assert copy.is_file() and _events(copy) == before == _events(database)
    [line] = result.stderr.splitlines()
    assert line.startswith("warning: the backup is not recorded in the database")
    assert "regie.db.backed_up" in line and "readonly database" in line
    assert "INSERT" not in line  # the driver's words, not the statement
    [out] = result.stdout.splitlines()
    assert f"→ {copy}:" in out and out.endswith("checked")  # no note: it is on stderr


def test_a_writable_database_records_the_backup_without_a_warning(
    regie_home: Path, tmp_path: Path
) -> None:
    assert regie("sync", env=ENV).code == 0
    copy = tmp_path / "copy.db"
    result = regie("db", "backup", str(copy), env=ENV)
    assert result.code == 0 and result.err == ""
    assert _events(copy) == 1 == _events(regie_home / "regie.db")
