"""A set REGIE_HOME without a database says so once, after the command succeeded: a mistyped
home would otherwise read as a programme without any updates (walk29 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


def _env(tmp_path: Path, home: Path) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    if not plan.exists():
        shutil.copy(SEED_PLAN, plan)
    return {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": "", "REGIE_PLAN": str(plan)}


def test_a_new_home_is_said_once_after_the_output(tmp_path: Path) -> None:
    home = tmp_path / "regie-prd"  # e.g. "prd" for "prod"
    first = regie("status", "--format", "json", env=_env(tmp_path, home))
    assert first.code == 0 and first.out.startswith(("[", "{"))  # stdout stays the command's
    assert first.err == (
        f"regie: REGIE_HOME {home} held no database: a new, empty one was made "
        f"({home / 'regie.db'}); if you meant an existing home, check REGIE_HOME\n"
    )
    again = regie("status", "--format", "json", env=_env(tmp_path, home))
    assert (again.code, again.err) == (0, "")


def test_a_failing_command_keeps_its_one_line(tmp_path: Path) -> None:
    home = tmp_path / "elsewhere"
    failed = regie("status", "--step", "99", env=_env(tmp_path, home))
    assert failed.code == 2
    assert failed.err.count("\n") == 1 and "REGIE_HOME" not in failed.err


def test_the_default_home_is_not_noted(tmp_path: Path) -> None:
    env = _env(tmp_path, tmp_path / "x")
    env["REGIE_HOME"] = ""  # the default ./var of the quick start
    quick = regie("status", "--format", "json", cwd=tmp_path, env=env)
    assert (quick.code, quick.err) == (0, ""), quick.err
    assert (tmp_path / "var" / "regie.db").is_file()


def test_a_new_database_the_url_names_is_said_naming_the_url(tmp_path: Path) -> None:
    """walk55c 5: a mistyped file name in REGIE_DATABASE_URL, inside a home that holds its
    database or relative to the working directory, is said once, naming REGIE_DATABASE_URL
    (not REGIE_HOME) and the file's full path."""
    home = tmp_path / "h"
    kept = regie("status", "--format", "json", env=_env(tmp_path, home))
    assert kept.code == 0 and (home / "regie.db").is_file()
    typo = _env(tmp_path, home)
    for url, made in (
        (f"sqlite:///{home / 'regie-typo.db'}", home / "regie-typo.db"),
        ("sqlite:///typo2.db", tmp_path / "typo2.db"),  # relative: the working directory
    ):
        typo["REGIE_DATABASE_URL"] = url
        first = regie("status", "--format", "json", cwd=tmp_path, env=typo)
        assert first.code == 0 and made.is_file()
        assert first.err == (
            f"regie: REGIE_DATABASE_URL names no existing database: a new, empty one was made "
            f"({made}); if you meant an existing database, check REGIE_DATABASE_URL\n"
        )
        again = regie("status", "--format", "json", cwd=tmp_path, env=typo)
        assert (again.code, again.err) == (0, "")
