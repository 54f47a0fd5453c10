"""How a command ends: databases closed before the interpreter's quick exit (issue #8 §3)."""

from __future__ import annotations

from pathlib import Path

from tests.cli import regie


def test_a_command_leaves_its_sqlite_database_in_one_file(tmp_path: Path) -> None:
    # The command spares the interpreter its last garbage collection; it closes its database
    # connections itself first, so SQLite folds its write-ahead log back into the file: a copy
    # of regie.db alone is the whole database.
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}
    for args in (["cycle", "--as-of", "2015-10-01"], ["status", "--as-of", "2015-10-01"]):
        result = regie(*args, env=env)
        assert result.code == 0, result.err
        assert (home / "regie.db").stat().st_size > 0
        assert not (home / "regie.db-wal").exists(), args
        assert not (home / "regie.db-shm").exists(), args
