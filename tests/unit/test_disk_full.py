"""A full disk behind a database error is said as such (walk58d 6): SQLite says "disk I/O
error" (SQLITE_IOERR_SHMSIZE) when a full disk leaves no room for the shared-memory file of a
database in WAL mode, and `regie status`/`doctor` printed just that, read as a broken disk."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from regie import disk_full
from regie.disk_full import FULL, full_disk


def _sqlite_error(message: str, name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    return error


def _wrapped(error: BaseException) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, error)


class _Room:
    def __init__(self, free: int) -> None:
        self.f_bavail, self.f_frsize = free, 1


def _free(monkeypatch: pytest.MonkeyPatch, free: int) -> None:
    monkeypatch.setattr(disk_full.os, "statvfs", lambda path: _Room(free))


def test_sqlite_full_and_no_space_are_said_as_a_full_disk() -> None:
    assert full_disk(_wrapped(_sqlite_error("database or disk is full", "SQLITE_FULL"))) == FULL
    assert full_disk(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))) == FULL
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as inner:
            raise RuntimeError("copy failed") from inner
    except RuntimeError as outer:
        assert full_disk(outer) == FULL  # found behind the error raised
    assert full_disk(_wrapped(_sqlite_error("no such table: x", "SQLITE_ERROR"))) is None
    assert full_disk(OSError(errno.EACCES, "Permission denied")) is None


def test_a_disk_io_error_on_a_full_disk_is_said_full_with_the_room_left(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'regie.db'}"
    error = _wrapped(_sqlite_error("disk I/O error", "SQLITE_IOERR_SHMSIZE"))
    _free(monkeypatch, 0)
    said = full_disk(error, url)
    assert said == f"{FULL} (0 KiB free in {tmp_path}; SQLite: disk I/O error)"
    assert full_disk(error) is None  # no file to look at: not guessed
    assert full_disk(error, "postgresql+psycopg://u@h/db") is None
    _free(monkeypatch, 10 * 1024 * 1024)  # room enough: a real I/O error stays one
    assert full_disk(error, url) is None


def test_regie_status_and_doctor_say_the_full_disk_exit_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import store
    from tests.cli_in_process import regie

    home = tmp_path / "home"
    home.mkdir()
    (home / "regie.db").touch()
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": f"sqlite:///{home / 'regie.db'}"}

    def shm_fails(*args: Any, **kwargs: Any) -> None:
        raise _wrapped(_sqlite_error("disk I/O error", "SQLITE_IOERR_SHMSIZE"))

    monkeypatch.setattr(store, "current_revision", shm_fails)
    monkeypatch.setattr("store.db.current_revision", shm_fails)
    _free(monkeypatch, 0)
    status = regie("status", env=env)
    assert status.code == 3, status.out + status.err
    assert f"database or disk is full (0 KiB free in {home}" in status.err
    assert "disk I/O error)" in status.err
    doctor = regie("doctor", env=env)
    assert doctor.code == 1
    assert "database or disk is full (0 KiB free" in doctor.out + doctor.err
