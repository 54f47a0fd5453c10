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


def test_the_default_home_and_a_named_database_are_not_noted(tmp_path: Path) -> None:
    env = _env(tmp_path, tmp_path / "x")
    env["REGIE_HOME"] = ""  # the default ./var of the quick start
    quick = regie("status", "--format", "json", cwd=tmp_path, env=env)
    assert (quick.code, quick.err) == (0, ""), quick.err
    assert (tmp_path / "var" / "regie.db").is_file()
    named = _env(tmp_path, tmp_path / "h")
    named["REGIE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    elsewhere = regie("status", "--format", "json", env=named)
    assert (elsewhere.code, elsewhere.err) == (0, ""), elsewhere.err
