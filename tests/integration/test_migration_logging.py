"""Alembic's logging set-up (alembic.ini) applies to the `alembic` command line only: Regie
migrates in process, where it would reset the whole process's loggers (speed47)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from store.db import alembic_config, migration_engine
from tests.cli import ROOT
from tests.cli_in_process import regie


def _logging_state() -> tuple[object, ...]:
    alembic = logging.getLogger("alembic")
    return (
        logging.root.level,
        tuple(logging.root.handlers),
        alembic.level,
        tuple(alembic.handlers),
        alembic.disabled,
    )


@pytest.fixture
def untouched() -> Iterator[None]:
    """Asserts the test left the process's logging as it found it."""
    before = _logging_state()
    yield
    assert _logging_state() == before


@pytest.mark.usefixtures("untouched")
def test_a_config_naming_alembic_ini_in_process_leaves_logging_alone(sqlite_url: str) -> None:
    # As a caller that hands alembic.ini to an in-process migration: not the command line.
    engine = migration_engine(sqlite_url)
    try:
        with engine.begin() as connection:
            config = alembic_config(connection)
            config.config_file_name = str(ROOT / "alembic.ini")
            command.upgrade(config, "0001")
    finally:
        engine.dispose()


@pytest.mark.usefixtures("untouched")
def test_regie_db_upgrade_says_no_alembic_info_even_with_alembic_ini(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regie's own config names no file, so `regie db upgrade` never logged (review48 4). As
    if it named alembic.ini: the command still prints no INFO lines and leaves logging alone
    (before speed47's env.py this failed)."""
    import store.db

    def with_ini(connection: Connection | None = None) -> Config:
        config = alembic_config(connection)
        config.config_file_name = str(ROOT / "alembic.ini")
        return config

    monkeypatch.setattr(store.db, "alembic_config", with_ini)
    result = regie("db", "upgrade", env={"REGIE_DATABASE_URL": sqlite_url})
    assert result.code == 0, result.err
    assert "alembic" not in result.err
    assert "INFO" not in result.out + result.err


def test_the_alembic_command_line_still_logs_as_alembic_ini_says(sqlite_url: str) -> None:
    env = {**os.environ, "REGIE_DATABASE_URL": sqlite_url}
    proc = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "alembic.ini", "current"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "INFO  [alembic.runtime.migration]" in proc.stderr
