"""Review walk28 finding 6: `regie calendar export` on a home whose plan was never synced
wrote what it published for a programme the database did not hold yet ("FOREIGN KEY
constraint failed", exit 3). It now exports the plan file's feed as a look, and remembers
publications from the first sync on. SQLite and PostgreSQL, and a home with no database."""

from __future__ import annotations

from pathlib import Path

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


def _export(tmp_path: Path, env: dict[str, str], name: str, option: str = "--out") -> bytes:
    out = tmp_path / name
    result = regie("calendar", "export", option, str(out), env=env)
    assert result.code == 0, result.err
    assert result.err.startswith(f"{out}: ") and " events" in result.err
    return out.read_bytes()


def _check(tmp_path: Path, env: dict[str, str]) -> None:
    first = _export(tmp_path, env, "vers.ics")
    assert first.count(b"BEGIN:VEVENT") > 10 and b"SEQUENCE:0" in first
    step = regie("calendar", "export", "--scope", "step:1", "--out", "-", env=env)
    assert step.code == 0, step.err
    assert regie("sync", env=env).code == 0
    again = _export(tmp_path, env, "na-sync.ics", "-o")  # as the report commands (walk54 9)
    assert again.count(b"BEGIN:VEVENT") == first.count(b"BEGIN:VEVENT")


def test_export_on_a_never_synced_database(tmp_path: Path, migrated_url: str) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": migrated_url,
           "REGIE_PLAN": str(SEED_PLAN), "PREFECT_API_URL": ""}  # fmt: skip
    _check(tmp_path, env)


def test_export_on_a_fresh_home(tmp_path: Path) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": "",
           "REGIE_PLAN": str(SEED_PLAN), "PREFECT_API_URL": ""}  # fmt: skip
    _check(tmp_path, env)
