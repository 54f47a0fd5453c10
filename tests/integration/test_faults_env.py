"""Fault suite, the environment: one line, never a traceback (issue #7 §5).

``tests.cli_in_process.regie`` fails the test on any traceback (a process's own argument
decoding keeps ``tests.cli.regie``). Tests run as root in CI, where file
permissions do not stop writes: a read-only database is opened read-only through SQLite's URI
instead, and an unwritable home is a path below a regular file.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests import cli
from tests.cli_in_process import regie
from tests.integration.migrated_template import migrated_home

AS_OF = ("--as-of", "2015-10-02")


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {"REGIE_HOME": str(migrated_home(tmp_path / "home")), "REGIE_DATABASE_URL": ""}
    made = regie("update", "1.1.1", "--status", "on_track", *AS_OF, env=env)
    assert made.code == 0, made.err
    return env


def database(home: dict[str, str]) -> Path:
    return Path(home["REGIE_HOME"]) / "regie.db"


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_an_in_memory_database_is_refused(tmp_path: Path, url: str) -> None:
    result = regie("status", env={"REGIE_HOME": str(tmp_path), "REGIE_DATABASE_URL": url})
    assert result.code == 2
    assert "in-memory SQLite database forgets everything" in one_line(result.err)


def test_a_read_only_database(home: dict[str, str]) -> None:
    url = f"sqlite:///file:{database(home)}?mode=ro&uri=true"
    for args in (("update", "1.1.1", "--status", "at_risk", *AS_OF), ("cycle", *AS_OF)):
        result = regie(*args, env={**home, "REGIE_DATABASE_URL": url})
        assert result.code == 3, result
        assert "readonly database" in one_line(result.err)


def test_a_home_that_cannot_be_written(home: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    env = {"REGIE_HOME": str(blocker / "home"), "REGIE_DATABASE_URL": f"sqlite:///{database(home)}"}
    result = regie("cycle", *AS_OF, env=env)
    assert result.code != 0
    assert "cannot write its lock file" in one_line(result.err)


def test_a_corrupted_database(home: dict[str, str]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database(home)}{suffix}").unlink(missing_ok=True)
    database(home).write_bytes(b"not a database, just bytes " * 200)
    for args in (("cycle", *AS_OF), ("status",), ("update", "1.1.1", "--status", "done")):
        result = regie(*args, env=home)
        assert result.code != 0, (args, result)
        assert "file is not a database" in one_line(result.err)


def test_non_utf8_bytes_in_an_argument(home: dict[str, str]) -> None:
    # A real process: the interpreter decodes the byte 0xff of its command line to U+DCFF.
    result = cli.regie("update", "1.1.\udcff", "--status", "done", env=home)
    assert result.code == 2
    assert "argument 2" in one_line(result.err) and "not valid UTF-8" in result.err


def test_a_database_newer_than_this_regie(home: dict[str, str]) -> None:
    with closing(sqlite3.connect(database(home))) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    for args in (("db", "current"), ("cycle", *AS_OF), ("db", "upgrade")):
        result = regie(*args, env=home)
        assert result.code == 3, (args, result)
        line = one_line(result.err)
        assert "newer than this Regie" in line and "use a newer Regie" in line
