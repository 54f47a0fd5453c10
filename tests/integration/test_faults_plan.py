"""Fault suite: `plan validate` warns about items that lost their date (issue #7 §6)."""

from __future__ import annotations

from pathlib import Path

from tests.cli import regie
from tests.conftest import SEED_PLAN


def test_plan_validate_warns_about_a_deleted_gereed(tmp_path: Path) -> None:
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": ""}
    assert regie("sync", env=env).code == 0
    text = SEED_PLAN.read_text(encoding="utf-8")
    line = '            gereed: "Q3-2015"\n'
    assert line in text
    edited = tmp_path / "actions.yaml"
    edited.write_text(text.replace(line, "", 1), encoding="utf-8")
    result = regie("plan", "validate", str(edited), env=env)
    assert result.code == 0, result.err
    assert (
        f"warning: {edited}: 1.1.1 had gereed 'Q3-2015' in the synced plan and has no date now"
        in result.out
    )
    unchanged = regie("plan", "validate", env=env)
    assert unchanged.code == 0 and "warning" not in unchanged.out
    fresh = regie("plan", "validate", str(edited), env={**env, "REGIE_HOME": str(tmp_path / "x")})
    assert fresh.code == 0 and "warning" not in fresh.out  # nothing synced: nothing to compare
    assert not (tmp_path / "x" / "regie.db").exists()  # validating creates no database
