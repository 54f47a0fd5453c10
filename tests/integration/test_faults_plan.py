"""Fault suite: `plan validate` warns about items that lost their date (issue #7 §6)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.cli_in_process import regie
from tests.conftest import SEED_PLAN


def warnings(out: str) -> list[str]:
    """The warnings, but for the plan's governance body members without a contact (always)."""
    return [
        line
        for line in out.splitlines()
        if "warning" in line and not line.startswith("warning: governance body member")
    ]


def test_plan_validate_warns_about_a_deleted_gereed(tmp_path: Path, database_url: str) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": database_url}
    assert regie("db", "upgrade", env=env).code == 0  # PostgreSQL is migrated on request
    assert regie("sync", env=env).code == 0
    text = SEED_PLAN.read_text(encoding="utf-8")
    line = '            gereed: "Q3-2015"\n'
    assert line in text
    edited = tmp_path / "actions.yaml"
    edited.write_text(text.replace(line, "", 1), encoding="utf-8")
    result = regie("plan", "validate", str(edited), env=env)
    assert result.code == 0, result.err
    # One warning, at the item (walk54 7): not "moved without a decision" as well.
    [lost] = warnings(result.out)
    assert re.fullmatch(
        rf"warning: {re.escape(str(edited))}:\d+:\d+: 1\.1\.1 had gereed 'Q3-2015' in the "
        r"synced plan and has no date now \(was 'gereed:' deleted\?\)",
        lost,
    ), lost
    unchanged = regie("plan", "validate", env=env)
    assert unchanged.code == 0 and warnings(unchanged.out) == []
    elsewhere = {"REGIE_HOME": str(tmp_path / "x"), "REGIE_DATABASE_URL": ""}
    fresh = regie("plan", "validate", str(edited), env=elsewhere)
    assert fresh.code == 0 and warnings(fresh.out) == []  # nothing synced: nothing to compare
    assert not (tmp_path / "x" / "regie.db").exists()  # validating creates no database


@pytest.mark.parametrize("undated", ["Q3-2015 e.v.", "Ntb"])
def test_plan_validate_says_a_gereed_without_a_date_once(
    tmp_path: Path, database_url: str, undated: str
) -> None:
    """walk54 7: a gereed changed to a text without a date was not deleted; the due date moved
    without a decision, said once, at the item (``PATH:LINE:COL``)."""
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": database_url}
    assert regie("db", "upgrade", env=env).code == 0
    assert regie("sync", env=env).code == 0
    text = SEED_PLAN.read_text(encoding="utf-8")
    line = '            gereed: "Q3-2015"\n'
    edited = tmp_path / "actions.yaml"
    edited.write_text(text.replace(line, f'            gereed: "{undated}"\n', 1), encoding="utf-8")
    result = regie("plan", "validate", str(edited), env=env)
    assert result.code == 0, result.err
    [moved] = warnings(result.out)
    at = text[: text.index(line)].rsplit("- id:", 1)[0].count("\n") + 1  # the item's row
    assert moved.startswith(f"warning: {edited}:{at}:") and ": 1.1.1 gereed was 'Q3-2015'" in moved
    assert f"now {undated!r}: no decision recorded" in moved and "deleted" not in moved


def test_plan_validate_reads_a_sqlite_database_as_it_is(tmp_path: Path) -> None:
    """Read-only: a database left with its write-ahead log is compared with what the log holds,
    and validating writes nothing to it."""
    home = tmp_path / "home"
    env = {"REGIE_HOME": str(home), "REGIE_DATABASE_URL": ""}
    assert regie("sync", env=env).code == 0
    database = home / "regie.db"
    text = SEED_PLAN.read_text(encoding="utf-8")
    edited = tmp_path / "actions.yaml"
    edited.write_text(text.replace('            gereed: "Q3-2015"\n', "", 1), encoding="utf-8")
    # Another process holds the database open with an unfolded write-ahead log.
    holder = sqlite3.connect(database)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    for table in ("actions", "milestones"):
        holder.execute(f"UPDATE {table} SET gereed = 'Q3-2015 (held)' WHERE code = '1.1.1'")
    holder.commit()
    try:
        assert (home / "regie.db-wal").stat().st_size > 0
        before = database.read_bytes()
        result = regie("plan", "validate", str(edited), env=env)
        assert result.code == 0, result.err
        assert "1.1.1 had gereed 'Q3-2015 (held)' in the synced plan" in result.out
        assert database.read_bytes() == before
    finally:
        holder.close()
