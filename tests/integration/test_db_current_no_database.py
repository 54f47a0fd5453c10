"""`regie db current` only reads: on an SQLite URL naming no file (a typo) it refuses in one
line naming the setting and the file's full path, exit 3, and makes nothing, where it used to
make a new, empty database and call it "empty (latest is …)" (fix55c). `db downgrade` has
nothing to take down there either. `db upgrade` still creates the database, and `db current`
reads it afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN

REFUSED = "nothing was made: check {setting}, or create the database with `regie db upgrade`"


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    plan = tmp_path / "plan.yaml"
    if not plan.exists():
        shutil.copy(SEED_PLAN, plan)
    return {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": url,
        "REGIE_PLAN": str(plan),
        "PREFECT_API_URL": "",
    }


def _files(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


@pytest.mark.parametrize("command", [("db", "current"), ("db", "downgrade", "base", "--yes")])
def test_a_mistyped_sqlite_url_is_refused_and_no_file_is_made(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    env = _env(tmp_path, "sqlite:///typo2.db")  # relative: the working directory's
    before = _files(tmp_path)
    done = regie(*command, cwd=tmp_path, env=env)
    assert done.code == 3, done
    assert done.out == ""
    name = " ".join(command[:2])
    assert done.err == (
        f"{name}: REGIE_DATABASE_URL names no database ({tmp_path / 'typo2.db'}); "
        f"{REFUSED.format(setting='REGIE_DATABASE_URL')}\n"
    )
    assert _files(tmp_path) == before  # no database file, no home


def test_a_home_without_a_database_is_named_and_left_empty(tmp_path: Path) -> None:
    env = _env(tmp_path, "")
    home = tmp_path / "home"
    done = regie("db", "current", env=env)
    assert done.code == 3, done
    assert done.err == (
        f"db current: REGIE_HOME {home} holds no database ({home / 'regie.db'}); "
        f"{REFUSED.format(setting='REGIE_HOME')}\n"
    )
    assert not (home / "regie.db").exists()


def test_db_upgrade_still_creates_the_database_and_current_reads_it(tmp_path: Path) -> None:
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'new.db'}")
    assert regie("db", "upgrade", env=env).code == 0
    shown = regie("db", "current", env=env)
    assert shown.code == 0, shown
    assert shown.out.strip().endswith("(up to date)"), shown.out
