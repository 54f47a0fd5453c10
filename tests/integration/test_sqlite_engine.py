"""The application's SQLite engine: WAL, and synchronous FULL (an fsync per commit) unless
REGIE_SQLITE_SYNCHRONOUS asks for NORMAL; a bad value is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from regie.config import load_settings
from regie.errors import InvalidInput
from store import make_engine

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
