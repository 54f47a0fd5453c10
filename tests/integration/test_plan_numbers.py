"""Numbers in the plan as a user meets them (docs/plan-schema.md, "Numbers and their ranges"):
huge ones are refused by `plan validate` at their line and column, exit 2; the largest valid
ones (and a 64-character id) run through `regie cycle`, `status` and `meeting list` on SQLite
and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from tests.cli_in_process import regie

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plans" / "second_programme.yaml"
_RULE = "      rule: {every: month, interval: 2, day: 15,"
_STEP = "  - number: 2\n"


def _write(tmp_path: Path, reminders: str, interval: str = "2", step: str = "2") -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert _RULE in text and _STEP in text and '"2.1"' in text and '"2.2"' in text
    text = text.replace("organisations:\n", f"reminders:\n{reminders}\norganisations:\n", 1)
    text = text.replace(_RULE, _RULE.replace("interval: 2", f"interval: {interval}"))
    text = text.replace(_STEP, f"  - number: {step}\n")
    text = text.replace('"2.1"', f'"{step}.1"').replace('"2.2"', f'"{step}.2"')
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def test_huge_numbers_are_refused_where_they_are_written(tmp_path: Path) -> None:
    """They passed validation and then ended `regie cycle`, `status` and `meeting list` in a
    traceback (OverflowError, 'year 21192 is out of range', SQLite's INTEGER overflow)."""
    path = _write(
        tmp_path,
        "  first_prompt_days: 100000000000000000000000\n  stale_after_days: 5000000\n",
        interval="100000000000000000000",
        step="30000000000000000000000000",
    )
    env = {"REGIE_HOME": str(tmp_path / "home"), "REGIE_DATABASE_URL": ""}
    result = regie("plan", "validate", str(path), env=env)  # no traceback (tests.cli)
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f"{path}:{_line(path, '  first_prompt_days')}:22: 'first_prompt_days' must be 0–366 "
        "working days (0: from the due date), not 100000000000000000000000",
        f"{path}:{_line(path, '  stale_after_days')}:21: 'stale_after_days' must be 1–366 "
        "working days, not 5000000",
        f"{path}:{_line(path, '      rule:')}:38: 'interval' must be 1–24, not "
        "100000000000000000000",
        f"{path}:{_line(path, '  - number: 3')}:13: 'number' must be 1–999, not "
        "30000000000000000000000000",
    ]
    for command in (("status",), ("meeting", "list")):
        refused = regie(*command, env={**env, "REGIE_PLAN": str(path)})
        assert refused.code == 2 and refused.err == result.err


def test_the_largest_valid_numbers_run(tmp_path: Path, database_url: str) -> None:
    reminders = (
        "  first_prompt_days: 366\n  second_prompt_days: 366\n  overdue_every_days: 366\n"
        "  escalate_after_unanswered: 99\n  escalate_after_overdue_days: 366\n"
        "  open_ended_every_months: 12\n  stale_after_days: 366\n  dependency_lead_days: 366\n"
    )
    path = _write(tmp_path, reminders, step="999")
    longest = "1.1." + "2" * 60  # 64 characters, what the database keeps
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"1.1.2"', f'"{longest}"'), encoding="utf-8")
    env = {
        "REGIE_HOME": str(tmp_path / "home"),
        "REGIE_DATABASE_URL": database_url,
        "REGIE_PLAN": str(path),
    }
    assert regie("plan", "validate", str(path), env=env).code == 0
    assert regie("db", "upgrade", env=env).code == 0
    for as_of in ("2024-01-02", "2024-12-31", "2025-06-02"):  # in the past: a real cycle
        cycle = regie("cycle", "--as-of", as_of, env=env)
        assert cycle.code == 0, cycle.err
    for as_of in ("2024-01-02", "2026-12-31", "2027-06-01"):
        status = regie("status", "--as-of", as_of, "--format", "json", env=env)
        assert status.code == 0 and '"999.1"' in status.out and longest in status.out
    meetings = regie("meeting", "list", env=env)
    assert meetings.code == 0 and "2024-09-16" in meetings.out
